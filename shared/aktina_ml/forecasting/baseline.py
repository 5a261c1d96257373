"""Seasonal naive: each day repeats the same weekday of the last observed week."""

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
