"""The serving artifact: what the segment function loads with joblib (numpy only).

It holds the encoder tables (category levels, medians, means, scales), the dimension
weights, the centroids and the profiles, and assigns retailers exactly as the trained
scikit-learn pipeline does (one-hot with explicit unknown → median imputation → standard
scaling → weighting → nearest centroid). Nothing here imports scikit-learn or pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aktina_ml.segmentation.charts import chart_data
from aktina_ml.segmentation.features import (
    NUMERIC,
    category_codes,
    number_column,
    records_to_columns,
)

FORMAT_VERSION = 1


@dataclass
class SegmentationModel:
    """A trained segmentation, ready to assign retailers and describe its segments."""

    categorical: tuple[tuple[str, tuple[str, ...]], ...]  # dimension, one-hot levels
    numeric: tuple[str, ...]
    medians: np.ndarray
    means: np.ndarray
    scales: np.ndarray
    column_weights: np.ndarray
    centroids: np.ndarray  # one row per segment, in the weighted feature space
    segment_ids: np.ndarray  # stable segment id of each centroid row
    profiles: dict[int, dict[str, Any]]  # segment id → profile (profiles.py)
    retailer_ids: np.ndarray
    retailer_segments: np.ndarray
    volume_cuts: tuple[float, float]
    metrics: dict[str, Any]
    trained_at: str
    next_segment_id: int
    format_version: int = FORMAT_VERSION
    _lookup: dict[int, int] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_lookup"] = None  # rebuilt on demand, never pickled
        return state

    @property
    def k(self) -> int:
        return len(self.segment_ids)

    def encode(self, columns: Mapping[str, Sequence[Any] | None], length: int) -> np.ndarray:
        """Raw columns (missing ones count as NULL) → the weighted feature matrix."""
        blocks = []
        for name, levels in self.categorical:
            onehot = np.zeros((length, len(levels)))
            onehot[np.arange(length), category_codes(columns.get(name), levels, length)] = 1.0
            blocks.append(onehot)
        if self.numeric:
            numbers = np.column_stack(
                [number_column(columns.get(n), NUMERIC[n], length) for n in self.numeric]
            )
            numbers = np.where(np.isnan(numbers), self.medians, numbers)
            blocks.append((numbers - self.means) / self.scales)
        return np.hstack(blocks) * self.column_weights

    def nearest(self, features: np.ndarray) -> np.ndarray:
        """Index of the nearest centroid of each row (squared Euclidean distance).

        einsum, not ``@``: a BLAS product wakes OpenBLAS's worker threads, which then spin
        for a while and take CPU from the rest of the request (bench/segmentation.py).
        """
        distances = (
            np.einsum("ij,ij->i", features, features)[:, None]
            - 2.0 * np.einsum("ij,kj->ik", features, self.centroids)
            + np.einsum("ij,ij->i", self.centroids, self.centroids)[None, :]
        )
        return distances.argmin(axis=1)

    def assign_columns(self, columns: Mapping[str, Sequence[Any]], length: int) -> np.ndarray:
        """Stable segment ids for raw columns (missing columns and values count as NULL)."""
        if length == 0:
            return np.empty(0, dtype=np.int64)
        return self.segment_ids[self.nearest(self.encode(columns, length))]

    def assign(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Stable segment ids for retailers given as dicts with the retailers' columns."""
        names = (*(name for name, _ in self.categorical), *self.numeric)
        return self.assign_columns(records_to_columns(records, names), len(records))

    def segment_of(self, retailer_id: int) -> int | None:
        """The segment of a retailer the model was trained on, or None."""
        if self._lookup is None:
            self._lookup = dict(
                zip(self.retailer_ids.tolist(), self.retailer_segments.tolist(), strict=True)
            )
        return self._lookup.get(retailer_id)

    def profile(self, segment_id: int) -> dict[str, Any]:
        return self.profiles[segment_id]

    def overview(self) -> dict[str, Any]:
        """Everything ``GET /segments`` shows, including the legacy keys and chart data."""
        ordered = [self.profiles[sid] for sid in sorted(self.profiles)]
        retailer_segments = {
            str(r): s
            for r, s in zip(
                self.retailer_ids.tolist(), self.retailer_segments.tolist(), strict=True
            )
        }
        return {
            "trained_at": self.trained_at,
            "k": self.k,
            "volume_thresholds": {
                "low_medium": self.volume_cuts[0],
                "medium_high": self.volume_cuts[1],
            },
            "metrics": self.metrics,
            "segments": ordered,
            "charts": chart_data(ordered),
            "retailer_segments": retailer_segments,
            "segment_descriptions": {str(p["id"]): p["name"] for p in ordered},
            "segment_distribution": {str(p["id"]): p["size"] for p in ordered},
        }
