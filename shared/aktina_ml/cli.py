"""The ``aktina-ml`` command (also ``python -m aktina_ml``).

Each feature module contributes its subcommands through a ``register(subparsers)`` function.
Building the parser imports only those modules and the standard library: pandas, numpy,
scikit-learn, Prophet, pydantic and the settings load inside the command functions, after
argparse has checked the flags and :func:`main` that the input files exist, so ``--help``
and a mistyped argument answer at once (bench/cli.py).

What a command prints: its result (JSON) alone on stdout; progress, warnings and errors on
stderr. A bad input is one line naming the file or flag and what is wrong, and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

COMMAND_MODULES = (
    "aktina_ml.demo.cli",
    "aktina_ml.forecasting.cli",
    "aktina_ml.local.cli",
    "aktina_ml.model_store.admin",
    "aktina_ml.segmentation.cli",
    "aktina_ml.training",
)
USAGE_ERROR = 2
# Notices of libraries that are not about the user's data: Prophet's "Importing plotly
# failed" (plotting only) and "Optimization terminated abnormally. Falling back to Newton."
# (its own retry), cmdstanpy's per-chain "start/done processing" lines.
QUIET_LOGGERS = {
    "prophet.plot": logging.CRITICAL,
    "prophet.models": logging.ERROR,
    "cmdstanpy": logging.WARNING,
}


class ArgumentParser(argparse.ArgumentParser):
    """A bad flag is one line (no usage block) that names the flag, and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="aktina-ml", description="Aktina customer segmentation and sales forecasts."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    return parser


class _Current:
    """Whatever ``sys.<name>`` is at the time of writing (pytest swaps both per test)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        return int(getattr(sys, self.name).write(text))

    def flush(self) -> None:
        getattr(sys, self.name).flush()


@contextmanager
def command_output() -> Iterator[None]:
    """Results alone on stdout while a command runs: Powertools' JSON logs go to stderr, at
    WARNING unless POWERTOOLS_LOG_LEVEL asks for more; libraries' notices are silenced."""
    from aktina_ml.observability import logger

    registered = logger.registered_handler
    handler: logging.StreamHandler[Any] | None = (
        registered if isinstance(registered, logging.StreamHandler) else None
    )
    stream = handler.stream if handler else None
    level = logger.log_level
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    if handler:
        handler.setStream(_Current("stderr"))
    logger.setLevel(os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"))
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
    try:
        yield
    finally:  # in-process callers (tests) get the logging they had
        if handler:  # sys.stdout as a proxy: a test's captured stream is closed after it
            handler.setStream(_Current("stdout") if stream is sys.stdout else stream)
        logger.setLevel(level)
        for name, previous in levels.items():
            logging.getLogger(name).setLevel(previous)


def input_file_problem(args: argparse.Namespace) -> str | None:
    """The first input file (a command's ``input_files`` defaults) that is not there."""
    from aktina_ml.data.files import file_problem

    for name in getattr(args, "input_files", ()):
        problem = file_problem(getattr(args, name))
        if problem:
            return problem
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; a bad input prints one line to stderr and exits with status 2."""
    args = build_parser().parse_args(argv)
    problem = input_file_problem(args)
    if problem:  # said before the command imports its libraries
        print(f"aktina-ml {args.command}: {problem}", file=sys.stderr)
        return USAGE_ERROR
    with command_output():
        try:
            return int(args.handler(args) or 0)
        except ValueError as exc:  # ConfigError and CsvSourceError are ValueErrors
            print(f"aktina-ml {args.command}: {exc}", file=sys.stderr)
            return USAGE_ERROR
        except RuntimeError as exc:
            from aktina_ml.training import TrainingError

            if not isinstance(exc, TrainingError):
                raise
            print(f"aktina-ml {args.command}: {exc}", file=sys.stderr)
            return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
