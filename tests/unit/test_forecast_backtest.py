"""Backtest arithmetic: seasonal naive, MASE, sMAPE, fold plan, interval calibration."""

from __future__ import annotations

import numpy as np
import pytest

from aktina_ml.forecasting import backtest
from aktina_ml.forecasting.baseline import naive_scale, seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig


def test_seasonal_naive_repeats_the_last_week() -> None:
    # Given two weeks of history
    history = np.arange(14, dtype=float)
    # When forecasting 10 days
    forecast = seasonal_naive(history, 10)
    # Then each day repeats the same weekday of the last week
    assert forecast.tolist() == [7, 8, 9, 10, 11, 12, 13, 7, 8, 9]


def test_naive_scale_is_the_mean_weekly_difference() -> None:
    # Given a series rising by 1 a day
    history = np.arange(30, dtype=float)
    # Then the seasonal naive in-sample error is 7 every day
    assert naive_scale(history) == 7.0
    assert np.isnan(naive_scale(np.ones(5)))


def test_mase_and_smape_on_known_numbers() -> None:
    # Given actuals and a forecast off by 2 on every day, with an in-sample scale of 4
    actual = np.array([10.0, 0.0, 20.0, 0.0])
    forecast = np.array([12.0, 0.0, 18.0, 2.0])
    # Then MASE is mean |error| / scale, and sMAPE treats 0 vs 0 as perfect
    assert backtest.mase(actual, forecast, 4.0) == pytest.approx(1.5 / 4)
    expected = 100 * np.mean([4 / 22, 0.0, 4 / 38, 2.0])
    assert backtest.smape(actual, forecast) == pytest.approx(expected)
    assert np.isnan(backtest.mase(actual, forecast, 0.0))


def test_plan_places_folds_back_to_back_at_the_end() -> None:
    # Given 200 days, 30-day folds
    horizon, origins = backtest.plan(200, 30, 4)
    # Then the last fold ends on the last day and every fold keeps enough training days
    assert horizon == 30
    assert origins == [80, 110, 140, 170]
    # And a short history gets fewer folds, a shorter horizon, or none
    assert backtest.plan(80, 30, 4) == (30, [50])
    assert backtest.plan(40, 30, 4) == (12, [28])
    assert backtest.plan(30, 30, 4)[1] == []


def _fold(actual: np.ndarray, half_width: float) -> backtest.Fold:
    point = np.full_like(actual, 100.0)
    return backtest.Fold(
        origin=50,
        actual=actual,
        point=point,
        lower=point - half_width,
        upper=point + half_width,
        naive=np.full_like(actual, 90.0),
        scale=10.0,
    )


def test_interval_scale_stretches_too_narrow_intervals_to_the_nominal_level() -> None:
    # Given folds whose actuals lie 1..20 units from the point but intervals of ±5
    rng = np.random.default_rng(0)
    folds = [
        _fold(100 + rng.choice([-1, 1], 20) * np.arange(1.0, 21.0), half_width=5.0)
        for _ in range(3)
    ]
    # When summarising at 80 %
    metrics = backtest.summarize(folds, 0.8)
    # Then raw coverage is 25 % (|dev| <= 5), the scale brings 80 % of days inside,
    # and the leave-one-fold-out coverage of the scaled intervals is about 80 %
    assert metrics["coverage"] == pytest.approx(0.25)
    assert metrics["interval_scale"] == pytest.approx(np.quantile(np.arange(1, 21) / 5, 0.8))
    assert metrics["coverage_calibrated"] == pytest.approx(0.8, abs=0.05)
    assert metrics["mase"] == pytest.approx(10.5 / 10)


def test_interval_scale_is_bounded() -> None:
    # Given actuals exactly on the point forecast (nothing to learn from)
    folds = [_fold(np.full(10, 100.0), half_width=5.0)]
    # Then the scale stays at its lower limit instead of collapsing to 0
    assert backtest.summarize(folds, 0.8)["interval_scale"] == ForecastConfig.SCALE_LIMITS[0]
    assert backtest.summarize([], 0.8) == {"folds": 0}
