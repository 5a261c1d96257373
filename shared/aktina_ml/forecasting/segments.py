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

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.palette import segment_color

if TYPE_CHECKING:
    import pandas as pd

    # annotations only: the artifact names this module's class among those it holds
    from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity, History, RunningTotals

# A segment's backtest figures kept in the artifact (the total keeps all of its own).
HEADLINE_METRICS = ("mase", "mase_seasonal_naive", "smape", "coverage", "folds", "horizon_days")


@dataclass(frozen=True)
class SegmentForecast:
    """One segment's reconciled forecast, its recent actuals and its backtest figures."""

    segment_id: int
    name: str
    color: str
    totals: dict[Granularity, RunningTotals]
    history: dict[Granularity, History]
    metrics: dict[str, Any]


def reconciliation_factors(
    total: RunningTotals, segments: Mapping[int, RunningTotals]
) -> np.ndarray:
    """Per forecast day: total point / sum of the segments' points (1 where both are 0)."""
    summed = np.sum([s.point for s in segments.values()], axis=0)
    factors: np.ndarray = np.divide(
        total.point, summed, out=np.ones_like(total.point, dtype="float64"), where=summed > 0
    )
    return factors


def reconciled(
    total: Mapping[Granularity, RunningTotals],
    segments: Mapping[int, Mapping[Granularity, RunningTotals]],
) -> dict[int, dict[Granularity, RunningTotals]]:
    """The segments' running totals scaled so that, per day and granularity, they sum to the
    total's point forecast."""
    result: dict[int, dict[Granularity, RunningTotals]] = {segment: {} for segment in segments}
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
    total: Mapping[Granularity, RunningTotals],
    segments: Mapping[int, Mapping[Granularity, RunningTotals]],
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


def with_segments(
    artifact: ForecastArtifact,
    segment_daily: Mapping[int, pd.DataFrame],
    names: Mapping[int, str],
    build: Callable[[pd.DataFrame], ForecastArtifact],
) -> ForecastArtifact:
    """``artifact`` with each segment's forecast (``build``, the total's method) reconciled
    with it; a segment whose history is too short to forecast is listed as skipped."""
    started = time.perf_counter()
    built: dict[int, ForecastArtifact] = {}
    skipped: dict[str, str] = {}
    for segment_id, daily in sorted(segment_daily.items()):
        try:
            built[segment_id] = build(daily)
        except ValueError as exc:  # too little history, or nothing but zeros
            skipped[str(segment_id)] = str(exc)
    if not built:
        summary = {"segments": 0, "skipped": skipped, "reason": "no segment could be forecast"}
        return replace(artifact, segments=(), segments_summary=summary)
    totals = reconciled(artifact.totals, {s: a.totals for s, a in built.items()})
    segments = tuple(
        SegmentForecast(
            segment_id=segment_id,
            name=names.get(segment_id, f"Segment {segment_id}"),
            color=segment_color(segment_id),
            totals=totals[segment_id],
            history=forecast.history,
            metrics={k: forecast.metrics.get(k) for k in HEADLINE_METRICS},
        )
        for segment_id, forecast in built.items()
    )
    summary = reconciliation_summary(artifact.totals, {s: a.totals for s, a in built.items()})
    summary |= {
        "segments": len(segments),
        "skipped": skipped,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return replace(artifact, segments=segments, segments_summary=summary)
