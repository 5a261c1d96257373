"""The local server under load and attack: backlog, TCP_NODELAY, Host check, --host rule,
and a port already in use."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from aktina_ml.cli import main
from aktina_ml.local.events import HttpRequest
from aktina_ml.local.server import LocalApi, LocalServer, host_name, is_loopback
from tests.support.local_server import running

KEY = "safety-key-1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalApi:
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    return LocalApi(api_key=KEY, log=lambda message: None)


def page(
    api: LocalApi, host: str | None, source_ip: str = "127.0.0.1", path: str = "/"
) -> tuple[int, bytes]:
    headers = [] if host is None else [("Host", host)]
    response = api.handle(HttpRequest("GET", path, "", headers, source_ip=source_ip))
    return response.status, response.body


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1"])
def test_page_asked_for_by_a_loopback_name_carries_the_key(api, host):
    status, body = page(api, host)
    assert status == 200
    assert f'content="{KEY}"'.encode() in body


@pytest.mark.parametrize("host", ["attacker.example:8000", "192.168.1.20:8000", "127.0.0.1.nip.io"])
def test_loopback_server_refuses_any_other_host_so_a_rebinding_page_gets_no_key(api, host):
    # When a page whose name was rebound to 127.0.0.1 asks for the preview page
    status, body = page(api, host)
    # Then it is refused, and the key is nowhere in the answer
    assert status == 403
    assert b"is not this server" in body
    assert KEY.encode() not in body


@pytest.mark.parametrize("host", ["attacker.example:8000", "192.168.1.20:8000"])
def test_the_swagger_page_follows_the_same_host_rule(api, host):
    # Given the Swagger page, which fills in the key for "Try it out"
    # When a loopback name asks, it has the key; when a rebound name asks, it is refused
    assert KEY.encode() in page(api, "127.0.0.1:8000", path="/docs")[1]
    status, body = page(api, host, path="/docs")
    assert status == 403
    assert KEY.encode() not in body


def test_server_open_to_other_machines_never_gives_them_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    api = LocalApi(api_key=KEY, log=lambda message: None, remote_clients=True)
    # A browser on another machine gets the page, without the key
    status, body = page(api, "192.168.1.20:8000", source_ip="192.168.1.33")
    assert status == 200
    assert KEY.encode() not in body
    assert b'content=""' in body
    # Even when it claims a loopback Host
    assert KEY.encode() not in page(api, "127.0.0.1:8000", source_ip="192.168.1.33")[1]
    # This machine, by a loopback name, still gets it
    assert f'content="{KEY}"'.encode() in page(api, "127.0.0.1:8000")[1]


def test_host_helpers():
    assert [host_name(h) for h in ("[::1]:80", "a.b:80", "a.b", "::1")] == [
        "::1",
        "a.b",
        "a.b",
        "::1",
    ]
    assert all(map(is_loopback, ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.1", "localhost.evil", ""]))


def test_backlog_holds_128_waiting_connections(api):
    # Given a listening server that has not accepted anyone yet
    server = LocalServer(api, "127.0.0.1", 0, quiet=True)
    clients: list[socket.socket] = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        # When 128 clients connect at once
        for _ in range(128):
            clients.append(socket.create_connection(server.server_address, timeout=2))
        # Then every one is queued, and answered once the server runs
        thread.start()
        for client in (clients[0], clients[-1]):
            client.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 403")  # no key: API Gateway's answer
    finally:
        for client in clients:
            client.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def test_kept_alive_connections_have_nagle_off(api):
    with running(api) as server:
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/health", headers={"x-api-key": KEY})
        assert json.loads(connection.getresponse().read())["status"] == "degraded"
        # While the connection is kept alive, the server's end of it sends without delay
        (accepted,) = server._connections
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        connection.close()


@pytest.fixture
def quiet_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    monkeypatch.delenv("AKTINA_LOCAL_API_KEY", raising=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_host_beyond_loopback_without_an_explicit_key_is_refused(quiet_env, capsys, host):
    code = main(["serve", "--host", host, "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--host {host} lets other machines reach the API" in err
    assert "--api-key" in err
    assert "Traceback" not in err


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        yield taken.getsockname()[1]


def test_port_in_use_is_one_clear_line_and_a_non_zero_exit(quiet_env, capsys, busy_port):
    code = main(["serve", "--port", str(busy_port), "--api-key", KEY])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1] == (
        f"aktina-ml serve: cannot listen on 127.0.0.1:{busy_port} (Address already in use); "
        "choose another with --port N (0 picks a free port)"
    )
    assert not any("Traceback" in line or "AttributeError" in line for line in err)


def test_a_failed_bind_leaves_no_half_made_server(api, busy_port):
    with pytest.raises(OSError, match="Address already in use"):
        LocalServer(api, "127.0.0.1", busy_port)


def test_serve_on_all_interfaces_warns_and_gives_the_page_on_loopback(tmp_path):
    # Given `aktina-ml serve --host 0.0.0.0` with a chosen key
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)]),
        "AKTINA_MODEL_STORE": str(tmp_path / "models"),
    }
    command = [sys.executable, "-m", "aktina_ml", "serve", "--host", "0.0.0.0", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--api-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        lines: list[str] = []
        while not any("API base URL" in line for line in lines):
            line = process.stdout.readline()
            assert line, f"serve ended early: {process.stderr.read()}"
            lines.append(line)
        page_url = next(line for line in lines if "preview page" in line).split()[-1]
        # Then the page URL printed is a loopback one, and it carries the key there
        assert page_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(page_url, timeout=10) as response:
            assert f'content="{KEY}"'.encode() in response.read()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    # And it warned that other machines can reach the API
    assert "WARNING: listening on 0.0.0.0" in process.stderr.read()


# --- reading only what is allowed, and never waiting forever --------------------------------


def exchange(server: LocalServer, head: str, body: bytes = b"", wait: float = 5) -> bytes:
    """Send ``head`` (and ``body``) without closing our side; what the server answers, until
    it closes the connection or ``wait`` seconds pass (a server still waiting: a timeout)."""
    with socket.create_connection(server.server_address[:2], timeout=wait) as client:
        client.sendall(head.encode() + b"\r\n" + body)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
            if b"\r\n\r\n" in received and received.endswith(b"}"):
                break
        return received


def post_head(length: str, key: str | None = None) -> str:
    lines = ["POST /predict-sales HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {length}"]
    lines += [f"x-api-key: {key}"] if key else []
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("length", ["-1", "5000000", "300000000", "abc"])
def test_a_request_without_the_key_is_refused_before_its_body_is_read(api, length):
    with running(api) as server:
        # When a client declares a body (or a negative length) and sends none of it, no key
        answer = exchange(server, post_head(length))
    # Then the 403 comes at once: the server read no body (a -1 once read 300 MB to EOF)
    assert answer.startswith(b"HTTP/1.1 403"), answer[:80]
    assert answer.endswith(b'{"message": "Forbidden"}')


@pytest.mark.parametrize(
    ("length", "status"),
    [("-1", b"400"), ("+5", b"400"), ("1e3", b"400"), ("0x10", b"400"), ("300000000", b"413")],
)
def test_a_declared_length_that_is_not_a_small_number_is_refused_before_reading(
    api, length, status
):
    with running(api) as server:
        answer = exchange(server, post_head(length, KEY))
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:80]


def test_an_idle_connection_is_closed_after_the_read_timeout(api):
    with running(api) as server:
        server.read_timeout = 0.3
        # When a client connects and says nothing, the server closes its end
        with socket.create_connection(server.server_address[:2], timeout=5) as client:
            assert client.recv(64) == b""


def test_a_half_sent_body_is_dropped_after_the_read_timeout(api):
    with running(api) as server:
        server.read_timeout = 0.3
        # When a client sends 10 of the 100 bytes it declared, and waits
        answer = exchange(server, post_head("100", KEY), b'{"sales":[')
    # Then the server closes the connection without invoking the function
    assert answer == b""


def test_a_trickled_body_is_dropped_after_the_body_deadline(api):
    with running(api) as server:
        server.read_timeout, server.body_deadline = 1.0, 0.5
        with socket.create_connection(server.server_address[:2], timeout=5) as client:
            client.sendall((post_head("1000", KEY) + "\r\n").encode())
            # When the body comes one byte every 0.1 s (each read within the timeout)
            closed = False
            for _ in range(40):
                try:
                    client.sendall(b" ")
                except OSError:
                    closed = True
                    break
                client.settimeout(0.1)
                try:
                    if client.recv(64) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
    # Then the server gives up within the deadline instead of holding a thread for it
    assert closed


def test_a_valid_post_still_reads_its_whole_body(api):
    body = json.dumps({"sales": [{"date": "2025-01-01", "amount": 1}] * 3}).encode()
    with running(api) as server:
        answer = exchange(server, post_head(str(len(body)), KEY), body)
    assert answer.startswith(b"HTTP/1.1 422")  # read and validated: too short a history
