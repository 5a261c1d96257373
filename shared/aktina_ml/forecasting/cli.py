"""``aktina-ml backtest`` and ``aktina-ml forecast`` for a ``date,amount`` sales CSV."""

from __future__ import annotations

import argparse
import json
from typing import Any

from aktina_ml.forecasting.artifact import GRANULARITIES
from aktina_ml.forecasting.config import ForecastConfig

MAX_HORIZON_DAYS = ForecastConfig.MAX_HORIZON_DAYS


def register(subparsers: Any) -> None:
    backtest = subparsers.add_parser(
        "backtest",
        help="rolling-origin backtest of the forecast vs seasonal naive (JSON)",
        description="Backtest our Prophet setup and seasonal naive on a date,amount CSV.",
    )
    backtest.add_argument("--sales", required=True, help="CSV with columns date,amount")
    backtest.add_argument("--horizon", type=_horizon, default=None, help="days per fold")
    backtest.set_defaults(handler=run_backtest)

    forecast = subparsers.add_parser(
        "forecast",
        help="forecast the days after a date,amount CSV (JSON)",
        description="Fit the forecast (with its backtest) on a date,amount CSV and print it.",
    )
    forecast.add_argument("--sales", required=True, help="CSV with columns date,amount")
    forecast.add_argument("--horizon", type=_horizon, default=90, help="days ahead (1–365)")
    forecast.add_argument("--granularity", choices=GRANULARITIES, default="day")
    forecast.set_defaults(handler=run_forecast)


def run_backtest(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import read_daily_sales_csv
    from aktina_ml.forecasting.pipeline import evaluate, prepare

    history = prepare(read_daily_sales_csv(args.sales))
    evaluation = evaluate(history, ForecastConfig.from_settings(load_settings()), args.horizon)
    metrics = evaluation.metrics
    report = {
        "days": len(history),
        "mode": evaluation.mode,
        "prophet": {
            k: metrics.get(k) for k in ("mase", "smape", "coverage", "coverage_calibrated")
        },
        "seasonal_naive": {
            "mase": metrics.get("mase_seasonal_naive"),
            "smape": metrics.get("smape_seasonal_naive"),
        },
        "backtest": metrics | {"candidates": evaluation.candidates},
    }
    print(json.dumps(report, indent=2))
    return 0


def run_forecast(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import read_daily_sales_csv
    from aktina_ml.forecasting.artifact import forecast_response
    from aktina_ml.forecasting.pipeline import build_forecast

    config = ForecastConfig.from_settings(load_settings())
    artifact = build_forecast(read_daily_sales_csv(args.sales), config)
    answer = forecast_response(artifact, "cli", args.horizon, args.granularity)
    answer.pop("chart")
    print(json.dumps(answer, indent=2))
    return 0


def _horizon(value: str) -> int:
    days = int(value)
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise argparse.ArgumentTypeError(f"must be 1–{MAX_HORIZON_DAYS} days")
    return days
