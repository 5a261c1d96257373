"""A saved model version's manifest, the store's file names and the store's errors."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

ARTIFACT_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
POINTER_FILE = "current.json"
# Model names and versions become key and path parts: plain names only (no "/", no "..").
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
# A pointer or manifest is a few kilobytes; one larger than this is not read.
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024


class ModelStoreError(RuntimeError):
    """The store could not be read or written."""


class ArtifactIntegrityError(ModelStoreError):
    """An artifact does not match the sha256 of its manifest."""


class SignatureMismatchError(ArtifactIntegrityError):
    """A manifest's signature does not verify with the store's key."""


class ArtifactMissingError(ModelStoreError):
    """The artifact a manifest names is not in the store."""


class OversizeError(ArtifactIntegrityError):
    """A stored object is larger than its manifest says or than the store reads."""


class NotRegularFileError(ModelStoreError):
    """A local store path is a FIFO, device or directory instead of a file: never read."""


class PreconditionFailedError(ModelStoreError):
    """A conditional write lost a race: the key changed since it was read."""


@dataclass(frozen=True)
class Manifest:
    """What is known about one saved model version (``signature``: see :mod:`.signing`)."""

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
            for label, value in (("name", manifest.name), ("version", manifest.version)):
                check_plain_name(value, label)
            if manifest.size_bytes <= 0:
                raise ValueError(f"size_bytes must be positive, not {manifest.size_bytes}")
            if not is_sha256(manifest.sha256):
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


def check_plain_name(value: object, label: str) -> str:
    """``value`` when it is a plain name (letters, digits, ``_.-``; no path); else ValueError."""
    if not isinstance(value, str) or not PLAIN_NAME.fullmatch(value) or ".." in value:
        raise ValueError(f"{label} must be a plain name (letters, digits, _ . -), not {value!r}")
    return value


def artifact_key(manifest: Manifest) -> str:
    return f"{manifest.name}/versions/{manifest.version}/{ARTIFACT_FILE}"


def is_sha256(value: object) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, sort_keys=True, default=str).encode()
