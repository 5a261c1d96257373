"""GET /summary on the forecast Lambda in-process, driven by events/summary_get.json (as
`sam local invoke`): the promoted forecast and demand models, or the forecast alone."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from aktina_ml.api.summary_contract import SummaryResponse
from aktina_ml.demand import NAME as DEMAND
from aktina_ml.forecasting.artifact import MODEL_NAME as FORECAST
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.manifest import artifact_key
from aktina_ml.model_store.store import ModelStore
from tests.support.demand_artifacts import demand_artifact, product
from tests.support.forecast import synthetic_artifact
from tests.support.handlers import answer_in_fresh_process, load_handler

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(LocalBackend(tmp_path / "models"))


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The forecast function with an empty local model store."""
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    return load_handler("forecast")


def promote(store: ModelStore, name: str, artifact: object, **metadata: object) -> str:
    manifest = store.save(name, artifact, dict(metadata))
    store.promote(manifest)
    return manifest.version


def products(surge: float = 12.0):
    return [
        product(1, np.full(365, 10.0), np.full(365, 10.0)),
        product(2, np.r_[np.full(335, 5.0), np.full(30, 6.0)], np.full(365, surge)),
    ]


def call(handler, event, context) -> tuple[int, dict, dict]:
    response = handler.lambda_handler(event, context)
    body = json.loads(response["body"]) if response["body"] else None
    return response["statusCode"], body, response.get("multiValueHeaders") or {}


def test_the_summary_reads_the_promoted_forecast_and_demand(
    handler, store, load_event, lambda_context
):
    # Given a promoted forecast and demand model
    forecast = promote(store, FORECAST, synthetic_artifact())
    demand = promote(store, DEMAND, demand_artifact(products()))
    # When the event arrives
    status, body, headers = call(handler, load_event("summary_get.json"), lambda_context)
    # Then every part answers, in the documented shape, naming the versions it rests on
    assert status == 200
    SummaryResponse.model_validate(body)
    assert body["versions"] == {"forecast": forecast, "demand": demand}
    assert body["revenue"]["status"] == "ok"
    assert [s["days"] for s in body["revenue"]["spans"]] == [30, 90]
    assert body["revenue"]["spans"][1]["certainty_text"].startswith("80 % likely between")
    assert body["demand"]["status"] == "ok"
    assert body["demand"]["largest_rise"]["product_id"] == 2
    assert "demand_surge" in {r["code"] for r in body["risk"]["reasons"]}
    assert body["chart"]["units"] is not None
    assert headers["ETag"][0]
    assert headers["Cache-Control"][0].startswith("private, max-age=")


def test_without_a_demand_model_the_rest_answers(handler, store, load_event, lambda_context):
    promote(store, FORECAST, synthetic_artifact())
    status, body, _ = call(handler, load_event("summary_get.json"), lambda_context)
    assert status == 200
    SummaryResponse.model_validate(body)
    assert body["versions"]["demand"] is None
    assert body["demand"]["status"] == "unavailable"
    assert "not trained yet" in body["demand"]["reason"]
    assert body["revenue"]["status"] == "ok"


def test_a_demand_model_that_fails_its_checks_is_unavailable_and_a_risk(
    handler, store, tmp_path, load_event, lambda_context
):
    # Given a promoted demand artifact altered after it was saved
    promote(store, FORECAST, synthetic_artifact())
    manifest = store.save(DEMAND, demand_artifact(products()), {})
    store.promote(manifest)
    artifact = tmp_path / "models" / artifact_key(manifest)
    artifact.write_bytes(artifact.read_bytes()[:-1] + b"\0")
    # When the summary is asked for, Then the demand is unavailable and that is a risk
    status, body, _ = call(handler, load_event("summary_get.json"), lambda_context)
    assert status == 200
    assert body["demand"]["status"] == "unavailable"
    assert "does not match its manifest" in body["demand"]["reason"]
    refused = [r for r in body["risk"]["reasons"] if r["code"] == "refused_model"]
    assert refused[0]["figures"] == {"model": "demand"}


def test_without_a_forecast_it_is_503_saying_to_train(handler, store, load_event, lambda_context):
    promote(store, DEMAND, demand_artifact(products()))
    status, body, _ = call(handler, load_event("summary_get.json"), lambda_context)
    assert status == 503
    assert "run training" in body["message"]


def test_the_etag_changes_with_either_model(handler, store, load_event, lambda_context):
    # Given a first answer and its ETag
    promote(store, FORECAST, synthetic_artifact())
    promote(store, DEMAND, demand_artifact(products()))
    event = load_event("summary_get.json")
    _, first, headers = call(handler, event, lambda_context)
    etag = headers["ETag"][0]
    # When the client asks again with it, Then 304 without a body
    event["headers"] = {**event["headers"], "If-None-Match": etag}
    assert handler.lambda_handler(event, lambda_context)["statusCode"] == 304
    # When training promotes another demand model (and the cache re-reads the pointer)
    promote(store, DEMAND, demand_artifact(products(surge=20.0)))
    handler.summary_sources.demands.expire()
    status, second, headers = call(handler, event, lambda_context)
    # Then the answer and its ETag are new, and the figures follow the data
    assert status == 200
    assert headers["ETag"][0] != etag
    assert second["versions"]["demand"] != first["versions"]["demand"]
    assert second["demand"]["largest_rise"]["units"] == 600
    assert first["demand"]["largest_rise"]["units"] == 360


def test_the_summary_path_imports_neither_prophet_nor_pandas(store, tmp_path):
    # Given a fresh process with only the forecast handler and both models promoted
    promote(store, FORECAST, synthetic_artifact())
    promote(store, DEMAND, demand_artifact(products()))
    # When it serves GET /summary
    status, body, heavy = answer_in_fresh_process(
        "forecast", "summary_get.json", tmp_path / "models"
    )
    # Then it answered 200 with demand, without importing any heavy library
    assert (status, body["demand"]["status"], heavy) == (200, "ok", [])
