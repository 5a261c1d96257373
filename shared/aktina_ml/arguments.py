"""Command-line values: argparse types whose errors say what is expected, and settings
overridden by flags whose errors name the flag (not the environment variable behind it).

Imported while the parser is built, so only the standard library at import time (pydantic
and the settings load when a command runs): ``aktina-ml --help`` answers at once."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aktina_ml.config import Settings

# Data that ends more than this many days before today is "old": say so.
STALE_AFTER_DAYS = 7


def whole_number(low: int, high: int, unit: str) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number in ``low``–``high`` (``unit`` in messages)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number of {unit} ({low}–{high})"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low}–{high} {unit}, got {value}")
        return value

    return parse


def settings_with_flags(flags: Mapping[str, tuple[str, Any]]) -> Settings:
    """Settings from the environment, with ``{"--flag": (field, value)}`` overriding them
    (``None`` values do not); a bad flag value is reported with the flag's name."""
    from pydantic import ValidationError

    from aktina_ml.config import ENV_PREFIX, ConfigError, Settings

    overrides = {field: value for field, value in flags.values() if value is not None}
    flag_of = {field: flag for flag, (field, value) in flags.items() if value is not None}
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = "_".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            if field in flag_of:
                problems.append(f"{flag_of[field]} {overrides[field]}: {message.lower()}")
            else:
                problems.append(f"{ENV_PREFIX}{field.upper()}: {message}")
        raise ConfigError("; ".join(problems)) from None


def staleness_warning(last_day: date, today: date, what: str) -> str | None:
    """A warning when ``last_day`` of the data is long before ``today``, else None."""
    behind = (today - last_day).days
    if behind <= STALE_AFTER_DAYS:
        return None
    return (
        f"warning: {what} end on {last_day.isoformat()}, {behind} days before today; "
        "export fresher data for a forecast from today"
    )


def today_in(settings: Settings) -> date:
    """Today in the business timezone (``AKTINA_TIMEZONE``)."""
    return datetime.now(settings.zone).date()
