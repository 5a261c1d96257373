"""Recommendations: plain rules over the measured facts and risk reasons, each showing the
figures it rests on. A rule whose condition the data does not meet says nothing.

* ``produce_more`` / ``produce_less``: a product's next 30 days are forecast at least
  RISE_CHANGE above (FALL_CHANGE below) its last 30, even at the interval's far bound;
* ``prepare_for_lower_sales``: risk ``forecast_drop`` (the revenue interval lies below the
  span before);
* ``plan_with_the_interval``: risk ``forecast_drift``;
* ``widen_the_buyer_base``: risk ``concentration``;
* ``check_training``: risk ``stale_model`` or ``refused_model``;
* ``follow_the_growth``: a segment's sales grew at least SEGMENT_GROWTH over the trends
  window.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aktina_ml.insights.facts import Facts, ProductOutlook
from aktina_ml.insights.numbers import compact, percent, signed_percent, units

RISE_CHANGE = 0.2
FALL_CHANGE = -0.2
SEGMENT_GROWTH = 0.15
MAX_PER_RULE = 3

Recommendation = dict[str, Any]


def recommendation(code: str, text: str, **figures: Any) -> Recommendation:
    return {"code": code, "text": text, "figures": figures}


def _product_figures(product: ProductOutlook) -> dict[str, Any]:
    span = product.span
    previous = span.previous.total if span.previous is not None else 0.0
    return {
        "product_id": product.product_id,
        "units": round(span.point),
        "lower": round(span.lower),
        "upper": round(span.upper),
        "previous": round(previous),
        "change": round(span.change or 0.0, 4),
    }


def _moves(product: ProductOutlook, rising: bool) -> bool:
    """Forecast to rise (fall) by the rule's change, beyond its interval (only a product on
    sale for all of the 30 days before: a launch's first weeks are no base to compare)."""
    span, change = product.span, product.span.change
    if span.previous is None or change is None or span.previous.days < span.days:
        return False
    if rising:
        return change >= RISE_CHANGE and span.lower > span.previous.total
    return change <= FALL_CHANGE and span.upper < span.previous.total


def product_rules(facts: Facts) -> Iterator[Recommendation]:
    rising = [p for p in facts.products if _moves(p, rising=True)]
    falling = [p for p in facts.products if _moves(p, rising=False)]
    for product in sorted(rising, key=lambda p: -(p.span.change or 0))[:MAX_PER_RULE]:
        figures = _product_figures(product)
        yield recommendation(
            "produce_more",
            f"Plan for about {units(figures['units'])} units of {product.label} in the next 30 "
            f"days: {signed_percent(figures['change'])} on the {units(figures['previous'])} sold "
            f"in the last 30, and even the interval's lower bound ({units(figures['lower'])}) "
            "is above them",
            **figures,
        )
    for product in sorted(falling, key=lambda p: p.span.change or 0)[:MAX_PER_RULE]:
        figures = _product_figures(product)
        yield recommendation(
            "produce_less",
            f"Plan for fewer units of {product.label}: at most {units(figures['upper'])} "
            f"(80 % likely) in the next 30 days against {units(figures['previous'])} sold in the "
            f"last 30 ({signed_percent(figures['change'])} forecast)",
            **figures,
        )


def risk_rules(reasons: list[dict[str, Any]]) -> Iterator[Recommendation]:
    for found in reasons:
        code, figures = found["code"], found["figures"]
        if code == "forecast_drop":
            yield recommendation(
                "prepare_for_lower_sales",
                f"Prepare stock and sales plans for lower revenue: at most "
                f"{compact(figures['upper'])} (80 % likely) from {figures['start']} to "
                f"{figures['end']}, against {compact(figures['previous'])} in as many days before",
                **figures,
            )
        elif code == "forecast_drift":
            yield recommendation(
                "plan_with_the_interval",
                f"Plan with the {figures['forecast']} forecast's interval, not its point, until "
                f"it is back within its backtest: recent 7-day MASE "
                f"{figures['recent_mase']:.2f} against at most {figures['backtest_limit']:.2f}",
                **figures,
            )
        elif code == "concentration":
            current = figures["current"]
            yield recommendation(
                "widen_the_buyer_base",
                f"Win orders from more retailers: the top 5 of {current['buyers']} bought "
                f"{percent(current['top5_share'])} of sales in the last 90 days",
                **figures,
            )
        elif code in ("stale_model", "refused_model"):
            yield recommendation(
                "check_training",
                f"Check the scheduled training (the train function's log and alarms): "
                f"{found['text']}",
                **figures,
            )


def segment_rules(facts: Facts) -> Iterator[Recommendation]:
    grown = [row for row in facts.segment_trends if row["change"] >= SEGMENT_GROWTH]
    for row in grown[:1]:
        yield recommendation(
            "follow_the_growth",
            f"Give segment {row['name']} priority: its sales grew "
            f"{signed_percent(row['change'])} in the last 90 days ({compact(row['previous'])} → "
            f"{compact(row['current'])})",
            segment_id=row["id"],
            current=row["current"],
            previous=row["previous"],
            change=row["change"],
        )


def recommend(facts: Facts, reasons: list[dict[str, Any]]) -> list[Recommendation]:
    """The recommendations the facts support, in rule order ([] when none)."""
    return [*product_rules(facts), *risk_rules(reasons), *segment_rules(facts)]
