"""``aktina-ml demo-data``: write a demo dataset as CSV files and optionally load a database."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aktina_ml.demo.spec import DemoSpec

if TYPE_CHECKING:
    from aktina_ml.demo.generator import DemoDataset

DEFAULT = DemoSpec()
DEFAULTS_NOTE = (
    f"defaults: {DEFAULT.retailers} retailers, {DEFAULT.orders} orders, {DEFAULT.days} days "
    f"ending yesterday (in --timezone), seed {DEFAULT.seed}"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo-data",
        help="generate a realistic demo dataset (CSV files, optionally loaded into MySQL)",
        description="Generate users, retailers, products and orders shaped like the Laravel "
        "app's tables, with planted retailer segments (planted_segments.csv), the noise-free "
        "expected daily Aktina sales (expected_daily_sales.csv), the products' life cycles "
        "(planted_product_lifecycles.csv) and the deliberately wrong order items "
        "(planted_item_problems.csv). Same options, seed and --end, same data. " + DEFAULTS_NOTE,
    )
    parser.add_argument("--out", required=True, type=Path, help="directory for the CSV files")
    parser.add_argument("--retailers", type=_positive, default=DEFAULT.retailers)
    parser.add_argument(
        "--orders", type=_positive, default=DEFAULT.orders, help="orders of all parties"
    )
    parser.add_argument("--days", type=_positive, default=DEFAULT.days, help="days of history")
    parser.add_argument(
        "--end",
        type=_day,
        metavar="YYYY-MM-DD",
        help="last day of history (default: yesterday in --timezone, so a model trained "
        "today forecasts from today)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT.seed)
    parser.add_argument(
        "--timezone",
        default=DEFAULT.timezone,
        help="business timezone of the order timestamps (stored as UTC)",
    )
    parser.add_argument(
        "--mysql-url",
        nargs="?",
        const="",
        metavar="URL",
        help="also load the data into this database (mysql://user:password@host:3306/db); "
        "without a value: the database configured by AKTINA_DATABASE_URL or AKTINA_DB_*. "
        "Its Laravel tables must be empty.",
    )
    parser.add_argument(
        "--create-schema",
        action="store_true",
        help="create the Laravel tables first (the database must be empty)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import pymysql

    from aktina_ml.config import DatabaseSettings, load_settings
    from aktina_ml.data.mysql import connect
    from aktina_ml.demo.generator import generate
    from aktina_ml.demo.loader import DemoLoadError, load_mysql

    if args.create_schema and args.mysql_url is None:
        raise ValueError("--create-schema needs --mysql-url")
    spec = DemoSpec(
        retailers=args.retailers,
        orders=args.orders,
        days=args.days,
        end=args.end or yesterday(args.timezone),
        seed=args.seed,
        timezone=args.timezone,
    )
    # Resolve the database before the slow part, so a bad URL fails at once.
    db = None
    if args.mysql_url is not None:
        db = (
            DatabaseSettings.from_url(args.mysql_url)
            if args.mysql_url
            else load_settings().database()
        )

    _progress(
        f"generating {spec.orders:,} orders, {spec.retailers:,} retailers, {spec.days} days "
        f"({spec.start} to {spec.end}, seed {spec.seed})"
    )
    started = time.perf_counter()
    dataset = generate(spec)
    _progress(
        f"generated {len(dataset.products)} products and {len(dataset.orders):,} orders "
        f"({_lines(dataset):,} item lines) in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    dataset.write_csv(args.out)
    _progress(f"wrote CSV files to {args.out} in {time.perf_counter() - started:.1f} s")

    if db is not None:
        target = f"{db.host}:{db.port}/{db.database}"
        _progress(f"loading into {target}")
        try:
            connection = connect(db, local_infile=True)
            try:
                result = load_mysql(
                    connection, dataset, create_schema=args.create_schema, csv_directory=args.out
                )
            finally:
                connection.close()
        except (DemoLoadError, pymysql.err.MySQLError) as exc:
            print(f"aktina-ml demo-data: loading {target} failed: {exc}", file=sys.stderr)
            return 1
        counts = ", ".join(f"{n:,} {table}" for table, n in result.rows.items())
        _progress(f"loaded {counts} with {result.method} in {result.seconds:.1f} s")
    _progress(
        f"timestamps follow business hours in {spec.timezone}: "
        f"set AKTINA_TIMEZONE={spec.timezone} to get the planted daily pattern"
    )
    return 0


def _lines(dataset: DemoDataset) -> int:
    return 0 if dataset.item_lines is None else len(dataset.item_lines)


def yesterday(timezone: str) -> date:
    """The last complete day in ``timezone`` (raises ValueError for an unknown zone)."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"--timezone: unknown time zone {timezone!r}") from None
    return datetime.now(zone).date() - timedelta(days=1)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _progress(message: str) -> None:
    print(f"demo-data: {message}", file=sys.stderr, flush=True)
