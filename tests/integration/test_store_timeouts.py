"""Bounded time against an S3 endpoint that accepts connections and never answers."""

from __future__ import annotations

import time

import pytest

from aktina_ml.config import load_settings
from aktina_ml.model_store.aws import s3_client, worst_case_seconds
from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.manifest import ModelStoreError
from tests.support.blackhole import black_hole

FAST = {"s3_connect_timeout_seconds": 0.5, "s3_read_timeout_seconds": 1.0, "s3_max_attempts": 2}


def test_the_default_budget_fits_well_inside_the_api_timeout():
    # Each S3 call of an API function (29 s) ends within about a third of it, hung or not
    assert worst_case_seconds(load_settings()) <= 29 / 2.5


def test_a_read_from_a_hung_endpoint_fails_in_bounded_time(aws_credentials):
    settings = load_settings(**FAST)
    with black_hole() as hole:
        backend = S3Backend(s3_client(settings, endpoint_url=hole.url), "bucket", "models")
        started = time.monotonic()
        with pytest.raises(ModelStoreError, match="cannot read"):
            backend.get("forecast/current.json")
        elapsed = time.monotonic() - started
    # Then it gave up after its attempts, well under the 10 s a loose bound allows
    assert elapsed < 10
    assert hole.connections == 2  # one per attempt


def test_the_health_budget_is_one_attempt_inside_its_deadline():
    from aktina_ml.model_store.aws import client_config

    settings = load_settings()
    config = client_config(settings, budget=settings.health_deadline_seconds)
    assert config.retries["total_max_attempts"] == 1
    assert config.connect_timeout + config.read_timeout < settings.health_deadline_seconds
    assert settings.health_deadline_seconds <= 10 / 2  # the health function's timeout
