"""Compare-and-swap of the pointer on moto S3 and on a local directory."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from aktina_ml.model_store.backends import LocalBackend, S3Backend
from aktina_ml.model_store.manifest import PreconditionFailedError
from aktina_ml.model_store.promotion import swap
from tests.conftest import MODEL_BUCKET


@pytest.fixture(params=["s3", "local"])
def backend(request: pytest.FixtureRequest, tmp_path) -> Any:
    if request.param == "local":
        return LocalBackend(tmp_path)
    return S3Backend(request.getfixturevalue("s3"), MODEL_BUCKET, "models")


def test_the_first_write_needs_the_key_absent_and_later_ones_its_etag(backend):
    # Given no pointer: a write "if none exists" succeeds, a second one fails
    backend.put_if("m/current.json", b"1", "application/json", None)
    with pytest.raises(PreconditionFailedError):
        backend.put_if("m/current.json", b"2", "application/json", None)
    # When a writer holds the ETag it read
    data, etag = backend.get_tagged("m/current.json")
    assert data == b"1"
    backend.put_if("m/current.json", b"3", "application/json", etag)
    # Then a write based on that (now stale) ETag fails
    with pytest.raises(PreconditionFailedError):
        backend.put_if("m/current.json", b"4", "application/json", etag)
    assert backend.get("m/current.json") == b"3"


def test_a_writer_that_loses_the_race_decides_again_on_the_winners_pointer(backend):
    # Given writer A has read the pointer, then writer B promotes before A writes
    backend.put("m/current.json", b"v1", "application/json")
    seen: list[bytes | None] = []

    def a_decides(current: bytes | None) -> bytes:
        seen.append(current)
        if len(seen) == 1:  # B slips in between A's read and A's conditional write
            _, etag = backend.get_tagged("m/current.json")
            backend.put_if("m/current.json", b"v2-from-b", "application/json", etag)
        return b"v3-from-a"

    # When A swaps
    swap(backend, "m/current.json", a_decides)
    # Then A's first write failed and A decided again, seeing B's pointer
    assert seen == [b"v1", b"v2-from-b"]
    assert backend.get("m/current.json") == b"v3-from-a"


def test_concurrent_increments_lose_no_update(tmp_path):
    # Given 8 threads each adding 1 to a counter through compare-and-swap
    backend = LocalBackend(tmp_path)
    backend.put("counter", b"0", "text/plain")

    def add_one() -> None:
        swap(backend, "counter", lambda current: str(int(current or b"0") + 1).encode(), 50)

    threads = [threading.Thread(target=add_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then every increment is there (last writer wins would lose some)
    assert backend.get("counter") == b"8"
