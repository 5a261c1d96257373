"""Prophet setup on synthetic sales with a known truth: accuracy, intervals, reproducibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from prophet.serialize import model_from_json

from aktina_ml.config import ConfigError
from aktina_ml.forecasting import prophet_config, prophet_model
from aktina_ml.forecasting.artifact import period_keys
from aktina_ml.forecasting.baseline import seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.fit import NotEnoughHistoryError, build_forecast
from tests.support.forecast import HISTORY_DAYS, forecast_config, synthetic, synthetic_artifact
from tests.support.series import synthetic_sales


def test_seasonality_switches_on_as_the_history_allows() -> None:
    settings = forecast_config()
    # Given histories of 10 days, 1 year and 2 years
    short, year, two_years = (prophet_config.config_for(n, settings) for n in (10, 365, 730))
    # Then weekly needs 2 weeks, yearly 2 years, and changepoints grow about monthly
    assert (short.weekly, short.yearly) == (False, False)
    assert (year.weekly, year.yearly) == (True, False)
    assert (two_years.weekly, two_years.yearly) == (True, True)
    assert short.changepoints == 1
    assert year.changepoints == 10
    assert prophet_config.config_for(3000, settings).changepoints == ForecastConfig.MAX_CHANGEPOINTS


def test_forecast_recovers_the_noise_free_signal_and_beats_seasonal_naive() -> None:
    # Given two years of noisy history (noise sd 60) and the true signal after it
    artifact = synthetic_artifact()
    history, truth = synthetic().split(HISTORY_DAYS)
    forecast = artifact.totals["day"].point
    # When comparing the next 90 days with the noise-free truth
    error = np.mean(np.abs(forecast[:90] - truth[:90]))
    naive = np.mean(np.abs(seasonal_naive(history["amount"].to_numpy(), 90) - truth[:90]))
    # Then the forecast is far closer than the noise level and than seasonal naive
    assert error < 30, error
    assert error < 0.5 * naive
    # And the backtest says the same, with calibrated 80 % intervals
    metrics = artifact.metrics
    assert metrics["folds"] == ForecastConfig().backtest_folds
    assert metrics["mase"] < 0.8 * metrics["mase_seasonal_naive"]
    assert 0.7 <= metrics["coverage_calibrated"] <= 0.9
    assert artifact.config["yearly"]
    assert artifact.config["weekly"]
    assert artifact.config["mode"] == "additive"  # the synthetic effects are additive


def test_future_actuals_fall_inside_the_intervals_about_as_often_as_promised() -> None:
    # Given the synthetic series, whose future observed values are known
    artifact = synthetic_artifact()
    observed = synthetic().observed["amount"].to_numpy()[HISTORY_DAYS : HISTORY_DAYS + 90]
    day = artifact.totals["day"]
    # Then roughly 80 % of the next 90 observed days are inside the daily 80 % intervals
    inside = np.mean((observed >= day.lower[:90]) & (observed <= day.upper[:90]))
    assert 0.65 <= inside <= 0.95, inside


@pytest.mark.parametrize("granularity", ["week", "month"])
def test_period_intervals_match_an_independent_monte_carlo_of_the_saved_model(
    granularity: str,
) -> None:
    # Given the artifact, which serves Prophet alone here, and the model it carries as JSON
    artifact = synthetic_artifact()
    assert artifact.metrics["served"]["model"] == "prophet"
    scale = artifact.metrics["served"]["interval_scales"][granularity]
    fitted = model_from_json(artifact.model_json)
    # When drawing fresh sample paths with another seed and summing them per period
    point, paths = prophet_model.sample(fitted, 120, seed=12345)
    keys = period_keys(np.datetime64(artifact.days[0]), 120, granularity)
    totals = artifact.totals[granularity]
    checked = 0
    for key in np.unique(keys)[1:-1]:  # whole periods only
        days = np.flatnonzero(keys == key)
        centre = np.maximum(point[days], 0.0).sum()
        low, high = np.quantile(paths[days].sum(axis=0), [0.1, 0.9])
        # (the granularity's backtest calibration stretches the interval around the point)
        lower, upper = centre - scale * (centre - low), centre + scale * (high - centre)
        width = upper - lower
        # Then the stored bounds agree with the fresh Monte-Carlo within sampling error
        assert totals.lower[days[-1]] == pytest.approx(lower, abs=0.1 * width)
        assert totals.upper[days[-1]] == pytest.approx(upper, abs=0.1 * width)
        # And they are never wider than the sum of the daily bounds (perfectly correlated days)
        summed = artifact.totals["day"].upper[days].sum() - artifact.totals["day"].lower[days].sum()
        assert width <= 1.05 * summed
        checked += 1
    assert checked >= 2


def test_same_data_gives_the_same_forecast_and_intervals() -> None:
    # Given a short history fitted twice with the same settings
    history = synthetic_sales(120, seed=3).observed
    config = prophet_config.config_for(len(history), forecast_config())
    # When forecasting twice (with other code using numpy's global RNG in between)
    first = prophet_model.fit_predict(history, 30, config)
    np.random.seed(999)
    second = prophet_model.fit_predict(history, 30, config)
    # Then every value and bound is identical, and the caller's RNG state was left alone
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert np.random.get_state()[1][0] == np.random.RandomState(999).get_state()[1][0]


def test_forecasts_and_bounds_are_never_negative() -> None:
    # Given sales that decline towards zero with many zero days
    days = pd.date_range("2024-01-01", periods=100, freq="D")
    amounts = np.maximum(
        0, np.linspace(500, -100, 100) + np.random.default_rng(1).normal(0, 40, 100)
    )
    history = pd.DataFrame({"date": days, "amount": amounts})
    config = prophet_config.config_for(len(history), forecast_config())
    # When forecasting 60 days of a falling trend
    point, lower, upper = prophet_model.fit_predict(history, 60, config)
    # Then nothing is below zero, and the trend really did reach zero
    assert min(point.min(), lower.min(), upper.min()) >= 0
    assert point[-1] == 0


def test_too_little_history_and_unknown_holiday_country_are_refused() -> None:
    history = synthetic_sales(60).observed
    with pytest.raises(NotEnoughHistoryError, match="60 days"):
        build_forecast(history, forecast_config())
    with pytest.raises(ConfigError, match="HOLIDAYS_COUNTRY"):
        prophet_model.check_holidays_country("XX")
    prophet_model.check_holidays_country("UG")


def test_the_running_total_from_the_first_day_gives_any_span_with_its_interval() -> None:
    # Given the forecast built on two years of history
    artifact = synthetic_artifact()
    cumulative = artifact.cumulative
    assert cumulative is not None
    # Then the total of the next 30 and 90 days is the sum of the daily points up to then
    daily = artifact.totals["day"].point
    for days in (30, 90):
        assert cumulative.point[days - 1] == pytest.approx(daily[:days].sum())
    # And each span's interval holds its point and widens as the span grows
    assert (cumulative.lower <= cumulative.point).all()
    assert (cumulative.point <= cumulative.upper).all()
    widths = cumulative.upper - cumulative.lower
    assert widths[89] > widths[29] > 0
