"""``aktina-ml train``: train and promote models locally, from CSV exports or the database."""

from __future__ import annotations

import argparse
import json

from aktina_ml.config import load_settings
from aktina_ml.jobs import train_from_csv, train_from_database, unknown_models


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train models into AKTINA_MODEL_STORE",
        description="Train and promote models. Reads CSV table exports with --data-dir, "
        "otherwise the database configured by AKTINA_DATABASE_URL (or AKTINA_DB_*).",
    )
    parser.add_argument("--models", help="comma-separated: segmentation,forecast (default: both)")
    parser.add_argument("--data-dir", help="directory with users.csv, retailers.csv, orders.csv")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    models = args.models.split(",") if args.models else settings.train_models
    unknown = unknown_models(models)
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from segmentation, forecast")
    if args.data_dir:
        results = train_from_csv(models, args.data_dir, settings)
    else:
        results = train_from_database(models, settings)
    print(json.dumps([r.to_dict() for r in results], indent=2, default=str))
    return 0 if all(r.promoted for r in results) else 1
