"""Training runs, for every model kind: pick the source, train each requested kind
(:mod:`aktina_ml.registry`), report what was promoted; and ``aktina-ml train``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktina_ml.registry import KINDS, MODEL_NAMES, unknown_models

# The settings, the store and the results load with the first function that needs them:
# `aktina-ml` builds its parser from this module's register(), and --help stays instant.
if TYPE_CHECKING:
    from aktina_ml.config import Settings
    from aktina_ml.data.source import SalesSource
    from aktina_ml.model_store.store import ModelStore
    from aktina_ml.training_result import TrainingResult


def run_metrics(
    results: Iterable[TrainingResult], store: ModelStore
) -> list[tuple[str, str, float]]:
    """(name, CloudWatch unit, value) per model: promoted, gate failed, the promoted model's
    age, and drift when the model monitors it."""
    from aktina_ml.model_store.admin import model_age_hours

    figures: list[tuple[str, str, float]] = []
    for result in results:
        name = result.model
        figures.append((f"{name}_promoted", "Count", int(result.promoted)))
        figures.append((f"{name}_gate_failed", "Count", int(result.gate_failed)))
        age = model_age_hours(store, name)
        if age is not None:
            figures.append((f"{name}_model_age_hours", "None", age))
        drift = result.drift()
        if drift is not None:
            figures.append((f"{name}_drift", "Count", drift))
    return figures


class TrainingError(RuntimeError):
    """A training run could not read its data; nothing was promoted."""


# Told what a run is doing, one line at a time (the command line prints them on stderr).
Progress = Callable[[str], None]


def train_models(
    models: Iterable[str],
    source: SalesSource,
    store: ModelStore,
    settings: Settings,
    progress: Progress | None = None,
) -> list[TrainingResult]:
    """Train each model in turn; each is promoted or rejected on its own merits."""
    from aktina_ml.observability import logger

    if progress:
        _warn_if_stale(source, settings, progress)
    results = []
    for name in models:
        if progress:
            progress(f"training {name} …")
        started = time.perf_counter()
        result = KINDS[name].train(source, store, settings)
        logger.info("training finished", extra=result.to_dict())
        if progress:
            seconds = time.perf_counter() - started
            progress(
                f"{name}: promoted {result.manifest.version} in {seconds:.1f} s"
                if result.promoted and result.manifest
                else f"{name}: NOT promoted ({result.reason}); the last good model, if any, serves"
            )
        results.append(result)
    return results


def _warn_if_stale(source: SalesSource, settings: Settings, progress: Progress) -> None:
    """Sales that end long before today: the forecast counts the days since as no sales."""
    from aktina_ml.arguments import staleness_warning, today_in

    days = source.sale_days()
    if days is None:
        return
    warning = staleness_warning(days[1], today_in(settings), "the sales")
    if warning:
        progress(f"{warning} (training counts the days since as zero sales)")


def train_from_database(
    models: Iterable[str],
    settings: Settings,
    s3_client: Any = None,
    progress: Progress | None = None,
) -> list[TrainingResult]:
    """Read the app's MySQL database (settings) and train; raise TrainingError if unreachable."""
    from aktina_ml.model_store.factories import open_store

    with database_source(settings) as source:
        store = open_store(settings, s3_client)
        return train_models(models, source, store, settings, progress)


@contextmanager
def database_source(settings: Settings) -> Iterator[SalesSource]:
    """The app's MySQL database (settings) as a source, closed afterwards; a secret, connection
    or query that fails inside raises :class:`TrainingError` (the password never in it)."""
    import pymysql
    from aws_lambda_powertools.utilities.parameters.exceptions import (
        GetParameterError,
        TransformParameterError,
    )

    from aktina_ml.data.mysql import MySqlSource, connect, resolve_database

    try:
        db = resolve_database(settings)
    except (GetParameterError, TransformParameterError, KeyError) as exc:
        raise TrainingError(f"cannot read the database secret: {exc}") from exc
    try:
        connection = connect(db)
    except pymysql.err.MySQLError as exc:
        raise TrainingError(f"cannot connect to the database: {exc}") from exc
    with closing(connection):
        try:
            yield MySqlSource.from_settings(connection, settings)
        except pymysql.err.MySQLError as exc:
            raise TrainingError(f"database error while reading training data: {exc}") from exc


def train_from_csv(
    models: Iterable[str],
    directory: str | Path,
    settings: Settings,
    progress: Progress | None = None,
) -> list[TrainingResult]:
    """Train from CSV table exports in ``directory`` (see :class:`CsvSource`)."""
    from aktina_ml.model_store.factories import open_store

    return train_models(
        models, csv_source(directory, settings), open_store(settings), settings, progress
    )


def csv_source(directory: str | Path, settings: Settings) -> SalesSource:
    """The CSV table exports in ``directory``, read with the settings' seller, statuses, zones."""
    from aktina_ml.data.csv import CsvSource

    return CsvSource.from_directory(
        directory,
        seller_company=settings.seller_company,
        sale_statuses=settings.sale_statuses,
        zone=settings.zone,
        stored_zone=settings.db_zone,
    )


def train_earlier_forecast_from_csv(
    directory: str | Path, settings: Settings, days_before: int
) -> TrainingResult:
    """A forecast trained as if today were ``days_before`` days ago (the later days unseen).

    The demo trains one before today's, so that monitoring has an earlier forecast to score
    on the sales that arrived since (``GET /forecast/accuracy``).
    """
    from datetime import timedelta

    from aktina_ml.forecasting.training import train_forecast
    from aktina_ml.model_store.factories import open_store

    today = datetime.now(settings.zone).date()
    return train_forecast(
        csv_source(directory, settings),
        open_store(settings),
        settings,
        today=today - timedelta(days=days_before),
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``aktina-ml train``: train and promote models locally, from CSV exports or the database."""
    parser = subparsers.add_parser(
        "train",
        help="train models into AKTINA_MODEL_STORE",
        description="Train and promote models. Reads CSV table exports with --data-dir, "
        "otherwise the database configured by AKTINA_DATABASE_URL (or AKTINA_DB_*).",
    )
    parser.add_argument("--models", help=f"comma-separated: {','.join(MODEL_NAMES)} (default: all)")
    parser.add_argument("--data-dir", help="directory with users.csv, retailers.csv, orders.csv")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings

    settings = load_settings()
    models = args.models.split(",") if args.models else settings.train_models
    unknown = unknown_models(models)
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {', '.join(MODEL_NAMES)}")
    if args.data_dir:
        results = train_from_csv(models, args.data_dir, settings, progress=_progress)
    else:
        results = train_from_database(models, settings, progress=_progress)
    print(json.dumps([r.to_dict() for r in results], indent=2, default=str))
    return 0 if all(r.promoted for r in results) else 1


def _progress(message: str) -> None:
    print(f"aktina-ml train: {message}", file=sys.stderr, flush=True)
