"""Domain errors → HTTP answers, registered once per resolver instead of try/except per route.

The domain raises plain exceptions (:mod:`aktina_ml.errors`, the store's); routes raise
Powertools' own HTTP errors (``aws_lambda_powertools.event_handler.exceptions``). Both are
answered here as ``{"message": ...}`` with the status below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import (
    RequestEntityTooLargeError,
    ServiceError,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from aktina_ml.errors import InputError
from aktina_ml.observability import logger
from aktina_ml.store import ModelStoreError, NoModelError

# The status of each domain error (the first class that matches wins: list subclasses first).
DOMAIN_STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (InputError, 422),
    (NoModelError, 503),
)


def json_error(status_code: int, message: str) -> Response[Any]:
    return Response(
        status_code=status_code,
        content_type=content_types.APPLICATION_JSON,
        body={"message": message},
    )


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """One readable line per problem, e.g. ``sales[3].amount: Input should be a valid number``."""
    lines = []
    for error in errors[:10]:
        loc = [p for p in error.get("loc", ()) if p not in ("body", "query")]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        message = str(error.get("msg", error.get("type", "invalid"))).removeprefix("Value error, ")
        lines.append(f"{where or 'body'}: {message}")
    more = len(errors) - 10
    return "; ".join(lines) + (f"; and {more} more" if more > 0 else "")


def limited_json_loads(max_bytes: int) -> Callable[[str], Any]:
    """A request body parser that refuses bodies over ``max_bytes`` with a 413."""

    def loads(body: str) -> Any:
        if len(body) > max_bytes:
            raise RequestEntityTooLargeError(
                f"request body is {len(body):,} bytes; the limit is {max_bytes:,} bytes"
            )
        return json.loads(body)

    return loads


def install_error_handlers(app: APIGatewayRestResolver) -> None:
    """Map the domain's exceptions to clear 4xx/503 answers on ``app``."""

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response[Any]:
        errors = exc.errors()
        detail = [{key: error.get(key) for key in ("loc", "type", "msg")} for error in errors]
        return Response(
            status_code=422,
            content_type=content_types.APPLICATION_JSON,
            body={"message": describe_validation_errors(errors), "detail": detail},
        )

    @app.exception_handler(ServiceError)
    def _http_error(exc: ServiceError) -> Response[Any]:
        return json_error(exc.status_code, str(exc.msg))

    @app.exception_handler([error for error, _ in DOMAIN_STATUSES])
    def _domain_error(exc: Exception) -> Response[Any]:
        status = next(code for error, code in DOMAIN_STATUSES if isinstance(exc, error))
        return json_error(status, str(exc))

    @app.exception_handler(ModelStoreError)
    def _store_down(exc: ModelStoreError) -> Response[Any]:
        logger.error("model store unavailable", exc_info=exc)
        return json_error(503, "the model is temporarily unavailable; try again shortly")
