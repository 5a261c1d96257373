"""GET /health and GET /models through the health function's handler, S3 through moto."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from aktina_ml.model_store.backends import LocalBackend, S3Backend
from aktina_ml.model_store.store import ModelStore
from aktina_ml.registry import MODEL_NAMES
from tests.conftest import MODEL_BUCKET
from tests.support.handlers import load_handler


@pytest.fixture
def health(s3: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The handler module, imported fresh with the model store on the moto bucket."""
    monkeypatch.setenv("AKTINA_MODEL_STORE", f"s3://{MODEL_BUCKET}/models")
    return load_handler("health")


@pytest.fixture
def store(s3: Any) -> ModelStore:
    return ModelStore(S3Backend(s3, MODEL_BUCKET, "models"))


def call(module: ModuleType, event: dict[str, Any], context: Any) -> tuple[int, dict, Any]:
    response = module.lambda_handler(event, context)
    body = json.loads(response["body"]) if response.get("body") else None
    return response["statusCode"], response["multiValueHeaders"], body


def test_health_before_any_training_is_503_naming_what_to_do(health, load_event, lambda_context):
    # Given an empty model bucket
    # When the Laravel app checks /health
    status, headers, body = call(health, load_event("health_get.json"), lambda_context)
    # Then the service answers 503 (not ready: "2xx = healthy" must not hold), says why per
    # model, and is never cached
    assert status == 503
    assert body == {
        "status": "degraded",
        "models": {
            name: {
                "ready": False,
                "version": None,
                "trained_at": None,
                "age_hours": None,
                "problem": "not trained yet: run training",
            }
            for name in MODEL_NAMES
        },
    }
    assert headers["Cache-Control"] == ["no-store"]


def test_health_and_models_report_promoted_versions(health, store, load_event, lambda_context):
    # Given both models promoted
    manifests = {}
    for name in MODEL_NAMES:
        manifests[name] = store.save(name, {"centers": np.zeros((2, 3))}, {"metrics": {"k": 2}})
        store.promote(manifests[name])
    # When /health and /models are asked
    status, _, body = call(health, load_event("health_get.json"), lambda_context)
    models_status, headers, models_body = call(
        health, load_event("models_get.json"), lambda_context
    )
    # Then both are ready with their versions and ages, and /models returns the manifests
    assert status == 200
    assert body["status"] == "ok"
    assert all(0 <= m["age_hours"] < 1 and m["problem"] is None for m in body["models"].values())
    assert {n: m["version"] for n, m in body["models"].items()} == {
        n: m.version for n, m in manifests.items()
    }
    assert models_status == 200
    assert models_body["models"]["forecast"] == manifests["forecast"].to_dict()
    (cache_control,) = headers["Cache-Control"]
    assert cache_control.startswith("private, max-age=")
    assert 0 < int(cache_control.rpartition("=")[2]) <= 24 * 3600
    assert headers["ETag"][0].startswith('"')


def test_models_answers_304_while_versions_are_unchanged(health, store, load_event, lambda_context):
    # Given a promoted model and the ETag of a first /models answer
    store.promote(store.save("segmentation", {"centers": np.ones(2)}, {}))
    event = load_event("models_get.json")
    _, headers, _ = call(health, event, lambda_context)
    etag = headers["ETag"][0]
    # When the client asks again with If-None-Match
    event["headers"]["If-None-Match"] = etag
    event["multiValueHeaders"]["If-None-Match"] = [etag]
    status, again, body = call(health, event, lambda_context)
    # Then it gets 304 without a body; after a new promotion the ETag no longer matches
    assert status == 304
    assert body is None
    assert again["ETag"] == [etag]
    store.promote(store.save("segmentation", {"centers": np.ones(3)}, {}))
    status, changed, _ = call(health, event, lambda_context)
    assert status == 200
    assert changed["ETag"] != [etag]


def test_health_answers_503_when_the_store_is_unreadable(health, s3, load_event, lambda_context):
    # Given the model bucket is gone (S3 answers NoSuchBucket)
    s3.delete_bucket(Bucket=MODEL_BUCKET)
    # When /health is asked
    status, _, body = call(health, load_event("health_get.json"), lambda_context)
    # Then the answer is a clear 503 with the per-model body, not a 500
    assert status == 503
    assert {m["problem"] for m in body["models"].values()} == {"the model store could not be read"}


def test_health_is_503_when_one_model_cannot_serve(health, store, s3, load_event, lambda_context):
    # Given both models promoted, then one pointer naming an artifact that is gone and the
    # other pointer overwritten with garbage
    manifests = {name: store.save(name, {"k": 1}, {}) for name in MODEL_NAMES}
    for manifest in manifests.values():
        store.promote(manifest)
    event = load_event("health_get.json")
    assert call(health, event, lambda_context)[0] == 200
    version = manifests["forecast"].version
    s3.delete_object(Bucket=MODEL_BUCKET, Key=f"models/forecast/versions/{version}/model.joblib")
    # When /health is asked
    status, _, body = call(health, event, lambda_context)
    # Then it is 503 and names the problem; the other model is still reported ready
    assert status == 503
    assert body["models"]["forecast"]["problem"] == "the promoted artifact is missing"
    assert body["models"]["segmentation"]["ready"] is True
    s3.put_object(Bucket=MODEL_BUCKET, Key="models/segmentation/current.json", Body=b"{oops")
    _, _, body = call(health, event, lambda_context)
    assert body["models"]["segmentation"]["problem"] == (
        "the promoted pointer is not a valid manifest"
    )


def test_health_path_imports_neither_numpy_nor_joblib(tmp_path, load_event):
    # Given a fresh process with only the health handler (it reads manifests, never artifacts)
    root = Path(__file__).resolve().parents[2]
    script = f"""
import json, sys
from types import SimpleNamespace
from functions.health.app import lambda_handler
event = json.load(open({str(root / "events" / "health_get.json")!r}))
context = SimpleNamespace(function_name="health", memory_limit_in_mb=512,
    invoked_function_arn="arn:aws:lambda:eu-west-1:123456789012:function:health",
    aws_request_id="1")
response = lambda_handler(event, context)
print(json.dumps([response["statusCode"], sorted({{"numpy", "joblib"}} & set(sys.modules))]))
"""
    env = {
        "AKTINA_MODEL_STORE": str(tmp_path / "models"),
        "PYTHONPATH": f"{root / 'shared'}:{root}",
        "PATH": "/usr/bin:/bin",
    }
    # When it answers GET /health
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    # Then it answered without importing numpy or joblib (about 0.15 s of its cold start)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [503, []]


def test_health_checks_signatures_when_the_key_is_set(s3, monkeypatch, load_event, lambda_context):
    # Given signing on, both models saved by a signing store, then the forecast pointer replaced
    # by an unsigned copy (someone with bucket write access, without kms:Sign)
    import boto3

    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store

    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    monkeypatch.setenv("AKTINA_MODEL_STORE", f"s3://{MODEL_BUCKET}/models")
    monkeypatch.setenv("AKTINA_MODEL_SIGNING_KEY", key)
    signing = open_store(load_settings(), s3, kms)
    for name in MODEL_NAMES:
        signing.promote(signing.save(name, {"k": 1}, {}))
    health = load_handler("health")
    event = load_event("health_get.json")
    assert call(health, event, lambda_context)[0] == 200
    unsigned = signing.current("forecast").to_dict()
    del unsigned["signature"]
    s3.put_object(
        Bucket=MODEL_BUCKET, Key="models/forecast/current.json", Body=json.dumps(unsigned)
    )
    # When /health is asked
    status, _, body = call(health, event, lambda_context)
    # Then the forecast is not ready, and says why
    assert status == 503
    assert body["models"]["forecast"]["problem"] == (
        "the promoted manifest's signature does not verify"
    )
    assert body["models"]["segmentation"]["ready"] is True


def health_timeout() -> float:
    """The health function's timeout in template.yaml (seconds)."""
    from cfnlint.decode import decode_str

    template, _ = decode_str((Path(__file__).resolve().parents[2] / "template.yaml").read_text())
    return float(template["Resources"]["HealthFunction"]["Properties"]["Timeout"])


def test_health_with_s3_black_holed_answers_503_within_half_its_timeout(
    aws_credentials, monkeypatch, load_event, lambda_context
):
    # Given an S3 endpoint that accepts connections and never answers
    import time

    from tests.support.blackhole import black_hole

    limit = health_timeout() / 2
    with black_hole() as hole:
        monkeypatch.setenv("AKTINA_MODEL_STORE", f"s3://{MODEL_BUCKET}/models")
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", hole.url)
        health = load_handler("health")
        for _ in ("cold", "warm"):
            # When /health is asked
            started = time.monotonic()
            status, _, body = call(health, load_event("health_get.json"), lambda_context)
            elapsed = time.monotonic() - started
            # Then it answers 503, naming the store, well inside its function's timeout
            assert status == 503
            assert elapsed < limit, f"{elapsed:.1f} s"
            assert not any(m["ready"] for m in body["models"].values())
        assert hole.connections >= 2  # it did try the store


def test_a_signed_manifest_of_the_other_kind_in_a_pointer_is_not_ready(
    s3, monkeypatch, load_event, lambda_context
):
    # Given signing on and both models promoted by the signing store
    import boto3

    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store

    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    monkeypatch.setenv("AKTINA_MODEL_STORE", f"s3://{MODEL_BUCKET}/models")
    monkeypatch.setenv("AKTINA_MODEL_SIGNING_KEY", key)
    signing = open_store(load_settings(), s3, kms)
    for name in MODEL_NAMES:
        signing.promote(signing.save(name, {"k": 1}, {}))
    # When the genuinely signed forecast manifest is copied to the segmentation pointer
    forecast = s3.get_object(Bucket=MODEL_BUCKET, Key="models/forecast/current.json")
    s3.put_object(
        Bucket=MODEL_BUCKET,
        Key="models/segmentation/current.json",
        Body=forecast["Body"].read(),
    )
    status, _, body = call(load_handler("health"), load_event("health_get.json"), lambda_context)
    # Then segmentation is not ready (serving could not load it), and says why
    assert status == 503
    assert body["models"]["segmentation"]["problem"] == (
        "the promoted pointer holds another model's manifest"
    )
    assert body["models"]["forecast"]["ready"] is True


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda data: bytes([data[0] ^ 1]) + data[1:], "does not match its manifest"),
        (lambda data: data + b"more", "does not match its manifest"),
    ],
)
def test_an_unsigned_store_reports_a_tampered_artifact(
    tmp_path, monkeypatch, load_event, lambda_context, tamper, problem
):
    # Given a local (unsigned) store with both models promoted
    local = ModelStore(LocalBackend(tmp_path))
    for name in MODEL_NAMES:
        local.promote(local.save(name, {"k": 1}, {}))
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path))
    # When the forecast artifact is changed in place
    manifest = local.current("forecast")
    path = tmp_path / "forecast" / "versions" / manifest.version / "model.joblib"
    path.write_bytes(tamper(path.read_bytes()))
    status, _, body = call(load_handler("health"), load_event("health_get.json"), lambda_context)
    # Then /health says so instead of "ok"
    assert status == 503
    assert problem in body["models"]["forecast"]["problem"]
    assert body["models"]["segmentation"]["ready"] is True
