"""HTTP requests → API Gateway REST proxy events, Lambda results → HTTP (pure translation)."""

from __future__ import annotations

import base64
import json

from aktina_ml.local.events import HttpRequest, build_event, gateway_error, to_http_response
from aktina_ml.local.routes import Route

SEGMENT = Route("GET", "/segments/{retailer_id}", "segment")
PREDICT = Route("POST", "/predict-sales", "forecast")


def request(**fields) -> HttpRequest:
    defaults = {
        "method": "GET",
        "path": "/segments/42",
        "query": "",
        "headers": [("Host", "127.0.0.1:8000"), ("x-api-key", "k")],
    }
    return HttpRequest(**{**defaults, **fields})


def test_event_has_path_resource_and_path_parameters():
    # When a request for /segments/42 becomes an event
    event = build_event(request(), SEGMENT, {"retailer_id": "42"}, "k")
    # Then it names the path, the resource with its parameter, and the method as API Gateway does
    assert event["path"] == "/segments/42"
    assert event["resource"] == "/segments/{retailer_id}"
    assert event["pathParameters"] == {"retailer_id": "42"}
    assert event["httpMethod"] == "GET"
    context = event["requestContext"]
    assert context["resourcePath"] == "/segments/{retailer_id}"
    assert context["httpMethod"] == "GET"
    assert context["path"] == "/local/segments/42"
    assert context["identity"]["apiKey"] == "k"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert isinstance(context["requestTimeEpoch"], int)
    assert event["body"] is None
    assert event["isBase64Encoded"] is False


def test_query_string_single_and_multi_value_views():
    # Given a repeated key, a blank value and an encoded space
    event = build_event(request(query="a=1&a=2&b=&c=x%20y"), SEGMENT, {}, "k")
    # Then the single view keeps the last value and the multi view every value
    assert event["queryStringParameters"] == {"a": "2", "b": "", "c": "x y"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": [""], "c": ["x y"]}


def test_no_query_string_and_no_path_parameters_are_null():
    event = build_event(request(path="/segments"), Route("GET", "/segments", "segment"), {}, "k")
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None


def test_headers_single_and_multi_value_views():
    headers = [("Accept", "a/b"), ("X-Many", "1"), ("X-Many", "2")]
    event = build_event(request(headers=headers), SEGMENT, {}, "k")
    assert event["headers"] == {"Accept": "a/b", "X-Many": "2"}
    assert event["multiValueHeaders"] == {"Accept": ["a/b"], "X-Many": ["1", "2"]}


def test_json_body_passes_through_as_text():
    body = json.dumps({"sales": [{"date": "2026-01-01", "amount": 1.5}], "horizon_days": 30})
    event = build_event(
        request(
            method="POST",
            path="/predict-sales",
            headers=[("Content-Type", "application/json")],
            body=body.encode(),
        ),
        PREDICT,
        {},
        "k",
    )
    assert event["body"] == body
    assert event["isBase64Encoded"] is False


def test_binary_body_is_base64_encoded():
    raw = bytes(range(256))
    event = build_event(
        request(method="POST", headers=[("Content-Type", "application/octet-stream")], body=raw),
        PREDICT,
        {},
        "k",
    )
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == raw


def test_proxy_result_headers_and_body_become_http():
    # Given a Lambda proxy result with single and multi-value headers
    result = {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json", "X-One": "1"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"], "X-One": ["1"]},
        "body": '{"ok": true}',
        "isBase64Encoded": False,
    }
    response = to_http_response(result)
    # Then every header is kept once per value and the body is the bytes of the text
    assert response.status == 201
    assert sorted(response.headers) == sorted(
        [
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("X-One", "1"),
            ("Content-Type", "application/json"),
        ]
    )
    assert response.body == b'{"ok": true}'


def test_base64_result_is_decoded():
    response = to_http_response(
        {"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}
    )
    assert response.body == b"\x00\x01"


def test_malformed_result_is_a_502_like_api_gateway():
    response = to_http_response({"body": "no status"})
    assert response.status == 502
    assert json.loads(response.body) == {"message": "Internal server error"}


def test_gateway_errors_are_json_with_the_error_type():
    response = gateway_error(403, "Forbidden")
    assert json.loads(response.body) == {"message": "Forbidden"}
    assert ("x-amzn-ErrorType", "ForbiddenException") in response.headers
