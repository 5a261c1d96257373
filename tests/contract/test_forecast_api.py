"""The forecast Lambda in-process, driven by the events in events/ (as `sam local invoke`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import ModuleType

import pytest

from aktina_ml.forecasting.artifact import MODEL_NAME
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.forecast import HISTORY_DAYS, synthetic, synthetic_artifact
from tests.support.handlers import answer_in_fresh_process, load_handler

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "sales_forecasting_training.csv"


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The forecast function with an empty local model store."""
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    return load_handler("forecast")


@pytest.fixture
def promoted(tmp_path: Path) -> str:
    """Promote the synthetic forecast in the handler's store; return its version."""
    store = ModelStore(LocalBackend(tmp_path / "models"))
    artifact = synthetic_artifact()
    manifest = store.save(MODEL_NAME, artifact, {"metrics": artifact.metrics})
    store.promote(manifest)
    return manifest.version


def call(handler, event, context) -> tuple[int, dict]:
    response = handler.lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"])


def get(load_event, **query: str) -> dict:
    event = load_event("forecast_get.json")
    event["queryStringParameters"] = query or None
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    return event


def post(load_event, body: object) -> dict:
    event = load_event("predict_sales_legacy.json")
    event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


def sample_sales() -> list[dict]:
    with SAMPLE.open() as handle:
        return [{"date": r["date"], "amount": float(r["amount"])} for r in csv.DictReader(handle)]


# --- GET /forecast -------------------------------------------------------------------------


def test_get_forecast_event_answers_weekly_totals(handler, promoted, load_event, lambda_context):
    # Given a promoted forecast, when the event (horizon 90, week) arrives
    status, body = call(handler, load_event("forecast_get.json"), lambda_context)
    # Then weekly periods cover exactly 90 days with intervals, history and chart data
    assert status == 200
    assert body["granularity"] == "week"
    assert sum(body["period_days"]) == 90
    n = len(body["dates"])
    assert 13 <= n <= 14
    for key in ("values", "lower", "upper", "period_days"):
        assert len(body[key]) == n
    assert all(
        lo <= v <= hi
        for lo, v, hi in zip(body["lower"], body["values"], body["upper"], strict=False)
    )
    assert body["model_version"] == promoted
    assert body["trained_at"]
    assert body["backtest"]["mase"] < body["backtest"]["mase_seasonal_naive"]
    assert body["forecast_dates"] == body["dates"]
    assert body["forecast_upper_bound"] == body["upper"]
    assert [s["name"] for s in body["chart"]["series"]] == [
        "Actual sales",
        "Forecast",
        "80% interval",
    ]
    assert sum(body["history"]["period_days"]) == 365


@pytest.mark.parametrize(
    ("horizon", "granularity", "periods"),
    [("1", "day", 1), ("365", "day", 365), ("30", "month", 2)],
)
def test_get_forecast_any_horizon_and_granularity(
    handler, promoted, load_event, lambda_context, horizon, granularity, periods
):
    status, body = call(
        handler, get(load_event, horizon_days=horizon, granularity=granularity), lambda_context
    )
    assert status == 200
    assert len(body["values"]) == periods
    assert sum(body["period_days"]) == int(horizon)


def test_get_forecast_defaults_to_90_days_daily(handler, promoted, load_event, lambda_context):
    status, body = call(handler, get(load_event), lambda_context)
    assert status == 200
    assert (body["granularity"], len(body["dates"])) == ("day", 90)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"horizon_days": "0"}, "horizon_days"),
        ({"horizon_days": "366"}, "horizon_days"),
        ({"horizon_days": "ninety"}, "horizon_days"),
        ({"granularity": "year"}, "granularity"),
    ],
)
def test_get_forecast_bad_query_is_422_naming_the_parameter(
    handler, promoted, load_event, lambda_context, query, named
):
    status, body = call(handler, get(load_event, **query), lambda_context)
    assert status == 422
    assert body["message"].startswith(named)


def test_get_forecast_without_a_model_is_503_saying_to_train(handler, load_event, lambda_context):
    status, body = call(handler, load_event("forecast_get.json"), lambda_context)
    assert status == 503
    assert "run training" in body["message"]


def test_get_path_imports_neither_prophet_nor_pandas(promoted, tmp_path, load_event):
    # Given a fresh process with only the forecast handler and a promoted model
    # When it serves GET /forecast
    status, _, heavy = answer_in_fresh_process("forecast", "forecast_get.json", tmp_path / "models")
    # Then it answered 200 without importing any heavy library
    assert (status, heavy) == (200, [])


# --- POST /predict-sales (the Laravel app's call) ------------------------------------------


def test_legacy_fit_imports_neither_prophet_nor_pandas(tmp_path):
    # Given a fresh process with only the forecast handler and no promoted model
    # When it answers the app's POST /predict-sales (a fit with Prophet's model)
    status, body, heavy = answer_in_fresh_process(
        "forecast", "predict_sales_legacy.json", tmp_path / "models"
    )
    # Then it fitted Prophet's model without importing Prophet, pandas or scipy
    assert (status, body["model"], body["precomputed"], heavy) == (200, "prophet", False, [])


def test_legacy_event_gets_future_dates_and_equal_length_lists(handler, load_event, lambda_context):
    # Given the app's body: its last 365 days and horizon 90
    event = load_event("predict_sales_legacy.json")
    posted = json.loads(event["body"])
    # When posted
    status, body = call(handler, event, lambda_context)
    # Then 90 future days follow the last posted day, with equal-length lists
    assert status == 200
    assert len(body["forecast_dates"]) == 90
    assert body["forecast_dates"][0] == "2025-01-08"  # the sample ends on 2025-01-07
    assert max(d["date"] for d in posted["sales"]) < body["forecast_dates"][0]
    lists = ("forecast_values", "forecast_lower_bound", "forecast_upper_bound")
    assert all(len(body[k]) == 90 for k in lists)
    lower, upper = body["forecast_lower_bound"], body["forecast_upper_bound"]
    bands = zip(lower, body["forecast_values"], upper, strict=True)
    assert all(0 <= lo <= v <= hi for lo, v, hi in bands)
    # And the forecast continues the sample's rising level (about 250k a day at the end)
    assert 200_000 < body["forecast_values"][0] < 320_000


def test_legacy_with_the_apps_372_day_sample_is_reproducible(handler, load_event, lambda_context):
    # Given the app's whole 372-day sample file, posted twice with horizon 30
    event = post(load_event, {"sales": sample_sales(), "horizon_days": 30})
    # When posted twice
    first = call(handler, event, lambda_context)
    second = call(handler, event, lambda_context)
    # Then both answers are 200 and identical
    assert first[0] == 200
    assert first == second
    assert len(first[1]["forecast_values"]) == 30
    assert first[1]["history_days"] == 373


def test_legacy_a_days_forecast_does_not_depend_on_the_requested_horizon(
    handler, load_event, lambda_context
):
    # Given the app's sample posted with horizon 30 and with horizon 180
    short = call(
        handler, post(load_event, {"sales": sample_sales(), "horizon_days": 30}), lambda_context
    )
    long = call(
        handler, post(load_event, {"sales": sample_sales(), "horizon_days": 180}), lambda_context
    )
    # Then the first 30 days have the same value and the same interval in both answers
    assert short[0] == long[0] == 200
    for key in (
        "forecast_dates",
        "forecast_values",
        "forecast_lower_bound",
        "forecast_upper_bound",
    ):
        assert short[1][key] == long[1][key][:30], key
    assert short[1]["precomputed"] is False


def test_legacy_agrees_with_get_for_the_history_the_model_was_trained_on(
    handler, promoted, load_event, lambda_context
):
    # Given a promoted model and the last 365 days of the history it was trained on
    history, _ = synthetic().split(HISTORY_DAYS)
    sales = [
        {"date": d.strftime("%Y-%m-%d"), "amount": float(a)}
        for d, a in zip(history["date"][-365:], history["amount"][-365:], strict=True)
    ]
    # When the app posts them, and asks GET /forecast for the same 90 days
    status, posted = call(
        handler, post(load_event, {"sales": sales, "horizon_days": 90}), lambda_context
    )
    _, got = call(handler, get(load_event, horizon_days="90"), lambda_context)
    # Then both give the same forecast, from the model the backtest chose
    assert status == 200
    assert posted["precomputed"] is True
    assert posted["model"] == got["model"]["model"]
    assert posted["forecast_dates"] == got["dates"]
    assert posted["forecast_values"] == got["values"]
    assert posted["forecast_lower_bound"] == got["lower"]
    assert posted["forecast_upper_bound"] == got["upper"]


def test_legacy_on_another_history_fits_the_promoted_models_choice(
    handler, promoted, load_event, lambda_context
):
    # Given a promoted model whose backtest chose a candidate, and an unrelated series
    event = post(load_event, {"sales": sample_sales(), "horizon_days": 30})
    status, body = call(handler, event, lambda_context)
    # Then the series is fitted now with that kind of model
    _, got = call(handler, get(load_event), lambda_context)
    assert status == 200
    assert body["precomputed"] is False
    assert body["model"] == got["model"]["model"]
    assert 200_000 < body["forecast_values"][0] < 320_000


def test_legacy_duplicate_dates_are_summed(handler, load_event, lambda_context):
    # Given the sample where one day's amount arrives split over two rows
    sales = sample_sales()[:60]
    split = [
        *sales[:-1],
        {**sales[-1], "amount": 1000.0},
        {**sales[-1], "amount": sales[-1]["amount"] - 1000},
    ]
    # When both versions are posted
    whole = call(handler, post(load_event, {"sales": sales, "horizon_days": 14}), lambda_context)
    parts = call(handler, post(load_event, {"sales": split, "horizon_days": 14}), lambda_context)
    # Then they get the same forecast
    assert whole[0] == parts[0] == 200
    assert whole[1] == parts[1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {3: {"date": "2024-02-30", "amount": 5}},
            "sales[3].date: '2024-02-30' is not a calendar date",
        ),
        (
            {5: {"date": "05/01/2024", "amount": 5}},
            "sales[5].date: must be a date written YYYY-MM-DD",
        ),
        ({7: {"date": "2024-01-08", "amount": "lots"}}, "sales[7].amount"),
        ({2: {"date": "2024-01-03", "amount": -5}}, "sales[2].amount: must not be negative"),
        ({4: {"date": "2024-01-05"}}, "sales[4].amount"),
    ],
)
def test_legacy_bad_rows_are_422_naming_the_row(
    handler, load_event, lambda_context, change, message
):
    sales = sample_sales()[:30]
    for index, row in change.items():
        sales[index] = row
    status, body = call(handler, post(load_event, {"sales": sales}), lambda_context)
    assert status == 422
    assert message in body["message"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"sales": sample_sales()[:13]}, 422, "at least 14 different days"),
        ({"sales": sample_sales()[:30], "horizon_days": 0}, 422, "horizon_days"),
        ({"sales": sample_sales()[:30], "horizon_days": 366}, 422, "horizon_days"),
        ({"sales": "yesterday"}, 422, "sales"),
        ({"horizon_days": 30}, 422, "sales"),
        ("{not json", 422, ""),
        ([1, 2, 3], 422, ""),
        ({"sales": [{"date": "2000-01-01", "amount": 1}, *sample_sales()[:20]]}, 422, "dates span"),
        ({"sales": sample_sales() * 10}, 413, "rows"),
        ({"sales": sample_sales() * 10, "padding": "x" * 1_000_000}, 413, "bytes"),
    ],
)
def test_legacy_bad_requests_are_4xx_never_500(
    handler, load_event, lambda_context, body, status, message
):
    answer_status, answer = call(handler, post(load_event, body), lambda_context)
    assert answer_status == status
    assert message in answer["message"]


def test_get_forecast_is_cacheable_until_the_model_changes(
    handler, promoted, tmp_path, load_event, lambda_context
):
    # Given a first answer and its ETag
    event = load_event("forecast_get.json")
    first = handler.lambda_handler(event, lambda_context)
    etag = first["multiValueHeaders"]["ETag"][0]
    assert first["multiValueHeaders"]["Cache-Control"][0].startswith("private, max-age=")
    # When the client asks again with If-None-Match
    event["headers"] = {**event["headers"], "If-None-Match": etag}
    again = handler.lambda_handler(event, lambda_context)
    # Then it gets 304 without a body
    assert again["statusCode"] == 304
    assert not again["body"]
    # And another horizon has another ETag
    other = get(load_event, horizon_days="30", granularity="week")
    assert handler.lambda_handler(other, lambda_context)["multiValueHeaders"]["ETag"][0] != etag
