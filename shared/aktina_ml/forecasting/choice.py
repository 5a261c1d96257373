"""Fit every candidate, backtest them on the training history, choose one and calibrate it.

The one entry point of model fitting for training (and for benchmarks, which call it on a
history cut before their own held-out days). With ``AKTINA_FORECAST_MODE=auto`` Prophet is
fitted in both modes in every fold and the mode with the lower backtest MASE is "Prophet"
(the combination then averages that mode with ETS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from aktina_ml.forecasting import backtest, candidates, intervals, parallel, prophet_config
from aktina_ml.forecasting.artifact import GRANULARITIES, Granularity, RunningTotals, period_keys
from aktina_ml.forecasting.candidates import (
    COMBINATION,
    MEMBERS,
    PROPHET,
    Forecast,
    ProphetSetup,
    with_mode,
)
from aktina_ml.forecasting.config import ForecastConfig

YEAR_DAYS = 365
# How Prophet may model the effects with mode "auto". Multiplicative seasonality is left to
# the setting: it misfits additive patterns badly, and the log variant gives proportional
# effects (and positive forecasts) at one Prophet fit per fold less.
VARIANTS = ("additive", "log")


@dataclass(frozen=True)
class Choice:
    """The served candidate, why, its per-granularity interval scales, and every forecast."""

    served: str
    reason: str
    scales: dict[Granularity, float]
    forecasts: dict[str, Forecast]
    table: dict[str, dict[str, Any]]
    prophet: ProphetSetup
    prophet_modes: dict[str, float | None]
    horizon: int
    folds: int

    def totals(self, first_day: np.datetime64, width: float) -> dict[Granularity, RunningTotals]:
        """The served forecast's running period totals and calibrated intervals."""
        forecast = self.forecasts[self.served]
        days = len(forecast.point)
        return {
            g: intervals.running_totals(
                forecast.point,
                forecast.paths,
                period_keys(first_day, days, g),
                width,
                self.scales[g],
            )
            for g in GRANULARITIES
        }

    def cumulative(self, width: float) -> RunningTotals:
        """The served forecast's running total from its first day through each day, with the
        month's calibration (spans such as the next 30 or 90 days are read off it)."""
        forecast = self.forecasts[self.served]
        keys = np.zeros(len(forecast.point), dtype="int64")
        return intervals.running_totals(
            forecast.point, forecast.paths, keys, width, self.scales["month"]
        )

    def weights(self) -> dict[str, float]:
        """The served forecast's members and their weights (one member alone: weight 1)."""
        if self.served == COMBINATION:
            return {m: round(1 / len(MEMBERS), 4) for m in MEMBERS}
        return {self.served: 1.0}

    def summary(self) -> dict[str, Any]:
        """What the manifest, GET /models and GET /forecast say about the choice."""
        return {
            "model": self.served,
            "reason": self.reason,
            "members": dict.fromkeys(GRANULARITIES, self.weights()),
            "interval_scales": {g: round(s, 4) for g, s in self.scales.items()},
            "prophet_mode": self.prophet.variant,
            "prophet_modes_mase": self.prophet_modes,
            "backtest_folds": self.folds,
            "backtest_horizon_days": self.horizon,
        }


def fold_setup(
    final: ProphetSetup, n_days: int, config: ForecastConfig, samples: int
) -> ProphetSetup:
    """The final model's setup for a fold of ``n_days``: the backtest judges the model that
    will be served, so yearly seasonality stays on when the full history turns it on (and
    the fold has a year to fit it on); changepoints follow the fold's length."""
    derived = prophet_config.config_for(n_days, config, final.config.mode)
    fold = replace(
        final.config,
        weekly=derived.weekly,
        yearly=final.config.yearly and n_days >= YEAR_DAYS,
        changepoints=derived.changepoints,
        samples=samples,
    )
    return replace(final, config=fold)


@dataclass(frozen=True)
class Method:
    """A choice made elsewhere: the candidate to serve and the Prophet variant it uses (the
    per-segment forecasts follow the total's)."""

    served: str
    variant: str


def prophet_setups(
    n_days: int, config: ForecastConfig, variants: tuple[str, ...] | None = None
) -> dict[str, ProphetSetup]:
    """The Prophet variants that compete: additive and log with ``mode=auto``, else the one
    set (or exactly ``variants``)."""
    if variants is None:
        variants = VARIANTS if config.mode == "auto" else (config.mode,)
    setups = {}
    for variant in variants:
        mode: prophet_config.Mode = "multiplicative" if variant == "multiplicative" else "additive"
        setups[variant] = ProphetSetup(
            prophet_config.config_for(n_days, config, mode), log=variant == "log"
        )
    return setups


def fit_and_choose(
    history: pd.DataFrame, days: int, config: ForecastConfig, method: Method | None = None
) -> Choice:
    """Backtest all candidates on ``history`` (date, amount), choose, refit on all of it.

    With ``method`` only its Prophet variant is fitted and its candidate is served; the
    backtest then only measures it (and the others, for the table)."""
    finals = prophet_setups(len(history), config, (method.variant,) if method else None)
    variants = list(finals)
    samples = ForecastConfig.BACKTEST_SAMPLES

    def forecaster(origin: int, horizon: int) -> dict[str, Forecast]:
        setups = [fold_setup(finals[v], origin, config, samples) for v in variants]
        return candidates.forecast_all(
            history.iloc[:origin], horizon, setups, samples=samples, seed=config.seed
        )

    values = history["amount"].to_numpy(dtype="float64")
    first_day = np.datetime64(history["date"].iloc[0].date(), "D")
    protocol = backtest.Protocol.of(config)
    scored = backtest.run(
        values, first_day, protocol, forecaster, config.interval_width, parallel.cpus()
    )
    variant = variants[0]
    prophet_modes: dict[str, float | None] = {variant: None}
    if len(variants) > 1:
        prophet_modes = {v: _rounded(scored.mean_mase(with_mode(PROPHET, v))) for v in variants}
        variant = min(variants, key=lambda v: scored.mean_mase(with_mode(PROPHET, v)))
        scored = scored.renamed(
            {with_mode(PROPHET, variant): PROPHET, with_mode(COMBINATION, variant): COMBINATION}
            | {n: n for n in (candidates.ETS, candidates.THETA, candidates.SEASONAL_NAIVE)}
        )
    served, reason = (
        (method.served, "the total forecast's method")
        if method
        else backtest.choose(scored, backtest.Rule.of(config))
    )
    table = backtest.summary(scored, config.interval_width)
    scales: dict[Granularity, float] = dict.fromkeys(GRANULARITIES, 1.0)
    if config.calibrate_intervals and served in table:
        scales = dict(cast("dict[Granularity, float]", table[served]["interval_scale"]))
    forecasts = candidates.forecast_all(
        history, days, [finals[variant]], samples=config.interval_samples, seed=config.seed
    )
    return Choice(
        served=served,
        reason=reason,
        scales=scales,
        forecasts=forecasts,
        table=table,
        prophet=finals[variant],
        prophet_modes=prophet_modes,
        horizon=scored.horizon,
        folds=len(scored.origins),
    )


def _rounded(value: float) -> float | None:
    return round(value, 4) if np.isfinite(value) else None
