"""How segmentation trains: every parameter in one place, adapted once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from aktina_ml.config import Settings


@dataclass(frozen=True)
class SegmentationConfig:
    """How to train; :meth:`from_settings` reads the ``AKTINA_SEGMENT_*`` variables."""

    k: int | None = None  # None: chosen by cross-validation between k_min and k_max
    k_min: int = 2
    k_max: int = 8
    seed: int = 42
    min_segment_fraction: float = 0.02
    min_silhouette: float = 0.05
    folds: int = 5
    volume_thresholds: tuple[float, float] | None = None
    min_numeric_coverage: float = 0.5
    selection_sample: int = 20_000
    n_init: int = 10
    selection_n_init: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> SegmentationConfig:
        return cls(
            k=settings.segment_count,
            k_max=settings.segment_k_max,
            seed=settings.segment_seed,
            min_segment_fraction=settings.segment_min_size,
            min_silhouette=settings.segment_min_silhouette,
            volume_thresholds=settings.segment_volume_thresholds,
        )
