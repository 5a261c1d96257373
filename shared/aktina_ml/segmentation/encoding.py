"""Retailer demographics → the space KMeans clusters in (numpy only: training and serving).

Each categorical dimension (the four Laravel enums, the city of its frequent values and, by a
setting, the business type) is placed by its *volume profile*: a level's coordinates are its
smoothed volume-class mix minus the overall mix, divided by √(overall share) — the chi-square
metric of correspondence analysis. Two retailers are then far apart on a dimension by as much
as their levels differ in how they sell, so a many-valued dimension (a city list) can matter
without a column per value, and levels that sell alike sit together. A rare level's mix is
shrunk toward the overall mix by :data:`PRIOR` pseudo-retailers, and every dimension's block
is scaled by √ of its signal-to-noise factor (:mod:`weights`), so a weak dimension keeps a
small share of the distance instead of none. The male/female ratio keeps its linear scale
(median-imputed, standardised) times √(2 · shrunk information), the same scale (φ² ≈ 2 MI).

When no dimension carries volume signal beyond noise (excess information over its bias above
:data:`SIGNAL_Z` noise standard deviations), every level gets a column of its own instead
(one-hot, plain demographic KMeans).

The encoding only reads demographics: a new retailer is placed without its sales.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from aktina_ml.segmentation.features import (
    CATEGORICAL,
    NUMERIC,
    category_codes,
    category_levels,
    discretize,
    number_column,
    quantile_edges,
)
from aktina_ml.segmentation.levels import OTHER, frequent_levels, level_codes, normalize_labels
from aktina_ml.segmentation.weights import Information, information

PRIOR = 10.0  # pseudo-retailers pulling a level's volume mix toward the overall mix
SIGNAL_Z = 2.0  # a dimension "carries signal" when its excess information exceeds 2 noise sd
CLASSES = 3


@dataclass(frozen=True)
class CategoricalDimension:
    """One categorical input: its levels and the coordinates of each level (one row each)."""

    name: str
    levels: tuple[str, ...]
    table: np.ndarray

    @property
    def free_text(self) -> bool:
        return OTHER in self.levels

    def codes(self, raw: Sequence[Any] | None, length: int) -> np.ndarray:
        """Level index of every value of a raw column (missing → unknown, rare → other)."""
        if self.free_text:
            return level_codes(normalize_labels(raw, length), self.levels)
        return category_codes(raw, self.levels, length)


@dataclass(frozen=True)
class Encoding:
    """The fitted encoder: categorical tables and the numeric inputs' imputation and scale."""

    categorical: tuple[CategoricalDimension, ...]
    numeric: tuple[str, ...]
    medians: np.ndarray
    means: np.ndarray
    scales: np.ndarray
    factors: np.ndarray  # per numeric input
    guided: bool  # False: no volume signal, plain one-hot KMeans

    @property
    def dimensions(self) -> tuple[str, ...]:
        return (*(d.name for d in self.categorical), *self.numeric)

    def encode(self, columns: Mapping[str, Sequence[Any] | None], length: int) -> np.ndarray:
        """Raw columns (missing ones count as NULL) → the matrix KMeans clusters."""
        blocks = [d.table[d.codes(columns.get(d.name), length)] for d in self.categorical]
        if self.numeric:
            numbers = np.column_stack(
                [number_column(columns.get(n), NUMERIC[n], length) for n in self.numeric]
            )
            numbers = np.where(np.isnan(numbers), self.medians, numbers)
            blocks.append((numbers - self.means) / self.scales * self.factors)
        return np.hstack(blocks) if blocks else np.zeros((length, 0))

    def dimension_shares(self, features: np.ndarray) -> dict[str, float]:
        """Each dimension's share of the spread (total variance) of ``features``."""
        variances = features.var(axis=0)
        spans, start = [], 0
        for d in self.categorical:
            spans.append((d.name, start, start + d.table.shape[1]))
            start += d.table.shape[1]
        spans += [(n, start + i, start + i + 1) for i, n in enumerate(self.numeric)]
        total = float(variances.sum())
        return {
            name: round(float(variances[a:b].sum()) / total, 4) if total > 0 else 0.0
            for name, a, b in spans
        }


def dimension_levels(
    columns: Mapping[str, Sequence[Any] | None],
    length: int,
    rows: np.ndarray,
    free_text: Sequence[str],
    min_share: float,
) -> dict[str, tuple[str, ...]]:
    """The levels of every categorical input: the enums', then each free-text dimension's
    frequent values among ``rows`` (then other, unknown)."""
    levels = {name: category_levels(name) for name in CATEGORICAL}
    for name in free_text:
        labels = normalize_labels(columns.get(name), length)[rows]
        levels[name] = frequent_levels(labels, min_share)
    return levels


def quintile_codes(values: np.ndarray) -> np.ndarray:
    """Numbers as their quintile's code, NaN its own code (to measure their information)."""
    return discretize(values, quantile_edges(values))


def fit_encoding(
    columns: Mapping[str, Sequence[Any] | None],
    length: int,
    volume: np.ndarray,
    rows: np.ndarray,
    *,
    numeric: Sequence[str],
    free_text: Sequence[str] = ("city",),
    min_share: float = 0.02,
    guided: bool = True,
) -> Encoding:
    """Fit the encoding on ``rows`` of the columns (``volume``: class of every row, 0–2).

    ``guided=False`` forces the plain one-hot encoding (the "plain KMeans" reference).
    """
    levels = dimension_levels(columns, length, rows, free_text, min_share)
    codes = {
        name: CategoricalDimension(name, lv, np.empty((len(lv), 0))).codes(
            columns.get(name), length
        )[rows]
        for name, lv in levels.items()
    }
    numbers = {n: number_column(columns.get(n), NUMERIC[n], length)[rows] for n in numeric}
    target = volume[rows]
    info: dict[str, Information] = {n: information(c, target) for n, c in codes.items()}
    info |= {n: information(quintile_codes(v), target) for n, v in numbers.items()}
    guided = guided and any(i.excess > SIGNAL_Z * i.noise for i in info.values())

    overall = np.bincount(target, minlength=CLASSES) / max(target.size, 1)
    dimensions = []
    for name, lv in levels.items():
        if guided:
            table = _profile_table(codes[name], target, len(lv), overall) * _damping(info[name])
        else:
            table = np.eye(len(lv)) * np.sqrt(0.5)
        dimensions.append(CategoricalDimension(name, lv, table))

    medians, means, scales, factors = [], [], [], []
    for n, values in numbers.items():
        median = float(np.nanmedian(values)) if np.any(~np.isnan(values)) else 0.0
        filled = np.where(np.isnan(values), median, values)
        medians.append(median)
        means.append(float(filled.mean()))
        scales.append(float(filled.std()) or 1.0)
        factors.append(np.sqrt(2 * info[n].shrunk) if guided else np.sqrt(0.5))
    return Encoding(
        tuple(dimensions),
        tuple(numeric),
        np.array(medians),
        np.array(means),
        np.array(scales),
        np.array(factors),
        guided,
    )


def _profile_table(
    codes: np.ndarray, target: np.ndarray, size: int, overall: np.ndarray
) -> np.ndarray:
    counts = np.zeros((size, CLASSES))
    np.add.at(counts, (codes, target), 1.0)
    mix = (counts + PRIOR * overall) / (counts.sum(axis=1, keepdims=True) + PRIOR)
    table: np.ndarray = (mix - overall) / np.sqrt(np.where(overall > 0, overall, 1.0))
    return table


def _damping(info: Information) -> float:
    """√ of the signal-to-noise factor excess² / (excess² + noise²) (0 without excess)."""
    excess = info.excess
    if excess <= 0:
        return 0.0
    return float(np.sqrt(excess**2 / (excess**2 + info.noise**2)))
