"""The resolver every function serves with: Powertools' REST resolver with request
validation, JSON bodies only (size-limited, depth-safe), strict JSON answers and the error
handlers of :mod:`aktina_ml.api.errors`."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.shared.json_encoder import Encoder

from aktina_ml.api.errors import (
    UnrepresentableAnswerError,
    install_error_handlers,
    limited_json_loads,
)


def strict_dumps(body: Any) -> str:
    """Compact JSON, as the API answers; a NaN or infinity raises instead of writing
    ``NaN``/``Infinity``, which no JSON parser (the Laravel app's included) accepts."""
    try:
        return json.dumps(body, separators=(",", ":"), allow_nan=False, cls=Encoder)
    except ValueError as exc:
        raise UnrepresentableAnswerError(
            "the answer held a number JSON cannot carry (NaN or infinity); this is a bug and "
            "was logged"
        ) from exc


def strict_json_answers(
    app: APIGatewayRestResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """Render a route's JSON answer here, strictly, so a failure is an answer too."""
    response = next_middleware(app)
    if response.is_json() and not isinstance(response.body, str | bytes | type(None)):
        response.body = strict_dumps(response.body)
    return response


def json_resolver(max_body_bytes: int, setting: str) -> APIGatewayRestResolver:
    """A resolver whose request bodies are at most ``max_body_bytes`` of JSON (``setting`` names
    the variable that sets it, for the 413's message)."""
    app = APIGatewayRestResolver(
        enable_validation=True,
        json_body_deserializer=limited_json_loads(max_body_bytes, setting),
    )
    app.use([strict_json_answers])
    install_error_handlers(app)
    return app
