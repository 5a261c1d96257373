"""One product's demand forecast, from a task that can travel as JSON.

A product is forecast one of three ways, and its ``method_note`` says which and why:

* enough history (``AKTINA_DEMAND_MIN_HISTORY_DAYS`` days since its first sale): the total
  units' method (:func:`aktina_ml.forecasting.fit.build_forecast` with the total's served
  candidate, backtested on ``ForecastConfig.SEGMENT_BACKTEST_FOLDS`` folds);
* a launch (fewer days), or a fit that failed: the daily average of its last
  ``AKTINA_DEMAND_RECENT_DAYS`` days, the interval from those days resampled;
* phased out (no sale in the last ``AKTINA_DEMAND_PHASED_OUT_DAYS`` days): zero.

:func:`fit_product` is the per-product step that training runs in-process, or that a fan-out
(a Step Functions Distributed Map) runs once per :class:`ProductTask`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from aktina_ml.demand.config import DemandConfig
from aktina_ml.forecasting.artifact import (
    GRANULARITIES,
    Granularity,
    History,
    RunningTotals,
    period_history,
    period_keys,
    running_totals,
)
from aktina_ml.forecasting.segments import HEADLINE_METRICS

RECENT_AVERAGE = "recent_average"
PHASED_OUT = "phased_out"


@dataclass(frozen=True)
class ProductTask:
    """What one product's fit needs, JSON-able (:meth:`to_dict` / :meth:`from_dict`).

    ``units``: daily units from ``first_day`` (its first sale) through ``last_day`` (the last
    complete day); ``method``: the total's served candidate and Prophet variant.
    """

    product_id: int
    first_day: str
    last_day: str
    units: tuple[int, ...]
    method: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"units": list(self.units)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ProductTask:
        return cls(**{**values, "units": tuple(int(u) for u in values["units"])})


@dataclass(frozen=True)
class ProductFit:
    """One product's forecast before reconciliation, and how it was made."""

    product_id: int
    method: str
    method_note: str
    totals: dict[Granularity, RunningTotals]
    cumulative: RunningTotals
    history: dict[Granularity, History]
    metrics: dict[str, Any]
    first_sale: str
    last_sale: str
    seconds: float


def fit_product(task: ProductTask, config: DemandConfig) -> ProductFit:
    """The product's forecast by the method its history allows (module docstring)."""
    started = time.perf_counter()
    values = np.asarray(task.units, dtype="float64")
    first = np.datetime64(task.first_day, "D")
    last_sale = _last_sale(values, first)
    quiet = int((np.datetime64(task.last_day, "D") - last_sale).astype(int))
    if not (values > 0).any() or quiet >= config.phased_out_days:
        pieces = _zero(values, first, config, quiet, last_sale)
    elif len(values) < config.min_history_days:
        note = f"{len(values)} days of sales since launch ({task.first_day})"
        pieces = _recent_average(values, first, config, task.product_id, note)
    else:
        pieces = _forecast_or_average(task, values, first, config)
    return _product_fit(task, pieces, last_sale, time.perf_counter() - started)


def fallback_fit(task: ProductTask, config: DemandConfig, reason: str) -> ProductFit:
    """The recent daily average for a product whose fit failed; ``reason`` (e.g. "its fit
    failed (ValueError: …)") starts its note."""
    values = np.asarray(task.units, dtype="float64")
    first = np.datetime64(task.first_day, "D")
    pieces = _recent_average(values, first, config, task.product_id, reason)
    return _product_fit(task, pieces, _last_sale(values, first), 0.0)


def _last_sale(values: np.ndarray, first: np.datetime64) -> np.datetime64:
    """The day of the last sale in ``values`` (daily from ``first``), else ``first``."""
    sold = np.flatnonzero(values > 0)
    return first + _days(int(sold[-1])) if len(sold) else first


def _product_fit(
    task: ProductTask, pieces: _Pieces, last_sale: np.datetime64, seconds: float
) -> ProductFit:
    method, note, totals, cumulative, history, metrics = pieces
    return ProductFit(
        product_id=task.product_id,
        method=method,
        method_note=note,
        totals=totals,
        cumulative=cumulative,
        history=history,
        metrics=metrics,
        first_sale=task.first_day,
        last_sale=str(last_sale),
        seconds=round(seconds, 3),
    )


_Pieces = tuple[
    str,
    str,
    dict[Granularity, RunningTotals],
    RunningTotals,
    dict[Granularity, History],
    dict[str, Any],
]


def _forecast_or_average(
    task: ProductTask, values: np.ndarray, first: np.datetime64, config: DemandConfig
) -> _Pieces:
    """The total's method on the product's history; the recent average when it cannot fit."""
    from aktina_ml.forecasting.choice import Method
    from aktina_ml.forecasting.fit import build_forecast

    dates = pd.date_range(str(first), periods=len(values), freq="D")
    frame = pd.DataFrame({"date": dates, "amount": values})
    try:
        forecast = build_forecast(frame, config.product_forecast(), method=Method(**task.method))
    except Exception as exc:  # too flat, too sparse, a solver failure: said so, not hidden
        note = f"the {task.method['served']} forecast failed ({type(exc).__name__}: {exc})"
        return _recent_average(values, first, config, task.product_id, note)
    if forecast.cumulative is None:  # build_forecast always sets it
        raise ValueError("forecast without a cumulative total")
    metrics = {k: forecast.metrics.get(k) for k in HEADLINE_METRICS}
    served = forecast.metrics["served"]["model"]
    note = (
        f"{len(values)} days of sales: the total's method ({served}), backtested on "
        f"{metrics['folds']} folds"
    )
    if metrics.get("mase") is not None and metrics.get("mase_seasonal_naive") is not None:
        note += (
            f" (MASE {metrics['mase']:.2f}; seasonal naive {metrics['mase_seasonal_naive']:.2f})"
        )
    return served, note, forecast.totals, forecast.cumulative, forecast.history, metrics


def _recent_average(
    values: np.ndarray, first: np.datetime64, config: DemandConfig, product_id: int, why: str
) -> _Pieces:
    """The last days' daily average. Each sample path draws a level (the window resampled)
    and days (resampled, scaled to that level): the interval widens with the span."""
    window = values[-min(config.recent_days, len(values)) :]
    mean = float(window.mean())
    samples, horizon = config.forecast.interval_samples, DemandConfig.HORIZON_DAYS
    rng = np.random.default_rng(config.forecast.seed + product_id)
    levels = rng.choice(window, (samples, len(window))).mean(axis=1)
    scale = levels / mean if mean > 0 else np.ones(samples)
    paths = rng.choice(window, (horizon, samples)) * scale[None, :]
    note = (
        f"{why}: the daily average of the last {len(window)} days ({mean:.1f} units a day); "
        f"the {config.forecast.interval_width:.0%} interval resamples those days"
    )
    metrics = {"window_days": len(window), "daily_mean": round(mean, 4)}
    return (
        RECENT_AVERAGE,
        note,
        *_precomputed(np.full(horizon, mean), paths, values, first, config),
        metrics,
    )


def _zero(
    values: np.ndarray,
    first: np.datetime64,
    config: DemandConfig,
    quiet: int,
    last_sale: np.datetime64,
) -> _Pieces:
    horizon = DemandConfig.HORIZON_DAYS
    note = f"no sale in the last {quiet} days (last on {last_sale}): phased out, forecast 0"
    zeros = np.zeros(horizon)
    pieces = _precomputed(zeros, np.zeros((horizon, 1)), values, first, config)
    return PHASED_OUT, note, *pieces, {"days_without_sales": quiet}


def _precomputed(
    point: np.ndarray,
    paths: np.ndarray,
    values: np.ndarray,
    first: np.datetime64,
    config: DemandConfig,
) -> tuple[dict[Granularity, RunningTotals], RunningTotals, dict[Granularity, History]]:
    """Running totals per granularity and from the first forecast day, and recent history
    (as the artifacts of :func:`~aktina_ml.forecasting.fit.build_forecast` hold them)."""
    forecast_day = first + _days(len(values))
    width = config.forecast.interval_width
    totals = {
        g: running_totals(point, paths, period_keys(forecast_day, len(point), g), width)
        for g in GRANULARITIES
    }
    cumulative = running_totals(point, paths, np.zeros(len(point), dtype="int64"), width)
    recent = values[-config.forecast.history_days :]
    recent_first = first + _days(len(values) - len(recent))
    history = {g: period_history(recent_first, recent, g) for g in GRANULARITIES}
    return totals, cumulative, history


def _days(n: int) -> np.timedelta64:
    return np.timedelta64(n, "D")
