"""Versioned model store on S3 or a local directory.

Layout under the store's prefix, per model name (``segmentation``, ``forecast``)::

    <name>/versions/<version>/model.joblib     the artifact (joblib)
    <name>/versions/<version>/manifest.json    sha256, size, metrics, library versions, ...
    <name>/current.json                        the promoted manifest (the pointer)

Training saves the artifact and its manifest first and promotes the pointer only after
that, so a reader never sees a half-written model. Loading verifies the sha256.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from aktina_ml.config import ModelStoreLocation, Settings
from aktina_ml.observability import logger
from aktina_ml.promotion import DATA_AS_OF, is_older, swap
from aktina_ml.signing import ManifestSigner, ManifestVerifier, SignatureError

ARTIFACT_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
POINTER_FILE = "current.json"

T = TypeVar("T")


class ModelStoreError(RuntimeError):
    """The store could not be read or written."""


class ArtifactIntegrityError(ModelStoreError):
    """An artifact does not match the sha256 of its manifest."""


class ArtifactMissingError(ModelStoreError):
    """The artifact a manifest names is not in the store."""


class PreconditionFailedError(ModelStoreError):
    """A conditional write lost a race: the key changed since it was read."""


class Backend(Protocol):
    """Byte storage by key; ``get`` returns None for a missing key."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def describe(self, key: str) -> str: ...

    def get_tagged(self, key: str) -> tuple[bytes | None, str | None]: ...

    def put_if(self, key: str, data: bytes, content_type: str, etag: str | None) -> None: ...

    def exists(self, key: str) -> bool: ...

    def list_folders(self, prefix: str) -> list[str]: ...


class LocalBackend:
    """A directory on disk; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def get(self, key: str) -> bytes | None:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ModelStoreError(f"cannot read {self.describe(key)}: {exc}") from exc

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def describe(self, key: str) -> str:
        return str(self.root / key)

    def get_tagged(self, key: str) -> tuple[bytes | None, str | None]:
        """The bytes at ``key`` and their entity tag (None, None when missing)."""
        data = self.get(key)
        return data, None if data is None else _content_tag(data)

    def put_if(self, key: str, data: bytes, content_type: str, etag: str | None) -> None:
        """Write only if ``key`` still has ``etag`` (None: only if it does not exist)."""
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.parent / f".{path.name}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            _, current = self.get_tagged(key)
            if current != etag:
                raise PreconditionFailedError(f"{self.describe(key)} changed since it was read")
            self.put(key, data, content_type)

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def list_folders(self, prefix: str) -> list[str]:
        """Names of the folders directly under ``prefix``."""
        folder = self.root / prefix
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


class S3Backend:
    """An S3 bucket and prefix. The boto3 client is passed in, or created on first use
    (a function that never reads the store builds no client at cold start)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self._client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("s3")
        return self._client

    @client.setter
    def client(self, client: Any) -> None:
        self._client = client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def get(self, key: str) -> bytes | None:
        return self.get_tagged(key)[0]

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._put(key, data, content_type)

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def get_tagged(self, key: str) -> tuple[bytes | None, str | None]:
        """The bytes at ``key`` and their ETag (None, None when missing)."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            return response["Body"].read(), response["ETag"]
        except self.client.exceptions.NoSuchKey:
            return None, None
        except Exception as exc:  # botocore raises many types; all mean "store unreadable"
            raise ModelStoreError(f"cannot read {self.describe(key)}: {exc}") from exc

    def put_if(self, key: str, data: bytes, content_type: str, etag: str | None) -> None:
        """S3 conditional write: If-Match ``etag``, or If-None-Match * when ``etag`` is None."""
        condition = {"IfMatch": etag} if etag is not None else {"IfNoneMatch": "*"}
        self._put(key, data, content_type, **condition)

    def _put(self, key: str, data: bytes, content_type: str, **condition: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(key),
                Body=data,
                ContentType=content_type,
                ChecksumAlgorithm="SHA256",
                **condition,
            )
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if condition and code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise PreconditionFailedError(
                    f"{self.describe(key)} changed since it was read"
                ) from exc
            raise ModelStoreError(f"cannot write {self.describe(key)}: {exc}") from exc

    def exists(self, key: str) -> bool:
        """HEAD the key (cheap: no body is transferred)."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code in ("404", "NoSuchKey", "NotFound"):
                return False
            raise ModelStoreError(f"cannot check {self.describe(key)}: {exc}") from exc

    def list_folders(self, prefix: str) -> list[str]:
        """Names of the "folders" directly under ``prefix`` (common prefixes)."""
        base = self._key(prefix).rstrip("/") + "/"
        names: list[str] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=base, Delimiter="/"
            )
            for page in pages:
                for common in page.get("CommonPrefixes", []):
                    names.append(common["Prefix"][len(base) :].rstrip("/"))
        except Exception as exc:
            raise ModelStoreError(f"cannot list {self.describe(prefix)}: {exc}") from exc
        return sorted(names)


@dataclass(frozen=True)
class Manifest:
    """What is known about one saved model version (``signature``: see aktina_ml.signing)."""

    name: str
    version: str
    sha256: str
    size_bytes: int
    created_at: str
    metadata: dict[str, Any] = field(default_factory=dict)
    signature: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "created_at": self.created_at,
            "metadata": self.metadata,
        }
        if self.signature is not None:
            data["signature"] = self.signature
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            name=data["name"],
            version=data["version"],
            sha256=data["sha256"],
            size_bytes=int(data["size_bytes"]),
            created_at=data["created_at"],
            metadata=dict(data.get("metadata") or {}),
            signature=data.get("signature"),
        )

    @classmethod
    def parse(cls, data: bytes, where: str) -> Manifest:
        """A manifest from stored JSON; raise :class:`PointerError` naming what is wrong."""
        try:
            parsed = json.loads(data)
            manifest = cls.from_dict(parsed)
            if not all(isinstance(v, str) and v for v in (manifest.name, manifest.version)):
                raise ValueError("name and version must be non-empty strings")
            if not _is_sha256(manifest.sha256):
                raise ValueError("sha256 must be 64 hex digits")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise PointerError(f"{where} is not a valid manifest: {exc}") from exc
        return manifest


class PointerError(ModelStoreError):
    """A pointer or manifest is not valid JSON of a manifest."""


class StalePromotionError(ModelStoreError):
    """The model was trained on data read before the promoted model's: it is not promoted."""


class ArtifactKindError(ModelStoreError):
    """The artifact is not of the kind its name serves (or holds what no artifact holds)."""


class ModelStore:
    """Save, promote and load versioned joblib artifacts.

    With a ``signer`` (training) every saved manifest is signed; with a ``verifier``
    (serving and training) a manifest is loaded only when its signature verifies. Every
    artifact goes through the restricted unpickler (:mod:`aktina_ml.safe_pickle`) and must
    be an instance of the type the caller expects.
    """

    def __init__(
        self,
        backend: Backend,
        signer: ManifestSigner | None = None,
        verifier: ManifestVerifier | None = None,
    ) -> None:
        self.backend = backend
        self.signer = signer
        self.verifier = verifier

    @classmethod
    def from_location(cls, location: ModelStoreLocation, s3_client: Any = None) -> ModelStore:
        """A store for ``AKTINA_MODEL_STORE``; without ``s3_client`` an S3 store creates
        its client on first use."""
        if location.bucket is not None:
            return cls(S3Backend(s3_client, location.bucket, location.prefix))
        return cls(LocalBackend(location.prefix))

    def save(self, name: str, model: Any, metadata: dict[str, Any]) -> Manifest:
        """Write a new version (artifact, then signed manifest) without promoting it.

        Both files are written only if absent: a saved version never changes.
        """
        import joblib  # here, not at the top: the health function reads manifests only

        buffer = io.BytesIO()
        joblib.dump(model, buffer)
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        now = datetime.now(UTC)
        unsigned = Manifest(
            name=name,
            version=f"{now:%Y%m%dT%H%M%S%fZ}-{digest[:8]}",
            sha256=digest,
            size_bytes=len(data),
            created_at=now.isoformat(timespec="seconds"),
            metadata=metadata,
        )
        stored = json.loads(_json_bytes(unsigned.to_dict()))  # what a reader will see
        if self.signer is not None:
            stored["signature"] = self.signer.sign(stored)
        manifest = Manifest.from_dict(stored)
        base = f"{name}/versions/{manifest.version}"
        self.backend.put_if(f"{base}/{ARTIFACT_FILE}", data, "application/octet-stream", None)
        self.backend.put_if(
            f"{base}/{MANIFEST_FILE}", _json_bytes(manifest.to_dict()), "application/json", None
        )
        return manifest

    def promote(self, manifest: Manifest, *, replace_newer: bool = False) -> None:
        """Make ``manifest`` the version that serving loads (compare-and-swap on the pointer).

        Raise :class:`StalePromotionError` when the promoted model was trained on data read
        later than ``manifest``'s, unless ``replace_newer`` (an operator's rollback).
        """
        key = f"{manifest.name}/{POINTER_FILE}"

        def decide(current_data: bytes | None) -> bytes:
            current = None
            if current_data is not None:
                try:
                    current = Manifest.parse(current_data, self.backend.describe(key))
                except PointerError as exc:
                    logger.warning("replacing an invalid pointer", extra={"error": str(exc)})
            if not replace_newer and current is not None and is_older(manifest, current):
                raise StalePromotionError(
                    f"{manifest.name} model {manifest.version} was trained on data read at "
                    f"{manifest.metadata.get(DATA_AS_OF)}, before the promoted "
                    f"{current.version} (read at {current.metadata.get(DATA_AS_OF)}): "
                    "the newer model stays"
                )
            return _json_bytes(manifest.to_dict())

        swap(self.backend, key, decide)

    def current(self, name: str) -> Manifest | None:
        """The promoted manifest, or None when no model was promoted yet.

        A pointer that is not a valid manifest raises :class:`PointerError`.
        """
        key = f"{name}/{POINTER_FILE}"
        data = self.backend.get(key)
        return None if data is None else Manifest.parse(data, self.backend.describe(key))

    def manifest(self, name: str, version: str) -> Manifest:
        """The saved manifest of one version; raise ModelStoreError when it is missing."""
        key = f"{name}/versions/{version}/{MANIFEST_FILE}"
        data = self.backend.get(key)
        if data is None:
            raise ModelStoreError(f"no {name} version {version} ({self.backend.describe(key)})")
        return Manifest.parse(data, self.backend.describe(key))

    def versions(self, name: str) -> list[str]:
        """Every saved version of ``name``, oldest first."""
        return self.backend.list_folders(f"{name}/versions")

    def verify(self, manifest: Manifest) -> None:
        """Check the manifest's signature (when this store has a verifier)."""
        if self.verifier is None:
            return
        try:
            self.verifier.verify(manifest.to_dict())
        except SignatureError as exc:
            raise ArtifactIntegrityError(str(exc)) from exc

    def check(self, manifest: Manifest) -> None:
        """Cheap readiness check: the signature verifies and the artifact exists (HEAD)."""
        self.verify(manifest)
        key = _artifact_key(manifest)
        if not self.backend.exists(key):
            raise ArtifactMissingError(f"artifact missing: {self.backend.describe(key)}")

    def load(self, manifest: Manifest, artifact_type: type[T]) -> T:
        """The artifact of ``manifest``: signature, sha256, allow-listed unpickling, type.

        Raises a :class:`ModelStoreError` (never runs code) when any check fails.
        """
        self.verify(manifest)
        key = _artifact_key(manifest)
        data = self.backend.get(key)
        if data is None:
            raise ArtifactMissingError(f"artifact missing: {self.backend.describe(key)}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != manifest.sha256:
            raise ArtifactIntegrityError(
                f"{self.backend.describe(key)} has sha256 {digest[:12]}…, "
                f"manifest says {manifest.sha256[:12]}…: refusing to load it"
            )
        from aktina_ml.safe_pickle import (  # numpy and joblib: not for the health function
            ForbiddenArtifactError,
            allowed_for,
            restricted_load,
        )

        try:
            model = restricted_load(data, allowed_for(artifact_type))
        except ForbiddenArtifactError as exc:
            raise ArtifactKindError(f"refusing {self.backend.describe(key)}: {exc}") from exc
        if not isinstance(model, artifact_type):
            raise ArtifactKindError(
                f"{self.backend.describe(key)} holds a {type(model).__name__}, "
                f"not a {artifact_type.__name__}: refusing it"
            )
        return model

    def rollback(self, name: str, version: str, artifact_type: type[Any]) -> Manifest:
        """Promote an earlier saved version (after checking it loads), whatever its data age."""
        manifest = self.manifest(name, version)
        if manifest.name != name:
            raise ArtifactKindError(f"version {version} is a {manifest.name} model, not {name}")
        self.load(manifest, artifact_type)
        self.promote(manifest, replace_newer=True)
        return manifest


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


def open_store(settings: Settings, s3_client: Any = None, kms_client: Any = None) -> ModelStore:
    """The model store of ``AKTINA_MODEL_STORE`` with bounded-time AWS clients, created on
    first use when none is given (a function that never reads the store builds none).

    With ``AKTINA_MODEL_SIGNING_KEY`` the store signs what it saves and loads only
    manifests whose signature verifies with that key.
    """
    from aktina_ml import aws

    location = settings.store_location
    if location.bucket is not None and s3_client is None:
        s3_client = aws.Lazy(lambda: aws.s3_client(settings))
    store = ModelStore.from_location(location, s3_client)
    if not settings.model_signing_key and location.bucket is not None:
        logger.warning(
            "AKTINA_MODEL_SIGNING_KEY is not set: manifests are neither signed nor verified "
            "(sha256 and the unpickling allow-list still apply)",
            extra={"model_store": settings.model_store},
        )
    if settings.model_signing_key:
        from aktina_ml.signing import KmsSigner, KmsVerifier

        kms = kms_client or aws.Lazy(lambda: aws.kms_client(settings))
        store.signer = KmsSigner(kms, settings.model_signing_key)
        store.verifier = KmsVerifier(kms, settings.model_signing_key)
    return store


def model_cache(
    name: str, settings: Settings, s3_client: Any = None, kms_client: Any = None
) -> ModelCache[Any]:
    """The serving cache of model ``name`` in the configured store."""
    from aktina_ml.registry import KINDS

    return ModelCache(
        open_store(settings, s3_client, kms_client),
        name,
        KINDS[name].artifact(),
        settings.model_refresh_seconds,
    )


def _artifact_key(manifest: Manifest) -> str:
    return f"{manifest.name}/versions/{manifest.version}/{ARTIFACT_FILE}"


def _is_sha256(value: object) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _content_tag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()}"'


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, sort_keys=True, default=str).encode()
