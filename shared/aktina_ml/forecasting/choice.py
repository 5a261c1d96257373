"""Fit every candidate, backtest them on the training history, choose and calibrate.

The one entry point of model fitting for training (and for benchmarks, which call it on a
history cut before their own held-out days).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from aktina_ml.forecasting import candidates, intervals, selection
from aktina_ml.forecasting.artifact import GRANULARITIES, Granularity, period_keys
from aktina_ml.forecasting.candidates import Forecast

YEAR_DAYS = 365


@dataclass(frozen=True)
class Choice:
    """The served candidate, why, its per-granularity interval scales, and every forecast."""

    served: str
    reason: str
    scales: dict[Granularity, float]
    forecasts: dict[str, Forecast]
    table: dict[str, dict[str, Any]]
    prophet_config: Any

    def served_totals(
        self, first_day: np.datetime64, width: float
    ) -> dict[Granularity, intervals.Totals]:
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


def prophet_config(n_days: int, settings: Any, *, samples: int | None = None) -> Any:
    from aktina_ml.forecasting import model

    mode = "additive" if settings.forecast_mode == "auto" else settings.forecast_mode
    config = model.config_for(n_days, settings, mode)
    return replace(config, samples=samples) if samples else config


def fold_config(final: Any, n_days: int, settings: Any, samples: int) -> Any:
    """The final model's configuration for a fold of ``n_days``: the backtest judges the
    model that will be served, so yearly seasonality stays on when the full history turns it
    on (and the fold has a year to fit it on); changepoints follow the fold's length."""
    derived = prophet_config(n_days, settings)
    return replace(
        final,
        weekly=derived.weekly,
        yearly=final.yearly and n_days >= YEAR_DAYS,
        changepoints=derived.changepoints,
        samples=samples,
    )


def fit_and_choose(
    history: pd.DataFrame,
    days: int,
    settings: Any,
    protocol: selection.Protocol,
    rule: selection.Rule,
    *,
    backtest_samples: int = 300,
) -> Choice:
    """Backtest all candidates on ``history`` (date, amount), choose, refit on all of it."""
    width = settings.forecast_interval_width
    seed = settings.forecast_seed

    final = prophet_config(len(history), settings)

    def forecaster(origin: int, horizon: int) -> dict[str, Forecast]:
        config = fold_config(final, origin, settings, backtest_samples)
        return candidates.forecast_all(
            history.iloc[:origin], horizon, config, samples=backtest_samples, seed=seed
        )

    values = history["amount"].to_numpy(dtype="float64")
    first_day = np.datetime64(history["date"].iloc[0].date(), "D")
    backtest = selection.run(values, first_day, protocol, forecaster, width)
    served, reason = selection.choose(backtest, rule)
    table = selection.summary(backtest, width)
    if served in table:
        scales: dict[Granularity, float] = dict(table[served]["interval_scale"])
    else:
        scales = dict.fromkeys(GRANULARITIES, 1.0)
    forecasts = candidates.forecast_all(
        history, days, final, samples=settings.forecast_interval_samples, seed=seed
    )
    return Choice(served, reason, scales, forecasts, table, final)
