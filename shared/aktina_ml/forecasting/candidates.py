"""The forecasters of training: Prophet, damped ETS, Theta, their combination, seasonal naive.

Each returns a :class:`Forecast`: the point forecast and predictive sample paths for the
days after the history, unclipped (interval calibration scales deviations first). The
combination is the equal-weight average of the members (:data:`MEMBERS`), path by path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.forecasting import ets, parallel, prophet_direct, theta
from aktina_ml.forecasting.baseline import seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import ModelConfig

if TYPE_CHECKING:  # (pandas: a posted series never loads it)
    import pandas as pd

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

    fits = []

    def forecast(amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        fits.append(prophet_model.fit(history.assign(amount=amounts), setup.config))
        return prophet_model.sample(fits[-1], days, setup.config.seed)

    point, paths = _in_setup_space(history["amount"].to_numpy(dtype="float64"), setup, forecast)
    return Forecast(point, paths, fits[-1])


def series_prophet_forecast(
    first: date, values: np.ndarray, days: int, setup: ProphetSetup
) -> Forecast:
    """Prophet's forecast of one amount per day from ``first``, without importing Prophet
    or pandas where :mod:`~aktina_ml.forecasting.prophet_direct` gives Prophet's fit (a
    posted series); no fitted model is kept."""

    def forecast(amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if prophet_direct.supports(setup.config, amounts):
            fitted = prophet_direct.fit(first, amounts, setup.config)
            return prophet_direct.sample(fitted, days, setup.config.samples, setup.config.seed)
        import pandas as pd

        dates = pd.date_range(first, periods=len(amounts), freq="D")
        history = pd.DataFrame({"date": dates, "amount": amounts})
        fallback = prophet_forecast(history, days, replace(setup, log=False))
        return fallback.point, fallback.paths

    return Forecast(*_in_setup_space(np.asarray(values, dtype="float64"), setup, forecast))


def _in_setup_space(
    values: np.ndarray,
    setup: ProphetSetup,
    forecast: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """``forecast`` of the amounts, or of ``log(amount + offset)`` mapped back for the log
    variant (capped, so a wild trend cannot overflow)."""
    if not setup.log:
        point, paths = forecast(values)
        return np.asarray(point, "float64"), np.asarray(paths, "float64")
    offset = log_offset(values)
    point, paths = forecast(np.log(np.maximum(values, 0.0) + offset))
    ceiling = np.log(100.0 * (values.max(initial=0.0) + offset))
    return np.exp(np.minimum(point, ceiling)) - offset, np.exp(np.minimum(paths, ceiling)) - offset


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
