"""Fitting every candidate (real Prophet and statsmodels ETS), choosing one, calibrating it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from aktina_ml.forecasting import choice
from tests.support.forecast import forecast_config
from tests.support.series import synthetic_sales

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sales_forecasting_training.csv"
CONFIG = forecast_config(forecast_backtest_horizon_days=56, forecast_backtest_folds=6)


def _app_sample() -> pd.DataFrame:
    sample = pd.read_csv(SAMPLE, parse_dates=["date"])
    return sample.rename(columns=str.strip)[["date", "amount"]].astype({"amount": "float64"})


def _wandering_level(days: int = 300, seed: int = 3) -> pd.DataFrame:
    """A level that drifts as a random walk, a weekday pattern and small noise: the recent
    level is what matters, which ETS tracks and Prophet's few-changepoint trend cannot."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")
    weekday = np.array([50.0, 80.0, 90.0, 100.0, 140.0, -170.0, -300.0])[dates.weekday]
    level = 2000.0 + np.cumsum(rng.normal(0.0, 60.0, days))
    amount = level + weekday + rng.normal(0.0, 10.0, days)
    return pd.DataFrame({"date": dates, "amount": np.maximum(amount, 0.0)})


def test_prophet_alone_is_kept_on_the_near_deterministic_app_sample() -> None:
    # Given the app's sample, which Prophet's trend + weekday model fits almost exactly
    history = _app_sample()
    # When every candidate is backtested and one chosen
    chosen = choice.fit_and_choose(history, 90, CONFIG)
    # Then Prophet alone is served (averaging with ETS would only add error)
    assert chosen.served == "prophet", chosen.reason
    assert chosen.table["prophet"]["mase"] < 0.1 < chosen.table["combination"]["mase"]


def test_a_wandering_level_keeps_the_average_when_ets_leads_by_less_than_the_margin() -> None:
    # Given a wandering level, which ETS tracks better than Prophet (by about 15 % against
    # the average of all members on these folds: less than the 20 % a member alone needs)
    chosen = choice.fit_and_choose(_wandering_level(), 90, CONFIG)
    # Then the average of Prophet, ETS and Theta is served, and the reason gives the figures
    table = chosen.table
    assert table["ets"]["mase"] < table["combination"]["mase"] < table["prophet"]["mase"]
    assert chosen.served == "combination", chosen.reason
    assert chosen.reason.startswith("no member alone is clearly better than the average")
    assert "theta" in chosen.reason
    assert chosen.summary()["members"]["week"] == {
        "prophet": 0.3333,
        "ets": 0.3333,
        "theta": 0.3333,
    }


def test_the_same_history_and_seed_give_the_same_forecast() -> None:
    # Given one history, fitted twice with the same seed
    history = synthetic_sales(150).observed
    config = forecast_config(
        forecast_backtest_horizon_days=28,
        forecast_backtest_folds=2,
        forecast_interval_samples=200,
    )
    first, second = (choice.fit_and_choose(history, 60, config) for _ in range(2))
    # Then every candidate's point and sample paths, the choice and its scales are identical
    assert first.served == second.served
    assert first.scales == second.scales
    for name, forecast in first.forecasts.items():
        assert np.array_equal(forecast.point, second.forecasts[name].point)
        assert np.array_equal(forecast.paths, second.forecasts[name].paths)
