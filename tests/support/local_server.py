"""Run the local API server in a background thread for a test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aktina_ml.local.server import LocalApi, LocalServer


@contextmanager
def running(api: LocalApi) -> Iterator[LocalServer]:
    """``api`` served on a free port of 127.0.0.1 until the block ends."""
    server = LocalServer(api, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
