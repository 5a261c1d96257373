"""SnapStart hooks, run in-process the way Lambda's runtime runs them: it reads the hooks
registered with snapshot_restore_py and calls each one (before the snapshot, after a restore)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import snapshot_restore_py

from aktina_ml.api.model_cache import ModelCache, NoModelError
from aktina_ml.api.snapstart import prepare_for_snapshot
from aktina_ml.segmentation.artifact import SegmentationModel
from tests.support.segmentation import s3_store, train_demo

Hooks = Callable[[], None]


@pytest.fixture
def runtime() -> Iterator[tuple[Hooks, Hooks]]:
    """(take_snapshot, restore): run the hooks registered during the test, as Lambda does
    (before the snapshot in reverse order of registration, after a restore in order)."""
    before, after = (
        snapshot_restore_py.get_before_snapshot(),
        snapshot_restore_py.get_after_restore(),
    )
    known_before, known_after = len(before), len(after)

    def run(hooks: list[Any]) -> None:
        for function, args, kwargs in hooks:
            function(*args, **kwargs)

    yield (
        lambda: run(list(reversed(before[known_before:]))),
        lambda: run(after[known_after:]),
    )
    del before[known_before:], after[known_after:]


class FrozenClock:
    """A monotonic clock that does not move unless told (the refresh timer never expires)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_snapshot_holds_the_promoted_model(s3, tmp_path, runtime):
    # Given a promoted segmentation and a serving cache whose hooks are registered
    take_snapshot, _ = runtime
    store = s3_store(s3)
    promoted = train_demo(store, tmp_path, n=300, seed=4)
    cache: ModelCache[Any] = ModelCache(
        store, "segmentation", SegmentationModel, clock=FrozenClock()
    )
    prepare_for_snapshot(cache)
    # When Lambda takes the snapshot, and the bucket's objects then disappear
    take_snapshot()
    for version in s3.list_object_versions(Bucket=store.backend.bucket).get("Versions", []):
        s3.delete_object(
            Bucket=store.backend.bucket, Key=version["Key"], VersionId=version["VersionId"]
        )
    # Then the snapshotted container already has the model in memory
    assert cache.get().manifest.version == promoted.manifest.version


def test_a_snapshot_without_any_model_is_still_taken(s3, runtime):
    # Given an empty store (first deploy: nothing trained yet)
    take_snapshot, _ = runtime
    cache: ModelCache[Any] = ModelCache(s3_store(s3), "segmentation", SegmentationModel)
    prepare_for_snapshot(cache)
    # When Lambda takes the snapshot / Then the hook does not fail the version's init
    take_snapshot()
    with pytest.raises(NoModelError):
        cache.get()


def test_a_restored_copy_reads_the_pointer_again_and_gets_a_new_client(s3, tmp_path, runtime):
    # Given a snapshot holding version 1, whose refresh timer says "just checked"
    take_snapshot, restore = runtime
    store = s3_store(s3)
    first = train_demo(store, tmp_path, n=300, seed=4)
    cache: ModelCache[Any] = ModelCache(
        store, "segmentation", SegmentationModel, clock=FrozenClock()
    )
    prepare_for_snapshot(cache)
    take_snapshot()
    snapshot_client = store.backend.client
    # And training promoted version 2 while the snapshot waited
    second = train_demo(store, tmp_path, n=300, seed=5)
    assert cache.get().manifest.version == first.manifest.version  # the timer alone: stale
    # When Lambda restores a copy from the snapshot
    restore()
    # Then the first request reads the pointer again, with a client built after the restore
    assert cache.get().manifest.version == second.manifest.version
    assert store.backend.client is not snapshot_client


def test_restored_copies_do_not_repeat_the_snapshot_random_numbers(s3, runtime):
    # Given the random state the snapshot holds
    take_snapshot, restore = runtime
    prepare_for_snapshot(ModelCache(s3_store(s3), "segmentation", SegmentationModel))
    take_snapshot()
    python_state, numpy_state = random.getstate(), np.random.get_state()
    # When two copies are restored from it, each drawing its first numbers
    draws = []
    for _ in range(2):
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        restore()
        draws.append((random.random(), float(np.random.random())))
    # Then neither repeats what the snapshot would draw, nor each other
    random.setstate(python_state)
    np.random.set_state(numpy_state)
    snapshot_draw = (random.random(), float(np.random.random()))
    assert snapshot_draw not in draws
    assert draws[0] != draws[1]


def test_a_restored_health_store_keeps_its_bounded_client(aws_credentials, runtime):
    # Given the health function's store: a lazily built S3 client with one attempt per call
    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store

    settings = load_settings(model_store="s3://bucket/models")
    store = open_store(settings, budget=settings.health_deadline_seconds)
    take_snapshot, restore = runtime
    prepare_for_snapshot(stores=(store,))
    take_snapshot()
    before = store.backend.client.meta.config
    # When Lambda restores a copy
    restore()
    after = store.backend.client.meta.config
    # Then its new client keeps the health budget (boto3's defaults would retry for a minute)
    assert after is not before
    assert after.retries["total_max_attempts"] == 1
    assert after.read_timeout < settings.health_deadline_seconds
