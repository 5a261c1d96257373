"""The page summary from the promoted models: every figure, its certainty, risk, trends and
recommendations follow the data (and change when it does)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from aktina_ml.api.summary_contract import SummaryResponse
from aktina_ml.insights.facts import ModelState
from aktina_ml.insights.summary import DemandModel, NoDemand, page_summary
from tests.support.demand_artifacts import (
    demand_artifact,
    forecast_artifact,
    product,
    segment,
    without_running_totals,
)

TODAY = date(2026, 12, 7)
FORECAST_STATE = ModelState("forecast", "v-forecast", "2026-12-07T03:00:00+00:00")
DEMAND_STATE = ModelState("demand", "v-demand", "2026-12-07T03:10:00+00:00")


def flat(value: float, days: int) -> np.ndarray:
    return np.full(days, float(value))


def steps(*parts: tuple[float, int]) -> np.ndarray:
    return np.concatenate([flat(value, days) for value, days in parts])


def revenue(history_level=10_000.0, forecast_level=11_000.0, **fields):
    return forecast_artifact(flat(history_level, 365), flat(forecast_level, 365), **fields)


def calm_products():
    return [product(1, flat(10, 365), flat(10, 365)), product(2, flat(20, 365), flat(20, 365))]


def lively_products():
    return [
        product(1, flat(10, 365), flat(10, 365)),
        # surging: 5 a day, 6 a day in the last 30 days, 12 a day forecast
        product(2, steps((5, 335), (6, 30)), flat(12, 365)),
        # falling: 20 a day, forecast 10
        product(3, flat(20, 365), flat(10, 365)),
        # launched 20 days ago: a recent average
        product(4, flat(3, 20), flat(3, 365), method="recent_average", method_note="20 days"),
    ]


def summary(forecast=None, demand=None, today=TODAY, state=FORECAST_STATE):
    forecast = forecast if forecast is not None else revenue()
    if demand is None:
        demand = DemandModel(demand_artifact(calm_products()), DEMAND_STATE)
    return page_summary(forecast, state, demand, today)


# --- revenue -------------------------------------------------------------------------------


def test_revenue_spans_hold_the_forecast_the_span_before_and_the_change():
    # Given 10,000 a day sold and 11,000 a day forecast
    answer = summary()["revenue"]
    month, quarter = answer["spans"]
    # Then the next 30 days and the next quarter each compare with the days just before
    assert (month["days"], month["start"], month["end"]) == (30, "2026-12-07", "2027-01-05")
    assert month["point"] == pytest.approx(330_000)
    assert month["previous"] == pytest.approx(300_000)
    assert (month["previous_start"], month["previous_end"]) == ("2026-11-07", "2026-12-06")
    assert month["change"] == pytest.approx(0.1)
    assert month["change_lower"] < month["change"] < month["change_upper"]
    assert month["lower"] < month["point"] < month["upper"]
    assert quarter["label"] == "next quarter (90 days)"
    assert quarter["point"] == pytest.approx(990_000)
    assert quarter["previous"] == pytest.approx(900_000)
    # And the certainty is derived from the interval and the backtest, in figures
    assert quarter["certainty"] == "high"
    assert quarter["certainty_text"].startswith("80 % likely between ")
    assert "off by 8 % on average" in quarter["certainty_text"]
    assert answer["backtest"]["mase"] == 0.7
    assert answer["interval_width"] == 0.8


def test_a_wider_interval_or_a_worse_backtest_lowers_the_certainty_and_changes_the_words():
    sure = summary()["revenue"]["spans"][1]
    wide = summary(revenue(spread=0.3))["revenue"]["spans"][1]
    worse = summary(revenue(metrics={"mase": 1.7, "smape": 30.0}))["revenue"]["spans"][1]
    assert (sure["certainty"], wide["certainty"], worse["certainty"]) == ("high", "low", "low")
    assert wide["certainty_text"] != sure["certainty_text"]
    assert "off by 30 %" in worse["certainty_text"]


def test_a_forecast_without_running_totals_says_revenue_is_unavailable_and_the_rest_answers():
    answer = summary(without_running_totals(revenue()))
    assert answer["revenue"]["status"] == "unavailable"
    assert "run training" in answer["revenue"]["reason"]
    assert answer["demand"]["status"] == "ok"


# --- demand --------------------------------------------------------------------------------


def test_units_next_month_in_total_and_per_product_with_the_largest_rise():
    # Given four products, one surging, one falling, one just launched
    answer = summary(demand=DemandModel(demand_artifact(lively_products()), DEMAND_STATE))
    demand = answer["demand"]
    assert demand["status"] == "ok"
    # Then the month's total is the products' sum, against the last 30 days
    assert demand["month"]["units"] == 30 * (10 + 12 + 10 + 3)
    assert demand["month"]["previous"] == 30 * (10 + 6 + 20) + 20 * 3
    assert demand["month"]["certainty"] in ("high", "medium", "low")
    # And the products come biggest first, with how each was forecast
    units = [(p["product_id"], p["units"]) for p in demand["products"]]
    assert units == [(2, 360), (1, 300), (3, 300), (4, 90)]
    launched = demand["products"][-1]
    assert (launched["method"], launched["method_note"], launched["previous"]) == (
        "recent_average",
        "20 days",
        60,
    )
    # And the largest expected rise is the surging product's
    assert demand["largest_rise"] == {
        "product_id": 2,
        "name": "Aktina Phone 2",
        "model": "Aktina 2",
        "units": 360,
        "previous": 180,
        "change": 1.0,
        "rise": 180,
    }
    assert demand["item_quality"]["problems"] == {"malformed": 2}
    assert answer["versions"] == {"forecast": "v-forecast", "demand": "v-demand"}


def test_no_rise_no_largest_rise():
    falling = [product(1, flat(20, 365), flat(10, 365))]
    demand = summary(demand=DemandModel(demand_artifact(falling), DEMAND_STATE))["demand"]
    assert demand["largest_rise"] is None


def test_without_a_demand_model_demand_is_unavailable_and_the_rest_answers():
    answer = summary(demand=NoDemand("no demand model has been trained yet: run training"))
    assert answer["demand"] == {
        "status": "unavailable",
        "reason": "no demand model has been trained yet: run training",
    }
    assert answer["versions"]["demand"] is None
    assert answer["revenue"]["status"] == "ok"
    assert answer["chart"]["units"] is None
    assert answer["trends"]["products"] == []
    assert answer["risk"]["level"] == "low"


# --- risk ----------------------------------------------------------------------------------


def test_calm_data_is_low_risk_with_no_reasons_and_no_recommendations():
    answer = summary()
    assert answer["risk"]["level"] == "low"
    assert answer["risk"]["reasons"] == []
    assert "forecast_drop" in answer["risk"]["checked"]
    assert answer["recommendations"] == []


def codes(answer):
    return {r["code"]: r for r in answer["risk"]["reasons"]}


def test_a_forecast_below_its_span_before_beyond_the_interval_is_a_risk():
    # Given 10,000 a day sold and 7,000 a day forecast (interval ±6 %)
    answer = summary(revenue(forecast_level=7_000.0))
    drop = codes(answer)["forecast_drop"]
    assert drop["level"] == "high"  # even the upper bound is over 20 % below
    assert drop["figures"]["previous"] == pytest.approx(900_000)
    assert drop["figures"]["change_upper"] < -0.2
    assert "next quarter" in drop["text"]
    assert answer["risk"]["level"] == "high"
    recommended = {r["code"]: r for r in answer["recommendations"]}
    assert recommended["prepare_for_lower_sales"]["figures"] == drop["figures"]


def test_drift_concentration_stale_and_refused_models_are_reasons_with_their_figures():
    drift = {"detected": True, "recent_mase": 2.1, "backtest_limit": 1.5, "forecasts": 12}
    facts = {  # as demand training measures them (aktina_ml.demand.facts)
        "retailer_concentration": {
            "days": 90,
            "current": {"top5_share": 0.82, "buyers": 40, "hhi": 0.2, "sales": 1e6},
            "previous": {"top5_share": 0.6, "buyers": 45, "hhi": 0.12, "sales": 9e5},
        }
    }
    demand = DemandModel(
        demand_artifact(calm_products(), facts=facts),
        replace(DEMAND_STATE, gate=("MASE worse than seasonal naive",)),
    )
    answer = summary(
        revenue(accuracy={"drift": drift}),
        demand,
        state=replace(FORECAST_STATE, trained_at="2026-12-01T03:00:00+00:00"),
    )
    found = codes(answer)
    assert found["forecast_drift"]["figures"]["recent_mase"] == 2.1
    assert found["forecast_drift"]["figures"]["forecast"] == "revenue"
    assert found["concentration"]["level"] == "medium"
    assert "82 %" in found["concentration"]["text"]
    assert "60 %" in found["concentration"]["text"]
    assert found["stale_model"]["figures"]["age_days"] == 6
    assert found["refused_model"]["figures"]["gate"] == ["MASE worse than seasonal naive"]
    assert answer["risk"]["level"] == "medium"
    SummaryResponse.model_validate(answer)
    recommended = {r["code"] for r in answer["recommendations"]}
    assert {"plan_with_the_interval", "widen_the_buyer_base", "check_training"} <= recommended


def test_a_demand_model_that_serving_refused_is_a_risk():
    answer = summary(
        demand=NoDemand("the promoted artifact does not match its manifest", refused=True)
    )
    assert codes(answer)["refused_model"]["figures"] == {"model": "demand"}


def test_a_product_rising_faster_than_before_is_a_demand_surge_and_a_recommendation():
    answer = summary(demand=DemandModel(demand_artifact(lively_products()), DEMAND_STATE))
    surge = codes(answer)["demand_surge"]
    assert surge["figures"] == {
        "product_id": 2,
        "units": 360,
        "lower": surge["figures"]["lower"],
        "previous": 180,
        "change": 1.0,
        "past_change": 0.2,
    }
    assert surge["figures"]["lower"] > 180
    assert surge["level"] == "high"
    SummaryResponse.model_validate(answer)
    recommended = {(r["code"], r["figures"].get("product_id")) for r in answer["recommendations"]}
    assert ("produce_more", 2) in recommended
    assert ("produce_less", 3) in recommended
    # The steady and the just-launched products support nothing
    assert not {(code, p) for code, p in recommended if p in (1, 4)}


# --- trends and chart ----------------------------------------------------------------------


def test_trends_name_the_window_and_the_segments_and_products_that_moved_most():
    segments = (
        segment(1, "Growing", steps((1000, 275), (1500, 90)), flat(1500, 365)),
        segment(2, "Shrinking", steps((2000, 275), (1500, 90)), flat(1500, 365)),
    )
    answer = summary(
        revenue(segments=segments),
        DemandModel(demand_artifact(lively_products()), DEMAND_STATE),
    )
    trends = answer["trends"]
    assert trends["window"] == {
        "days": 90,
        "start": "2026-09-08",
        "end": "2026-12-06",
        "previous_start": "2026-06-10",
        "previous_end": "2026-09-07",
    }
    assert [(s["name"], s["change"]) for s in trends["segments"]] == [
        ("Growing", 0.5),
        ("Shrinking", -0.25),
    ]
    assert trends["segments"][0]["current"] == 135_000
    # Products: the launched one has no window before, the steady one no change
    assert [(p["product_id"], p["change"]) for p in trends["products"]] == [(2, 0.0667)]
    recommended = {r["code"]: r for r in answer["recommendations"]}
    assert recommended["follow_the_growth"]["figures"]["segment_id"] == 1


def test_the_chart_has_monthly_actuals_and_forecast_of_revenue_and_units():
    chart = summary()["chart"]
    revenue_chart = chart["revenue"]
    assert chart["granularity"] == "month"
    history = revenue_chart["history"]
    assert history["dates"][-1] == "2026-12-01"
    assert history["partial"][-1] is True
    assert history["partial"][-2] is False
    assert history["values"][-2] == 300_000  # November: 30 days of 10,000
    assert history["period_days"][-2:] == [30, 6]  # December: the data ends on the 6th
    forecast = revenue_chart["forecast"]
    assert forecast["dates"][:2] == ["2026-12-07", "2027-01-01"]
    assert forecast["partial"][:2] == [True, False]
    # And the forecast runs about half a year, through the end of its last month (all of June)
    assert forecast["dates"][-1] == "2027-06-01"
    assert forecast["partial"][-1] is False
    assert forecast["period_days"] == [25, 31, 28, 31, 30, 31, 30]
    assert forecast["values"][1] == pytest.approx(31 * 11_000)
    assert all(
        lo <= v <= hi
        for lo, v, hi in zip(forecast["lower"], forecast["values"], forecast["upper"], strict=True)
    )
    assert chart["units"]["forecast"]["values"][1] == 31 * 30
