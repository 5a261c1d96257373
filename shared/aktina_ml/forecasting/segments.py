"""Per-segment forecasts, reconciled with the total forecast (numpy only).

Each segment's daily sales (its retailers' Aktina orders) are forecast with the same method
as the total. The segments' forecasts then do not add up to the total forecast: each is fit
on its own, noisier series. They are reconciled top-down by forecast shares: at every
forecast day and granularity, each segment's running period total is multiplied by
``total / sum of segments``, so the segments add up exactly to the total's forecast while
keeping their own shape and their share of it. A segment's interval is scaled by the same
factor (its relative width is kept); the total's interval stays the one to read for the sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from aktina_ml.forecasting.artifact import History, RunningTotals


@dataclass(frozen=True)
class SegmentForecast:
    """One segment's reconciled forecast, its recent actuals and its backtest figures."""

    segment_id: int
    totals: dict[str, RunningTotals]
    history: dict[str, History]
    metrics: dict[str, Any]


def reconciliation_factors(
    total: RunningTotals, segments: Mapping[int, RunningTotals]
) -> np.ndarray:
    """Per forecast day: total point / sum of the segments' points (1 where both are 0)."""
    summed = np.sum([s.point for s in segments.values()], axis=0)
    return np.divide(
        total.point, summed, out=np.ones_like(total.point, dtype="float64"), where=summed > 0
    )


def reconciled(
    total: Mapping[str, RunningTotals], segments: Mapping[int, Mapping[str, RunningTotals]]
) -> dict[int, dict[str, RunningTotals]]:
    """The segments' running totals scaled so that, per day and granularity, they sum to the
    total's point forecast."""
    result: dict[int, dict[str, RunningTotals]] = {segment: {} for segment in segments}
    for granularity, total_totals in total.items():
        per_segment = {segment: totals[granularity] for segment, totals in segments.items()}
        factors = reconciliation_factors(total_totals, per_segment)
        for segment, totals in per_segment.items():
            result[segment][granularity] = replace(
                totals,
                point=totals.point * factors,
                lower=totals.lower * factors,
                upper=totals.upper * factors,
            )
    return result


def reconciliation_summary(
    total: Mapping[str, RunningTotals], segments: Mapping[int, Mapping[str, RunningTotals]]
) -> dict[str, Any]:
    """How far the raw segment forecasts were from the total (day granularity)."""
    factors = reconciliation_factors(
        total["day"], {segment: totals["day"] for segment, totals in segments.items()}
    )
    return {
        "method": "top-down by forecast shares",
        "factor_min": round(float(factors.min()), 4),
        "factor_median": round(float(np.median(factors)), 4),
        "factor_max": round(float(factors.max()), 4),
    }
