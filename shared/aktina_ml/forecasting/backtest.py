"""Rolling-origin backtest: MASE, sMAPE and interval coverage against seasonal naive.

The history is cut at ``folds`` origins spaced ``horizon`` days apart, ending where the last
fold's horizon reaches the last day. Each fold fits on everything before its origin and
forecasts the next ``horizon`` days. MASE (mean absolute error over the in-sample seasonal
naive error) is the headline; sMAPE is reported too but explodes on days with zero sales.

Interval calibration: each held-out day gets the factor by which its interval (around the
point forecast) would have to be stretched to contain it; the ``width`` quantile of those
factors scales the final model's intervals. Its coverage is measured honestly by leaving
each fold out of the factor used on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from aktina_ml.forecasting.baseline import naive_scale, seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig

# (days of history to train on, days to forecast) -> (point, lower, upper), all clipped at 0.
Forecaster = Callable[[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Fold:
    """One origin: what happened and what each method forecast."""

    origin: int
    actual: np.ndarray
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    naive: np.ndarray
    scale: float


def plan(n_days: int, horizon: int, folds: int) -> tuple[int, list[int]]:
    """The horizon actually used and the fold origins (indices of each fold's first day)."""
    horizon = min(horizon, n_days - ForecastConfig.MIN_TRAIN_DAYS)
    if horizon < ForecastConfig.MIN_BACKTEST_HORIZON_DAYS:
        return horizon, []
    origins = [n_days - k * horizon for k in range(folds, 0, -1)]
    return horizon, [o for o in origins if o >= ForecastConfig.MIN_TRAIN_DAYS]


def run(values: np.ndarray, horizon: int, folds: int, forecaster: Forecaster) -> list[Fold]:
    """Backtest ``forecaster(train_length, days)`` on ``values`` (one value per day)."""
    values = np.asarray(values, dtype="float64")
    horizon, origins = plan(len(values), horizon, folds)
    result = []
    for origin in origins:
        train, actual = values[:origin], values[origin : origin + horizon]
        point, lower, upper = forecaster(origin, horizon)
        result.append(
            Fold(
                origin=origin,
                actual=actual,
                point=point,
                lower=lower,
                upper=upper,
                naive=seasonal_naive(train, horizon),
                scale=naive_scale(train),
            )
        )
    return result


def mase(actual: np.ndarray, forecast: np.ndarray, scale: float) -> float:
    if not scale > 0:
        return float("nan")
    return float(np.mean(np.abs(actual - forecast)) / scale)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in percent; a day where both are 0 counts as a perfect day."""
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(
        2 * np.abs(actual - forecast),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(100 * np.mean(ratio))


def stretch(fold: Fold) -> np.ndarray:
    """Per day: how many times its half-interval the actual lies from the point forecast."""
    above = fold.actual >= fold.point
    deviation = np.abs(fold.actual - fold.point)
    half = np.where(above, fold.upper - fold.point, fold.point - fold.lower)
    return np.divide(deviation, half, out=np.where(deviation > 0, np.inf, 0.0), where=half > 0)


def interval_scale(folds: list[Fold], width: float) -> float:
    """The factor that makes ``width`` of the held-out days fall inside the intervals."""
    factors = np.concatenate([stretch(f) for f in folds])
    return float(np.clip(np.quantile(factors, width), *ForecastConfig.SCALE_LIMITS))


def summarize(folds: list[Fold], width: float) -> dict[str, float | int | None]:
    """Metrics over all folds (means of per-fold MASE/sMAPE, pooled coverage)."""
    if not folds:
        return {"folds": 0}
    inside = np.concatenate([(f.actual >= f.lower) & (f.actual <= f.upper) for f in folds])
    metrics: dict[str, float | int | None] = {
        "folds": len(folds),
        "horizon_days": len(folds[0].actual),
        "mase": _mean([mase(f.actual, f.point, f.scale) for f in folds]),
        "mase_seasonal_naive": _mean([mase(f.actual, f.naive, f.scale) for f in folds]),
        "smape": _mean([smape(f.actual, f.point) for f in folds]),
        "smape_seasonal_naive": _mean([smape(f.actual, f.naive) for f in folds]),
        "interval_width": width,
        "coverage": round(float(np.mean(inside)), 4),
        "interval_scale": round(interval_scale(folds, width), 4),
        "coverage_calibrated": None,
    }
    if len(folds) > 1:
        covered = [
            stretch(f) <= interval_scale(folds[:i] + folds[i + 1 :], width)
            for i, f in enumerate(folds)
        ]
        metrics["coverage_calibrated"] = round(float(np.mean(np.concatenate(covered))), 4)
    return metrics


def _mean(values: list[float]) -> float | None:
    finite = [v for v in values if np.isfinite(v)]
    return round(float(np.mean(finite)), 4) if finite else None
