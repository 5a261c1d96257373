"""Byte storage by key for the model store: a local directory or an S3 bucket and prefix.

Every read is bounded: a document (pointer, manifest) at :data:`MAX_DOCUMENT_BYTES`, an
artifact at the size its manifest declares, streamed and stopped one byte past it. A local
store reads regular files only, opened without blocking (a FIFO in place of a pointer is an
error, never a hang), and leaves no temporary file behind a failed or killed write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

from aktina_ml.model_store.manifest import (
    MAX_DOCUMENT_BYTES,
    ModelStoreError,
    NotRegularFileError,
    OversizeError,
    PreconditionFailedError,
)

# A temporary file this old is a write that was killed (a live write takes milliseconds).
STALE_TEMP_SECONDS = 600.0
CHUNK = 1024 * 1024


class Backend(Protocol):
    """Byte storage by key; ``get`` returns None for a missing key."""

    def get(self, key: str) -> bytes | None: ...

    def get_artifact(self, key: str, size_bytes: int) -> bytes | None: ...

    def size(self, key: str) -> int | None: ...

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
        """A document (pointer, manifest) of at most :data:`MAX_DOCUMENT_BYTES`."""
        return self._read(key, MAX_DOCUMENT_BYTES)

    def get_artifact(self, key: str, size_bytes: int) -> bytes | None:
        """An artifact, read only if its file holds at most ``size_bytes``."""
        return self._read(key, size_bytes)

    def _read(self, key: str, limit: int) -> bytes | None:
        path = self.root / key
        try:
            # O_NONBLOCK: opening a FIFO waits for a writer otherwise (a hung cold start)
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ModelStoreError(f"cannot read {self.describe(key)}: {exc}") from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise NotRegularFileError(f"{self.describe(key)} is not a regular file: not read")
            _check_size(info.st_size, limit, self.describe(key))
            chunks, total = [], 0
            while chunk := os.read(fd, min(CHUNK, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                _check_size(total, limit, self.describe(key))  # grew while being read
            return b"".join(chunks)
        except OSError as exc:
            raise ModelStoreError(f"cannot read {self.describe(key)}: {exc}") from exc
        finally:
            os.close(fd)

    def size(self, key: str) -> int | None:
        """The size of the regular file at ``key`` (None when missing)."""
        try:
            info = (self.root / key).stat()
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(f"{self.describe(key)} is not a regular file")
        return info.st_size

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

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
        return self.size(key) is not None

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

    def forget_client(self) -> None:
        """A new client on next use (after a SnapStart restore): a lazily built one keeps its
        factory, so its timeouts and attempts stay bounded."""
        reset = getattr(self._client, "reset", None)
        if callable(reset):
            reset()
        else:
            self._client = None

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def get(self, key: str) -> bytes | None:
        return self.get_tagged(key)[0]

    def get_artifact(self, key: str, size_bytes: int) -> bytes | None:
        """An artifact, read only if the object holds at most ``size_bytes`` (streamed)."""
        return self._get(key, size_bytes)[0]

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._put(key, data, content_type)

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def get_tagged(self, key: str) -> tuple[bytes | None, str | None]:
        """The bytes at ``key`` (a document) and their ETag (None, None when missing)."""
        return self._get(key, MAX_DOCUMENT_BYTES)

    def _get(self, key: str, limit: int) -> tuple[bytes | None, str | None]:
        where = self.describe(key)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            return None, None
        except Exception as exc:  # botocore raises many types; all mean "store unreadable"
            raise ModelStoreError(f"cannot read {where}: {exc}") from exc
        body = response["Body"]
        try:
            _check_size(int(response.get("ContentLength") or 0), limit, where)
            data = body.read(limit + 1)
            _check_size(len(data), limit, where)
            return data, response["ETag"]
        except ModelStoreError:
            raise
        except Exception as exc:
            raise ModelStoreError(f"cannot read {where}: {exc}") from exc
        finally:
            body.close()

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
        return self.size(key) is not None

    def size(self, key: str) -> int | None:
        """HEAD the key (cheap: no body is transferred); None when missing."""
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return int(response["ContentLength"])
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code in ("404", "NoSuchKey", "NotFound"):
                return None
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


def _check_size(size: int, limit: int, where: str) -> None:
    if size > limit:
        raise OversizeError(f"{where} holds more than {limit:,} bytes: not read")


def _remove_stale_temps(path: Path) -> None:
    """Remove the temporary files of writes to ``path`` that were killed before their rename."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if temp.lstat().st_mtime < cutoff:
                temp.unlink()


def _content_tag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()}"'
