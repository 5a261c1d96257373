"""The serving artifact: what the segment function loads with joblib (numpy only).

It holds the fitted encoding (:mod:`encoding`: each categorical level's coordinates, the
numeric imputation and scale), the centroids and the profiles, and assigns retailers exactly
as training's scikit-learn KMeans does (encode → nearest centroid). Nothing here imports
scikit-learn or pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aktina_ml.segmentation.charts import chart_data
from aktina_ml.segmentation.encoding import CategoricalDimension, Encoding
from aktina_ml.segmentation.features import records_to_columns

FORMAT_VERSION = 2  # 2: volume-profile encoding (encoding.Encoding) instead of weighted one-hot


@dataclass
class SegmentationModel:
    """A trained segmentation, ready to assign retailers and describe its segments."""

    encoding: Encoding
    centroids: np.ndarray  # one row per segment, in the encoded feature space
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

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "encoding" not in state:  # format 1, trained before the volume-profile encoding
            state = _upgrade_format_1(state)
        self.__dict__.update(state)

    @property
    def k(self) -> int:
        return len(self.segment_ids)

    def encode(self, columns: Mapping[str, Sequence[Any] | None], length: int) -> np.ndarray:
        """Raw columns (missing ones count as NULL) → the encoded feature matrix."""
        return self.encoding.encode(columns, length)

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
        names = self.encoding.dimensions
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
            "quality": self.metrics.get("assessment"),
            "metrics": self.metrics,
            "segments": ordered,
            "charts": chart_data(ordered),
            "retailer_segments": retailer_segments,
            "segment_descriptions": {str(p["id"]): p["name"] for p in ordered},
            "segment_distribution": {str(p["id"]): p["size"] for p in ordered},
        }


def _upgrade_format_1(state: dict[str, Any]) -> dict[str, Any]:
    """A format-1 artifact's weighted one-hot tables as the equivalent :class:`Encoding`.

    Format 1 encoded each categorical level as its own column times a per-column weight and
    each number as its standardised value times a weight; a level's row of a diagonal table
    and the numeric factors give exactly those coordinates. So the model promoted before an
    upgrade keeps serving (and keeps its segment ids at the next training) until replaced.
    """
    state = dict(state)
    weights = np.asarray(state.pop("column_weights"), dtype=float)
    dimensions, start = [], 0
    for name, levels in state.pop("categorical"):
        table = np.diag(weights[start : start + len(levels)])
        dimensions.append(CategoricalDimension(name, tuple(levels), table))
        start += len(levels)
    state["encoding"] = Encoding(
        tuple(dimensions),
        tuple(state.pop("numeric")),
        np.asarray(state.pop("medians"), dtype=float),
        np.asarray(state.pop("means"), dtype=float),
        np.asarray(state.pop("scales"), dtype=float),
        weights[start:],
        guided=True,
    )
    return state
