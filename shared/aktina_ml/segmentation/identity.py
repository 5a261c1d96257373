"""Stable segment ids across retrains.

The previous model assigns the new training data, so both models' segments are compared
on the same retailers (feature spaces and weights may differ between the two models). The
Hungarian algorithm pairs new with previous segments by maximum total overlap (Jaccard);
a pair keeps the previous id when its overlap is at least ``min_overlap``. Other segments
get fresh ids that were never used before, so a colour never jumps to another segment.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

MIN_OVERLAP = 0.5


def jaccard_table(
    new_labels: np.ndarray, old_ids: np.ndarray, k_new_min: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard overlap of every (new cluster, previous id) pair and the previous ids' order."""
    old_values, old_codes = np.unique(old_ids, return_inverse=True)
    k_new = max(int(new_labels.max()) + 1 if new_labels.size else 0, k_new_min)
    both = np.zeros((k_new, len(old_values)))
    np.add.at(both, (new_labels, old_codes), 1.0)
    union = both.sum(axis=1, keepdims=True) + both.sum(axis=0, keepdims=True) - both
    return np.divide(both, union, out=np.zeros_like(both), where=union > 0), old_values


def match_segment_ids(
    new_labels: np.ndarray,
    old_ids: np.ndarray,
    next_id: int,
    fresh_order: np.ndarray,
    min_overlap: float = MIN_OVERLAP,
) -> tuple[np.ndarray, int]:
    """Stable id for each new cluster index (0..k-1) and the next unused id.

    ``old_ids`` are the previous model's ids for the same retailers; ``fresh_order`` lists
    every new cluster index (0..k-1, empty clusters too) in the order unmatched ones should
    receive new ids.
    """
    k_new = len(fresh_order)
    ids = np.full(k_new, -1, dtype=np.int64)
    if old_ids.size:
        overlap, old_values = jaccard_table(new_labels, old_ids, k_new)
        rows, cols = linear_sum_assignment(-overlap)
        for row, col in zip(rows, cols, strict=True):
            if overlap[row, col] >= min_overlap:
                ids[row] = old_values[col]
    for cluster in fresh_order:
        if ids[cluster] < 0:
            ids[cluster] = next_id
            next_id += 1
    return ids, next_id
