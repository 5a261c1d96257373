"""Per-segment forecasts and forecast monitoring: training time added, warm GET latency.

Targets (issue 16): all segments within the forecast training's time budget (training on 4
years ≤ 60 s); GET /forecast/segments and GET /forecast/accuracy ≤ 1 ms warm.

Demo data (3 years, 1,000 retailers, 200k orders), trained from its CSV exports: the
segmentation, a forecast 30 days before the data ends, then today's (with an archive of one).
The total forecast alone and with the follow-ups are timed in the same run.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta

from bench.forecast import CONTEXT, ROOT, describe, timed


def main() -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import CsvSource
    from aktina_ml.data.source import extend_to
    from aktina_ml.demo.generator import DemoSpec, generate
    from aktina_ml.forecasting.artifact import ForecastArtifact
    from aktina_ml.forecasting.config import ForecastConfig
    from aktina_ml.forecasting.fit import build_forecast
    from aktina_ml.forecasting.training import train_forecast
    from aktina_ml.model_store.backends import LocalBackend
    from aktina_ml.model_store.store import ModelStore
    from aktina_ml.segmentation.training import train_segmentation

    with tempfile.TemporaryDirectory(prefix="aktina-bench-") as folder:
        yesterday = date.today() - timedelta(days=1)  # the quality gate wants recent sales
        spec = DemoSpec(retailers=1000, orders=200_000, days=1095, end=yesterday, seed=3)
        dataset = generate(spec)
        dataset.write_csv(folder)
        settings = load_settings(model_store=f"{folder}/models", timezone=dataset.timezone)
        source = CsvSource.from_directory(folder, zone=settings.zone)
        store = ModelStore(LocalBackend(f"{folder}/models"))
        segmentation = train_segmentation(source, store, settings)
        assert segmentation.promoted, segmentation.reason
        end = dataset.expected_daily_sales.index[-1].date()

        config = ForecastConfig.from_settings(settings)
        daily = extend_to(source.daily_sales(), end)
        started = time.perf_counter()
        build_forecast(daily, config)
        total_only = time.perf_counter() - started
        train_forecast(source, store, settings, today=end - timedelta(days=29))
        started = time.perf_counter()
        latest = train_forecast(source, store, settings, today=end + timedelta(days=1))
        with_follow_ups = time.perf_counter() - started
        summary = latest.manifest.metadata["segments"]
        print(
            f"\n-- training, 3 years daily: total forecast alone {total_only:.1f} s; "
            f"training with monitoring and {summary['segments']} segment forecasts "
            f"{with_follow_ups:.1f} s (segments {summary['seconds']:.1f} s); "
            f"reconciliation factors {summary['factor_min']}–{summary['factor_max']}"
        )
        artifact = store.load(latest.manifest, ForecastArtifact)
        bare = replace(artifact, segments=(), archive=(), accuracy=None, segments_summary=None)
        print(
            f"artifact {latest.manifest.size_bytes / 1024:.0f} KiB "
            f"(without segments and archive: {len(store_bytes(bare)) / 1024:.0f} KiB)"
        )

        os.environ["AKTINA_MODEL_STORE"] = f"{folder}/models"
        app = importlib.import_module("functions.forecast.app")
        print("\n-- warm GET in-process (handler: validation, ETag, body rendered once)")
        for name, queries in (
            ("forecast_segments_get.json", [("90", "day"), ("365", "week"), ("365", "month")]),
            ("forecast_accuracy_get.json", [("7",), ("30",)]),
        ):
            base = json.loads((ROOT / "events" / name).read_text())
            for query in queries:
                params = (
                    {"horizon_days": query[0], "granularity": query[1]}
                    if len(query) == 2
                    else {"lead_days": query[0]}
                )
                event = base | {
                    "queryStringParameters": params,
                    "multiValueQueryStringParameters": {k: [v] for k, v in params.items()},
                }
                first = timed(lambda e=event: app.lambda_handler(e, CONTEXT), 1)
                warm = timed(lambda e=event: app.lambda_handler(e, CONTEXT), 300)
                size = len(app.lambda_handler(event, CONTEXT)["body"])
                print(
                    f"{base['path']:20s} {params}  first {first[0] * 1000:6.2f} ms  "
                    f"warm {describe(warm)}  body {size / 1024:.0f} KiB"
                )


def store_bytes(artifact: object) -> bytes:
    import io

    import joblib

    buffer = io.BytesIO()
    joblib.dump(artifact, buffer)
    return buffer.getvalue()
