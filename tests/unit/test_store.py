"""ModelStore and ModelCache on a local directory: versioning, integrity, promotion, refresh."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pytest

from aktina_ml.api.model_cache import ModelCache, NoModelError
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.manifest import ArtifactIntegrityError, ModelStoreError
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path) -> ModelStore:
    return ModelStore(LocalBackend(tmp_path))


def test_saved_model_is_not_served_until_promoted(store):
    # Given a saved but unpromoted model
    manifest = store.save("segmentation", {"centroids": np.eye(3)}, {"k": 3})
    # Then there is no current model yet
    assert store.current("segmentation") is None
    # When it is promoted
    store.promote(manifest)
    # Then it is current and loads back equal, with its metadata
    current = store.current("segmentation")
    assert current == manifest
    assert current.metadata == {"k": 3}
    assert np.array_equal(store.load(current, dict)["centroids"], np.eye(3))


def test_tampered_artifact_is_refused(store, tmp_path):
    # Given a promoted model whose artifact bytes were changed afterwards
    manifest = store.save("forecast", [1, 2, 3], {})
    store.promote(manifest)
    artifact = tmp_path / "forecast" / "versions" / manifest.version / "model.joblib"
    artifact.write_bytes(artifact.read_bytes()[:-5])
    # When it is loaded, Then the sha256 check refuses it
    with pytest.raises(ArtifactIntegrityError, match="sha256"):
        store.load(manifest, list)


def test_cache_without_model_says_to_train(store):
    with pytest.raises(NoModelError, match="run training"):
        ModelCache(store, "forecast", str).get()


def test_cache_picks_up_a_newly_promoted_model_after_the_refresh_interval(store):
    # Given a cache serving version 1
    clock = Clock()
    store.promote(store.save("forecast", "v1", {}))
    cache = ModelCache(store, "forecast", str, refresh_seconds=60, clock=clock)
    assert cache.get().model == "v1"
    # When version 2 is promoted
    store.promote(store.save("forecast", "v2", {}))
    # Then the cache keeps v1 until the interval passes
    clock.now = 59
    assert cache.get().model == "v1"
    # And the request that finds it due is answered at once, from v1, while a background
    # refresh loads v2 for the requests after it
    clock.now = 61
    assert cache.get().model == "v1"
    cache.wait_for_refresh(5)
    assert cache.get().model == "v2"
    assert cache.manifest() == cache.get().manifest


def test_a_slow_refresh_holds_no_request(tmp_path):
    # Given a warm cache whose store hangs on the next pointer read
    backend = StallingBackend(tmp_path)
    store = ModelStore(backend)
    store.promote(store.save("forecast", "v1", {}))
    clock = Clock()
    cache = ModelCache(store, "forecast", str, refresh_seconds=1, clock=clock)
    cache.get()
    store.promote(store.save("forecast", "v2", {}))
    backend.stall.clear()
    # When the refresh falls due and stalls, requests keep coming
    clock.now = 2
    started = time.monotonic()
    answers = [cache.get().model for _ in range(50)] + [cache.manifest().version[:0]]
    elapsed = time.monotonic() - started
    # Then every one is answered from the loaded model, without waiting for the store
    assert set(answers) == {"v1", ""}
    assert elapsed < 1
    # And when the store answers again the new version is served
    backend.stall.set()
    cache.wait_for_refresh(5)
    assert cache.get().model == "v2"


def test_cache_keeps_serving_when_a_bad_model_is_promoted(store, tmp_path, caplog):
    # Given a cache serving a good model
    clock = Clock()
    good = store.save("forecast", "good", {})
    store.promote(good)
    cache = ModelCache(store, "forecast", str, refresh_seconds=1, clock=clock)
    assert cache.get().model == "good"
    # When a truncated artifact is promoted
    bad = store.save("forecast", "bad", {})
    path = tmp_path / "forecast" / "versions" / bad.version / "model.joblib"
    path.write_bytes(b"truncated")
    store.promote(bad)
    reads: list[str] = []
    read = store.backend.get
    store.backend.get = lambda key: reads.append(key) or read(key)
    # Then the good model keeps serving on every request and the error is logged once
    with caplog.at_level(logging.ERROR, logger=logger.name):
        for second in range(2, 6):
            clock.now = second
            assert cache.get().manifest.version == good.version
            cache.wait_for_refresh(5)
    assert sum("still serving" in r.getMessage() for r in caplog.records) == 1
    # And the refused version was downloaded once, not at every refresh
    assert sum(key.endswith("model.joblib") for key in reads) == 1


class StallingBackend(LocalBackend):
    """Pointer reads wait until ``stall`` is set (a hung store)."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.stall = threading.Event()
        self.stall.set()

    def get(self, key):
        if key.endswith("current.json"):
            self.stall.wait(10)
        return super().get(key)


class FailingBackend(LocalBackend):
    failing = False

    def get(self, key):
        if self.failing:
            raise ModelStoreError("store unreachable")
        return super().get(key)


def test_store_outage_after_load_keeps_the_cached_model(tmp_path, caplog):
    # Given a cache that has loaded a model
    backend = FailingBackend(tmp_path)
    store = ModelStore(backend)
    store.promote(store.save("segmentation", "model", {}))
    clock = Clock()
    cache = ModelCache(store, "segmentation", str, refresh_seconds=1, clock=clock)
    cache.get()
    # When the store becomes unreachable
    backend.failing = True
    with caplog.at_level(logging.ERROR, logger=logger.name):
        for second in range(2, 12):
            clock.now = second
            # Then the loaded model keeps serving
            assert cache.get().model == "model"
            cache.wait_for_refresh(5)
    # And the outage is logged once, not per request
    assert len([r for r in caplog.records if "still serving" in r.getMessage()]) == 1


def test_store_outage_before_any_load_is_an_error(tmp_path):
    backend = FailingBackend(tmp_path)
    backend.failing = True
    with pytest.raises(ModelStoreError):
        ModelCache(ModelStore(backend), "segmentation", str).get()
