"""fit_product: the method each product's history allows, said in words, with honest intervals."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from aktina_ml.demand.config import DemandConfig
from aktina_ml.demand.fit import PHASED_OUT, RECENT_AVERAGE, ProductTask, fit_product

LAST_DAY = date(2026, 12, 6)
METHOD = {"served": "combination", "variant": "additive"}


def task(units: np.ndarray, product_id: int = 1, method: dict | None = None) -> ProductTask:
    first = LAST_DAY - timedelta(days=len(units) - 1)
    return ProductTask(
        product_id=product_id,
        first_day=str(first),
        last_day=str(LAST_DAY),
        units=tuple(int(u) for u in units),
        method=method or METHOD,
    )


def weekly_units(days: int, level: float = 20.0, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    weekly = np.array([1.0, 1.1, 1.1, 1.2, 1.4, 0.7, 0.5])
    return rng.poisson(level * np.resize(weekly, days))


def test_a_launch_gets_the_recent_average_and_the_note_says_so():
    # Given a product on sale for 23 days at about 10 a day
    units = np.random.default_rng(2).poisson(10, 23)
    # When fit
    fit = fit_product(task(units), DemandConfig())
    # Then the method and its note say what was done and why
    assert fit.method == RECENT_AVERAGE
    assert fit.method_note.startswith("23 days of sales since launch")
    assert "daily average of the last 23 days" in fit.method_note
    # And the next 30 days' total is about 30 × the average, inside a real interval
    point, lower, upper = (
        fit.cumulative.point[29],
        fit.cumulative.lower[29],
        fit.cumulative.upper[29],
    )
    assert point == pytest.approx(30 * units.mean())
    assert lower < point < upper
    # And the interval widens with the span (the level itself is uncertain)
    width = fit.cumulative.upper - fit.cumulative.lower
    assert width[89] > width[29] > width[6]
    assert fit.first_sale == str(LAST_DAY - timedelta(days=22))


def test_a_product_without_sales_for_the_phased_out_days_forecasts_zero():
    # Given a year of sales that stopped 75 days ago
    units = weekly_units(365)
    units[-75:] = 0
    # When fit
    fit = fit_product(task(units), DemandConfig(phased_out_days=60))
    # Then it is phased out: zero, and the note says since when
    assert fit.method == PHASED_OUT
    assert "no sale in the last 75 days" in fit.method_note
    assert fit.last_sale == str(LAST_DAY - timedelta(days=75))
    for running in (*fit.totals.values(), fit.cumulative):
        assert not running.point.any()
        assert not running.upper.any()


def test_enough_history_gets_the_totals_method_on_fewer_folds():
    # Given 200 days of weekly-patterned sales
    fit = fit_product(task(weekly_units(200)), DemandConfig())
    # Then the total's method was used and backtested on the segment folds
    assert fit.method == "combination"
    assert fit.metrics["folds"] == 2
    assert "the total's method (combination), backtested on 2 folds" in fit.method_note
    assert fit.cumulative.point[29] == pytest.approx(30 * 20 * 1.0, rel=0.25)
    assert len(fit.totals["month"].point) == DemandConfig.HORIZON_DAYS


def test_a_fit_that_fails_falls_back_to_the_recent_average_and_says_why():
    # Given a method the forecast does not know
    bad = {"served": "no_such_model", "variant": "additive"}
    fit = fit_product(task(weekly_units(200), method=bad), DemandConfig())
    # Then the product still gets a forecast, and the note names the failure
    assert fit.method == RECENT_AVERAGE
    assert fit.method_note.startswith("the no_such_model forecast failed")


def test_tasks_travel_as_json():
    original = task(weekly_units(30))
    assert ProductTask.from_dict(json.loads(json.dumps(original.to_dict()))) == original


def test_the_config_travels_as_json():
    config = DemandConfig(recent_days=14)
    assert DemandConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
