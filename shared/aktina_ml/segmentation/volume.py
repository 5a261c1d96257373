"""Sales volume classes (the target the segments should explain, never a clustering input)."""

from __future__ import annotations

import numpy as np

VOLUME_CLASSES = ("low", "medium", "high")


def volume_cut_points(
    sales: np.ndarray, thresholds: tuple[float, float] | None = None
) -> tuple[float, float]:
    """(low/medium, medium/high) cut points: the fixed ``thresholds`` or the sales tertiles."""
    if thresholds is not None:
        low, high = (float(t) for t in thresholds)
        if not low <= high:
            raise ValueError(f"volume thresholds must be ascending, got {thresholds}")
        return low, high
    if len(sales) == 0:
        return 0.0, 0.0
    low, high = np.quantile(np.asarray(sales, dtype=float), [1 / 3, 2 / 3])
    return float(low), float(high)


def volume_classes(sales: np.ndarray, cuts: tuple[float, float]) -> np.ndarray:
    """0 = low, 1 = medium (above the first cut), 2 = high (above the second cut)."""
    values = np.asarray(sales, dtype=float)
    return (values > cuts[0]).astype(np.int64) + (values > cuts[1]).astype(np.int64)


def volume_mix(classes: np.ndarray) -> dict[str, float]:
    """Share of each volume class (keys ``high``, ``medium``, ``low``)."""
    counts = np.bincount(classes, minlength=len(VOLUME_CLASSES)).astype(float)
    shares = counts / counts.sum() if counts.sum() else counts
    return {
        name: round(float(shares[i]), 4) for i, name in reversed(list(enumerate(VOLUME_CLASSES)))
    }
