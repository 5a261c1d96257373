"""From daily sales to a serving artifact: backtest the candidates, choose, fit, precompute.

Used by scheduled training and by the ``aktina-ml forecast``/``backtest`` commands.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from prophet.serialize import model_to_json

from aktina_ml.forecasting import choice, prophet_model
from aktina_ml.forecasting.artifact import (
    GRANULARITIES,
    ForecastArtifact,
    day_labels,
    period_history,
)
from aktina_ml.forecasting.candidates import PROPHET, SEASONAL_NAIVE
from aktina_ml.forecasting.config import ForecastConfig


class NotEnoughHistoryError(ValueError):
    """The sales history is too short to fit (or to trust) a forecast."""


def prepare(daily: pd.DataFrame) -> pd.DataFrame:
    """Consecutive days (missing ones as 0), oldest first, finite amounts."""
    if daily.empty:
        raise NotEnoughHistoryError("no sales at all")
    per_day = daily.groupby(pd.to_datetime(daily["date"]).dt.normalize())["amount"].sum()
    days = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    amounts = per_day.reindex(days, fill_value=0.0).astype("float64")
    if not np.isfinite(amounts.to_numpy()).all():
        raise ValueError("sales amounts must be finite numbers")
    return pd.DataFrame({"date": days, "amount": amounts.to_numpy()})


def evaluate(
    history: pd.DataFrame, config: ForecastConfig, horizon: int | None = None
) -> choice.Choice:
    """Backtest every candidate (``horizon`` days per fold if given), choose, refit."""
    if horizon:
        config = replace(config, backtest_horizon_days=horizon)
    return choice.fit_and_choose(history, ForecastConfig.MAX_HORIZON_DAYS, config)


def metrics(chosen: choice.Choice, width: float) -> dict[str, Any]:
    """The backtest figures stored in the manifest and shown by the API and CLI.

    Top-level keys describe the served forecast (as before candidates competed); the
    ``candidates`` table has every candidate's figures; ``served`` says which and why.
    """
    row = chosen.table.get(chosen.served, {})
    naive = chosen.table.get(SEASONAL_NAIVE, {})
    coverage = row.get("coverage", {})
    return {
        "folds": chosen.folds,
        "horizon_days": chosen.horizon,
        "mase": row.get("mase"),
        "mase_seasonal_naive": naive.get("mase"),
        "smape": row.get("smape"),
        "smape_seasonal_naive": naive.get("smape"),
        "interval_width": width,
        "coverage": row.get("coverage_raw", {}).get("day"),
        "coverage_calibrated": coverage.get("day"),
        "coverage_calibrated_by_granularity": coverage,
        "interval_scale": chosen.scales["day"],
        "applied_scale": chosen.scales["day"],
        "mode_chosen_by": "backtest" if len(chosen.prophet_modes) > 1 else "setting",
        "served": chosen.summary(),
        "candidates": chosen.table,
    }


def build_forecast(
    daily: pd.DataFrame,
    forecast: ForecastConfig,
    *,
    horizon: int = ForecastConfig.MAX_HORIZON_DAYS,
    method: choice.Method | None = None,
) -> ForecastArtifact:
    """Backtest and choose (or follow ``method``), fit on the whole history and precompute
    ``horizon`` days."""
    history = prepare(daily)
    if len(history) < forecast.min_history_days:
        raise NotEnoughHistoryError(
            f"{len(history)} days of sales; at least {forecast.min_history_days} needed "
            "(AKTINA_FORECAST_MIN_HISTORY_DAYS)"
        )
    prophet_model.check_holidays_country(forecast.holidays_country)
    chosen = choice.fit_and_choose(history, horizon, forecast, method)
    last_day = np.datetime64(history["date"].iloc[-1].date(), "D")
    first_day = last_day + np.timedelta64(1, "D")
    recent = history.tail(forecast.history_days)
    recent_first = np.datetime64(recent["date"].iloc[0].date(), "D")
    recent_values = recent["amount"].to_numpy()
    return ForecastArtifact(
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        days=day_labels(first_day, horizon),
        totals=dict(chosen.totals(first_day, forecast.interval_width)),
        cumulative=chosen.cumulative(forecast.interval_width),
        history={g: period_history(recent_first, recent_values, g) for g in GRANULARITIES},
        metrics=metrics(chosen, forecast.interval_width),
        config=chosen.prophet.config.to_dict()
        | {"log_transform": chosen.prophet.log, "served": chosen.served},
        data_window={
            "first_day": str(history["date"].iloc[0].date()),
            "last_day": str(last_day),
            "days": len(history),
            "zero_days": int((history["amount"] == 0).sum()),
        },
        model_json=model_to_json(chosen.forecasts[PROPHET].fitted),
    )
