"""The model store: save, promote and load versioned artifacts (S3 or a local directory);
its layout and write order: :mod:`aktina_ml.model_store`."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from aktina_ml.config import ModelStoreLocation
from aktina_ml.model_store.backends import Backend, LocalBackend, S3Backend
from aktina_ml.model_store.manifest import (
    ARTIFACT_FILE,
    MANIFEST_FILE,
    POINTER_FILE,
    ArtifactIntegrityError,
    ArtifactKindError,
    ArtifactMissingError,
    Manifest,
    ModelStoreError,
    OversizeError,
    PointerError,
    SignatureMismatchError,
    StalePromotionError,
    artifact_key,
    check_plain_name,
    json_bytes,
)
from aktina_ml.model_store.promotion import DATA_AS_OF, is_older, swap
from aktina_ml.model_store.signing import ManifestSigner, ManifestVerifier, SignatureError
from aktina_ml.observability import logger

T = TypeVar("T")
# AKTINA_MODEL_MAX_BYTES's default: the largest artifact the store reads (ours are a few MB).
DEFAULT_MAX_ARTIFACT_BYTES = 256 * 1024 * 1024


class ModelStore:
    """Save, promote and load versioned joblib artifacts.

    With a ``signer`` (training) every saved manifest is signed; with a ``verifier``
    (serving and training) a manifest is loaded only when its signature verifies. Every
    artifact goes through the restricted unpickler (:mod:`.safe_pickle`) and must be an
    instance of the type the caller expects.
    """

    def __init__(
        self,
        backend: Backend,
        signer: ManifestSigner | None = None,
        verifier: ManifestVerifier | None = None,
        max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
    ) -> None:
        self.backend = backend
        self.signer = signer
        self.verifier = verifier
        self.max_artifact_bytes = max_artifact_bytes
        self._digest_checked: set[tuple[str, str]] = set()  # check() on an unsigned store

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
        stored = json.loads(json_bytes(unsigned.to_dict()))  # what a reader will see
        if self.signer is not None:
            stored["signature"] = self.signer.sign(stored)
        manifest = Manifest.from_dict(stored)
        base = f"{name}/versions/{manifest.version}"
        self.backend.put_if(f"{base}/{ARTIFACT_FILE}", data, "application/octet-stream", None)
        self.backend.put_if(
            f"{base}/{MANIFEST_FILE}", json_bytes(manifest.to_dict()), "application/json", None
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
            return json_bytes(manifest.to_dict())

        swap(self.backend, key, decide)

    def current(self, name: str) -> Manifest | None:
        """The promoted manifest, or None when no model was promoted yet.

        A pointer that is not a valid manifest raises :class:`PointerError`; one holding
        another model's manifest (a signed forecast copied to the segmentation pointer)
        raises :class:`ArtifactKindError`.
        """
        key = f"{name}/{POINTER_FILE}"
        data = self.backend.get(key)
        if data is None:
            return None
        manifest = Manifest.parse(data, self.backend.describe(key))
        if manifest.name != name:
            raise ArtifactKindError(
                f"{self.backend.describe(key)} holds a {manifest.name} manifest, not {name}"
            )
        return manifest

    def manifest(self, name: str, version: str) -> Manifest:
        """The saved manifest of one version; raise ModelStoreError when it is missing."""
        try:
            check_plain_name(version, "version")
        except ValueError as exc:
            raise ModelStoreError(str(exc)) from None
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
            raise SignatureMismatchError(str(exc)) from exc

    def check(self, manifest: Manifest) -> None:
        """Readiness without unpickling: what :meth:`load` checks before it unpickles.

        The signature verifies, the declared size is within the store's limit and the
        artifact has that size (HEAD). Without a verifier (an unsigned, local store) the
        artifact's sha256 is checked too, once per version.
        """
        self.verify(manifest)
        key = artifact_key(manifest)
        self._check_declared_size(manifest, key)
        size = self.backend.size(key)
        if size is None:
            raise ArtifactMissingError(f"artifact missing: {self.backend.describe(key)}")
        if size != manifest.size_bytes:
            raise ArtifactIntegrityError(size_mismatch(self.backend.describe(key), size, manifest))
        if self.verifier is None and (manifest.name, manifest.version) not in self._digest_checked:
            self._artifact_bytes(manifest, key)
            self._digest_checked.add((manifest.name, manifest.version))

    def _check_declared_size(self, manifest: Manifest, key: str) -> None:
        if manifest.size_bytes > self.max_artifact_bytes:
            raise OversizeError(
                f"{self.backend.describe(key)} is declared {manifest.size_bytes:,} bytes; the "
                f"store reads at most {self.max_artifact_bytes:,} (AKTINA_MODEL_MAX_BYTES)"
            )

    def _artifact_bytes(self, manifest: Manifest, key: str) -> bytes:
        """The artifact's bytes once its size and sha256 match the manifest (the size read
        streamed and stopped past the declared size, before any hashing or unpickling)."""
        self._check_declared_size(manifest, key)
        data = self.backend.get_artifact(key, manifest.size_bytes)
        if data is None:
            raise ArtifactMissingError(f"artifact missing: {self.backend.describe(key)}")
        if len(data) != manifest.size_bytes:
            raise ArtifactIntegrityError(
                size_mismatch(self.backend.describe(key), len(data), manifest)
            )
        digest = hashlib.sha256(data).hexdigest()
        if digest != manifest.sha256:
            raise ArtifactIntegrityError(
                f"{self.backend.describe(key)} has sha256 {digest[:12]}…, "
                f"manifest says {manifest.sha256[:12]}…: refusing to load it"
            )
        return data

    def load(self, manifest: Manifest, artifact_type: type[T]) -> T:
        """The artifact of ``manifest``: signature, sha256, allow-listed unpickling, type.

        Raises a :class:`ModelStoreError` (never runs code) when any check fails.
        """
        self.verify(manifest)
        key = artifact_key(manifest)
        data = self._artifact_bytes(manifest, key)
        # numpy and joblib: not for the health function
        from aktina_ml.model_store.safe_pickle import (
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


def size_mismatch(where: str, size: int, manifest: Manifest) -> str:
    return (
        f"{where} holds {size:,} bytes, not the {manifest.size_bytes:,} its manifest pins with "
        "its sha256: refusing it"
    )
