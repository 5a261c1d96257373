"""Byte storage by key for the model store: a local directory or an S3 bucket and prefix."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from aktina_ml.model_store.manifest import ModelStoreError, PreconditionFailedError


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


def _content_tag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()}"'
