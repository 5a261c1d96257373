"""A black-hole endpoint: a local TCP server that accepts connections and never answers.

It stands for an S3 (or KMS, or database) endpoint that is reachable but hung, the fault
that turns a missing timeout into a hung request. Port 0: the OS picks a free port.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BlackHole:
    """Accepts and holds every connection without reading or writing a byte."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._server.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="black-hole", daemon=True)
        self.connections = 0

    @property
    def url(self) -> str:
        host, port = self._server.getsockname()[:2]
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(connection)
            self.connections += 1

    def start(self) -> BlackHole:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._server.close()


@contextmanager
def black_hole() -> Iterator[BlackHole]:
    """A running black hole, stopped (every held connection closed) on exit."""
    hole = BlackHole().start()
    try:
        yield hole
    finally:
        hole.stop()
