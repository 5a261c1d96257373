"""How sure a forecast span is, in a word and in figures, from its interval and the backtest.

Three measured figures, each graded against the thresholds below (defined here only;
docs/insights.md explains them):

* the interval's relative width, ``(upper - lower) / point``: how wide the model's own
  uncertainty is for this span;
* the backtest's MASE: its errors against those of a seasonal-naive forecast (below 1 beats
  it);
* the backtest's interval coverage (held out, monthly totals where measured): the share of
  actual totals that fell inside intervals of the served width, against that width.

The certainty is the worst of the grades: a narrow interval from a model whose intervals
missed too often is not "high". Without any backtest figure the certainty is "low".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from aktina_ml.insights.numbers import compact, percent, units

Certainty = Literal["high", "medium", "low"]
LEVELS: tuple[Certainty, ...] = ("high", "medium", "low")

# (high up to, medium up to); above the second: low.
RELATIVE_WIDTH_LIMITS = (0.25, 0.5)
MASE_LIMITS = (1.0, 1.5)
# How far the backtest's coverage may fall short of the interval's width.
COVERAGE_SHORTFALL_LIMITS = (0.05, 0.15)


@dataclass(frozen=True)
class Backtest:
    """The backtest figures a certainty rests on (None: not measured)."""

    mase: float | None
    coverage: float | None
    coverage_basis: str | None  # the granularity the coverage was measured on
    smape: float | None  # mean daily error in percent

    @classmethod
    def from_metrics(cls, metrics: dict[str, Any]) -> Backtest:
        """The figures of a forecast's ``metrics`` (forecasting/fit.py ``metrics``)."""
        by_granularity = metrics.get("coverage_calibrated_by_granularity") or {}
        coverage, basis = None, None
        for key, value in (
            ("month", by_granularity.get("month")),
            ("day", metrics.get("coverage_calibrated")),
            ("day", metrics.get("coverage")),
        ):
            if _number(value) is not None:
                coverage, basis = _number(value), key
                break
        return cls(_number(metrics.get("mase")), coverage, basis, _number(metrics.get("smape")))

    def as_dict(self) -> dict[str, Any]:
        return {
            "mase": _rounded(self.mase),
            "coverage": _rounded(self.coverage),
            "coverage_basis": self.coverage_basis,
            "smape": _rounded(self.smape),
        }


def grade(value: float, limits: tuple[float, float]) -> Certainty:
    """ "high" up to the first limit, "medium" up to the second, else "low"."""
    return "high" if value <= limits[0] else "medium" if value <= limits[1] else "low"


def certainty(
    point: float, lower: float, upper: float, width: float, backtest: Backtest
) -> Certainty:
    """The worst grade of the interval's relative width, the MASE and the coverage."""
    if backtest.mase is None and backtest.coverage is None:
        return "low"
    grades = [grade((upper - lower) / point, RELATIVE_WIDTH_LIMITS) if point > 0 else "low"]
    if backtest.mase is not None:
        grades.append(grade(backtest.mase, MASE_LIMITS))
    if backtest.coverage is not None:
        grades.append(grade(width - backtest.coverage, COVERAGE_SHORTFALL_LIMITS))
    return max(grades, key=LEVELS.index)


def certainty_text(
    lower: float, upper: float, width: float, backtest: Backtest, *, in_units: bool = False
) -> str:
    """The figures behind a certainty, in words.

    E.g. "80 % likely between 1.10 M and 1.40 M; in the backtest 78 % of monthly totals fell
    inside such an interval, daily forecasts were off by 8 % on average, errors 0.62× a
    seasonal-naive forecast's (MASE)".
    """
    show = units if in_units else compact
    text = f"{percent(width)} likely between {show(lower)} and {show(upper)}"
    parts = []
    if backtest.coverage is not None:
        basis = "monthly totals" if backtest.coverage_basis == "month" else "days"
        parts.append(f"{percent(backtest.coverage)} of {basis} fell inside such an interval")
    if backtest.smape is not None:
        parts.append(f"daily forecasts were off by {round(backtest.smape)} % on average")
    if backtest.mase is not None:
        parts.append(f"errors {backtest.mase:.2f}× a seasonal-naive forecast's (MASE)")
    if not parts:
        return f"{text}; no backtest: the method is too simple to check on held-out data"
    return f"{text}; in the backtest " + ", ".join(parts)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
