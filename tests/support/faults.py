"""Misbehaving TCP endpoints for timeout tests: a black hole and a proxy that stalls mid-answer."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def black_hole() -> Iterator[tuple[str, int]]:
    """A listening port on 127.0.0.1 that completes the TCP handshake and then says nothing."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[:2]
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


@contextmanager
def stalling_proxy(
    upstream: tuple[str, int], stall_after: Callable[[bytes], bool], keep_bytes: int = 16
) -> Iterator[tuple[str, int]]:
    """A TCP proxy to ``upstream`` that, once a client packet satisfies ``stall_after``,
    forwards only ``keep_bytes`` more of the server's answer and then nothing (the server
    "stops mid-result"); everything before passes through unchanged."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    listener.settimeout(0.1)
    stop = threading.Event()
    sockets: list[socket.socket] = [listener]
    threads: list[threading.Thread] = []

    def pump(
        source: socket.socket, target: socket.socket, inspect: bool, tripped: list[bool]
    ) -> None:
        budget = keep_bytes
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                if inspect:
                    if stall_after(chunk):
                        tripped.append(True)
                    target.sendall(chunk)
                elif tripped:
                    if budget > 0:
                        target.sendall(chunk[:budget])
                        budget -= len(chunk[:budget])
                else:
                    target.sendall(chunk)

    def accept() -> None:
        while not stop.is_set():
            try:
                client = listener.accept()[0]
            except (TimeoutError, OSError):
                continue
            server = socket.create_connection(upstream, timeout=5)
            server.settimeout(None)
            sockets.extend((client, server))
            tripped: list[bool] = []
            for args in ((client, server, True, tripped), (server, client, False, tripped)):
                thread = threading.Thread(target=pump, args=args, daemon=True)
                thread.start()
                threads.append(thread)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[:2]
    finally:
        stop.set()
        acceptor.join(timeout=5)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in threads:
            thread.join(timeout=5)
