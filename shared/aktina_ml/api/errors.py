"""Domain errors → HTTP answers, registered once per resolver instead of try/except per route."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from aktina_ml.observability import logger
from aktina_ml.store import ModelStoreError, NoModelError


class InputError(ValueError):
    """The client sent something the service cannot use; the message names the field."""

    status_code = 422


class PayloadTooLargeError(InputError):
    status_code = 413


class NotFoundError(LookupError):
    """The thing asked for does not exist (404)."""


def json_error(status_code: int, message: str) -> Response:
    return Response(
        status_code=status_code,
        content_type=content_types.APPLICATION_JSON,
        body={"message": message},
    )


def describe_validation_errors(errors: list[dict[str, Any]]) -> str:
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
            raise PayloadTooLargeError(
                f"request body is {len(body):,} bytes; the limit is {max_bytes:,} bytes"
            )
        return json.loads(body)

    return loads


def install_error_handlers(app: APIGatewayRestResolver) -> None:
    """Map the domain's exceptions to clear 4xx/503 answers on ``app``."""

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response:
        errors = exc.errors()
        detail = [{key: error.get(key) for key in ("loc", "type", "msg")} for error in errors]
        return Response(
            status_code=422,
            content_type=content_types.APPLICATION_JSON,
            body={"message": describe_validation_errors(errors), "detail": detail},
        )

    @app.exception_handler(InputError)
    def _input_error(exc: InputError) -> Response:
        return json_error(exc.status_code, str(exc))

    @app.exception_handler(NotFoundError)
    def _not_found(exc: NotFoundError) -> Response:
        return json_error(404, str(exc))

    @app.exception_handler(NoModelError)
    def _no_model(exc: NoModelError) -> Response:
        return json_error(503, str(exc))

    @app.exception_handler(ModelStoreError)
    def _store_down(exc: ModelStoreError) -> Response:
        logger.error("model store unavailable", exc_info=exc)
        return json_error(503, "the model is temporarily unavailable; try again shortly")
