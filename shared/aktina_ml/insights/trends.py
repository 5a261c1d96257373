"""Trends: the segments and products whose sales grew or fell most over a stated window (the
last :data:`WINDOW_DAYS` days against the same number of days before)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.insights.numbers import ratio

if TYPE_CHECKING:
    from aktina_ml.forecasting.artifact import History

WINDOW_DAYS = 90
# Products listed: up to this many growers and as many fallers.
TOP_PRODUCTS = 3
# A product's change is only shown when it sold at least this many units in the window
# before (one a day): +200 % from 2 units to 6 is noise, not a trend.
MIN_PREVIOUS_UNITS = WINDOW_DAYS


@dataclass(frozen=True)
class Window:
    """The last ``days`` days (``start``–``end``) and the ``days`` before them."""

    days: int
    start: str
    end: str
    previous_start: str
    previous_end: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Movement:
    """Sales of one series in the window and the window before."""

    current: float
    previous: float
    change: float


def window(history: History, days: int = WINDOW_DAYS) -> Window | None:
    """The window at the end of daily ``history`` (None when it holds fewer than 2 × days)."""
    if len(history.values) < 2 * days:
        return None
    dates = history.dates
    return Window(days, dates[-days], dates[-1], dates[-2 * days], dates[-days - 1])


def movement(history: History, days: int = WINDOW_DAYS, min_previous: float = 0) -> Movement | None:
    """Sales in the last ``days`` days against the ``days`` before; None when not measurable
    (too short a history, or less than ``min_previous`` before)."""
    if len(history.values) < 2 * days:
        return None
    current = float(np.sum(history.values[-days:]))
    previous = float(np.sum(history.values[-2 * days : -days]))
    change = ratio(current, previous)
    if change is None or previous < min_previous:
        return None
    return Movement(current, previous, change)


def ranked(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows sorted by change, the largest rise first."""
    return sorted(rows, key=lambda row: -row["change"])


def extremes(rows: list[dict[str, Any]], top: int = TOP_PRODUCTS) -> list[dict[str, Any]]:
    """The ``top`` largest rises and ``top`` largest falls, largest rise first."""
    ordered = ranked(rows)
    rising = [row for row in ordered if row["change"] > 0][:top]
    falling = [row for row in reversed(ordered) if row["change"] < 0][:top]
    return rising + list(reversed(falling))


def movement_row(move: Movement, money: bool) -> dict[str, Any]:
    def shown(value: float) -> float | int:
        return round(value, 2) if money else round(value)

    return {
        "current": shown(move.current),
        "previous": shown(move.previous),
        "change": round(move.change, 4),
    }
