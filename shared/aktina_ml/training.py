"""Training runs, for every model kind: pick the source, train each requested kind
(:mod:`aktina_ml.registry`), report what was promoted; and ``aktina-ml train``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktina_ml.config import Settings, load_settings
from aktina_ml.observability import logger
from aktina_ml.registry import KINDS, MODEL_NAMES, unknown_models
from aktina_ml.store import Manifest, ModelStore, open_store

if TYPE_CHECKING:
    from aktina_ml.data.source import SalesSource


@dataclass(frozen=True)
class TrainingResult:
    """The outcome of one training run; ``promoted`` is False when the model was rejected."""

    model: str
    promoted: bool
    reason: str
    manifest: Manifest | None = None
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "promoted": self.promoted,
            "reason": self.reason,
            "version": self.manifest.version if self.manifest else None,
            "metrics": self.metrics,
        }


class TrainingError(RuntimeError):
    """A training run could not read its data; nothing was promoted."""


def train_models(
    models: Iterable[str], source: SalesSource, store: ModelStore, settings: Settings
) -> list[TrainingResult]:
    """Train each model in turn; each is promoted or rejected on its own merits."""
    results = []
    for name in models:
        result = KINDS[name].train(source, store, settings)
        logger.info("training finished", extra=result.to_dict())
        results.append(result)
    return results


def train_from_database(
    models: Iterable[str], settings: Settings, s3_client: Any = None
) -> list[TrainingResult]:
    """Read the app's MySQL database (settings) and train; raise TrainingError if unreachable."""
    import pymysql

    from aktina_ml.data.mysql import MySqlSource, connect, resolve_database

    try:
        connection = connect(resolve_database(settings))
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
    from aktina_ml.data.csv import CsvSource

    source = CsvSource.from_directory(
        directory,
        seller_company=settings.seller_company,
        sale_statuses=settings.sale_statuses,
        zone=settings.zone,
    )
    return train_models(models, source, open_store(settings), settings)


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
    settings = load_settings()
    models = args.models.split(",") if args.models else settings.train_models
    unknown = unknown_models(models)
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {', '.join(MODEL_NAMES)}")
    if args.data_dir:
        results = train_from_csv(models, args.data_dir, settings)
    else:
        results = train_from_database(models, settings)
    print(json.dumps([r.to_dict() for r in results], indent=2, default=str))
    return 0 if all(r.promoted for r in results) else 1
