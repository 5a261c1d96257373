"""Request bodies (size in UTF-8 bytes, depth) and answers (strict JSON) at the API edge."""

from __future__ import annotations

import math

import numpy as np
import pytest
from aws_lambda_powertools.event_handler.exceptions import RequestEntityTooLargeError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from aktina_ml.api.errors import UnrepresentableAnswerError, limited_json_loads
from aktina_ml.api.resolver import json_resolver, strict_dumps
from tests.support.fuzz import strict_json


def test_body_size_is_counted_in_utf8_bytes_not_characters():
    loads = limited_json_loads(1_000, "AKTINA_X")
    ascii_body = '"' + "u" * 600 + '"'
    assert loads(ascii_body) == "u" * 600
    # 602 characters, but 1,202 bytes as sent
    with pytest.raises(
        RequestEntityTooLargeError, match=r"1,202 bytes; the limit is 1,000 bytes \(AKTINA_X\)"
    ):
        loads('"' + "ü" * 600 + '"')


def test_json_deeper_than_the_decoder_goes_is_a_validation_error():
    with pytest.raises(RequestValidationError) as raised:
        limited_json_loads(10**7, "AKTINA_X")("[" * 100_000 + "]" * 100_000)
    assert raised.value.errors()[0]["msg"] == "JSON nested too deeply"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("inf")])
def test_strict_dumps_refuses_what_json_cannot_carry(value):
    with pytest.raises(UnrepresentableAnswerError, match="NaN or infinity"):
        strict_dumps({"values": [1.0, value]})


def test_strict_dumps_is_compact():
    assert strict_dumps({"a": [1, 2.5], "b": None}) == '{"a":[1,2.5],"b":null}'


def test_a_route_answering_nan_gets_a_clear_500_in_strict_json(load_event, lambda_context):
    # Given a resolver like the functions' and a route whose answer holds a NaN (a bug)
    app = json_resolver(1_000, "AKTINA_X")

    @app.get("/health")
    def broken() -> dict[str, float]:
        return {"value": math.nan}

    # When it is called
    response = app.resolve(load_event("health_get.json"), lambda_context)
    # Then the answer is a 500 that says so, in JSON a parser accepts (never "NaN")
    assert response["statusCode"] == 500
    assert "NaN" not in response["body"].replace("(NaN or infinity)", "")
    assert "NaN or infinity" in strict_json(response["body"])["message"]
