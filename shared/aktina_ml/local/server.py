"""A local API Gateway: a stdlib HTTP server that invokes the real Lambda handlers.

Each request is resolved against the route table, checked for the API key (403
``{"message": "Forbidden"}`` without it, as API Gateway answers), turned into a REST proxy
event and passed to ``lambda_handler`` of ``functions/<name>/app.py``, loaded once like a
warm container. One invocation per function at a time, as in one Lambda container. The
preview page is served at ``/`` (with the key and the currency injected) and its assets
under ``/static/``; the OpenAPI document and Swagger page come from :mod:`aktina_ml.local.openapi`.
The page carries the API key only when asked for by a loopback name (``localhost``,
``127.0.0.1``, ``[::1]``) from this machine, and a server listening on loopback answers no
other ``Host`` (a DNS-rebinding page cannot read the key).
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import importlib.util
import ipaddress
import json
import mimetypes
import secrets
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from aktina_ml import __version__
from aktina_ml.local.events import (
    HttpRequest,
    HttpResponse,
    LocalContext,
    build_event,
    gateway_error,
    to_http_response,
)
from aktina_ml.local.openapi import DOCS_PATH, OPENAPI_PATH, ApiDocs
from aktina_ml.local.routes import FUNCTIONS_DIR, RouteTable

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_KEY_PLACEHOLDER = "__AKTINA_API_KEY__"
CURRENCY_PLACEHOLDER = "__AKTINA_CURRENCY__"
# Lambda's synchronous invocation payload limit, each way (API Gateway's own is 10 MB).
LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024
MAX_BODY_BYTES = 10 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """``host`` (a name or an address, IPv6 with or without brackets) is this machine only."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(header: str | None) -> str:
    """The host part of a ``Host`` header: ``[::1]:8000`` → ``::1``, ``a.b:80`` → ``a.b``."""
    value = (header or "").strip()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rpartition(":")[0] if value.count(":") == 1 else value


@dataclass
class LoadedFunction:
    """One function's module, loaded once (a warm container), invoked one request at a time."""

    name: str
    module: ModuleType | None
    error: str | None
    lock: threading.Lock

    @classmethod
    def load(cls, name: str, functions_dir: Path) -> LoadedFunction:
        path = functions_dir / name / "app.py"
        spec = importlib.util.spec_from_file_location(f"aktina_local_{name}_app", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:  # an init failure: API Gateway then answers 502 for its routes
            return cls(name, None, traceback.format_exc(), threading.Lock())
        return cls(name, module, None, threading.Lock())

    def invoke(self, event: dict[str, Any]) -> Any:
        if self.module is None:  # callers answer 502 for a failed init instead
            raise RuntimeError(f"function {self.name} failed its init")
        with self.lock:
            return self.module.lambda_handler(event, LocalContext(function_name=self.name))


class LocalApi:
    """HTTP request → the answer API Gateway and the function would give (no sockets here)."""

    def __init__(
        self,
        api_key: str,
        functions_dir: Path = FUNCTIONS_DIR,
        routes: RouteTable | None = None,
        static_dir: Path = STATIC_DIR,
        log: Any = None,
        currency: str | None = None,
        remote_clients: bool = False,
    ) -> None:
        """``remote_clients``: the server listens beyond loopback, so any ``Host`` may ask
        for the page (it then comes without the key unless asked for on loopback)."""
        if not api_key:
            raise ValueError("the API key must not be empty")
        self.api_key = api_key
        if currency is None:  # AKTINA_CURRENCY, for the page's money figures
            from aktina_ml.config import load_settings

            currency = load_settings().currency
        self.currency = currency
        self.remote_clients = remote_clients
        self.routes = routes or RouteTable.available(functions_dir)
        self.static_dir = static_dir
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.functions = {
            name: LoadedFunction.load(name, functions_dir) for name in self.routes.functions
        }
        for function in self.functions.values():
            if function.error:
                self.log(f"function {function.name} failed to load:\n{function.error}")
        modules = {name: function.module for name, function in self.functions.items()}
        self.docs = ApiDocs(modules, self.routes, api_key, static_dir, __version__)

    def is_page(self, request: HttpRequest) -> bool:
        """A request for the preview page, the Swagger page or an asset (no body is read)."""
        return request.method in ("GET", "HEAD") and (
            request.path in ("/", DOCS_PATH) or request.path.startswith("/static/")
        )

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        """API Gateway's answer to a request it refuses before the function, from the request
        line and headers alone: the server sends it without reading a byte of the body."""
        if self.is_page(request) or (
            request.method in ("GET", "HEAD") and request.path == OPENAPI_PATH
        ):
            return None  # answered by the page or the docs, which read no body
        if self.routes.resolve(request.method, request.path) is None:
            return gateway_error(403, "Missing Authentication Token")  # API Gateway's words
        if not secrets.compare_digest(request.header("x-api-key") or "", self.api_key):
            return gateway_error(403, "Forbidden")
        return None

    def handle(self, request: HttpRequest) -> HttpResponse:
        if self.is_page(request):
            return self.page(request)
        documentation = self.docs.answer(request)
        if documentation is not None:
            return documentation
        refused = self.refusal(request)
        resolved = self.routes.resolve(request.method, request.path)
        if refused is not None or resolved is None:
            return refused or gateway_error(403, "Missing Authentication Token")
        route, path_parameters = resolved
        if len(request.body) > MAX_BODY_BYTES:
            return gateway_error(413, "Request Too Long")
        event = build_event(request, route, path_parameters, self.api_key)
        if len(json.dumps(event)) > LAMBDA_PAYLOAD_LIMIT:
            return gateway_error(413, "Request Too Long")
        function = self.functions[route.function]
        if function.module is None:
            return gateway_error(502, "Internal server error")
        try:
            result = function.invoke(event)
        except Exception:  # an unhandled error in a handler: Lambda reports it, API GW says 502
            self.log(f"{route.function} raised:\n{traceback.format_exc()}")
            return gateway_error(502, "Internal server error")
        if len(json.dumps(result, default=str)) > LAMBDA_PAYLOAD_LIMIT:
            self.log(f"{route.function}: response over Lambda's 6 MB limit")
            return gateway_error(502, "Internal server error")
        return to_http_response(result)

    def page(self, request: HttpRequest) -> HttpResponse:
        """The preview page, the Swagger page or an asset, for a ``Host`` this server answers to."""
        # No Host at all (HTTP/1.0 tools) cannot come from a browser page, rebinding or not.
        host = host_name(request.header("host") or request.source_ip)
        local = is_loopback(host) and is_loopback(request.source_ip)
        if not (local or self.remote_clients):
            return HttpResponse(
                403,
                [("Content-Type", "text/plain; charset=utf-8")],
                f"Host {host!r} is not this server: open http://127.0.0.1:<port>/\n".encode(),
            )
        if request.path == DOCS_PATH:  # the Swagger page carries the key like the preview page
            return self.docs.docs_page(with_key=local)
        return self.static(request.path, with_key=local)

    def static(self, path: str, with_key: bool = True) -> HttpResponse:
        """The preview page (API key injected when ``with_key``) or a file in static/."""
        name = "index.html" if path == "/" else path.removeprefix("/static/")
        file = self.static_dir / name
        if "/" in name or name.startswith(".") or not file.is_file():
            return HttpResponse(404, [("Content-Type", "text/plain")], b"not found")
        body = file.read_bytes()
        if name == "index.html":
            key = html.escape(self.api_key) if with_key else ""
            body = body.replace(API_KEY_PLACEHOLDER.encode(), key.encode())
            body = body.replace(CURRENCY_PLACEHOLDER.encode(), html.escape(self.currency).encode())
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        headers = [("Content-Type", content_type), ("Cache-Control", "no-cache")]
        return HttpResponse(200, headers, body)


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    # body until the client's delayed ACK (~40 ms on every kept-alive response).
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        # Every read of an idle, half-sent or trickled request ends after the server's
        # timeout (the stdlib's handler then closes the connection).
        self.connection.settimeout(self.server.read_timeout)

    def _serve(self) -> None:
        url = urlsplit(self.path)
        request = HttpRequest(
            method=self.command,
            path=unquote(url.path) or "/",
            query=url.query,
            headers=list(self.headers.items()),
            source_ip=self.client_address[0],
        )
        # Answered from the headers alone, before a byte of the body is read: the key, the
        # route, and the declared length (the connection is then closed, its body unread).
        early = self.server.api.refusal(request) or self._length_refusal()
        if early is not None:
            self._send(early, close=True)
            return
        body = self._read_body(int(self.headers.get("Content-Length") or 0))
        if body is None:  # the client stopped sending before its declared length
            self.close_connection = True
            return
        self._send(self.server.api.handle(dataclasses.replace(request, body=body)))

    def _length_refusal(self) -> HttpResponse | None:
        """400 for a ``Content-Length`` that is not a plain number, 413 over the limit, 411 for
        a chunked body (no declared length)."""
        declared = (self.headers.get("Content-Length") or "0").strip()
        if "Transfer-Encoding" in self.headers:
            return gateway_error(411, "Length Required")
        if not declared.isdigit() or not declared.isascii() or len(declared) > 12:
            return gateway_error(400, "Bad Request")
        if int(declared) > MAX_BODY_BYTES:
            return gateway_error(413, "Request Too Long")
        return None

    def _read_body(self, length: int) -> bytes | None:
        """``length`` bytes of body, read within :attr:`LocalServer.body_deadline` seconds in
        all (a client trickling a byte at a time cannot hold a thread); None if cut short."""
        deadline = time.monotonic() + self.server.body_deadline
        chunks: list[bytes] = []
        remaining = length
        while remaining > 0:
            if time.monotonic() > deadline:
                return None
            chunk = self.rfile.read1(min(remaining, 65536))
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, …) goes to the route table too, which answers as
        # API Gateway does (403), instead of the stdlib's HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _send(self, response: HttpResponse, close: bool = False) -> None:
        self.send_response(response.status)
        for key, value in response.headers:
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.quiet:
            return
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


class LocalServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` bound to ``host:port`` (port 0: a free one) serving ``api``."""

    daemon_threads = True
    # listen() backlog: connections waiting to be accepted (the stdlib's 5 reset clients
    # beyond a few dozen at once).
    request_queue_size = 128
    # Seconds a read may wait for the client (an idle kept-alive connection, a half-sent
    # request) before the connection is closed, and for a whole request body.
    read_timeout = 30.0
    body_deadline = 60.0

    def __init__(
        self, api: LocalApi, host: str = "127.0.0.1", port: int = 0, quiet: bool = False
    ) -> None:
        # Set before binding: a failed bind calls server_close(), which uses them.
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.api = api
        self.quiet = quiet
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), _Handler)

    def process_request(self, request: socket.socket, client_address: Any) -> None:  # type: ignore[override]  # a stream server: requests are sockets
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]  # as above
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening and end kept-alive connections too: a stopped server answers nothing."""
        super().server_close()
        with self._connections_lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def page_url(self) -> str:
        """Where this machine opens the preview page with the key: a loopback URL."""
        host, port = self.server_address[:2]
        if ipaddress.ip_address(str(host)).is_unspecified:  # 0.0.0.0 or :: includes loopback
            return f"http://[::1]:{port}" if ":" in str(host) else f"http://127.0.0.1:{port}"
        return self.url
