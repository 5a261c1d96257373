"""Domain errors → HTTP answers, registered once per resolver instead of try/except per route.

The domain raises plain exceptions (:mod:`aktina_ml.errors`, the store's); routes raise
Powertools' own HTTP errors (``aws_lambda_powertools.event_handler.exceptions``). Both are
answered here as ``{"message": ...}`` with the status below.

Request bodies are JSON only. Powertools' validation parses form and multipart bodies itself
(and a multipart type without a boundary fails it with a bare ``ValueError``); the handlers
here answer any body whose ``Content-Type`` is not JSON with 415 instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import (
    RequestEntityTooLargeError,
    ServiceError,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from aktina_ml.api.model_cache import NoModelError
from aktina_ml.errors import InputError
from aktina_ml.model_store.manifest import ModelStoreError
from aktina_ml.observability import logger

# The status of each domain error (the first class that matches wins: list subclasses first).
DOMAIN_STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (InputError, 422),
    (NoModelError, 503),
)
JSON_CONTENT_TYPE = "application/json"
# A 422 lists this many problems and says how many more there are: its size does not grow
# with the body (50,000 bad rows would otherwise make a 422 over Lambda's 6 MB answer).
MAX_LISTED_ERRORS = 20
# The error type that stands for the problems not listed (its ctx: how many).
MORE_ERRORS = "more_errors"


class UnrepresentableAnswerError(RuntimeError):
    """An answer held a value JSON cannot carry (NaN, infinity): a bug, never sent as 200."""


def json_error(status_code: int, message: str) -> Response[Any]:
    return Response(
        status_code=status_code,
        content_type=content_types.APPLICATION_JSON,
        body={"message": message},
    )


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """One readable line per problem, e.g. ``sales[3].amount: Input should be a valid number``,
    for the first :data:`MAX_LISTED_ERRORS`, then how many more there are."""
    listed = listed_errors(errors)
    lines = []
    for error in listed:
        message = str(error.get("msg", error.get("type", "invalid"))).removeprefix("Value error, ")
        lines.append(f"{where(error)}: {message}")
    more = error_count(errors) - len(listed)
    return "; ".join(lines) + (f"; and {more:,} more" if more > 0 else "")


def listed_errors(errors: Sequence[Any]) -> Sequence[Any]:
    """The errors an answer lists: the first :data:`MAX_LISTED_ERRORS` real problems."""
    return [error for error in errors if error.get("type") != MORE_ERRORS][:MAX_LISTED_ERRORS]


def error_count(errors: Sequence[Any]) -> int:
    """How many problems ``errors`` stands for (a ``more_errors`` entry counts those not built)."""
    more = [error for error in errors if error.get("type") == MORE_ERRORS]
    unlisted = sum(int((error.get("ctx") or {}).get("more", 0)) for error in more)
    return len(errors) - len(more) + unlisted


def where(error: Mapping[str, Any]) -> str:
    """Where an error is in the body: ``("body", "sales", 3, "amount")`` → ``sales[3].amount``."""
    loc = [p for p in error.get("loc", ()) if p not in ("body", "query")]
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "body"


def too_many_rows(errors: Sequence[Any]) -> str | None:
    """The 413 message when a body's list of rows is over its cap (pydantic's ``too_long``
    on a top-level field, checked before any row is validated), else None."""
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "too_long" and len(loc) == 2 and loc[0] == "body":
            ctx = error.get("ctx") or {}
            cap, given = ctx.get("max_length", 0), ctx.get("actual_length")
            rows = f"{given:,} rows" if isinstance(given, int) else f"more than {cap:,} rows"
            return f"{loc[1]}: {rows}; at most {cap:,} are accepted per request"
    return None


def limited_json_loads(max_bytes: int, setting: str) -> Callable[[str], Any]:
    """A request body parser: over ``max_bytes`` (UTF-8) is a 413 naming ``setting``; JSON
    nested deeper than Python's decoder goes (thousands of levels), or a number longer than
    Python reads (4,300 digits), is a 422."""

    def loads(body: str) -> Any:
        size = len(body) if body.isascii() else len(body.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise RequestEntityTooLargeError(
                f"request body is {size:,} bytes; the limit is {max_bytes:,} bytes ({setting})"
            )
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            raise  # Powertools answers it (json_invalid)
        except RecursionError:
            error = {"type": "json_too_deep", "loc": ("body",), "msg": "JSON nested too deeply"}
            raise RequestValidationError([error]) from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            error = {"type": "json_invalid", "loc": ("body",), "msg": str(exc).split(";")[0]}
            raise RequestValidationError([error]) from None

    return loads


def body_type_refused(app: APIGatewayRestResolver) -> str | None:
    """The request's ``Content-Type`` when a body of that type is refused (not JSON)."""
    content_type = (app.current_event.headers.get("content-type") or "").strip()
    if not content_type or content_type.lower().startswith(JSON_CONTENT_TYPE):
        return None
    return content_type


def unsupported_media_type(content_type: str) -> Response[Any]:
    media_type = content_type.split(";")[0].strip()
    return json_error(
        415, f"the request body is {media_type}; send JSON with Content-Type: {JSON_CONTENT_TYPE}"
    )


def install_error_handlers(app: APIGatewayRestResolver) -> None:
    """Map the domain's exceptions to clear 4xx/503 answers on ``app``."""

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported_type(exc: RequestUnsupportedContentType) -> Response[Any]:
        return unsupported_media_type(body_type_refused(app) or "an unsupported type")

    @app.exception_handler(ValueError)
    def _multipart_without_boundary(exc: ValueError) -> Response[Any]:
        # Powertools' multipart parser raises a bare ValueError; any other is not ours to map.
        refused = body_type_refused(app)
        if refused is None:
            raise exc
        return unsupported_media_type(refused)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response[Any]:
        refused = body_type_refused(app)  # a form or multipart body Powertools parsed
        if refused is not None:
            return unsupported_media_type(refused)
        errors = exc.errors()
        too_many = too_many_rows(errors)
        if too_many is not None:
            return json_error(413, too_many)
        detail = [
            {key: error.get(key) for key in ("loc", "type", "msg")}
            for error in listed_errors(errors)
        ]
        return Response(
            status_code=422,
            content_type=content_types.APPLICATION_JSON,
            body={
                "message": describe_validation_errors(errors),
                "detail": detail,
                "error_count": error_count(errors),
            },
        )

    @app.exception_handler(ServiceError)
    def _http_error(exc: ServiceError) -> Response[Any]:
        return json_error(exc.status_code, str(exc.msg))

    @app.exception_handler([error for error, _ in DOMAIN_STATUSES])
    def _domain_error(exc: Exception) -> Response[Any]:
        status = next(code for error, code in DOMAIN_STATUSES if isinstance(exc, error))
        return json_error(status, str(exc))

    @app.exception_handler(UnrepresentableAnswerError)
    def _bad_answer(exc: UnrepresentableAnswerError) -> Response[Any]:
        logger.error("answer is not representable as JSON", exc_info=exc)
        return json_error(500, str(exc))

    @app.exception_handler(ModelStoreError)
    def _store_down(exc: ModelStoreError) -> Response[Any]:
        logger.error("model store unavailable", exc_info=exc)
        return json_error(503, "the model is temporarily unavailable; try again shortly")
