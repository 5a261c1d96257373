"""Moving a model's pointer: compare-and-swap, and never back to older data.

Two training runs can overlap (a scheduled run and one started by hand). The pointer is
written with a conditional put (S3 If-Match on the ETag read, If-None-Match for the first
one), so a write based on a stale read fails and is decided again on a fresh read. A model
trained on data read earlier than the promoted model's (``data_as_of``) is refused, unless
the promotion is an operator's explicit rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from aktina_ml.model_store.manifest import Manifest

DATA_AS_OF = "data_as_of"  # manifest metadata: when training read its data (UTC, ISO 8601)
SWAP_ATTEMPTS = 5


class ConditionalBackend(Protocol):
    """What :func:`swap` needs of a backend (LocalBackend and S3Backend both have it)."""

    def get_tagged(self, key: str) -> tuple[bytes | None, str | None]: ...

    def put_if(self, key: str, data: bytes, content_type: str, etag: str | None) -> None: ...


def is_older(new: Manifest, current: Manifest | None) -> bool:
    """True when ``new`` was trained on data read before ``current``'s."""
    if current is None:
        return False
    new_as_of, current_as_of = new.metadata.get(DATA_AS_OF), current.metadata.get(DATA_AS_OF)
    return bool(new_as_of and current_as_of and str(new_as_of) < str(current_as_of))


def swap(
    backend: ConditionalBackend,
    key: str,
    decide: Callable[[bytes | None], bytes],
    attempts: int = SWAP_ATTEMPTS,
) -> None:
    """Replace ``key`` with ``decide(current bytes)`` unless another writer got there first;
    then decide again on what it wrote. ``decide`` raises to refuse the write."""
    from aktina_ml.model_store.manifest import PreconditionFailedError

    for _ in range(attempts):
        current, etag = backend.get_tagged(key)
        data = decide(current)
        try:
            backend.put_if(key, data, "application/json", etag)
            return
        except PreconditionFailedError:
            continue
    raise PreconditionFailedError(f"{key} kept changing; gave up after {attempts} attempts")
