"""The forecasters of training: Prophet, damped ETS, Theta, their combination, seasonal naive.

Each returns a :class:`Forecast`: the point forecast and predictive sample paths for the
days after the history, unclipped (interval calibration scales deviations first). The
combination is the equal-weight average of the members (:data:`MEMBERS`), path by path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.forecasting import ets, parallel, theta
from aktina_ml.forecasting.baseline import seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig

if TYPE_CHECKING:  # (pandas: a posted series served by ETS never loads it)
    import pandas as pd

    from aktina_ml.forecasting.prophet_model import ModelConfig

PROPHET, ETS, THETA = "prophet", "ets", "theta"
COMBINATION, SEASONAL_NAIVE = "combination", "seasonal_naive"
MEMBERS: tuple[str, ...] = (PROPHET, ETS, THETA)  # what the combination averages
CANDIDATES: tuple[str, ...] = (*MEMBERS, COMBINATION, SEASONAL_NAIVE)


@dataclass(frozen=True)
class Forecast:
    """Point forecast ``(days,)`` and sample paths ``(days, samples)`` of one candidate;
    ``fitted`` is the fitted Prophet model for Prophet's own forecast."""

    point: np.ndarray
    paths: np.ndarray
    fitted: Any = None


@dataclass(frozen=True)
class ProphetSetup:
    """Prophet's configuration, fitted on the amounts or on ``log(amount + offset)``.

    The log variant makes every effect multiplicative and keeps forecasts positive (a
    weekday that always sells is never forecast at 0); the backtest decides whether it fits
    better than additive or multiplicative seasonality.
    """

    config: ModelConfig
    log: bool = False

    @property
    def variant(self) -> str:
        return "log" if self.log else self.config.mode


def log_offset(values: np.ndarray) -> float:
    """The shift that makes zero-sales days finite in log space (5 % of the mean)."""
    mean = float(np.mean(values)) if len(values) else 0.0
    return 0.05 * mean if mean > 0 else 1.0


def prophet_forecast(history: pd.DataFrame, days: int, setup: ProphetSetup) -> Forecast:
    """Prophet as configured for the history (see :mod:`aktina_ml.forecasting.prophet_model`)."""
    from aktina_ml.forecasting import prophet_model

    if not setup.log:
        fitted = prophet_model.fit(history, setup.config)
        point, paths = prophet_model.sample(fitted, days, setup.config.seed)
        return Forecast(np.asarray(point, "float64"), np.asarray(paths, "float64"), fitted)
    values = history["amount"].to_numpy(dtype="float64")
    offset = log_offset(values)
    logged = history.assign(amount=np.log(np.maximum(values, 0.0) + offset))
    fitted = prophet_model.fit(logged, setup.config)
    point, paths = prophet_model.sample(fitted, days, setup.config.seed)
    ceiling = np.log(100.0 * (values.max(initial=0.0) + offset))  # no overflow on a wild trend
    return Forecast(
        np.exp(np.minimum(point, ceiling)) - offset,
        np.exp(np.minimum(paths, ceiling)) - offset,
        fitted,
    )


def ets_forecast(values: np.ndarray, days: int, *, samples: int, seed: int) -> Forecast:
    point, paths = ets.forecast(values, days, samples=samples, seed=seed)
    return Forecast(point, paths)


def theta_forecast(values: np.ndarray, days: int, *, samples: int, seed: int) -> Forecast:
    point, paths = theta.forecast(values, days, samples=samples, seed=seed)
    return Forecast(point, paths)


def combination(*members: Forecast, weights: Sequence[float] | None = None) -> Forecast:
    """Weighted average of forecasts (equal weights by default; paths paired by index)."""
    w = np.full(len(members), 1.0 / len(members)) if weights is None else np.asarray(weights)
    samples = min(m.paths.shape[1] for m in members)
    return Forecast(
        point=np.tensordot(w, np.stack([m.point for m in members]), axes=1),
        paths=np.tensordot(w, np.stack([m.paths[:, :samples] for m in members]), axes=1),
    )


def seasonal_naive_forecast(values: np.ndarray, days: int, *, samples: int, seed: int) -> Forecast:
    """Last week repeated; paths add resampled in-sample week-on-week changes."""
    y = np.asarray(values, dtype="float64")
    point = seasonal_naive(y, days)
    season = ForecastConfig.SEASON
    changes = y[season:] - y[:-season] if len(y) > season else np.zeros(1)
    rng = np.random.default_rng(seed)
    return Forecast(point, point[:, None] + rng.choice(changes, size=(days, samples)))


def with_mode(name: str, mode: str) -> str:
    """The key of a Prophet-based candidate when several Prophet modes compete."""
    return f"{name}:{mode}"


def forecast_all(
    history: pd.DataFrame,
    days: int,
    prophets: Sequence[ProphetSetup],
    *,
    samples: int,
    seed: int,
) -> dict[str, Forecast]:
    """Every candidate's forecast of the ``days`` days after ``history`` (date, amount).

    With one Prophet setup the keys are :data:`CANDIDATES`; with several (additive,
    multiplicative, log), Prophet and the combination appear once per variant, keyed by
    :func:`with_mode`.
    """
    values = history["amount"].to_numpy(dtype="float64")

    def statistical() -> tuple[Forecast, Forecast, Forecast]:
        return (
            ets_forecast(values, days, samples=samples, seed=seed),
            theta_forecast(values, days, samples=samples, seed=seed),
            seasonal_naive_forecast(values, days, samples=samples, seed=seed),
        )

    # Prophet's fits (CmdStan processes) run beside ETS and Theta: the same numbers
    fits = [partial(prophet_forecast, history, days, setup) for setup in prophets]
    fitted, (damped, drift, naive) = parallel.beside(fits, statistical)
    result = {ETS: damped, THETA: drift, SEASONAL_NAIVE: naive}
    several = len(prophets) > 1
    for setup, prophet in zip(prophets, fitted, strict=True):
        result[with_mode(PROPHET, setup.variant) if several else PROPHET] = prophet
        key = with_mode(COMBINATION, setup.variant) if several else COMBINATION
        result[key] = combination(prophet, damped, drift)
    return result
