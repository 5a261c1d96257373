"""The train function, invoked in-process with the schedule event."""

from __future__ import annotations

import json
import socket
from datetime import date, timedelta

import pytest

from aktina_ml.demo.generator import generate
from aktina_ml.demo.spec import DemoSpec
from aktina_ml.model_store.manifest import ModelStoreError
from aktina_ml.training import TrainingError
from tests.conftest import MODEL_BUCKET
from tests.support.demo import load_into
from tests.support.handlers import load_handler
from tests.support.segmentation import STORE_URL, s3_store, train_demo


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


def emf_metrics(output: str) -> dict[str, float]:
    """The metrics Powertools printed (CloudWatch embedded metric format), by name."""
    found: dict[str, float] = {}
    for line in output.splitlines():
        if '"_aws"' in line:
            record = json.loads(line)
            (directive,) = record["_aws"]["CloudWatchMetrics"]
            assert directive["Namespace"] == "AktinaML"
            assert ["service"] in directive["Dimensions"]
            for metric in directive["Metrics"]:
                value = record[metric["Name"]]
                found[metric["Name"]] = value[0] if isinstance(value, list) else value
    return found


@pytest.fixture
def segment_trainer(s3, monkeypatch):
    """The segmentation train function against the moto bucket (as the template sets it)."""
    monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
    monkeypatch.setenv("AKTINA_TRAIN_MODELS", "segmentation")
    monkeypatch.setenv("AKTINA_DATABASE_URL", "mysql://ml@127.0.0.1/unused")
    return lambda: load_handler("train")


def test_list_and_rollback_through_train_events(
    segment_trainer, s3, tmp_path, load_event, lambda_context
):
    # Given two promoted segmentations
    store = s3_store(s3)
    first = train_demo(store, tmp_path, seed=4)
    second = train_demo(store, tmp_path, seed=5)
    handler = segment_trainer()
    # When the operator lists the versions
    listed = handler.lambda_handler(load_event("train_list.json"), lambda_context)
    # Then both are there, newest first, the second promoted
    assert [v["version"] for v in listed["versions"]] == [
        second.manifest.version,
        first.manifest.version,
    ]
    assert [v["promoted"] for v in listed["versions"]] == [True, False]
    # When the operator rolls back to the first
    event = load_event("train_rollback.json") | {"version": first.manifest.version}
    answer = handler.lambda_handler(event, lambda_context)
    # Then it serves again and the answer says what it replaced
    assert answer == {
        "model": "segmentation",
        "promoted": first.manifest.version,
        "replaced": second.manifest.version,
    }
    assert store.current("segmentation").version == first.manifest.version


def test_events_for_another_model_or_version_are_refused(
    segment_trainer, s3, load_event, lambda_context
):
    handler = segment_trainer()
    with pytest.raises(ValueError, match="invoke the train function of that model"):
        handler.lambda_handler({"action": "list", "model": "forecast"}, lambda_context)
    with pytest.raises(ValueError, match="needs 'version'"):
        handler.lambda_handler({"action": "rollback", "model": "segmentation"}, lambda_context)
    with pytest.raises(ModelStoreError, match="no segmentation version"):
        handler.lambda_handler(load_event("train_rollback.json"), lambda_context)


def test_a_stale_database_fails_the_gate_publishes_it_and_can_be_forced(
    laravel_db, s3, monkeypatch, load_event, lambda_context, capsys
):
    # Given the app's database whose orders stopped 40 days ago
    spec = DemoSpec(retailers=200, orders=4000, days=365, end=date.today() - timedelta(days=40))
    load_into(laravel_db.connection, generate(spec))
    db = laravel_db.settings
    monkeypatch.setenv(
        "AKTINA_DATABASE_URL", f"mysql://{db.user}@{db.host}:{db.port}/{db.database}"
    )
    monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
    monkeypatch.setenv("AKTINA_TRAIN_MODELS", "segmentation")
    handler = load_handler("train")
    # When the scheduled run trains
    answer = handler.lambda_handler(load_event("train_schedule.json"), lambda_context)
    # Then nothing is promoted, the result says why and the gate metric is raised
    (result,) = answer["results"]
    assert not result["promoted"]
    assert result["gate"]["passed"] is False
    assert "days have no sales" in result["reason"]
    figures = emf_metrics(capsys.readouterr().out)
    assert figures["segmentation_gate_failed"] == 1
    assert figures["segmentation_promoted"] == 0
    assert "segmentation_model_age_hours" not in figures  # nothing promoted yet
    # When the operator forces the promotion
    forced = handler.lambda_handler(
        load_event("train_schedule.json") | {"force_promote": True}, lambda_context
    )
    # Then it is promoted, still naming the problem, and the model's age is published
    assert forced["results"][0]["promoted"]
    assert forced["results"][0]["gate"]["forced"] is True
    figures = emf_metrics(capsys.readouterr().out)
    assert figures["segmentation_gate_failed"] == 0
    assert 0 <= figures["segmentation_model_age_hours"] < 0.1
