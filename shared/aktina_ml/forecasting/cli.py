"""``aktina-ml backtest`` and ``aktina-ml forecast`` for a ``date,amount`` sales CSV."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from aktina_ml.arguments import staleness_warning, today_in, whole_number
from aktina_ml.forecasting.config import GRANULARITIES, ForecastConfig

MAX_HORIZON_DAYS = ForecastConfig.MAX_HORIZON_DAYS

HORIZON = whole_number(1, MAX_HORIZON_DAYS, "days")


def register(subparsers: Any) -> None:
    backtest = subparsers.add_parser(
        "backtest",
        help="rolling-origin backtest of every forecast candidate and the served choice",
        description=(
            "Backtest Prophet, damped ETS, their average and seasonal naive on a date,amount "
            "CSV; print MASE, sMAPE and interval coverage per candidate and which is served."
        ),
    )
    backtest.add_argument("--sales", required=True, help="CSV with columns date,amount")
    backtest.add_argument(
        "--horizon", type=HORIZON, default=None, help="days per fold (default 91)"
    )
    backtest.add_argument("--json", action="store_true", help="print the figures as JSON")
    backtest.set_defaults(handler=run_backtest, input_files=("sales",))

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
    forecast.set_defaults(handler=run_forecast, input_files=("sales",))


def run_backtest(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import read_daily_sales_csv
    from aktina_ml.forecasting.fit import evaluate, metrics, prepare

    train, test = ForecastConfig.MIN_TRAIN_DAYS, ForecastConfig.MIN_BACKTEST_HORIZON_DAYS
    if args.horizon is not None and args.horizon < test:
        raise ValueError(f"--horizon {args.horizon}: a backtest fold tests at least {test} days")
    config = ForecastConfig.from_settings(load_settings())
    history = prepare(read_daily_sales_csv(args.sales))
    too_few = (
        f"{args.sales}: {len(history)} days of sales are too few to backtest: each fold trains "
        f"on at least {train} days and tests on at least {test}, so give at least "
        f"{train + test} days"
    )
    if len(history) < train + test:
        raise ValueError(too_few)
    _progress("backtest", f"{len(history)} days of sales: backtesting (a few seconds per year) …")
    chosen = evaluate(history, config, args.horizon)
    figures = metrics(chosen, config.interval_width)
    if not figures.get("folds"):
        raise ValueError(too_few)
    if args.json:
        report = {
            "days": len(history),
            "served": figures["served"],
            "candidates": figures["candidates"],
            "backtest": figures,
        }
        print(json.dumps(report, indent=2))
    else:
        print(backtest_table(len(history), figures))
    return 0


def backtest_table(days: int, figures: dict[str, Any]) -> str:
    """The backtest as a text table: candidate, MASE, sMAPE, coverage per granularity."""
    served = figures["served"]
    width = round(100 * figures["interval_width"])
    lines = [
        f"{days} days of sales; {figures['folds']} folds × {figures['horizon_days']} days; "
        f"coverage of the calibrated {width} % intervals (held-out, leave-one-fold-out)",
        f"{'candidate':16s} {'MASE':>7s} {'sMAPE':>7s} {'day':>6s} {'week':>6s} {'month':>6s}",
    ]
    for name, row in figures["candidates"].items():
        cover = row["coverage"]
        cells = " ".join(_cell(cover.get(g), 6) for g in GRANULARITIES)
        mark = "  ← served" if name == served["model"] else ""
        lines.append(
            f"{name:16s} {_cell(row['mase'], 7)} {_cell(row['smape'], 7, 2)} {cells}{mark}"
        )
    lines.append(f"served: {served['model']}: {served['reason']}")
    return "\n".join(lines)


def _cell(value: float | None, width: int, digits: int = 3) -> str:
    return f"{value:{width}.{digits}f}" if value is not None else f"{'–':>{width}s}"


def run_forecast(args: argparse.Namespace) -> int:
    from aktina_ml.api.forecast_answers import forecast_response
    from aktina_ml.config import load_settings
    from aktina_ml.data.csv import read_daily_sales_csv
    from aktina_ml.forecasting.fit import build_forecast

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
