"""ModelStore and ModelCache on a local directory: versioning, integrity, promotion, refresh."""

from __future__ import annotations

import json
import logging
import os
import threading
import time

import numpy as np
import pytest

from aktina_ml.api.model_cache import ModelCache, NoModelError
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactKindError,
    ModelStoreError,
    NotRegularFileError,
    OversizeError,
    PointerError,
)
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
    read = store.backend.get_artifact
    store.backend.get_artifact = lambda key, size: reads.append(key) or read(key, size)
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


# --- what the store reads: plain names, regular files, bounded sizes ------------------------


def plant_pointer(root, name: str, manifest: dict) -> None:
    (root / name).mkdir(parents=True, exist_ok=True)
    (root / name / "current.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("version", ["../../outside/v1", "../x", "a/b", "..", ".hidden", ""])
def test_a_pointer_version_that_is_not_a_plain_name_is_refused(tmp_path, version):
    # Given a store, and outside it an artifact an attacker placed with a matching manifest
    root = tmp_path / "store"
    store = ModelStore(LocalBackend(root))
    outside = store.save("forecast", "outside", {})  # a real artifact, to copy out
    source = root / "forecast" / "versions" / outside.version / "model.joblib"
    (tmp_path / "outside" / "v1").mkdir(parents=True)
    (tmp_path / "outside" / "v1" / "model.joblib").write_bytes(source.read_bytes())
    # When the pointer names a version that walks out of the store
    plant_pointer(root, "forecast", {**outside.to_dict(), "version": version})
    # Then the pointer is refused, and nothing outside is served
    with pytest.raises(PointerError, match="plain name"):
        store.current("forecast")
    with pytest.raises(ModelStoreError):
        ModelCache(store, "forecast", str).get()
    with pytest.raises(ModelStoreError, match="plain name"):
        store.manifest("forecast", version)


def test_a_pointer_naming_another_model_is_refused(store):
    store.promote(store.save("forecast", "f", {}))
    forecast = store.current("forecast")
    plant_pointer(store.backend.root, "segmentation", forecast.to_dict())
    with pytest.raises(ArtifactKindError, match="holds a forecast manifest, not segmentation"):
        store.current("segmentation")


def in_thread(action, timeout: float = 5):
    """``action()``'s result or exception, or a failure if it is still running after
    ``timeout`` (a hung read must fail the test, not hang it)."""
    outcome: list = []

    def run():
        try:
            outcome.append(("ok", action()))
        except Exception as exc:
            outcome.append(("raised", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"still blocked after {timeout} s"
    return outcome[0]


def test_a_fifo_in_place_of_the_pointer_is_refused_without_blocking(store, tmp_path):
    # Given a cache serving a promoted model
    clock = Clock()
    store.promote(store.save("forecast", "v1", {}))
    cache = ModelCache(store, "forecast", str, refresh_seconds=1, clock=clock)
    assert cache.get().model == "v1"
    # When the pointer is replaced by a FIFO (no writer: opening it would wait for ever)
    pointer = tmp_path / "forecast" / "current.json"
    pointer.unlink()
    os.mkfifo(pointer)
    # Then reading it fails at once, naming the problem
    kind, error = in_thread(lambda: store.current("forecast"))
    assert kind == "raised"
    assert isinstance(error, NotRegularFileError)
    # And a cold container answers 503 in time, the warm one keeps serving
    assert in_thread(lambda: ModelCache(store, "forecast", str).get())[0] == "raised"
    clock.now = 2
    assert in_thread(cache.get)[1].model == "v1"
    cache.wait_for_refresh(5)
    # And once the FIFO is gone, a valid promotion is picked up
    pointer.unlink()
    store.promote(store.save("forecast", "v2", {}))
    clock.now = 4
    cache.get()
    cache.wait_for_refresh(5)
    assert cache.get().model == "v2"


def test_an_artifact_larger_than_declared_is_refused_before_reading_it_whole(store, tmp_path):
    # Given a promoted model whose artifact then grows to 1.5 GB (a sparse file)
    manifest = store.save("forecast", "small", {})
    path = tmp_path / "forecast" / "versions" / manifest.version / "model.joblib"
    with open(path, "r+b") as handle:
        handle.truncate(1_500_000_000)
    # When it is loaded or checked, Then it is refused from its size, nothing read or hashed
    for action in (lambda: store.load(manifest, str), lambda: store.check(manifest)):
        kind, error = in_thread(action, timeout=2)
        assert kind == "raised"
        assert isinstance(error, ArtifactIntegrityError)


def test_an_artifact_declared_over_the_store_limit_is_never_read(tmp_path):
    store = ModelStore(LocalBackend(tmp_path), max_artifact_bytes=1024 * 1024)
    manifest = store.save("forecast", "x" * 2_000_000, {})
    reads: list[str] = []
    store.backend.get_artifact = lambda key, size: reads.append(key)
    with pytest.raises(OversizeError, match="AKTINA_MODEL_MAX_BYTES"):
        store.load(manifest, str)
    with pytest.raises(OversizeError):
        store.check(manifest)
    assert reads == []


def test_a_killed_write_leaves_no_temporary_file_for_long(store, tmp_path):
    # Given the temporary file of a pointer write that was killed before its rename
    store.promote(store.save("forecast", "v1", {}))
    killed = tmp_path / "forecast" / ".current.json.abc123.tmp"
    killed.write_bytes(b"half a poin")
    os.utime(killed, (time.time() - 3600, time.time() - 3600))
    # When the next write to that file runs
    store.promote(store.save("forecast", "v2", {}))
    # Then the leftover is gone
    assert not killed.exists()
    assert store.current("forecast").version


def test_a_failed_write_removes_its_temporary_file(store, tmp_path, monkeypatch):
    store.promote(store.save("forecast", "v1", {}))

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        store.save("forecast", "v2", {})
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") and ".lock" not in p.name]
    assert leftovers == []
