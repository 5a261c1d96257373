"""The quality gates' pure checks (the database cases are in tests/integration)."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting.gate import ForecastEvidence, level_jump
from aktina_ml.forecasting.gate import check as check_forecast
from aktina_ml.quality_gate import recent_sales_gap
from aktina_ml.segmentation.gate import SegmentationEvidence
from aktina_ml.segmentation.gate import check as check_segmentation

RNG = np.random.default_rng(1)
DAILY = RNG.gamma(4, 250, 400)  # a year and more of sales on every day
GOOD_BACKTEST = {"mase": 0.8, "mase_seasonal_naive": 1.0}


def segmentation(**changes: object) -> SegmentationEvidence:
    base = SegmentationEvidence(
        retailers=500,
        retailers_with_sales=450,
        volume=np.array([0, 1, 2] * 10),
        daily_amounts=DAILY,
        previous_retailers=480,
    )
    return SegmentationEvidence(**(base.__dict__ | changes))


def gate_segmentation(evidence: SegmentationEvidence):
    return check_segmentation(evidence, max_retailer_drop=0.5, recent_zero_days=7)


def test_a_sound_segmentation_passes():
    verdict = gate_segmentation(segmentation())
    assert verdict.passed
    assert verdict.reason == "passed"


def test_segmentation_fails_on_retailer_collapse_no_sales_and_one_volume_class():
    assert "collapsed" in gate_segmentation(segmentation(retailers=200)).reason
    assert gate_segmentation(segmentation(previous_retailers=None, retailers=10)).passed
    no_sales = gate_segmentation(segmentation(retailers_with_sales=0, volume=np.zeros(30, int)))
    assert "AKTINA_SELLER_COMPANY" in no_sales.reason
    one_class = gate_segmentation(segmentation(volume=np.full(30, 2)))
    assert "one volume class (high)" in one_class.reason


def test_a_trailing_gap_fails_only_when_the_history_makes_it_unlikely():
    # Sales every day, then 45 days of nothing: a gap
    missing = np.r_[DAILY[:-45], np.zeros(45)]
    assert "last 45 days have no sales although 100%" in recent_sales_gap(missing, 7)
    # A few quiet days, or a seller who sells on one day in ten, is not a gap
    assert recent_sales_gap(np.r_[DAILY, np.zeros(3)], 7) is None
    sparse = np.where(np.arange(400) % 10 == 0, 100.0, 0.0)
    assert recent_sales_gap(np.r_[sparse, np.zeros(9)], 7) is None
    assert recent_sales_gap(np.zeros(100), 7) is None
    assert "have no sales" in gate_segmentation(segmentation(daily_amounts=missing)).reason


def gate_forecast(history: np.ndarray, forecast: np.ndarray, backtest=GOOD_BACKTEST):
    return check_forecast(ForecastEvidence(history, forecast, backtest), 3.0, 7)


def test_a_sound_forecast_passes():
    assert gate_forecast(DAILY, np.full(90, DAILY.mean())).passed


def test_forecast_fails_when_worse_than_seasonal_naive():
    verdict = gate_forecast(
        DAILY, np.full(90, DAILY.mean()), {"mase": 1.3, "mase_seasonal_naive": 1.1}
    )
    assert "worse than seasonal naive (MASE 1.300 vs 1.100)" in verdict.reason
    assert gate_forecast(DAILY, np.full(90, DAILY.mean()), {"folds": 0}).passed


def test_forecast_fails_on_a_level_far_outside_the_history():
    level = DAILY.mean()
    assert "far outside" in gate_forecast(DAILY, np.full(90, level * 10)).reason
    assert "far outside" in gate_forecast(DAILY, np.full(90, level / 20)).reason
    assert level_jump(DAILY, np.full(90, level * 1.5), 3.0) is None
    assert level_jump(DAILY[:10], np.full(90, level * 100), 3.0) is None


def test_a_recent_level_change_is_judged_against_the_year_before_it():
    # Given prices written ×1000 over the last 30 days, and a forecast that follows them
    shifted = np.r_[DAILY[:-30], DAILY[-30:] * 1000]
    forecast = np.full(90, DAILY.mean() * 856)
    # Then both the recent level and the forecast are far outside the year before the window
    assert "the last 30 days' sales level" in gate_forecast(shifted, forecast).reason
    assert "forecast level" in gate_forecast(DAILY, forecast).reason
    # A recent month within the ratio of the year before still passes
    assert gate_forecast(
        np.r_[DAILY[:-30], DAILY[-30:] * 1.8], np.full(90, DAILY.mean() * 1.8)
    ).passed


def test_segmentation_fails_when_buying_retailers_collapse():
    # Given a promoted model where 450 of 500 retailers bought
    # When every order is on one buyer
    one = gate_segmentation(segmentation(retailers_with_sales=1, previous_retailers_with_sales=450))
    # Then the collapse is named
    assert (
        "buying retailers collapsed: 1 of 500 retailers have sales, the promoted model has 450"
        in one.reason
    )
    # And with no promoted model, one buyer of many is refused too
    assert (
        "only 1 of 500 retailers" in gate_segmentation(segmentation(retailers_with_sales=1)).reason
    )
    # A moderate drop in buyers passes
    assert gate_segmentation(
        segmentation(retailers_with_sales=300, previous_retailers_with_sales=450)
    ).passed
