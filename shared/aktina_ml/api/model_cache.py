"""The serving side of the model store: one loaded model per container, refreshed in a
background thread when the pointer moves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aktina_ml.config import Settings
from aktina_ml.kind import ModelKind
from aktina_ml.model_store.factories import open_store
from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactKindError,
    ArtifactMissingError,
    Manifest,
    ModelStoreError,
)
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger

T = TypeVar("T")


class NoModelError(LookupError):
    """No model has been promoted yet: training has to run first."""


@dataclass(frozen=True)
class LoadedModel(Generic[T]):
    manifest: Manifest
    model: T


class ModelCache(Generic[T]):
    """The serving side: one loaded model per container, refreshed when the pointer moves.

    Cold (nothing loaded yet), a request reads the pointer and loads its artifact itself;
    :meth:`manifest` alone reads only the pointer (enough for an ETag: a cold 304 costs no
    unpickling). A store failure then raises (503), within the clients' timeouts.

    Warm, requests never wait for the store: when the pointer is due (``refresh_seconds``)
    a request starts one refresh in a background thread and is answered from the loaded
    model. The refresh reads the pointer and, when it names another version, loads it
    through every check (signature, sha256, allow-list, kind) before swapping it in. A
    malformed pointer, a failing store or a bad artifact never replaces the loaded model;
    the failure is logged once until the store recovers, and a refused version is not
    downloaded again.
    """

    def __init__(
        self,
        store: ModelStore,
        name: str,
        artifact_type: type[T],
        refresh_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self.store = store
        self.name = name
        self.artifact_type = artifact_type
        self.refresh_seconds = refresh_seconds
        self.background = background
        self._clock = clock
        self._pointer: Manifest | None = None  # read while cold, not loaded yet
        self._loaded: LoadedModel[T] | None = None
        self._refused: Manifest | None = None
        self._checked_at = float("-inf")
        self._failing = False
        self._cold_lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._thread: threading.Thread | None = None
        self._expired = False  # expire(): the next request refreshes in its own thread

    def expire(self) -> None:
        """Re-read the pointer on next use, whatever the refresh timer says, before that
        request is answered (after a SnapStart restore the snapshot's model may be days old,
        and its timer is another machine's monotonic clock)."""
        with self._cold_lock:
            self._checked_at = float("-inf")
            self._expired = True

    def manifest(self) -> Manifest:
        """The manifest being served; raise :class:`NoModelError` when there is none."""
        loaded = self._loaded
        if loaded is not None:
            # for the requests after this one (for this one too after expire())
            if self._refresh_if_due():
                loaded = self._loaded or loaded
            return loaded.manifest
        with self._cold_lock:
            if self._loaded is not None:
                return self._loaded.manifest
            return self._cold_pointer()

    def get(self) -> LoadedModel[T]:
        """The current model; raise :class:`NoModelError` when there is none to serve."""
        loaded = self._loaded
        if loaded is not None:
            # for the requests after this one (for this one too after expire())
            if self._refresh_if_due():
                loaded = self._loaded or loaded
            return loaded
        with self._cold_lock:
            if self._loaded is None:
                manifest = self._cold_pointer()
                self._loaded = LoadedModel(manifest, self.store.load(manifest, self.artifact_type))
                self._pointer = None
                self._checked_at = self._clock()
                logger.info("model loaded", extra={"model": self.name, "version": manifest.version})
            return self._loaded

    def wait_for_refresh(self, timeout: float | None = None) -> None:
        """Wait until a background refresh in flight has finished (for tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _cold_pointer(self) -> Manifest:
        if self._pointer is None or self._clock() - self._checked_at >= self.refresh_seconds:
            self._pointer = self.store.current(self.name)
            self._checked_at = self._clock()
        if self._pointer is None:
            raise NoModelError(f"no {self.name} model has been trained yet: run training")
        return self._pointer

    def _refresh_if_due(self) -> bool:
        """Start a refresh when due; True when it ran in this thread (after expire())."""
        if self._clock() - self._checked_at < self.refresh_seconds:
            return False
        expired, self._expired = self._expired, False
        if not self._refreshing.acquire(blocking=expired):
            return False  # one refresh at a time; this request is answered from the loaded model
        self._checked_at = self._clock()
        if self.background and not expired:
            self._thread = threading.Thread(
                target=self._refresh, name=f"refresh-{self.name}", daemon=True
            )
            self._thread.start()
            return False
        self._refresh()
        return True

    def _refresh(self) -> None:
        """Runs holding ``_refreshing``; releases it. Never raises."""
        manifest: Manifest | None = None
        try:
            loaded = self._loaded
            assert loaded is not None
            manifest = self.store.current(self.name)
            if manifest is None or manifest == loaded.manifest:
                self._failing = False
                return
            if manifest == self._refused:
                return  # refused (and logged) before: not downloaded again
            self._loaded = LoadedModel(manifest, self.store.load(manifest, self.artifact_type))
            self._failing = False
            logger.info("model loaded", extra={"model": self.name, "version": manifest.version})
        except ModelStoreError as exc:
            if isinstance(exc, (ArtifactIntegrityError, ArtifactKindError, ArtifactMissingError)):
                self._refused = manifest
            self._still_serving(exc)
        except Exception as exc:  # a refresh thread must never die silently
            logger.exception("unexpected error refreshing the model", extra={"model": self.name})
            self._still_serving(exc)
        finally:
            self._checked_at = self._clock()
            self._refreshing.release()

    def _still_serving(self, exc: Exception) -> None:
        loaded = self._loaded
        if not self._failing and loaded is not None:
            logger.error(
                "model store failed; still serving the loaded model",
                extra={"model": self.name, "version": loaded.manifest.version, "error": str(exc)},
            )
        self._failing = True


def model_cache(
    kind: ModelKind,
    settings: Settings,
    s3_client: Any = None,
    kms_client: Any = None,
    store: ModelStore | None = None,
) -> ModelCache[Any]:
    """The serving cache of model ``kind`` in the configured store (or ``store``: another
    cache's, so that one function's caches share one client)."""
    return ModelCache(
        store or open_store(settings, s3_client, kms_client),
        kind.name,
        kind.artifact(),
        settings.model_refresh_seconds,
    )
