"""How segmentation trains: every parameter in one place, adapted once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from aktina_ml.config import Settings


@dataclass(frozen=True)
class SegmentationConfig:
    """How to train; :meth:`from_settings` reads the ``AKTINA_SEGMENT_*`` variables."""

    k: int | None = None  # None: chosen between k_min and k_max (held-out value, stability)
    k_min: int = 2
    k_max: int = 8
    seed: int = 42
    min_segment_fraction: float = 0.02
    min_stability: float = 0.8  # bootstrap ARI a chosen k must reach
    stability_rounds: int = 5  # bootstrap refits per candidate k
    min_level_share: float = 0.02  # share of retailers a city (business type) value needs
    extra_categorical: tuple[str, ...] = ()  # optional signup attributes: ("business_type",)
    folds: int = 5
    volume_thresholds: tuple[float, float] | None = None
    min_numeric_coverage: float = 0.5
    selection_sample: int = 20_000
    n_init: int = 10
    # As many initialisations for the candidates and bootstrap refits as for the final fit:
    # with 3 the stability measured was that of a noisier procedure than the one served
    # (bench/segmentation_real.py: caravan +business_type ARI 0.73 with 3, 0.86 with 10).
    selection_n_init: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> SegmentationConfig:
        return cls(
            k=settings.segment_count,
            k_max=settings.segment_k_max,
            seed=settings.segment_seed,
            min_segment_fraction=settings.segment_min_size,
            min_stability=settings.segment_min_stability,
            min_level_share=settings.segment_min_level_share,
            extra_categorical=("business_type",) if settings.segment_business_type else (),
            volume_thresholds=settings.segment_volume_thresholds,
        )
