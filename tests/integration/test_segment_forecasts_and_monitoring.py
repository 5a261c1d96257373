"""Per-segment forecasts and forecast monitoring, end to end on demo data: MariaDB with the
Laravel schema → segmentation and forecast training into moto S3 → the forecast function's
GET /forecast/segments and GET /forecast/accuracy (the events in events/)."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.demand.training import train_demand
from aktina_ml.forecasting.training import train_forecast
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.training import train_segmentation
from tests.support.demo import demo_dataset, load_into
from tests.support.handlers import load_handler
from tests.support.segmentation import STORE_URL, s3_store

# The planted segments whose share of Aktina's orders grows most and shrinks
# (demo/generator.py SEGMENTS: students +50 %, rural households −40 % over the period).
GROWING, SHRINKING = 3, 2


@pytest.fixture(scope="module")
def dataset():
    return demo_dataset(400, seed=12, days=540, orders=40_000)


@pytest.fixture(scope="module")
def trained(module_laravel_db, module_s3, dataset):
    """Segmentation, a forecast made 30 days before the data ends, then today's forecast and
    demand; trained once for the module (its tests only read the models)."""
    laravel_db, s3 = module_laravel_db, module_s3
    load_into(laravel_db.connection, dataset)
    settings = load_settings(model_store=STORE_URL, timezone=dataset.timezone)
    store = s3_store(s3)
    source = MySqlSource.from_settings(laravel_db.connection, settings)
    end = dataset.expected_daily_sales.index[-1].date()
    segmentation = train_segmentation(source, store, settings, today=end + timedelta(days=1))
    assert segmentation.promoted, segmentation.reason
    earlier = train_forecast(source, store, settings, today=end - timedelta(days=29))
    latest = train_forecast(source, store, settings, today=end + timedelta(days=1))
    assert earlier.promoted, earlier.reason
    assert latest.promoted, latest.reason
    demand = train_demand(source, store, settings, today=end + timedelta(days=1))
    assert demand.promoted, demand.reason  # every kind promoted: /health can answer 200
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AKTINA_MODEL_STORE", STORE_URL)
        yield store, segmentation, earlier, latest


def call(handler, event, context) -> tuple[int, dict]:
    response = handler.lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"])


def test_segment_forecasts_add_up_to_the_total_and_follow_each_segments_trend(
    trained, dataset, load_event, lambda_context
):
    store, _segmentation, _, _latest = trained
    # Given the promoted models, when the app asks for 90 days of weekly segment forecasts
    status, body = call(
        load_handler("forecast"), load_event("forecast_segments_get.json"), lambda_context
    )

    # Then every segment has a forecast in its GET /segments colour, the total for reference
    assert status == 200
    model = store.load(store.current("segmentation"), SegmentationModel)
    assert {s["id"] for s in body["segments"]} == {int(i) for i in model.segment_ids}
    overview = model.overview()
    colours = dict(
        zip(
            overview["charts"]["distribution"]["segment_ids"],
            overview["charts"]["distribution"]["colors"],
            strict=True,
        )
    )
    assert all(s["color"] == colours[s["id"]] for s in body["segments"])
    assert body["granularity"] == "week"
    assert sum(body["period_days"]) == 90
    # And the segments add up to the total forecast in every period (reconciled)
    summed = np.sum([s["values"] for s in body["segments"]], axis=0)
    np.testing.assert_allclose(summed, body["total"]["values"], rtol=1e-6, atol=0.05)
    assert body["reconciliation"]["method"] == "top-down by forecast shares"
    # And the chart draws one line per segment plus the total
    assert len(body["chart"]["series"]) == len(body["segments"]) + 1
    assert all(len(s["data"]) == len(body["dates"]) for s in body["chart"]["series"])

    # And the forecasts differ as the planted segments' trends do: the growing segment's
    # share of the forecast is above its share of sales a year earlier, the shrinking one's
    # below (shares, so the total's own trend and season cancel out)
    planted = dataset.planted_segments.loc[model.retailer_ids]
    majority = (
        pd.Series(planted.to_numpy()).groupby(model.retailer_segments).agg(lambda s: s.mode()[0])
    )

    def share_ratio(planted_segment: int) -> float:
        ids = [int(i) for i, p in majority.items() if p == planted_segment]
        rows = [s for s in body["segments"] if s["id"] in ids]
        future = sum(sum(s["values"]) for s in rows) / sum(body["total"]["values"])
        past_all = sum(sum(s["history"]["values"][:13]) for s in body["segments"])
        past = sum(sum(s["history"]["values"][:13]) for s in rows) / past_all
        return future / past

    assert share_ratio(GROWING) > 1.04
    assert share_ratio(SHRINKING) < 0.93


def test_accuracy_scores_the_earlier_forecast_on_the_sales_that_arrived(
    trained, load_event, lambda_context
):
    store, _, earlier, latest = trained
    # Given a forecast promoted 30 days before today's, when the app asks how it did
    handler = load_handler("forecast")
    status, body = call(handler, load_event("forecast_accuracy_get.json"), lambda_context)

    # Then the earlier version is scored at 7 and 30 days ahead (all those days are known)
    assert status == 200
    versions = {v["version"]: v for v in body["versions"]}
    scored = versions[earlier.manifest.version]["leads"]
    assert scored["7"]["mase"] > 0
    assert 0.0 <= scored["30"]["coverage"] <= 1.0
    assert scored["90"] is None
    assert body["summary"]["30"]["forecasts"] == 1
    # And the chart pairs each known day 7 days after that forecast's start with it
    comparison = body["comparison"]
    assert comparison["versions"] == [earlier.manifest.version] * len(comparison["dates"])
    assert len(comparison["dates"]) == 30 - 7 + 1
    assert [len(s["data"]) for s in body["chart"]["series"]] == [len(comparison["dates"])] * 3
    # And the drift verdict is in the manifest /health reads, with its reason
    drift = store.current("forecast").metadata["monitoring"]["drift"]
    assert drift == body["drift"]
    assert isinstance(drift["detected"], bool)
    assert latest.drift() == int(drift["detected"])


def test_a_lead_beyond_the_archive_is_a_clear_422(trained, load_event, lambda_context):
    # Given the accuracy event asking for 91 days ahead
    event = load_event("forecast_accuracy_get.json")
    event["queryStringParameters"] = {"lead_days": "91"}
    event["multiValueQueryStringParameters"] = {"lead_days": ["91"]}
    # When it is answered / Then a 422 names the parameter
    status, body = call(load_handler("forecast"), event, lambda_context)
    assert status == 422
    assert "lead_days" in body["message"]


def test_health_shows_the_drift_verdict_without_loading_a_model(
    trained, load_event, lambda_context
):
    store, _, _, _ = trained
    # Given the trained models, when the app checks health
    status, body = call(load_handler("health"), load_event("health_get.json"), lambda_context)
    # Then the forecast's entry carries the monitoring verdict from its manifest
    assert status == 200
    assert (
        body["models"]["forecast"]["drift"]
        == (store.current("forecast").metadata["monitoring"]["drift"])
    )
    assert "drift" not in body["models"]["segmentation"]
