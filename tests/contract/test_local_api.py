"""The local API Gateway in front of the real handlers: routing, API key, events, answers."""

from __future__ import annotations

import csv
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from aktina_ml.forecasting.artifact import MODEL_NAME
from aktina_ml.local.events import HttpRequest
from aktina_ml.local.routes import Route, RouteTable
from aktina_ml.local.server import LocalApi, LocalServer
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.forecast import synthetic_artifact
from tests.support.handlers import load_handler
from tests.support.local_server import running

KEY = "test-key-123"
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sales_forecasting_training.csv"


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    """An empty local model store that every function reads (AKTINA_MODEL_STORE)."""
    directory = tmp_path / "models"
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(directory))
    return directory


@pytest.fixture
def forecast_version(store_dir) -> str:
    store = ModelStore(LocalBackend(store_dir))
    artifact = synthetic_artifact()
    manifest = store.save(MODEL_NAME, artifact, {"metrics": artifact.metrics})
    store.promote(manifest)
    return manifest.version


@pytest.fixture
def api(store_dir) -> LocalApi:
    return LocalApi(api_key=KEY, log=lambda message: None)


def get(api: LocalApi, path: str, query: str = "", key: str | None = KEY, headers=()):
    sent = [("Host", "127.0.0.1"), *headers] + ([("x-api-key", key)] if key else [])
    response = api.handle(HttpRequest("GET", path, query, sent))
    return response.status, json.loads(response.body)


def post(api: LocalApi, path: str, body: object, key: str = KEY):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("x-api-key", key)]
    response = api.handle(HttpRequest("POST", path, "", headers, raw))
    return response.status, json.loads(response.body)


# --- the same code path as in AWS ----------------------------------------------------------


def test_forecast_through_the_server_equals_the_handlers_own_answer(
    api, forecast_version, load_event, lambda_context
):
    # Given the event file sam local invoke uses (GET /forecast?horizon_days=90&granularity=week)
    event = load_event("forecast_get.json")
    direct = load_handler("forecast").lambda_handler(event, lambda_context)
    # When the same request comes over the local server
    status, body = get(api, "/forecast", "horizon_days=90&granularity=week")
    # Then the answer is the handler's, byte for byte as JSON
    assert status == direct["statusCode"] == 200
    assert body == json.loads(direct["body"])
    assert body["model_version"] == forecast_version
    assert [s["name"] for s in body["chart"]["series"]] == [
        "Actual sales",
        "Forecast",
        "80% interval",
    ]


def test_etag_and_304_pass_through_both_ways(api, forecast_version):
    # Given a first answer with its ETag
    headers = [("x-api-key", KEY)]
    first = api.handle(HttpRequest("GET", "/forecast", "horizon_days=30", headers))
    etag = dict(first.headers)["ETag"]
    assert "max-age=" in dict(first.headers)["Cache-Control"]
    # When the client asks again with If-None-Match
    again = api.handle(
        HttpRequest("GET", "/forecast", "horizon_days=30", [*headers, ("If-None-Match", etag)])
    )
    # Then the handler's 304 comes back without a body
    assert (again.status, again.body) == (304, b"")
    assert dict(again.headers)["ETag"] == etag


def test_query_validation_is_the_handlers(api, forecast_version):
    status, body = get(api, "/forecast", "horizon_days=366")
    assert status == 422
    assert "horizon_days" in body["message"]


def test_without_a_model_the_forecast_answers_503_and_health_says_degraded(api):
    status, body = get(api, "/forecast")
    assert status == 503
    assert body["message"]
    status, body = get(api, "/health")
    assert status == 503
    assert body["status"] == "degraded"
    assert body["models"]["forecast"] == {
        "ready": False,
        "version": None,
        "trained_at": None,
        "age_hours": None,
        "problem": "not trained yet: run training",
    }


def test_posted_body_reaches_the_handler(api):
    # Given the Laravel app's own sample series
    with SAMPLE.open() as handle:
        sales = [{"date": r["date"], "amount": float(r["amount"])} for r in csv.DictReader(handle)]
    # When it is posted as the app does
    status, body = post(api, "/predict-sales", {"sales": sales, "horizon_days": 14})
    # Then the handler fitted it: 14 future days with bounds around the values
    assert status == 200
    assert len(body["forecast_dates"]) == len(body["forecast_values"]) == 14
    assert body["forecast_dates"][0] > sales[-1]["date"]
    # And a bad body gets the handler's 422 naming the field
    status, body = post(api, "/predict-sales", {"sales": [{"date": "2026-13-01", "amount": 1}]})
    assert status == 422
    assert body["message"].startswith("sales[0].date")


# --- what API Gateway itself answers -------------------------------------------------------


@pytest.mark.parametrize("key", [None, "wrong-key", KEY.upper()])
def test_missing_or_wrong_api_key_is_403_forbidden(api, forecast_version, key):
    status, body = get(api, "/forecast", key=key)
    assert (status, body) == (403, {"message": "Forbidden"})


def test_api_key_is_checked_before_the_function_runs(api):
    # Given an empty store, a request without key never reaches the function (no 503)
    assert get(api, "/forecast", key=None) == (403, {"message": "Forbidden"})


@pytest.mark.parametrize(("method", "path"), [("GET", "/nope"), ("DELETE", "/forecast")])
def test_unknown_route_is_403_missing_authentication_token(api, method, path):
    response = api.handle(HttpRequest(method, path, "", [("x-api-key", KEY)]))
    assert response.status == 403
    assert json.loads(response.body) == {"message": "Missing Authentication Token"}


def test_body_over_lambdas_payload_limit_is_413(api):
    status, body = post(api, "/predict-sales", b'{"sales": "' + b"x" * (6 * 1024 * 1024) + b'"}')
    assert (status, body) == (413, {"message": "Request Too Long"})


@pytest.fixture
def probe_functions(tmp_path) -> Path:
    """A functions folder with an echo function (returns its event) and a crashing one."""
    for name, code in {
        "echo": """
            import json
            def lambda_handler(event, context):
                return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                        "body": json.dumps({"event": event,
                                            "function": context.function_name,
                                            "remaining": context.get_remaining_time_in_millis()})}
        """,
        "crash": """
            def lambda_handler(event, context):
                raise RuntimeError("boom")
        """,
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "app.py").write_text(dedent(code))
    return tmp_path


def test_handler_exception_is_502_internal_server_error(probe_functions):
    logged = []
    api = LocalApi(
        KEY,
        probe_functions,
        RouteTable([Route("GET", "/crash", "crash")]),
        log=logged.append,
    )
    status, body = get(api, "/crash")
    assert (status, body) == (502, {"message": "Internal server error"})
    assert "RuntimeError: boom" in logged[0]


# --- over a real socket ---------------------------------------------------------------------


@pytest.fixture
def server(api) -> Iterator[LocalServer]:
    """The real functions behind the local server."""
    with running(api) as server:
        yield server


@pytest.fixture
def echo_server(probe_functions) -> Iterator[LocalServer]:
    """The echo probe behind a route with two path parameters."""
    routes = RouteTable([Route("POST", "/echo/{a}/{b}", "echo")])
    with running(LocalApi(KEY, probe_functions, routes, log=lambda message: None)) as server:
        yield server


def fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_http_request_becomes_the_event_api_gateway_sends(echo_server):
    # When a client posts over HTTP to a route with two path parameters and a query string
    status, _, raw = fetch(
        f"{echo_server.url}/echo/x%20y/42?tag=a&tag=b&one=1",
        data=b'{"hello": "world"}',
        headers={"x-api-key": KEY, "Content-Type": "application/json", "X-Trace": "t1"},
    )
    # Then the function got a REST proxy event with everything in its place
    assert status == 200
    echoed = json.loads(raw)
    event = echoed["event"]
    assert event["httpMethod"] == "POST"
    assert event["resource"] == "/echo/{a}/{b}"
    assert event["path"] == "/echo/x y/42"
    assert event["pathParameters"] == {"a": "x y", "b": "42"}
    assert event["queryStringParameters"] == {"tag": "b", "one": "1"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "one": ["1"]}
    assert event["headers"]["X-Trace"] == "t1"
    assert event["multiValueHeaders"]["X-Trace"] == ["t1"]
    assert json.loads(event["body"]) == {"hello": "world"}
    assert event["requestContext"]["identity"]["apiKey"] == KEY
    assert event["requestContext"]["resourcePath"] == "/echo/{a}/{b}"
    assert echoed["function"] == "echo"
    assert 0 < echoed["remaining"] <= 29_000


def test_page_has_the_key_and_assets_are_served(server):
    status, headers, page = fetch(f"{server.url}/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert f'content="{KEY}"'.encode() in page
    status, headers, script = fetch(f"{server.url}/static/apexcharts.min.js")
    assert status == 200
    assert b"ApexCharts v4.7.0" in script[:200]
    # The charts are shaped by the Laravel kit's own script: one file for both pages
    status, headers, charts = fetch(f"{server.url}/static/aktina-ml.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    kit = Path(__file__).resolve().parents[2] / "clients/laravel/resources/js/aktina-ml.js"
    assert charts == kit.read_bytes()
    assert fetch(f"{server.url}/static/..%2Fserver.py")[0] == 404
    assert fetch(f"{server.url}/static/missing.js")[0] == 404


def test_real_handler_over_http_with_and_without_key(server):
    status, headers, raw = fetch(f"{server.url}/health", headers={"x-api-key": KEY})
    assert status == 503  # nothing trained yet
    assert headers["Cache-Control"] == "no-store"
    assert json.loads(raw)["status"] == "degraded"
    status, headers, raw = fetch(f"{server.url}/health")
    assert (status, json.loads(raw)) == (403, {"message": "Forbidden"})
    assert headers["x-amzn-ErrorType"] == "ForbiddenException"


def test_page_escapes_the_injected_key(store_dir):
    api = LocalApi('k"<b>', log=lambda message: None)
    page = api.handle(HttpRequest("GET", "/", "", [])).body
    assert b'content="k&quot;&lt;b&gt;"' in page
