"""The train function, invoked in-process with the schedule event."""

from __future__ import annotations

import socket

import pytest

from aktina_ml.training import TrainingError
from tests.conftest import MODEL_BUCKET
from tests.support.handlers import load_handler


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_database_fails_clearly_and_promotes_nothing(
    s3, monkeypatch, load_event, lambda_context
):
    # Given a database URL where nothing listens, and an empty model bucket
    monkeypatch.setenv("AKTINA_DATABASE_URL", f"mysql://ml:secret@127.0.0.1:{closed_port()}/aktina")
    monkeypatch.setenv("AKTINA_MODEL_STORE", f"s3://{MODEL_BUCKET}/models")
    handler = load_handler("train")
    # When the scheduled run starts
    with pytest.raises(TrainingError, match="cannot connect to the database") as caught:
        handler.lambda_handler(load_event("train_schedule.json"), lambda_context)
    # Then the error is clear, keeps the password out, and nothing was written
    assert "secret" not in str(caught.value)
    assert s3.list_objects_v2(Bucket=MODEL_BUCKET).get("KeyCount") == 0


def test_unknown_model_in_the_event_is_refused(monkeypatch, load_event, lambda_context):
    monkeypatch.setenv("AKTINA_DATABASE_URL", "mysql://ml@127.0.0.1/aktina")
    handler = load_handler("train")
    with pytest.raises(ValueError, match="churn"):
        handler.lambda_handler({"models": ["churn"]}, lambda_context)
