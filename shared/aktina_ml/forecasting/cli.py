"""``aktina-ml backtest`` and ``aktina-ml forecast`` for a ``date,amount`` sales CSV."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from aktina_ml.arguments import staleness_warning, today_in, whole_number
from aktina_ml.forecasting.artifact import GRANULARITIES
from aktina_ml.forecasting.config import ForecastConfig

MAX_HORIZON_DAYS = ForecastConfig.MAX_HORIZON_DAYS

HORIZON = whole_number(1, MAX_HORIZON_DAYS, "days")


def register(subparsers: Any) -> None:
    backtest = subparsers.add_parser(
        "backtest",
        help="rolling-origin backtest of the forecast vs seasonal naive (JSON)",
        description="Backtest our Prophet setup and seasonal naive on a date,amount CSV.",
    )
    backtest.add_argument("--sales", required=True, help="CSV with columns date,amount")
    backtest.add_argument(
        "--horizon", type=HORIZON, default=None, help="days per fold (default 30)"
    )
    backtest.set_defaults(handler=run_backtest)

    forecast = subparsers.add_parser(
        "forecast",
        help="forecast the days after a date,amount CSV (JSON)",
        description="Fit the forecast (with its backtest) on a date,amount CSV and print it.",
    )
    forecast.add_argument("--sales", required=True, help="CSV with columns date,amount")
    forecast.add_argument(
        "--horizon", type=HORIZON, default=90, help=f"days ahead (1–{MAX_HORIZON_DAYS})"
    )
    forecast.add_argument("--granularity", choices=GRANULARITIES, default="day")
    forecast.set_defaults(handler=run_forecast)


def run_backtest(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import read_daily_sales_csv
    from aktina_ml.forecasting.pipeline import evaluate, prepare

    train, test = ForecastConfig.MIN_TRAIN_DAYS, ForecastConfig.MIN_BACKTEST_HORIZON_DAYS
    if args.horizon is not None and args.horizon < test:
        raise ValueError(f"--horizon {args.horizon}: a backtest fold tests at least {test} days")
    history = prepare(read_daily_sales_csv(args.sales))
    too_few = (
        f"{args.sales}: {len(history)} days of sales are too few to backtest: each fold trains "
        f"on at least {train} days and tests on at least {test}, so give at least "
        f"{train + test} days"
    )
    if len(history) < train + test:
        raise ValueError(too_few)
    _progress("backtest", f"{len(history)} days of sales: backtesting (a few seconds per year) …")
    evaluation = evaluate(history, ForecastConfig.from_settings(load_settings()), args.horizon)
    metrics = evaluation.metrics
    if not metrics.get("folds"):
        raise ValueError(too_few)
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

    settings = load_settings()
    config = ForecastConfig.from_settings(settings)
    daily = read_daily_sales_csv(args.sales)
    if len(daily) < config.min_history_days:
        raise ValueError(
            f"{args.sales}: {len(daily)} days of sales; a forecast needs at least "
            f"{config.min_history_days} (AKTINA_FORECAST_MIN_HISTORY_DAYS)"
        )
    last_day = daily["date"].max().date()
    warning = staleness_warning(last_day, today_in(settings), f"the sales in {args.sales}")
    if warning:
        _progress("forecast", f"{warning} (this one starts the day after)")
    _progress("forecast", f"{len(daily)} days of sales: backtesting and fitting …")
    artifact = build_forecast(daily, config)
    answer = forecast_response(artifact, "cli", args.horizon, args.granularity)
    answer.pop("chart")
    print(json.dumps(answer, indent=2))
    return 0


def _progress(command: str, message: str) -> None:
    print(f"aktina-ml {command}: {message}", file=sys.stderr, flush=True)
