"""Small serving artifacts built directly from numbers (numpy only, no fit): a forecast or a
total-units forecast from a daily history and a daily forecast, products, and the demand
artifact that holds them. Intervals come from sample paths scattered around the forecast."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from aktina_ml.demand.artifact import DemandArtifact, ProductDemand
from aktina_ml.forecasting.artifact import (
    GRANULARITIES,
    ForecastArtifact,
    History,
    RunningTotals,
    day_labels,
    period_history,
    period_keys,
    running_totals,
)
from aktina_ml.forecasting.segments import SegmentForecast

LAST_DAY = np.datetime64("2026-12-06", "D")
WIDTH = 0.8
PATHS = 400
METRICS: dict[str, Any] = {
    "mase": 0.7,
    "mase_seasonal_naive": 1.0,
    "smape": 8.0,
    "coverage": 0.8,
    "coverage_calibrated": 0.8,
    "coverage_calibrated_by_granularity": {"day": 0.8, "week": 0.8, "month": 0.8},
}


def intervals(
    daily: np.ndarray, spread: float, first_day: np.datetime64, seed: int = 0
) -> tuple[dict[Any, RunningTotals], RunningTotals]:
    """Running totals per granularity and from the first day, of paths whose daily values
    scatter by ``spread`` (a relative standard deviation) around ``daily``."""
    rng = np.random.default_rng(seed)
    # One level per path: the days of a path move together, as a forecast's errors do.
    factors = 1 + spread * rng.standard_normal(PATHS)
    paths = np.clip(daily[:, None] * factors[None, :], 0, None)
    totals = {
        g: running_totals(daily, paths, period_keys(first_day, len(daily), g), WIDTH)
        for g in GRANULARITIES
    }
    cumulative = running_totals(daily, paths, np.zeros(len(daily), dtype="int64"), WIDTH)
    return totals, cumulative


def histories(daily: np.ndarray, last_day: np.datetime64 = LAST_DAY) -> dict[Any, History]:
    first = last_day - np.timedelta64(len(daily) - 1, "D")
    return {g: period_history(first, np.asarray(daily, float), g) for g in GRANULARITIES}


def forecast_artifact(
    history: np.ndarray,
    forecast: np.ndarray,
    *,
    spread: float = 0.05,
    metrics: dict[str, Any] | None = None,
    last_day: np.datetime64 = LAST_DAY,
    **fields: Any,
) -> ForecastArtifact:
    """A forecast artifact of daily ``history`` ending ``last_day`` and daily ``forecast``."""
    history, forecast = np.asarray(history, float), np.asarray(forecast, float)
    first_day = last_day + np.timedelta64(1, "D")
    totals, cumulative = intervals(forecast, spread, first_day)
    return ForecastArtifact(
        trained_at="2026-12-07T03:00:00+00:00",
        days=day_labels(first_day, len(forecast)),
        totals=totals,
        history=histories(history, last_day),
        metrics=dict(METRICS if metrics is None else metrics),
        config={"interval_width": WIDTH},
        data_window={
            "first_day": str(last_day - np.timedelta64(len(history) - 1, "D")),
            "last_day": str(last_day),
            "days": len(history),
        },
        model_json="{}",
        cumulative=cumulative,
        **fields,
    )


def segment(
    segment_id: int, name: str, history: np.ndarray, forecast: np.ndarray
) -> SegmentForecast:
    totals, _ = intervals(np.asarray(forecast, float), 0.1, LAST_DAY + np.timedelta64(1, "D"))
    return SegmentForecast(segment_id, name, "#000000", totals, histories(history), {})


def product(
    product_id: int,
    history: np.ndarray,
    forecast: np.ndarray,
    *,
    name: str | None = None,
    spread: float = 0.05,
    method: str = "prophet",
    method_note: str = "the revenue forecast's method",
    metrics: dict[str, Any] | None = None,
) -> ProductDemand:
    history, forecast = np.asarray(history, float), np.asarray(forecast, float)
    first_day = LAST_DAY + np.timedelta64(1, "D")
    totals, cumulative = intervals(forecast, spread, first_day, seed=product_id)
    sold = np.flatnonzero(history > 0)
    start = LAST_DAY - np.timedelta64(len(history) - 1, "D")
    return ProductDemand(
        product_id=product_id,
        name=name or f"Aktina Phone {product_id}",
        model=f"Aktina {product_id}",
        category="phone",
        target_market="mid-range",
        method=method,
        method_note=method_note,
        totals=totals,
        cumulative=cumulative,
        history=histories(history),
        metrics=dict(METRICS if metrics is None else metrics),
        first_sale=str(start + np.timedelta64(int(sold[0]) if len(sold) else 0, "D")),
        last_sale=str(start + np.timedelta64(int(sold[-1]) if len(sold) else 0, "D")),
    )


def demand_artifact(
    products: list[ProductDemand],
    *,
    facts: dict[str, Any] | None = None,
    item_quality: dict[str, Any] | None = None,
) -> DemandArtifact:
    """Total units = the products' sums (already reconciled), history as long as the longest."""
    longest = max(len(p.history["day"].values) for p in products)
    history = np.zeros(longest)
    for p in products:
        values = p.history["day"].values
        history[longest - len(values) :] += values
    forecast = np.sum([p.totals["day"].point for p in products], axis=0)
    # products' daily points: running day totals are the daily values themselves
    units = forecast_artifact(history, forecast)
    return DemandArtifact(
        trained_at="2026-12-07T03:10:00+00:00",
        days=units.days,
        units=units,
        products=tuple(products),
        item_quality=item_quality or {"orders": 1000, "lines": 2100, "problems": {"malformed": 2}},
        facts=facts or {},
        summary={},
    )


def without_running_totals(artifact: ForecastArtifact) -> ForecastArtifact:
    """An artifact as trained before the running totals were kept."""
    return replace(artifact, cumulative=None)
