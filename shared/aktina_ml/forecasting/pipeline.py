"""From daily sales to a serving artifact: backtest, choose the mode, fit, precompute.

Used by scheduled training and by the ``aktina-ml forecast``/``backtest`` commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from prophet.serialize import model_to_json

from aktina_ml.forecasting import backtest, model
from aktina_ml.forecasting.artifact import (
    GRANULARITIES,
    ForecastArtifact,
    day_labels,
    period_history,
    period_keys,
    running_totals,
)
from aktina_ml.forecasting.config import ForecastConfig


class NotEnoughHistoryError(ValueError):
    """The sales history is too short to fit (or to trust) a forecast."""


@dataclass(frozen=True)
class Evaluation:
    """The backtest of every candidate configuration and the one chosen."""

    mode: model.Mode
    metrics: dict[str, Any]
    candidates: dict[model.Mode, dict[str, Any]]


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
) -> Evaluation:
    """Rolling-origin backtest of each candidate mode; the lowest MASE wins (additive on ties)."""
    horizon = horizon or config.backtest_horizon_days
    modes: tuple[model.Mode, ...] = model.MODES if config.mode == "auto" else (config.mode,)
    values = history["amount"].to_numpy()
    results: dict[str, dict[str, Any]] = {}
    for mode in modes:
        base = model.config_for(len(history), config, mode)

        def forecast(origin: int, days: int, base: model.ModelConfig = base) -> Any:
            fold_config = model.for_history(base, origin, config)
            return model.fit_predict(history.iloc[:origin], days, fold_config)

        folds = backtest.run(values, horizon, config.backtest_folds, forecast)
        results[mode] = backtest.summarize(folds, config.interval_width)
    chosen = min(modes, key=lambda m: _or_inf(results[m].get("mase")))
    candidates = {m: {k: results[m].get(k) for k in ("mase", "smape", "coverage")} for m in modes}
    metrics = results[chosen] | {"mode_chosen_by": "backtest" if len(modes) > 1 else "setting"}
    return Evaluation(mode=chosen, metrics=metrics, candidates=candidates)


def build_forecast(
    daily: pd.DataFrame,
    forecast: ForecastConfig,
    *,
    horizon: int = ForecastConfig.MAX_HORIZON_DAYS,
) -> ForecastArtifact:
    """Backtest, fit on the whole history and precompute ``horizon`` days for serving."""
    history = prepare(daily)
    if len(history) < forecast.min_history_days:
        raise NotEnoughHistoryError(
            f"{len(history)} days of sales; at least {forecast.min_history_days} needed "
            "(AKTINA_FORECAST_MIN_HISTORY_DAYS)"
        )
    model.check_holidays_country(forecast.holidays_country)
    evaluation = evaluate(history, forecast)
    config = model.config_for(len(history), forecast, evaluation.mode)
    fitted = model.fit(history, config)
    point, paths = model.sample(fitted, horizon, config.seed)
    scale = 1.0
    if forecast.calibrate_intervals and evaluation.metrics.get("folds"):
        scale = evaluation.metrics["interval_scale"]
    paths = model.calibrated(point, paths, scale)
    point = np.maximum(point, 0.0)

    last_day = np.datetime64(history["date"].iloc[-1].date(), "D")
    first_day = last_day + 1
    totals = {
        g: running_totals(point, paths, period_keys(first_day, horizon, g), config.interval_width)
        for g in GRANULARITIES
    }
    recent = history.tail(forecast.history_days)
    recent_first = np.datetime64(recent["date"].iloc[0].date(), "D")
    recent_values = recent["amount"].to_numpy()
    return ForecastArtifact(
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        days=day_labels(first_day, horizon),
        totals=totals,
        history={g: period_history(recent_first, recent_values, g) for g in GRANULARITIES},
        metrics=evaluation.metrics | {"candidates": evaluation.candidates, "applied_scale": scale},
        config=config.to_dict(),
        data_window={
            "first_day": str(history["date"].iloc[0].date()),
            "last_day": str(last_day),
            "days": len(history),
            "zero_days": int((history["amount"] == 0).sum()),
        },
        model_json=model_to_json(fitted),
    )


def _or_inf(value: float | None) -> float:
    return float("inf") if value is None else value
