"""The seasonal naive baseline and the accuracy measures scaled by it (MASE, sMAPE)."""

from __future__ import annotations

import numpy as np
import pytest

from aktina_ml.forecasting.baseline import mase, naive_scale, seasonal_naive, smape


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
    assert mase(actual, forecast, 4.0) == pytest.approx(1.5 / 4)
    expected = 100 * np.mean([4 / 22, 0.0, 4 / 38, 2.0])
    assert smape(actual, forecast) == pytest.approx(expected)
    assert np.isnan(mase(actual, forecast, 0.0))
