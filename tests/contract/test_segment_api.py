"""The segment function in-process, with the events in events/ (as `sam local invoke -e`)."""

import copy
import csv
import json
from pathlib import Path

import pytest

from aktina_ml.api.caching import etag_for
from aktina_ml.config import load_settings
from aktina_ml.data.csv import CsvSource
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.training import MODEL_NAME, train_segmentation
from tests.conftest import MODEL_BUCKET
from tests.support.handlers import load_handler
from tests.support.segmentation import STORE_URL, s3_store, train_demo

ROOT = Path(__file__).resolve().parents[2]
APP_SAMPLE = ROOT / "tests" / "fixtures" / "app_customer_segmentation_training.csv"


@pytest.fixture
def handler(s3, monkeypatch):
    """A fresh import of functions/segment/app.py (its model cache is per container)."""
    monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
    monkeypatch.setenv("AKTINA_MODEL_REFRESH_SECONDS", "0")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "segment")

    return lambda: load_handler("segment")


@pytest.fixture
def invoke(lambda_context):
    def call(module, event):
        response = module.lambda_handler(event, lambda_context)
        return response["statusCode"], json.loads(response["body"])

    return call


@pytest.fixture
def trained(s3, tmp_path):
    result = train_demo(s3_store(s3), tmp_path)
    assert result.promoted
    return s3_store(s3).load(result.manifest, SegmentationModel), result.manifest


def with_body(event, body):
    changed = copy.deepcopy(event)
    changed["body"] = body if isinstance(body, str) else json.dumps(body)
    return changed


def test_no_model_yet_is_a_503_saying_to_train(handler, invoke, load_event):
    status, body = invoke(handler(), load_event("segments_get.json"))
    assert status == 503
    assert "run training" in body["message"]


def test_get_segments_lists_profiles_assignments_and_charts(trained, handler, invoke, load_event):
    model, manifest = trained
    # When the app asks for every segment
    status, body = invoke(handler(), load_event("segments_get.json"))
    # Then profiles, every retailer's segment, chart data and the legacy keys come back
    assert status == 200
    assert body["model_version"] == manifest.version
    assert body["trained_at"] == model.trained_at
    assert [s["id"] for s in body["segments"]] == sorted(model.profiles)
    assert len(body["retailer_segments"]) == len(model.retailer_ids)
    assert body["charts"]["distribution"]["type"] == "pie"
    assert sum(body["charts"]["distribution"]["series"]) == len(model.retailer_ids)
    assert {c["dimension"] for c in body["charts"]["demographics"]} >= {"customer_income_bracket"}
    assert body["segment_distribution"] == {str(s): p["size"] for s, p in model.profiles.items()}


def test_get_one_retailer_and_404_for_an_unknown_one(trained, handler, invoke, load_event):
    model, _ = trained
    app = handler()
    status, body = invoke(app, load_event("segment_get_one.json"))
    assert status == 200
    assert body["segment_id"] == model.segment_of(1)
    assert set(body["expected_volume_mix"]) == {"high", "medium", "low"}
    # Given an id the model never saw / Then 404 naming it
    event = load_event("segment_get_one.json")
    event["path"], event["pathParameters"] = "/segments/987654", {"retailer_id": "987654"}
    status, body = invoke(app, event)
    assert status == 404
    assert "987654" in body["message"]
    # Given an id that is not a number / Then 422 naming the path parameter
    event["path"], event["pathParameters"] = "/segments/abc", {"retailer_id": "abc"}
    status, body = invoke(app, event)
    assert status == 422
    assert body["detail"][0]["loc"] == ["path", "retailer_id"]


def test_assign_returns_segment_name_and_volume_mix(trained, handler, invoke, load_event):
    model, manifest = trained
    status, body = invoke(handler(), load_event("segments_assign.json"))
    assert status == 200
    assert body["model_version"] == manifest.version
    assert [a["retailer_id"] for a in body["assignments"]] == [501, 502, 503]
    expected = model.assign(json.loads(load_event("segments_assign.json")["body"])["retailers"])
    assert [a["segment_id"] for a in body["assignments"]] == expected.tolist()
    for a in body["assignments"]:
        assert a["segment_name"] == model.profiles[a["segment_id"]]["name"]
        assert sum(a["expected_volume_mix"].values()) == pytest.approx(1, abs=1e-3)


@pytest.mark.parametrize(
    ("retailers", "loc"),
    [
        ([], ["body", "retailers"]),
        (
            [{"id": 1, "urban_rural_classification": "martian"}],
            ["body", "retailers", 0, "urban_rural_classification"],
        ),
        ([{"id": 1, "customer_age_class": 7}], ["body", "retailers", 0, "customer_age_class"]),
        ([{"id": 1, "male_female_ratio": {"a": 1}}], ["body", "retailers", 0, "male_female_ratio"]),
        ([{"id": 1, "male_female_ratio": "lots"}], ["body", "retailers", 0, "male_female_ratio"]),
        ([{"id": "x"}], ["body", "retailers", 0, "id"]),
        ("not a list", ["body", "retailers"]),
    ],
)
def test_assign_rejects_bad_input_naming_the_field(
    trained, handler, invoke, load_event, retailers, loc
):
    event = with_body(load_event("segments_assign.json"), {"retailers": retailers})
    status, body = invoke(handler(), event)
    assert status == 422
    assert body["detail"][0]["loc"] == loc


def test_duplicate_ids_are_a_422_naming_both_positions(trained, handler, invoke, load_event):
    for name in ("segments_assign.json", "segment_customers_legacy.json"):
        event = with_body(load_event(name), {"retailers": [{"id": 7}, {"id": 8}, {"id": 7}]})
        status, body = invoke(handler(), event)
        assert status == 422
        assert body["message"].startswith("retailers[2].id: duplicate retailer id 7")


def test_legacy_call_answers_what_the_app_reads(trained, handler, invoke, load_event):
    model, _ = trained
    # Given the JSON the app really sends (decimal strings, nulls, nested user, extra keys)
    event = load_event("segment_customers_legacy.json")
    sent = json.loads(event["body"])["retailers"]
    status, body = invoke(handler(), event)
    # Then the three keys come back with the types the app expects
    assert status == 200
    assert set(body) == {"retailer_segments", "segment_descriptions", "segment_distribution"}
    assert body["retailer_segments"] == {
        str(r["id"]): s for r, s in zip(sent, model.assign(sent).tolist(), strict=True)
    }
    assert all(isinstance(v, int) for v in body["retailer_segments"].values())
    assert set(body["segment_descriptions"]) == {str(s) for s in model.profiles}
    assert all(isinstance(v, str) and v for v in body["segment_descriptions"].values())
    assert sum(body["segment_distribution"].values()) == len(sent)


def app_sample_as_sent() -> list[dict]:
    """The app's sample CSV rows shaped as the app posts them (decimal casts → strings)."""
    rows = []
    with APP_SAMPLE.open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    **row,
                    "id": int(row["id"]),
                    "male_female_ratio": f"{float(row['male_female_ratio']):.2f}",
                    "years_in_business": int(row["years_in_business"]),
                    "total_sales": float(row["total_sales"]),
                    "user": {"id": 100 + int(row["id"]), "name": row["city"], "role": "retailer"},
                }
            )
    return rows


def test_legacy_call_with_the_apps_sample_file(s3, tmp_path, handler, invoke, load_event):
    # Given a model trained from the app's own sample CSV
    settings = load_settings(model_store=STORE_URL)
    result = train_segmentation(CsvSource(retailers=APP_SAMPLE), s3_store(s3), settings)
    assert result.promoted, result.reason
    model = s3_store(s3).load(result.manifest, SegmentationModel)
    # When the app posts those retailers
    event = with_body(
        load_event("segment_customers_legacy.json"), {"retailers": app_sample_as_sent()}
    )
    status, body = invoke(handler(), event)
    # Then each gets the segment it was trained into, and the pie adds up
    assert status == 200
    trained_as = {
        str(r): s
        for r, s in zip(model.retailer_ids.tolist(), model.retailer_segments.tolist(), strict=True)
    }
    assert body["retailer_segments"] == trained_as
    assert sum(body["segment_distribution"].values()) == 50
    assert len(body["segment_descriptions"]) == model.k >= 2


@pytest.mark.parametrize("count", [1, 2, 3])
def test_legacy_call_with_one_to_three_retailers_works(trained, handler, invoke, load_event, count):
    # (the old service refitted KMeans per request and failed on tiny requests)
    sent = json.loads(load_event("segment_customers_legacy.json")["body"])["retailers"][:count]
    status, body = invoke(
        handler(), with_body(load_event("segment_customers_legacy.json"), {"retailers": sent})
    )
    assert status == 200
    assert len(body["retailer_segments"]) == count


def test_legacy_call_tolerates_unknown_enum_values_and_keys(trained, handler, invoke, load_event):
    model, _ = trained
    retailer = {
        "id": 9,
        "urban_rural_classification": "peri-urban",
        "customer_age_class": "ADULT",
        "shoe_size": 44,
        "user": None,
    }
    status, body = invoke(
        handler(), with_body(load_event("segment_customers_legacy.json"), {"retailers": [retailer]})
    )
    assert status == 200
    assert body["retailer_segments"]["9"] == int(model.assign([retailer])[0])


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"retailers": []}, ["body", "retailers"]),
        ({}, ["body", "retailers"]),
        ({"retailers": {"id": 1}}, ["body", "retailers"]),
        ({"retailers": [{"male_female_ratio": "0.8"}]}, ["body", "retailers", 0, "id"]),
        ({"retailers": [{"id": "one"}]}, ["body", "retailers", 0, "id"]),
        (
            {"retailers": [{"id": 1, "male_female_ratio": {"a": 1}}]},
            ["body", "retailers", 0, "male_female_ratio"],
        ),
        (
            {"retailers": [{"id": 1, "customer_income_bracket": ["high"]}]},
            ["body", "retailers", 0, "customer_income_bracket"],
        ),
        ({"retailers": [{"id": 1, "user": "alice"}]}, ["body", "retailers", 0, "user"]),
    ],
)
def test_legacy_call_rejects_bad_input_naming_the_field(
    trained, handler, invoke, load_event, body, loc
):
    status, answer = invoke(handler(), with_body(load_event("segment_customers_legacy.json"), body))
    assert status == 422
    assert answer["detail"][0]["loc"][: len(loc)] == loc  # unions add the member tried


def test_legacy_call_rejects_a_ratio_that_is_not_a_number(trained, handler, invoke, load_event):
    body = {
        "retailers": [{"id": 1, "male_female_ratio": "0.80"}, {"id": 2, "male_female_ratio": "abc"}]
    }
    status, answer = invoke(handler(), with_body(load_event("segment_customers_legacy.json"), body))
    assert status == 422
    assert answer["message"] == "retailers[1].male_female_ratio: 'abc' is not a number"


def test_invalid_json_is_a_422(trained, handler, invoke, load_event):
    status, body = invoke(
        handler(), with_body(load_event("segment_customers_legacy.json"), '{"retailers": [')
    )
    assert status == 422
    assert body["detail"][0]["type"] == "json_invalid"


def test_huge_bodies_and_too_many_retailers_are_413(
    trained, handler, invoke, load_event, monkeypatch
):
    monkeypatch.setenv("AKTINA_SEGMENT_MAX_BODY_BYTES", "100000")
    monkeypatch.setenv("AKTINA_SEGMENT_MAX_RETAILERS", "50")
    app = handler()
    # Given a body over the byte limit
    padding = [{"id": i, "city": "x" * 1000} for i in range(200)]
    status, body = invoke(
        app, with_body(load_event("segment_customers_legacy.json"), {"retailers": padding})
    )
    assert status == 413
    assert "limit is 100,000 bytes" in body["message"]
    # Given more retailers than allowed in one request
    for name in ("segment_customers_legacy.json", "segments_assign.json"):
        many = [{"id": i} for i in range(51)]
        status, body = invoke(app, with_body(load_event(name), {"retailers": many}))
        assert status == 413
        assert "at most 50" in body["message"]


def test_a_newly_promoted_model_is_picked_up(trained, s3, tmp_path, handler, invoke, load_event):
    app = handler()
    _, first = trained
    assert invoke(app, load_event("segments_get.json"))[1]["model_version"] == first.version
    # When training promotes a new version
    second = train_demo(s3_store(s3), tmp_path, seed=6)
    # Then the warm container serves it once the background refresh the next request
    # starts has loaded it (refresh interval 0 in this test)
    invoke(app, load_event("segments_get.json"))
    app.models.wait_for_refresh(10)
    assert (
        invoke(app, load_event("segments_get.json"))[1]["model_version"] == second.manifest.version
    )


def test_a_tampered_model_is_not_served(trained, s3, handler, invoke, load_event):
    _, manifest = trained
    key = f"models/{MODEL_NAME}/versions/{manifest.version}/model.joblib"
    s3.put_object(Bucket=MODEL_BUCKET, Key=key, Body=b"not the model")
    status, body = invoke(handler(), load_event("segments_get.json"))
    assert status == 503
    assert "temporarily unavailable" in body["message"]


def test_segments_answer_304_until_a_new_model_is_promoted(
    trained, handler, load_event, lambda_context, s3, tmp_path
):
    # Given a first GET /segments and its ETag
    app = handler()
    event = load_event("segments_get.json")
    first = app.lambda_handler(event, lambda_context)
    etag = first["multiValueHeaders"]["ETag"][0]
    # When the same request comes with If-None-Match
    event["headers"] = {**(event.get("headers") or {}), "If-None-Match": etag}
    # Then it is a 304
    assert app.lambda_handler(event, lambda_context)["statusCode"] == 304
    # When training promotes another model (the cache re-reads the pointer: refresh 0 s)
    assert train_demo(s3_store(s3), tmp_path, seed=9).promoted
    # Then the request that finds the pointer due starts a background refresh (and is
    # answered from the loaded model); after it, the old ETag no longer matches
    app.lambda_handler(event, lambda_context)
    app.models.wait_for_refresh(10)
    fresh = app.lambda_handler(event, lambda_context)
    assert fresh["statusCode"] == 200
    assert fresh["multiValueHeaders"]["ETag"][0] != etag


def test_a_cold_304_reads_only_the_manifest(trained, handler, load_event, lambda_context):
    # Given the ETag a client got from one container
    _, manifest = trained
    event = load_event("segments_get.json")
    etag = handler().lambda_handler(event, lambda_context)["multiValueHeaders"]["ETag"][0]
    # When a fresh container gets the same request with If-None-Match
    cold = handler()
    event["headers"] = {**(event.get("headers") or {}), "If-None-Match": etag}
    response = cold.lambda_handler(event, lambda_context)
    # Then it answers 304 from the promoted manifest without loading the artifact
    assert response["statusCode"] == 304
    assert cold.models.manifest().version == manifest.version
    assert cold.models._loaded is None


def test_etag_and_body_name_the_same_model_version(
    trained, handler, invoke, load_event, lambda_context
):
    # Given a warm container
    _, manifest = trained
    app = handler()
    # When GET /segments is answered
    response = app.lambda_handler(load_event("segments_get.json"), lambda_context)
    # Then its body and its ETag come from one loaded model
    body = json.loads(response["body"])
    assert body["model_version"] == manifest.version
    assert response["multiValueHeaders"]["ETag"][0] == etag_for(
        manifest.version, "/segments", repr([])
    )


def test_get_segments_says_plainly_when_one_attribute_predicts_volume_better(
    s3, handler, invoke, load_event
):
    # Given a model trained on the app's 50-retailer sample, where income alone predicts
    # volume better than any segmentation the 50 retailers support
    settings = load_settings(model_store=STORE_URL)
    result = train_segmentation(CsvSource(retailers=APP_SAMPLE), s3_store(s3), settings)
    assert result.promoted, result.reason
    # When the app asks for the segments
    status, body = invoke(handler(), load_event("segments_get.json"))
    # Then the answer says so, with both figures, and which dimensions carry the weight
    assert status == 200
    quality = body["quality"]
    metrics = body["metrics"]
    assert quality["as_good_as_best_single_attribute"] is False
    assert metrics["best_single_attribute"] == "customer_income_bracket"
    assert "worse than income bracket alone" in quality["summary"]
    assert f"{metrics['heldout_accuracy']:.3f}" in quality["summary"]
    assert f"{metrics['best_single_attribute_accuracy']:.3f}" in quality["summary"]
    assert quality["weight_carried_by"][0] == "customer_income_bracket"
    # And the manifest keeps the same verdict
    assert result.manifest.metadata["assessment"] == quality
