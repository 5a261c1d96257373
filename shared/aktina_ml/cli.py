"""The ``aktina-ml`` command (also ``python -m aktina_ml``).

Each feature module contributes its subcommands through a ``register(subparsers)`` function;
heavy libraries are imported inside the command functions so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from aktina_ml.config import ConfigError
from aktina_ml.data.csv import CsvSourceError
from aktina_ml.training import TrainingError

COMMAND_MODULES = (
    "aktina_ml.demo.cli",
    "aktina_ml.forecasting.cli",
    "aktina_ml.local.cli",
    "aktina_ml.model_admin",
    "aktina_ml.segmentation.cli",
    "aktina_ml.training",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aktina-ml", description="Aktina customer segmentation and sales forecasts."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; user errors print one line to stderr and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (ConfigError, CsvSourceError, TrainingError, ValueError) as exc:
        print(f"aktina-ml {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
