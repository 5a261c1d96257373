"""Free-text retailer attributes (city, business type) as categories of their frequent values.

The app stores city and business type as free text. Its own 50-retailer sample has 49 cities,
so one-hot columns for every value could not generalise to a new retailer; a real customer
base, though, is concentrated in a few places (Kampala, Entebbe, …). A value becomes a level
when at least ``min_share`` of the training retailers (and at least ``min_count`` of them)
have it; every other value is :data:`OTHER`, a missing one :data:`~features.UNKNOWN`. Values
are compared after trimming, collapsing inner spaces and case folding ("  kampala" is
"Kampala").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from aktina_ml.segmentation.features import UNKNOWN

OTHER = "other"


def normalize_label(value: Any) -> str:
    """A free-text value compared as a level: trimmed, single-spaced, case-folded."""
    if isinstance(value, str):
        text = " ".join(value.split()).casefold()
        if text:
            return text
    return UNKNOWN


def normalize_labels(values: Sequence[Any] | None, length: int) -> np.ndarray:
    """A raw free-text column as an object array of normalised labels (None: all unknown)."""
    if values is None:
        return np.full(length, UNKNOWN, dtype=object)
    table = {}
    labels = np.empty(length, dtype=object)
    for i, value in enumerate(values):
        key = value if isinstance(value, str) else None
        if key not in table:
            table[key] = normalize_label(value)
        labels[i] = table[key]
    return labels


def frequent_levels(labels: np.ndarray, min_share: float, min_count: int = 5) -> tuple[str, ...]:
    """The levels of a free-text dimension: frequent labels (most common first), then
    :data:`OTHER` and :data:`UNKNOWN`."""
    known = labels[labels != UNKNOWN]
    values, counts = np.unique(known.astype(str), return_counts=True)
    threshold = max(min_share * labels.size, min_count)
    order = np.lexsort((values, -counts))
    frequent = tuple(str(values[i]) for i in order if counts[i] >= threshold)
    return (*frequent, OTHER, UNKNOWN)


def level_codes(labels: np.ndarray, levels: Sequence[str]) -> np.ndarray:
    """Index into ``levels`` of every label; labels not among them are :data:`OTHER`."""
    index = {level: i for i, level in enumerate(levels)}
    other = index[OTHER]
    return np.fromiter(
        (index.get(label, other) for label in labels), dtype=np.intp, count=labels.size
    )
