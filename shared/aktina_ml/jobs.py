"""Training runs: pick the source, train each requested model, report what was promoted."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from aktina_ml.api.models import open_store
from aktina_ml.config import Settings
from aktina_ml.data.csv import CsvSource
from aktina_ml.data.source import SalesSource
from aktina_ml.observability import logger
from aktina_ml.store import ModelStore
from aktina_ml.training import TrainingResult

# model name → "module:function" with the signature (source, store, settings) -> TrainingResult
TRAINERS = {
    "segmentation": "aktina_ml.segmentation.training:train_segmentation",
    "forecast": "aktina_ml.forecasting.training:train_forecast",
}


class TrainingError(RuntimeError):
    """A training run could not read its data; nothing was promoted."""


def unknown_models(models: Iterable[str]) -> list[str]:
    return sorted(set(models) - set(TRAINERS))


def train_models(
    models: Iterable[str], source: SalesSource, store: ModelStore, settings: Settings
) -> list[TrainingResult]:
    """Train each model in turn; each is promoted or rejected on its own merits."""
    results = []
    for name in models:
        module_name, _, function_name = TRAINERS[name].partition(":")
        train = getattr(importlib.import_module(module_name), function_name)
        result: TrainingResult = train(source, store, settings)
        logger.info("training finished", extra=result.to_dict())
        results.append(result)
    return results


def train_from_database(
    models: Iterable[str], settings: Settings, s3_client: Any = None
) -> list[TrainingResult]:
    """Read the app's MySQL database (settings) and train; raise TrainingError if unreachable."""
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
        source = MySqlSource.from_settings(connection, settings)
        try:
            return train_models(models, source, open_store(settings, s3_client), settings)
        except pymysql.err.MySQLError as exc:
            raise TrainingError(f"database error while reading training data: {exc}") from exc


def train_from_csv(
    models: Iterable[str], directory: str | Path, settings: Settings
) -> list[TrainingResult]:
    """Train from CSV table exports in ``directory`` (see :class:`CsvSource`)."""
    source = CsvSource.from_directory(
        directory,
        seller_company=settings.seller_company,
        sale_statuses=settings.sale_statuses,
        zone=settings.zone,
    )
    return train_models(models, source, open_store(settings), settings)
