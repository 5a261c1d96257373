"""A span from the forecast's first day (the next 30 or 90 days) against the span of the same
length just before it, with the forecast's interval and the change it implies."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.insights.certainty import Backtest, certainty, certainty_text
from aktina_ml.insights.numbers import ratio

if TYPE_CHECKING:
    from aktina_ml.forecasting.artifact import History, RunningTotals

MONTH_DAYS = 30
QUARTER_DAYS = 90
SPANS = ((MONTH_DAYS, "next 30 days"), (QUARTER_DAYS, "next quarter (90 days)"))


@dataclass(frozen=True)
class Actual:
    """Actual sales over the ``days`` days before the forecast (``start``–``end``)."""

    total: float
    start: str
    end: str
    days: int  # days of history found (fewer than asked when it starts later)


@dataclass(frozen=True)
class Span:
    """The forecast total over ``days`` days from ``start`` and the actual span before."""

    label: str
    days: int
    start: str
    end: str
    point: float
    lower: float
    upper: float
    previous: Actual | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else ratio(self.point, self.previous.total)

    def change_bounds(self) -> tuple[float | None, float | None]:
        if self.previous is None:
            return None, None
        return ratio(self.lower, self.previous.total), ratio(self.upper, self.previous.total)


def forecast_span(
    cumulative: RunningTotals, days: tuple[str, ...], length: int, label: str
) -> Span | None:
    """The total of the first ``length`` forecast days (None beyond the horizon)."""
    if not 1 <= length <= len(days):
        return None
    last = length - 1
    return Span(
        label=label,
        days=length,
        start=days[0],
        end=days[last],
        point=float(cumulative.point[last]),
        lower=float(cumulative.lower[last]),
        upper=float(cumulative.upper[last]),
        previous=None,
    )


def actual_before(history: History, length: int, *, partial: bool = False) -> Actual | None:
    """The sum of the last ``length`` days of daily ``history``.

    ``partial``: a shorter history still counts (a product sold nothing before its first
    sale); otherwise None when fewer than ``length`` days are known.
    """
    known = len(history.values)
    if known == 0 or (known < length and not partial):
        return None
    take = min(known, length)
    return Actual(
        total=float(np.sum(history.values[-take:])),
        start=history.dates[-take],
        end=history.dates[-1],
        days=take,
    )


def with_previous(span: Span, previous: Actual | None) -> Span:
    return replace(span, previous=previous)


def span_answer(span: Span, width: float, backtest: Backtest, *, in_units: bool) -> dict[str, Any]:
    """A span as the answer shows it: figures, change (fractions) and how sure it is."""
    change_lower, change_upper = span.change_bounds()
    previous = span.previous
    level = certainty(span.point, span.lower, span.upper, width, backtest)
    return {
        "label": span.label,
        "days": span.days,
        "start": span.start,
        "end": span.end,
        "point": _round(span.point, in_units),
        "lower": _round(span.lower, in_units),
        "upper": _round(span.upper, in_units),
        "previous": None if previous is None else _round(previous.total, in_units),
        "previous_start": None if previous is None else previous.start,
        "previous_end": None if previous is None else previous.end,
        "change": _fraction(span.change),
        "change_lower": _fraction(change_lower),
        "change_upper": _fraction(change_upper),
        "certainty": level,
        "certainty_text": certainty_text(
            span.lower, span.upper, width, backtest, in_units=in_units
        ),
    }


def _round(value: float, in_units: bool) -> float:
    return round(value) if in_units else round(value, 2)


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
