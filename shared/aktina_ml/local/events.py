"""HTTP request ↔ API Gateway REST proxy event and Lambda proxy response (plain data)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aktina_ml.local.routes import Route

STAGE = "local"
ACCOUNT_ID = "000000000000"
API_ID = "local"
# Bodies of these content types reach the function as text; others base64-encoded (a REST
# API with binary media types would do the same for them).
TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded", "application/xml")


@dataclass(frozen=True)
class HttpRequest:
    """What the local server read from the socket."""

    method: str
    path: str  # decoded, without the query string
    query: str  # the raw query string
    headers: list[tuple[str, str]]
    body: bytes = b""
    source_ip: str = "127.0.0.1"

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def _single_and_multi(
    pairs: Iterable[tuple[str, str]],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    """API Gateway's two views: last value per key, and every value; None when empty."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        single[key] = value
        multi.setdefault(key, []).append(value)
    return (single or None), (multi or None)


def build_event(
    request: HttpRequest, route: Route, path_parameters: dict[str, str], api_key: str | None
) -> dict[str, Any]:
    """The REST API (v1) Lambda proxy event API Gateway would send for ``request``."""
    query, multi_query = _single_and_multi(parse_qsl(request.query, keep_blank_values=True))
    headers, multi_headers = _single_and_multi(request.headers)
    body: str | None = None
    is_base64 = False
    if request.body:
        content_type = (request.header("content-type") or "application/json").lower()
        if content_type.startswith(TEXT_TYPES):
            body = request.body.decode("utf-8", errors="replace")
        else:
            body, is_base64 = base64.b64encode(request.body).decode("ascii"), True
    now = time.time()
    return {
        "resource": route.resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "stage": STAGE,
            "resourcePath": route.resource,
            "resourceId": route.function,
            "httpMethod": request.method,
            "path": f"/{STAGE}{request.path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "domainName": request.header("host") or "127.0.0.1",
            "identity": {
                "apiKey": api_key,
                "apiKeyId": "local" if api_key else None,
                "sourceIp": request.source_ip,
                "userAgent": request.header("user-agent"),
            },
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def to_http_response(result: Any) -> HttpResponse:
    """A Lambda proxy result → HTTP; a malformed result is a 502 as in API Gateway."""
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        return gateway_error(502, "Internal server error")
    headers: list[tuple[str, str]] = []
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((key, str(v)) for v in values)
    multi_keys = {k.lower() for k, _ in headers}
    headers.extend(
        (k, str(v)) for k, v in (result.get("headers") or {}).items() if k.lower() not in multi_keys
    )
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        raw = base64.b64decode(body)
    else:
        raw = body.encode("utf-8") if isinstance(body, str) else str(body).encode("utf-8")
    return HttpResponse(result["statusCode"], headers, raw)


def gateway_error(status: int, message: str) -> HttpResponse:
    """An answer API Gateway itself gives (403 Forbidden, 502 …), JSON like the real one."""
    headers = [("Content-Type", "application/json")]
    if status in _ERROR_TYPES:
        headers.append(("x-amzn-ErrorType", _ERROR_TYPES[status]))
    return HttpResponse(status, headers, json.dumps({"message": message}).encode("utf-8"))


_ERROR_TYPES = {
    403: "ForbiddenException",
    413: "RequestTooLongException",
    502: "InternalServerErrorException",
}


@dataclass(frozen=True)
class LocalContext:
    """The Lambda context object handlers receive (the fields Powertools reads)."""

    function_name: str
    memory_limit_in_mb: int = 1024
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timeout_seconds: float = 29.0
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))
