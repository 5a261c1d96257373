"""Request bodies (size in UTF-8 bytes, depth) and answers (strict JSON) at the API edge."""

from __future__ import annotations

import math

import numpy as np
import pytest
from aws_lambda_powertools.event_handler.exceptions import RequestEntityTooLargeError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from aktina_ml.api.errors import (
    MAX_LISTED_ERRORS,
    UnrepresentableAnswerError,
    describe_validation_errors,
    error_count,
    limited_json_loads,
    too_many_rows,
)
from aktina_ml.api.resolver import json_resolver, strict_dumps, with_row_cap
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


class Row(BaseModel):
    amount: float


class Rows(BaseModel):
    rows: list[Row] = Field(min_length=1)


def test_a_row_cap_is_checked_before_any_row_is_validated():
    # Given a request model capped at 3 rows
    capped = with_row_cap(Rows, "rows", 3)
    # When a million invalid rows come
    with pytest.raises(ValidationError) as raised:
        capped.model_validate({"rows": [0] * 1_000_000})
    # Then the only error is the cap (it answers 413), never a million row errors
    assert [e["type"] for e in raised.value.errors()] == ["too_long"]
    assert (
        too_many_rows([{**e, "loc": ("body", *e["loc"])} for e in raised.value.errors()])
        == "rows: 1,000,000 rows; at most 3 are accepted per request"
    )
    # And the model keeps its own rules and name
    assert capped.__name__ == "Rows"
    with pytest.raises(ValidationError, match="at least 1 item"):
        capped.model_validate({"rows": []})
    assert capped.model_validate({"rows": [{"amount": 1}]}).rows == [Row(amount=1)]


def test_many_bad_rows_list_the_first_twenty_problems_and_count_the_rest():
    # Given 40,000 rows with two problems each
    capped = with_row_cap(Rows, "rows", 50_000)
    with pytest.raises(ValidationError) as raised:
        capped.model_validate({"rows": [{"amount": "x", "other": 1}, {}] * 20_000})
    errors = raised.value.errors()
    # Then only the first rows' errors are built, and one entry counts the rest
    assert len(errors) == MAX_LISTED_ERRORS + 1
    assert errors[0]["loc"] == ("rows", 0, "amount")
    assert error_count(errors) == 40_000
    message = describe_validation_errors(errors)
    assert message.startswith("rows[0].amount: Input should be a valid number")
    assert message.endswith("; and 39,980 more")


def test_a_few_bad_rows_are_all_listed():
    capped = with_row_cap(Rows, "rows", 50)
    with pytest.raises(ValidationError) as raised:
        capped.model_validate({"rows": [{}] * 3})
    errors = raised.value.errors()
    assert error_count(errors) == 3
    assert describe_validation_errors(errors).count("Field required") == 3
