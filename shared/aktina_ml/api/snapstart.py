"""SnapStart runtime hooks: what restored copies of a serving function must not share.

With SnapStart (template parameter ``SnapStart``, on by default for the GET functions) Lambda
runs a version's init once, when the version is published, snapshots the memory, and starts
every new container of that version from the snapshot — possibly days later, many at once.
Whatever init left in memory is then shared by all of them:

* the S3 client (and boto3's default session): its pooled connections were opened by the
  snapshotted machine, its credentials resolved then;
* each model cache's refresh timer: a reading of the snapshotted machine's monotonic clock,
  so the first request could serve a days-old pointer, or none (the clock may have gone back);
* random state: every copy would draw the same numbers (botocore's retry jitter, anything
  seeded from ``random`` or numpy's global generator).

:func:`prepare_for_snapshot` at the end of a handler's init registers two hooks with
``snapshot_restore_py`` (shipped in Lambda's Python runtimes; the hooks only ever run when
SnapStart is on): before the snapshot, load each cache's model, so restored copies start
with it in memory (no model trained yet is fine); after each restore, redo the three things
above. Serving functions hold no database connection, so there is none to reopen.
"""

from __future__ import annotations

import gc
import random
import sys
from typing import Any

from aktina_ml.api.model_cache import ModelCache, NoModelError
from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.manifest import ModelStoreError
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger


def prepare_for_snapshot(*caches: ModelCache[Any], stores: tuple[ModelStore, ...] = ()) -> None:
    """Register the hooks for these model caches and stores (each cache's store included)."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ModuleNotFoundError:  # not a Lambda Python runtime: nothing would run the hooks
        return
    every_store = (*stores, *(cache.store for cache in caches))
    register_before_snapshot(load_models, caches)
    register_after_restore(forget_snapshot_state, caches, every_store)


def load_models(caches: tuple[ModelCache[Any], ...]) -> None:
    """Before the snapshot: load each promoted model (what every restored copy then has)."""
    for cache in caches:
        try:
            cache.get()
        except (NoModelError, ModelStoreError) as exc:
            logger.warning("snapshot taken without a model", extra={"reason": str(exc)})
    gc.freeze()  # the loaded model lives as long as the container, like the rest of init


def forget_snapshot_state(
    caches: tuple[ModelCache[Any], ...], stores: tuple[ModelStore, ...]
) -> None:
    """After a restore: fresh random state, S3 clients rebuilt on first use, pointers re-read."""
    random.seed()
    _reseed_numpy()
    _drop_boto3_session()
    for store in stores:
        if isinstance(store.backend, S3Backend):
            store.backend.forget_client()
    for cache in caches:
        cache.expire()


def _reseed_numpy() -> None:
    numpy = sys.modules.get("numpy")  # reseed only what init imported
    if numpy is not None:
        numpy.random.seed()


def _drop_boto3_session() -> None:
    boto3 = sys.modules.get("boto3")  # the next client gets a new session (and credentials)
    if boto3 is not None:
        boto3.DEFAULT_SESSION = None  # type: ignore[attr-defined]  # a plain module here
