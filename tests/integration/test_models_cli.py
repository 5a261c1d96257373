"""``aktina-ml models list`` and ``aktina-ml models rollback VERSION`` on a local store."""

from __future__ import annotations

import json

import pytest

from aktina_ml.cli import main
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.segmentation import train_demo


@pytest.fixture
def store(tmp_path, monkeypatch) -> ModelStore:
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    return ModelStore(LocalBackend(tmp_path / "models"))


def test_list_then_roll_back_to_the_first_version(store, tmp_path, capsys):
    # Given two trained segmentations, the second promoted
    first = train_demo(store, tmp_path, seed=4).manifest
    second = train_demo(store, tmp_path, seed=5).manifest
    capsys.readouterr()
    # When the operator lists the versions
    assert main(["models", "list", "--model", "segmentation"]) == 0
    (listing,) = json.loads(capsys.readouterr().out)
    # Then both are shown newest first, with the promoted one marked
    assert listing["promoted"] == second.version
    assert [(v["version"], v["promoted"]) for v in listing["versions"]] == [
        (second.version, True),
        (first.version, False),
    ]
    # When the operator rolls back by version alone (the model is found)
    assert main(["models", "rollback", first.version]) == 0
    answer = json.loads(capsys.readouterr().out)
    # Then the first serves again
    assert answer == {
        "model": "segmentation",
        "promoted": first.version,
        "replaced": second.version,
    }
    assert store.current("segmentation").version == first.version


def test_rollback_to_an_unknown_version_fails_clearly(store, capsys):
    assert main(["models", "rollback", "20990101T000000000000Z-00000000"]) == 2
    assert "no model has a saved version" in capsys.readouterr().err
    assert main(["models", "list", "--model", "churn"]) == 2
    assert "unknown model 'churn'" in capsys.readouterr().err
