"""Serving functions under store faults: a hung S3, a crafted artifact, a bad pointer.

The segment and forecast functions run in-process with the events in events/; S3 and KMS
through moto, or a black-hole endpoint that accepts connections and never answers.
"""

from __future__ import annotations

import json
import time
from types import ModuleType
from typing import Any

import boto3
import pytest

from aktina_ml.config import load_settings
from aktina_ml.model_store.factories import open_store
from aktina_ml.model_store.store import ModelStore
from tests.conftest import MODEL_BUCKET
from tests.support.blackhole import black_hole
from tests.support.crafted import allocation_bombs, code_running_pickle
from tests.support.forecast import synthetic_artifact
from tests.support.handlers import load_handler
from tests.support.segmentation import STORE_URL, train_demo

HUNG_S3 = {
    "AKTINA_S3_CONNECT_TIMEOUT_SECONDS": "0.5",
    "AKTINA_S3_READ_TIMEOUT_SECONDS": "1",
    "AKTINA_S3_MAX_ATTEMPTS": "2",
}


def invoke(module: ModuleType, event: dict[str, Any], context: Any) -> tuple[int, dict]:
    response = module.lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(
    ("function", "event"), [("segment", "segments_get.json"), ("forecast", "forecast_get.json")]
)
def test_a_cold_start_against_a_hung_s3_is_a_503_in_bounded_time(
    function, event, aws_credentials, monkeypatch, load_event, lambda_context
):
    # Given S3 accepts connections and never answers
    with black_hole() as hole:
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", hole.url)
        monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
        for name, value in HUNG_S3.items():
            monkeypatch.setenv(name, value)
        handler = load_handler(function)
        # When the first request reaches a cold container
        started = time.monotonic()
        status, body = invoke(handler, load_event(event), lambda_context)
        elapsed = time.monotonic() - started
    # Then it is a clear 503 within the clients' bounds (180 s before), not a hang
    assert status == 503
    assert "temporarily unavailable" in body["message"]
    assert elapsed < 10
    assert hole.connections == 2


@pytest.fixture
def signing(s3: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[ModelStore, Any]:
    """Signing on, as deployed: the training store (signs) and the serving environment."""
    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    monkeypatch.setenv("AKTINA_MODEL_SIGNING_KEY", key)
    monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
    monkeypatch.setenv("AKTINA_MODEL_REFRESH_SECONDS", "0")
    store = open_store(load_settings(), s3, kms)
    return store, s3


def plant_crafted(s3: Any, name: str, marker) -> None:
    """An attacker with bucket write access: a code-running pickle, its sha256 in the pointer."""
    import hashlib

    data = code_running_pickle(marker)
    base = f"models/{name}/versions/evil"
    s3.put_object(Bucket=MODEL_BUCKET, Key=f"{base}/model.joblib", Body=data)
    pointer = {
        "name": name,
        "version": "evil",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
        "created_at": "2026-12-01T02:00:00+00:00",
        "metadata": {},
    }
    s3.put_object(
        Bucket=MODEL_BUCKET, Key=f"models/{name}/current.json", Body=json.dumps(pointer).encode()
    )


def test_a_crafted_pickle_runs_no_code_in_serving_cold_or_warm(
    signing, tmp_path, load_event, lambda_context
):
    store, s3 = signing
    marker = tmp_path / "marker"
    # Given a cold container and the attacker's pickle promoted
    plant_crafted(s3, "segmentation", marker)
    status, _ = invoke(load_handler("segment"), load_event("segments_get.json"), lambda_context)
    # Then the request is a 503 and nothing ran
    assert status == 503
    assert not marker.exists()
    # Given a warm container serving a genuine model
    result = train_demo(store, tmp_path)
    handler = load_handler("segment")
    assert invoke(handler, load_event("segments_get.json"), lambda_context)[0] == 200
    # When the attacker's pickle is promoted again
    plant_crafted(s3, "segmentation", marker)
    for _ in range(3):
        status, body = invoke(handler, load_event("segments_get.json"), lambda_context)
        handler.models.wait_for_refresh(10)
        # Then the genuine model keeps serving and nothing ran
        assert status == 200
        assert body["model_version"] == result.manifest.version
    assert not marker.exists()


def test_a_bad_pointer_or_the_wrong_kind_keeps_the_loaded_model(
    signing, tmp_path, load_event, lambda_context
):
    # Given a warm segment function serving a genuine model
    store, s3 = signing
    result = train_demo(store, tmp_path)
    handler = load_handler("segment")
    event = load_event("segments_get.json")
    assert invoke(handler, event, lambda_context)[0] == 200
    # When the pointer is overwritten with garbage, then with a validly signed forecast
    bad_pointers = [b"{not json", b'{"name": "segmentation"}']
    for body in bad_pointers:
        s3.put_object(Bucket=MODEL_BUCKET, Key="models/segmentation/current.json", Body=body)
        for _ in range(2):
            status, answer = invoke(handler, event, lambda_context)
            handler.models.wait_for_refresh(10)
            # Then every request is still answered by the loaded model
            assert status == 200
            assert answer["model_version"] == result.manifest.version
    store.promote(store.save("segmentation", synthetic_artifact(), {}), replace_newer=True)
    for _ in range(2):
        status, answer = invoke(handler, event, lambda_context)
        handler.models.wait_for_refresh(10)
        assert status == 200
        assert answer["model_version"] == result.manifest.version
    # And a cold container refuses the wrong kind with a 503 instead of serving it
    assert invoke(load_handler("segment"), event, lambda_context)[0] == 503


def plant_local(root, version: str, data: bytes, *, size: int | None = None) -> None:
    """A segmentation artifact and its (unsigned) pointer written straight into a local store."""
    import hashlib

    folder = root / "segmentation" / "versions" / "v1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.joblib").write_bytes(data)
    manifest = {
        "name": "segmentation",
        "version": version,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": size or len(data),
        "created_at": "2026-12-01T02:00:00+00:00",
        "metadata": {},
    }
    (root / "segmentation" / "current.json").write_text(json.dumps(manifest))


def _fifo_pointer(root) -> None:
    import os

    plant_local(root, "v1", b"\x80\x04N.")
    pointer = root / "segmentation" / "current.json"
    pointer.unlink()
    os.mkfifo(pointer)


def _oversized(root) -> None:
    plant_local(root, "v1", b"\x80\x04N.")
    with open(root / "segmentation" / "versions" / "v1" / "model.joblib", "r+b") as handle:
        handle.truncate(1_500_000_000)  # sparse: no disk used


def _traversal(root) -> None:
    outside = root.parent / "outside" / "v1"
    outside.mkdir(parents=True)
    plant_local(root, "../../outside/v1", b"\x80\x04N.")


HOSTILE_STORES = {
    "a FIFO in place of the pointer": _fifo_pointer,
    "an artifact of 1.5 GB declared 4 bytes": _oversized,
    "a version that walks out of the store": _traversal,
    **{
        f"an allocation bomb: {name}": (lambda root, data=data: plant_local(root, "v1", data))
        for name, data in allocation_bombs().items()
    },
}


@pytest.mark.parametrize("shape", sorted(HOSTILE_STORES))
def test_a_hostile_store_gets_a_small_bounded_503(
    shape, tmp_path, monkeypatch, load_event, lambda_context
):
    import threading

    # Given a local store an attacker shaped
    root = tmp_path / "models"
    HOSTILE_STORES[shape](root)
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(root))
    handler = load_handler("segment")
    # When a cold container is asked for the segments
    answers: list[tuple[int, dict]] = []
    thread = threading.Thread(
        target=lambda: answers.append(
            invoke(handler, load_event("segments_get.json"), lambda_context)
        ),
        daemon=True,
    )
    started = time.monotonic()
    thread.start()
    thread.join(10)
    # Then it answers a small 503 at once, never hanging, allocating or reading outside
    assert answers, f"no answer after {time.monotonic() - started:.0f} s"
    status, body = answers[0]
    assert status == 503
    assert len(json.dumps(body)) < 200
