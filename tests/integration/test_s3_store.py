"""ModelStore on S3 (moto): the same contract as on disk, with keys under the prefix."""

from __future__ import annotations

import logging
import socket
import time

import boto3
import pytest
from botocore.config import Config

from aktina_ml.api.model_cache import ModelCache
from aktina_ml.config import ModelStoreLocation, load_settings
from aktina_ml.model_store.aws import s3_client
from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.manifest import ArtifactIntegrityError
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger
from tests.conftest import MODEL_BUCKET
from tests.support.blackhole import black_hole


def test_save_promote_load_round_trip_on_s3(s3):
    # Given a store under a prefix of the model bucket
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}/models"), s3)
    # When a model is saved and promoted
    manifest = store.save("segmentation", {"k": 4}, {"rows": 10})
    store.promote(manifest)
    # Then the objects sit under the prefix and the model loads back
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=MODEL_BUCKET)["Contents"]}
    assert keys == {
        f"models/segmentation/versions/{manifest.version}/model.joblib",
        f"models/segmentation/versions/{manifest.version}/manifest.json",
        "models/segmentation/current.json",
    }
    assert store.current("segmentation").sha256 == manifest.sha256
    assert store.load(store.current("segmentation"), dict) == {"k": 4}


def test_overwritten_artifact_on_s3_is_refused(s3):
    # Given a promoted model whose artifact was replaced in the bucket
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}"), s3)
    manifest = store.save("forecast", [1.0, 2.0], {})
    store.promote(manifest)
    s3.put_object(
        Bucket=MODEL_BUCKET, Key=f"forecast/versions/{manifest.version}/model.joblib", Body=b"x"
    )
    # Then loading it is refused
    with pytest.raises(ArtifactIntegrityError):
        store.load(store.current("forecast"), list)


def test_missing_model_on_s3_reads_as_none(s3):
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}/m"), s3)
    assert store.current("forecast") is None


def test_s3_outage_after_load_keeps_serving_and_logs_once(s3, caplog):
    # Given a serving cache that loaded a model from S3
    backend = S3Backend(s3, MODEL_BUCKET, "models")
    store = ModelStore(backend)
    store.promote(store.save("forecast", {"v": 1}, {}))
    cache = ModelCache(store, "forecast", dict, refresh_seconds=0)
    assert cache.get().model == {"v": 1}
    # When S3 stops answering (a real client whose endpoint refuses connections)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    backend.client = boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url=dead_endpoint,
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    with caplog.at_level(logging.ERROR, logger=logger.name):
        answers = []
        for _ in range(5):
            answers.append(cache.get().model)
            cache.wait_for_refresh(10)
    # Then every request is still answered by the loaded model, and the outage logged once
    assert answers == [{"v": 1}] * 5
    assert len([r for r in caplog.records if "still serving" in r.getMessage()]) == 1


def test_a_warm_container_answers_at_once_while_s3_hangs(s3, aws_credentials):
    # Given a serving cache that loaded a model, then S3 turns into a black hole (accepts
    # connections, never answers)
    backend = S3Backend(s3, MODEL_BUCKET, "models")
    store = ModelStore(backend)
    store.promote(store.save("forecast", {"v": 1}, {}))
    cache = ModelCache(store, "forecast", dict, refresh_seconds=0)
    cache.get()
    settings = load_settings(s3_read_timeout_seconds=1, s3_max_attempts=1)
    with black_hole() as hole:
        backend.client = s3_client(settings, endpoint_url=hole.url)
        # When requests keep coming while the refresh hangs
        started = time.monotonic()
        answers = [cache.get().model for _ in range(100)]
        elapsed = time.monotonic() - started
        # Then each is answered from the loaded model without waiting for S3
        assert answers == [{"v": 1}] * 100
        assert elapsed < 0.5
        cache.wait_for_refresh(10)
        assert hole.connections == 1  # the refresh did try, and gave up
