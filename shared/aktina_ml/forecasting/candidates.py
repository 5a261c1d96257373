"""The forecasters that compete at training: Prophet, damped ETS, their average, seasonal naive.

Each returns a :class:`Forecast`: the point forecast and predictive sample paths for the
days after the history, unclipped (interval calibration scales deviations first). The
combination is the equal-weight average of Prophet and ETS, path by path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aktina_ml.forecasting import ets
from aktina_ml.forecasting.baseline import SEASON, seasonal_naive

PROPHET, ETS, COMBINATION, SEASONAL_NAIVE = "prophet", "ets", "combination", "seasonal_naive"
CANDIDATES: tuple[str, ...] = (PROPHET, ETS, COMBINATION, SEASONAL_NAIVE)


@dataclass(frozen=True)
class Forecast:
    """Point forecast ``(days,)`` and sample paths ``(days, samples)`` of one candidate."""

    point: np.ndarray
    paths: np.ndarray


def prophet_forecast(history: pd.DataFrame, days: int, config: object) -> Forecast:
    """Prophet as configured for the history (see :mod:`aktina_ml.forecasting.model`)."""
    from aktina_ml.forecasting import model

    assert isinstance(config, model.ModelConfig)
    point, paths = model.sample(model.fit(history, config), days, config.seed)
    return Forecast(np.asarray(point, "float64"), np.asarray(paths, "float64"))


def ets_forecast(values: np.ndarray, days: int, *, samples: int, seed: int) -> Forecast:
    point, paths = ets.forecast(values, days, samples=samples, seed=seed)
    return Forecast(point, paths)


def combination(first: Forecast, second: Forecast) -> Forecast:
    """Equal-weight average of two forecasts (paths paired by index)."""
    samples = min(first.paths.shape[1], second.paths.shape[1])
    return Forecast(
        point=(first.point + second.point) / 2,
        paths=(first.paths[:, :samples] + second.paths[:, :samples]) / 2,
    )


def seasonal_naive_forecast(values: np.ndarray, days: int, *, samples: int, seed: int) -> Forecast:
    """Last week repeated; paths add resampled in-sample week-on-week changes."""
    y = np.asarray(values, dtype="float64")
    point = seasonal_naive(y, days)
    changes = y[SEASON:] - y[:-SEASON] if len(y) > SEASON else np.zeros(1)
    rng = np.random.default_rng(seed)
    return Forecast(point, point[:, None] + rng.choice(changes, size=(days, samples)))


def forecast_all(
    history: pd.DataFrame, days: int, prophet_config: object, *, samples: int, seed: int
) -> dict[str, Forecast]:
    """Every candidate's forecast of the ``days`` days after ``history`` (date, amount)."""
    values = history["amount"].to_numpy(dtype="float64")
    prophet = prophet_forecast(history, days, prophet_config)
    damped = ets_forecast(values, days, samples=samples, seed=seed)
    return {
        PROPHET: prophet,
        ETS: damped,
        COMBINATION: combination(prophet, damped),
        SEASONAL_NAIVE: seasonal_naive_forecast(values, days, samples=samples, seed=seed),
    }


def points(forecasts: Mapping[str, Forecast]) -> dict[str, np.ndarray]:
    return {name: f.point for name, f in forecasts.items()}
