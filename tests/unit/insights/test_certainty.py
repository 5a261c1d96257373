"""How sure a span is: graded from its interval's width and the backtest, said in figures."""

from __future__ import annotations

import pytest

from aktina_ml.insights.certainty import Backtest, certainty, certainty_text
from aktina_ml.insights.numbers import compact

GOOD = Backtest(mase=0.7, coverage=0.79, coverage_basis="month", smape=8.0)


def test_a_narrow_interval_from_a_sound_backtest_is_high_and_says_its_figures():
    # Given 1.25 M forecast, 80 % likely between 1.1 M and 1.4 M (24 % wide), a good backtest
    level = certainty(1_250_000, 1_100_000, 1_400_000, 0.8, GOOD)
    text = certainty_text(1_100_000, 1_400_000, 0.8, GOOD)
    # Then it is "high", and the words carry the interval and the backtest's figures
    assert level == "high"
    assert text.startswith("80 % likely between 1.10 M and 1.40 M")
    assert "79 % of monthly totals fell inside" in text
    assert "off by 8 % on average" in text
    assert "0.70×" in text


@pytest.mark.parametrize(
    ("lower", "upper", "backtest", "expected"),
    [
        (900_000, 1_500_000, GOOD, "medium"),  # 48 % wide
        (500_000, 2_000_000, GOOD, "low"),  # 120 % wide
        (1_100_000, 1_400_000, Backtest(1.2, 0.8, "month", 8.0), "medium"),  # MASE
        (1_100_000, 1_400_000, Backtest(1.8, 0.8, "month", 8.0), "low"),
        (1_100_000, 1_400_000, Backtest(0.7, 0.7, "month", 8.0), "medium"),  # coverage short
        (1_100_000, 1_400_000, Backtest(0.7, 0.5, "month", 8.0), "low"),
        (1_100_000, 1_400_000, Backtest(None, None, None, None), "low"),  # no backtest
    ],
)
def test_the_certainty_is_the_worst_of_width_mase_and_coverage(lower, upper, backtest, expected):
    assert certainty(1_250_000, lower, upper, 0.8, backtest) == expected


def test_without_a_backtest_the_words_say_so():
    text = certainty_text(40, 80, 0.8, Backtest(None, None, None, None), in_units=True)
    assert text == (
        "80 % likely between 40 and 80; no backtest: the method is too simple to check on "
        "held-out data"
    )


def test_backtest_figures_are_read_from_a_forecasts_metrics():
    # Given metrics with monthly honest coverage, When read, Then monthly coverage is used
    metrics = {
        "mase": 0.81,
        "smape": 12.5,
        "coverage": 0.7,
        "coverage_calibrated": 0.78,
        "coverage_calibrated_by_granularity": {"day": 0.78, "week": 0.8, "month": 0.75},
    }
    assert Backtest.from_metrics(metrics) == Backtest(0.81, 0.75, "month", 12.5)
    # And without it, the day's calibrated coverage; a NaN counts as not measured
    assert Backtest.from_metrics({"mase": float("nan"), "coverage_calibrated": 0.8}) == Backtest(
        None, 0.8, "day", None
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_100_000, "1.10 M"),
        (59_976, "60.0 k"),
        (191_425, "191 k"),
        (999.9, "1.00 k"),
        (999_999, "1.00 M"),
        (42.5, "42.5"),
        (0.5, "0.50"),
    ],
)
def test_amounts_are_said_in_three_significant_figures(amount, words):
    assert compact(amount) == words
