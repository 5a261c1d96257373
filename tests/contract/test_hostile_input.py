"""Hostile input at the API edge: every case answers a 4xx whose message names the problem,
and every answer is strict JSON. Requests go through the local API Gateway (socket-free) to
the real handlers, with models trained from demo data; hypothesis fuzzes the bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aktina_ml.local.events import HttpRequest, HttpResponse
from aktina_ml.local.server import LocalApi
from tests.support.fuzz import BAD_RETAILER, TIMEZONE, strict_json, train_every_model

KEY = "hostile-key"
POSTS = ("/segment-customers", "/segments/assign", "/predict-sales")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    store = train_every_model(tmp_path_factory.mktemp("hostile"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKTINA_MODEL_STORE", str(store))
        env.setenv("AKTINA_TIMEZONE", TIMEZONE)
        yield LocalApi(KEY, log=lambda message: None)


def post(
    api: LocalApi, path: str, body: bytes | str, content_type: str | None = "application/json"
) -> tuple[int, Any]:
    """POST through the local gateway; the answer must be strict JSON."""
    raw = body.encode() if isinstance(body, str) else body
    headers = [("x-api-key", KEY)]
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    response: HttpResponse = api.handle(HttpRequest("POST", path, "", headers, raw))
    assert dict(response.headers).get("Content-Type", "").startswith("application/json")
    return response.status, strict_json(response.body)


def sales(first: date, days: int = 30, amount: float = 100.0) -> list[dict[str, Any]]:
    return [
        {"date": (first + timedelta(days=i)).isoformat(), "amount": amount} for i in range(days)
    ]


def app_retailer(retailer_id: int) -> dict[str, Any]:
    """A retailer as the Laravel app posts it (its rows carry ``user: null``; ≈ 340 bytes)."""
    return {
        "id": retailer_id,
        "male_female_ratio": "0.83",
        "city": "Springfield",
        "urban_rural_classification": "suburban",
        "customer_age_class": "adult",
        "customer_income_bracket": "medium",
        "customer_education_level": "mid",
        "business_type": "Electronics",
        "annual_revenue": "120000",
        "employee_count": "85",
        "years_in_business": 12,
        "total_sales": 12345.67,
        "user": None,
    }


VALID = {
    "/segment-customers": json.dumps({"retailers": [app_retailer(1)]}),
    "/segments/assign": json.dumps({"retailers": [{"id": 1, "customer_age_class": "adult"}]}),
    "/predict-sales": json.dumps({"sales": sales(date(2025, 1, 1)), "horizon_days": 7}),
}


# --- content types --------------------------------------------------------------------------


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=x1",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/xml",
    ],
)
def test_a_body_that_is_not_json_is_415_naming_the_type(api, path, content_type):
    body = VALID[path]
    if content_type.endswith("boundary=x1"):
        body = '--x1\r\nContent-Disposition: form-data; name="retailers"\r\n\r\n[]\r\n--x1--\r\n'
    status, answer = post(api, path, body, content_type)
    assert status == 415
    assert content_type.split(";")[0] in answer["message"]
    assert "application/json" in answer["message"]


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", None])
def test_json_with_a_charset_or_without_a_content_type_is_read(api, path, content_type):
    status, _ = post(api, path, VALID[path], content_type)
    assert status == 200


# --- JSON depth -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_deeply_nested_json_is_a_4xx_never_a_crash(api, path, depth):
    key = "sales" if path == "/predict-sales" else "retailers"
    body = f'{{"{key}": {"[" * depth}{"]" * depth}}}'
    status, answer = post(api, path, body)
    assert status == 422
    assert key in answer["message"] or "nested" in answer["message"]


def test_json_nested_past_the_limit_says_so(api):
    depth = 100_000
    status, answer = post(api, "/segment-customers", "[" * depth + "]" * depth)
    assert status == 422
    assert answer["message"] == "body: JSON nested too deeply"


@pytest.mark.parametrize("path", POSTS)
def test_a_number_too_long_to_read_is_422(api, path):
    key = "sales" if path == "/predict-sales" else "retailers"
    status, answer = post(api, path, f'{{"{key}": [{{"id": {"1" * 5000}}}]}}')
    assert status == 422
    assert "digits" in answer["message"]


# --- /predict-sales bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [date(1, 1, 1), date(1600, 1, 1), date(1999, 12, 20), date(2262, 4, 1), date(9999, 12, 1)],
)
def test_dates_outside_2000_to_2100_are_422_naming_the_row(api, first):
    status, answer = post(api, "/predict-sales", json.dumps({"sales": sales(first)}))
    assert status == 422
    assert "sales[0].date" in answer["message"]
    assert "2000-01-01" in answer["message"]
    assert "2100-12-31" in answer["message"]


def test_the_last_accepted_day_forecasts_inside_pandas_range(api):
    body = {"sales": sales(date(2100, 12, 31) - timedelta(days=29)), "horizon_days": 365}
    status, answer = post(api, "/predict-sales", json.dumps(body))
    assert status == 200
    assert answer["forecast_dates"][-1] == "2101-12-31"


@pytest.mark.parametrize("amount", [1e307, 1.7e308, 1e13])
def test_amounts_beyond_the_maximum_are_422_never_infinity(api, amount):
    status, answer = post(
        api, "/predict-sales", json.dumps({"sales": sales(date(2025, 1, 1), 30, amount)})
    )
    assert status == 422
    assert "sales[0].amount" in answer["message"]
    assert "at most" in answer["message"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_amount_literals_are_422(api, literal):
    body = json.dumps({"sales": sales(date(2025, 1, 1))}).replace("100.0", literal, 1)
    status, answer = post(api, "/predict-sales", body)
    assert status == 422
    assert "sales[0].amount" in answer["message"]


# --- the legacy segmentation limit ----------------------------------------------------------


def test_the_apps_retailers_are_limited_by_body_size_alone(api):
    # 16,000 of the app's rows as PHP's json_encode writes them (compact, ≈ 5.3 MB) fit the
    # 5.5 MB body limit and, escaped into the event, Lambda's 6 MB; the retailer cap is far above
    rows = [app_retailer(i) for i in range(16_000)]
    status, answer = post(
        api, "/segment-customers", json.dumps({"retailers": rows}, separators=(",", ":"))
    )
    assert status == 200, answer
    assert len(answer["retailer_segments"]) == 16_000


def test_a_body_over_the_limit_is_413_naming_its_size_and_the_setting(api):
    rows = [{"id": i, "city": "x" * 5000} for i in range(1_110)]  # 5.56 MB, little to escape
    status, answer = post(api, "/segment-customers", json.dumps({"retailers": rows}))
    assert status == 413
    assert "the limit is 5,500,000 bytes (AKTINA_SEGMENT_MAX_BODY_BYTES)" in answer["message"]


def test_tiny_rows_stop_at_the_retailer_cap(api):
    tiny = json.dumps({"retailers": [{"id": i} for i in range(50_001)]})
    status, answer = post(api, "/segment-customers", tiny)
    assert status == 413
    assert "at most 50,000" in answer["message"]


# --- many small invalid rows up to the byte limit -------------------------------------------

# Every answer to these is a small 4xx (Lambda answers at most 6 MB; a 422 listing each of
# 50,000 rows' errors was 6.9 MB, a 502). 1.83 M "{}" and 2.75 M zeros fill the 5.5 MB limit.
MANY_BAD_ROWS = [
    ("/predict-sales", "sales", [0] * 50_000, 413),
    ("/predict-sales", "sales", [0] * 3_660, 422),
    ("/predict-sales", "sales", [{"date": "x", "amount": "y"}] * 3_660, 422),
    ("/segment-customers", "retailers", [{}] * 1_830_000, 413),
    ("/segment-customers", "retailers", [0] * 2_749_990, 413),
    ("/segment-customers", "retailers", [{}] * 50_000, 422),
    ("/segment-customers", "retailers", [BAD_RETAILER] * 22_000, 422),
    ("/segments/assign", "retailers", [BAD_RETAILER] * 22_000, 422),
    ("/segments/assign", "retailers", [0] * 50_001, 413),
]


@pytest.mark.parametrize(("path", "key", "rows", "expected"), MANY_BAD_ROWS)
def test_many_invalid_rows_get_a_small_4xx_listing_the_first_problems(
    api, path, key, rows, expected
):
    # Given a body of many small invalid rows, under the byte limit
    body = json.dumps({key: rows}, separators=(",", ":"))
    assert len(body) <= 5_500_000
    # When it is posted
    response = api.handle(HttpRequest("POST", path, "", [("x-api-key", KEY)], body.encode()))
    # Then the answer is a 4xx of a few kilobytes whatever the number of rows
    assert response.status == expected, response.body[:300]
    assert len(response.body) < 8_000
    answer = strict_json(response.body)
    if expected == 413:  # the row cap, counted before any row is validated
        assert f"{key}: {len(rows):,} rows; at most" in answer["message"]
    else:  # the first 20 problems, and how many more
        assert len(answer["detail"]) == 20
        assert answer["detail"][0]["loc"][:3] == ["body", key, 0]
        assert answer["message"].endswith(f"; and {answer['error_count'] - 20:,} more")
        assert answer["error_count"] >= len(rows)


# --- fuzzers --------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
field_values = json_values | st.sampled_from(
    ["0.80", "abc", "", "urban", "ADULT", "1e400", "NaN", "-1", "99999999999999999999"]
)
retailer_keys = st.sampled_from(
    [
        "id",
        "male_female_ratio",
        "city",
        "urban_rural_classification",
        "customer_age_class",
        "customer_income_bracket",
        "customer_education_level",
        "annual_revenue",
        "employee_count",
        "years_in_business",
        "total_sales",
        "user",
    ]
)
retailers = st.lists(st.dictionaries(retailer_keys, field_values, max_size=12), max_size=6)
sales_rows = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.dates().map(date.isoformat) | st.text(max_size=12),
            "amount": st.floats(allow_nan=False) | st.integers() | st.text(max_size=5),
        }
    ),
    max_size=40,
)


def assert_no_5xx(api: LocalApi, path: str, body: str | bytes, content_type: str | None) -> None:
    status, answer = post(api, path, body, content_type)
    assert status < 500, answer
    if status >= 400:
        assert answer["message"]


@FUZZ
@given(body=st.fixed_dictionaries({"retailers": retailers}) | json_values)
def test_fuzzed_segmentation_bodies_get_no_5xx(api, body):
    for path in ("/segment-customers", "/segments/assign"):
        assert_no_5xx(api, path, json.dumps(body), "application/json")


@FUZZ
@given(
    rows=sales_rows,
    horizon=st.integers(-5, 400) | st.sampled_from([30, 90, 365]),
    start=st.dates(),
)
def test_fuzzed_predict_sales_bodies_get_no_5xx(api, rows, horizon, start):
    # Rows as drawn, or a run of consecutive days from any date (so the fit is reached)
    run = sales(start, 20) if start.year < 9999 else []
    for series in (rows, run):
        body = json.dumps({"sales": series, "horizon_days": horizon})
        assert_no_5xx(api, "/predict-sales", body, "application/json")


@FUZZ
@given(
    path=st.sampled_from(POSTS),
    row=json_values | st.dictionaries(retailer_keys, field_values, max_size=12),
    copies=st.sampled_from([21, 1_000, 3_661, 20_000, 50_001]),
)
def test_fuzzed_bodies_of_many_copied_rows_get_a_small_4xx_or_200(api, path, row, copies):
    key = "sales" if path == "/predict-sales" else "retailers"
    body = json.dumps({key: [row] * copies}, separators=(",", ":"))
    status, answer = post(api, path, body[:5_600_000])
    assert status < 500, answer
    assert len(json.dumps(answer)) < 8_000 or status == 200


@FUZZ
@given(
    path=st.sampled_from(POSTS),
    body=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    content_type=st.none()
    | st.sampled_from(
        ["application/json", "multipart/form-data", "text/plain", "application/octet-stream"]
    )
    | st.text(max_size=30),
)
def test_fuzzed_raw_bodies_and_content_types_get_no_5xx(api, path, body, content_type):
    assert_no_5xx(api, path, body, content_type)
