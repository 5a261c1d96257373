"""Seasonal naive (each day repeats the same weekday of the last observed week) and the
accuracy measures: MASE (mean absolute error over the in-sample seasonal naive error) is the
headline; sMAPE is reported too but explodes on days with zero sales."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting.config import ForecastConfig


def seasonal_naive(
    history: np.ndarray, days: int, season: int = ForecastConfig.SEASON
) -> np.ndarray:
    """Forecast ``days`` values after ``history`` by repeating its last ``season`` values."""
    values = np.asarray(history, dtype="float64")
    if len(values) < season:
        return np.full(days, values[-1] if len(values) else 0.0)
    return np.resize(values[-season:], days)


def naive_scale(history: np.ndarray, season: int = ForecastConfig.SEASON) -> float:
    """MASE denominator: in-sample mean absolute error of the seasonal naive forecast."""
    values = np.asarray(history, dtype="float64")
    if len(values) <= season:
        return float("nan")
    return float(np.mean(np.abs(values[season:] - values[:-season])))


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
