"""A local API Gateway: a stdlib HTTP server that invokes the real Lambda handlers.

Each request is resolved against the route table, checked for the API key (403
``{"message": "Forbidden"}`` without it, as API Gateway answers), turned into a REST proxy
event and passed to ``lambda_handler`` of ``functions/<name>/app.py``, loaded once like a
warm container. One invocation per function at a time, as in one Lambda container. The
preview page is served at ``/`` (with the key injected) and its assets under ``/static/``.
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import json
import mimetypes
import secrets
import socket
import sys
import threading
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from aktina_ml.local.events import (
    HttpRequest,
    HttpResponse,
    LocalContext,
    build_event,
    gateway_error,
    to_http_response,
)
from aktina_ml.local.routes import FUNCTIONS_DIR, RouteTable

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_KEY_PLACEHOLDER = "__AKTINA_API_KEY__"
# Lambda's synchronous invocation payload limit, each way (API Gateway's own is 10 MB).
LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024
MAX_BODY_BYTES = 10 * 1024 * 1024


def new_api_key() -> str:
    return secrets.token_urlsafe(24)


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
    ) -> None:
        if not api_key:
            raise ValueError("the API key must not be empty")
        self.api_key = api_key
        self.routes = routes or RouteTable.available(functions_dir)
        self.static_dir = static_dir
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.functions = {
            name: LoadedFunction.load(name, functions_dir) for name in self.routes.functions
        }
        for function in self.functions.values():
            if function.error:
                self.log(f"function {function.name} failed to load:\n{function.error}")

    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and (
            request.path == "/" or request.path.startswith("/static/")
        ):
            return self.static(request.path)
        resolved = self.routes.resolve(request.method, request.path)
        if resolved is None:  # what API Gateway answers for a method/path it does not have
            return gateway_error(403, "Missing Authentication Token")
        route, path_parameters = resolved
        if not secrets.compare_digest(request.header("x-api-key") or "", self.api_key):
            return gateway_error(403, "Forbidden")
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

    def static(self, path: str) -> HttpResponse:
        """The preview page (API key injected) or one of the files in static/."""
        name = "index.html" if path == "/" else path.removeprefix("/static/")
        file = self.static_dir / name
        if "/" in name or name.startswith(".") or not file.is_file():
            return HttpResponse(404, [("Content-Type", "text/plain")], b"not found")
        body = file.read_bytes()
        if name == "index.html":
            body = body.replace(API_KEY_PLACEHOLDER.encode(), html.escape(self.api_key).encode())
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        headers = [("Content-Type", content_type), ("Cache-Control", "no-cache")]
        return HttpResponse(200, headers, body)


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        url = urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._send(gateway_error(400, "Bad Request"), close=True)
            return
        if length > MAX_BODY_BYTES:
            self._send(gateway_error(413, "Request Too Long"), close=True)
            return
        request = HttpRequest(
            method=self.command,
            path=unquote(url.path) or "/",
            query=url.query,
            headers=list(self.headers.items()),
            body=self.rfile.read(length) if length else b"",
            source_ip=self.client_address[0],
        )
        self._send(self.server.api.handle(request))

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

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

    def __init__(
        self, api: LocalApi, host: str = "127.0.0.1", port: int = 0, quiet: bool = False
    ) -> None:
        super().__init__((host, port), _Handler)
        self.api = api
        self.quiet = quiet
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

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
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"
