"""Forecast benchmarks: training with backtest, warm GET latency, legacy POST latency.

Targets: training ≤ 60 s on 4 years of daily data (issue 10: every candidate backtested);
GET ≤ 5 ms warm; the legacy POST with 373 days and horizon 90 ≤ 0.5 s warm (issue 10), no
slower than the app's old service (0.137 s here) where it can.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sales_forecasting_training.csv"
CONTEXT = SimpleNamespace(
    function_name="forecast",
    memory_limit_in_mb=1024,
    invoked_function_arn="arn:aws:lambda:eu-west-1:123456789012:function:forecast",
    aws_request_id="bench",
)


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def describe(times: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    p95 = float(np.percentile(times, 95))
    return (
        f"median {statistics.median(times) * scale:6.2f} p95 {p95 * scale:6.2f} "
        f"best {min(times) * scale:6.2f} {unit}"
    )


def bench_training(store_dir: str) -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import CsvSource
    from aktina_ml.forecasting.artifact import ForecastArtifact
    from aktina_ml.forecasting.training import train_forecast
    from aktina_ml.model_store.backends import LocalBackend
    from aktina_ml.model_store.store import ModelStore
    from tests.support.series import synthetic_sales

    print("\n-- training with backtest, 4 years of daily sales (synthetic, known truth)")
    series = synthetic_sales(1461 + 90)
    history, truth = series.split(1461)
    sales_csv = Path(store_dir) / "sales.csv"
    history.assign(date=history["date"].dt.strftime("%Y-%m-%d")).to_csv(sales_csv, index=False)
    source = CsvSource(sales=sales_csv)
    store = ModelStore(LocalBackend(Path(store_dir) / "models"))
    today = (history["date"].iloc[-1] + np.timedelta64(1, "D")).date()
    for label, overrides in (
        ("mode auto (Prophet additive/multiplicative/log)", {}),
        ("mode fixed additive (one Prophet variant)", {"forecast_mode": "additive"}),
        ("mode auto + US holidays", {"forecast_holidays_country": "US"}),
    ):
        settings = load_settings(model_store=str(Path(store_dir) / "models"), **overrides)
        start = time.perf_counter()
        result = train_forecast(source, store, settings, today=today)
        seconds = time.perf_counter() - start
        m = result.metrics
        artifact = store.load(result.manifest, ForecastArtifact)
        error = np.mean(np.abs(artifact.totals["day"].point[:90] - truth))
        print(
            f"{label:50s} {seconds:6.2f} s  promoted={result.promoted}  "
            f"artifact {result.manifest.size_bytes / 1024:.0f} KiB"
        )
        cover = m["coverage_calibrated_by_granularity"]
        print(
            f"   backtest {m['folds']}x{m['horizon_days']} d: served {m['served']['model']} "
            f"(Prophet {m['served']['prophet_mode']}) MASE {m['mase']:.3f} "
            f"(seasonal naive {m['mase_seasonal_naive']:.3f})  sMAPE {m['smape']:.2f} %  "
            f"80% coverage day {cover['day']:.3f} week {cover['week']:.3f} "
            f"month {cover['month']:.3f}  MAE vs truth 90 d {error:.1f} (noise sd 60)"
        )


def bench_get(store_dir: str) -> None:
    os.environ["AKTINA_MODEL_STORE"] = str(Path(store_dir) / "models")
    app = importlib.import_module("functions.forecast.app")
    from aktina_ml.api import forecast as serving
    from aktina_ml.api.forecast_answers import forecast_response
    from aktina_ml.forecasting.contracts import ForecastResponse

    event = json.loads((ROOT / "events" / "forecast_get.json").read_text())
    app.lambda_handler(event, CONTEXT)  # cold: loads the artifact once
    loaded = app.forecasts.get()
    artifact, version = loaded.model, loaded.manifest.version

    def render_miss(h: int, g: str) -> None:  # the first ask for a (version, horizon, granularity)
        serving._rendered.clear()
        serving.forecast_json(artifact, version, h, g)

    def pydantic_way(h: int, g: str) -> None:  # before: response model validation + encoding
        answer = ForecastResponse.model_validate(forecast_response(artifact, version, h, g))
        json.dumps(answer.model_dump(mode="json"), separators=(",", ":"))

    print(
        "\n-- warm GET /forecast in-process: handler (query validation, ETag, body rendered once "
        "per version/horizon/granularity); a first ask (render on a miss); the alternative of "
        "validating and encoding a pydantic response model per request"
    )
    for granularity in ("day", "week", "month"):
        for horizon in (30, 90, 365):
            query = {"horizon_days": str(horizon), "granularity": granularity}
            event = {
                **event,
                "queryStringParameters": query,
                "multiValueQueryStringParameters": {k: [v] for k, v in query.items()},
            }
            handler = timed(lambda e=event: app.lambda_handler(e, CONTEXT), 200)
            miss = timed(lambda h=horizon, g=granularity: render_miss(h, g), 100)
            model = timed(lambda h=horizon, g=granularity: pydantic_way(h, g), 100)
            size = len(app.lambda_handler(event, CONTEXT)["body"])
            print(
                f"{granularity:5s} {horizon:3d} d  handler {describe(handler)}   "
                f"render on a miss {describe(miss)}   pydantic model {describe(model)}   "
                f"body {size / 1024:.0f} KiB"
            )


def bench_legacy() -> None:
    import logging

    import pandas as pd
    from prophet import Prophet

    from aktina_ml.api.forecast import predict_sales
    from aktina_ml.config import load_settings
    from aktina_ml.forecasting.config import ForecastConfig

    app = importlib.import_module("functions.forecast.app")
    with SAMPLE.open() as handle:
        sales = [{"date": r["date"], "amount": float(r["amount"])} for r in csv.DictReader(handle)]
    event = json.loads((ROOT / "events" / "predict_sales_legacy.json").read_text())
    event["body"] = json.dumps({"sales": sales, "horizon_days": 90})
    print(f"\n-- legacy POST /predict-sales, {len(sales)} days, horizon 90 (the app's sample)")
    app.lambda_handler(event, CONTEXT)  # warm the imports
    handler = timed(lambda: app.lambda_handler(event, CONTEXT), 15)
    print(f"handler (ours, defaults)                {describe(handler)}")
    days = [pd.Timestamp(s["date"]).date() for s in sales]
    amounts = [s["amount"] for s in sales]
    trained = app.forecasts.get().model
    for samples in (1000, 300):
        config = ForecastConfig.from_settings(
            load_settings(forecast_request_interval_samples=samples)
        )
        t = timed(lambda c=config: predict_sales(days, amounts, 90, c), 15)
        print(f"domain only, {samples:4d} samples, no model: Prophet {describe(t)}")
        for kind in ("prophet", "ets", "combination"):
            served = replace(
                trained,
                metrics=trained.metrics | {"served": trained.metrics["served"] | {"model": kind}},
            )
            t = timed(lambda c=config, a=served: predict_sales(days, amounts, 90, c, a), 15)
            print(f"domain only, {samples:4d} samples, served {kind:11s} {describe(t)}")

    logging.getLogger("cmdstanpy").setLevel(logging.CRITICAL)
    frame = pd.DataFrame({"ds": pd.to_datetime(days), "y": amounts})

    def old_service() -> None:  # what the app's old service did: Prophet defaults per request
        model = Prophet().fit(frame)
        model.predict(model.make_future_dataframe(90, include_history=False))

    print(f"old service's way (Prophet defaults)    {describe(timed(old_service, 15))}")


def main() -> None:
    with tempfile.TemporaryDirectory() as store_dir:
        bench_training(store_dir)
        bench_get(store_dir)
        bench_legacy()
