"""The risk level (low/medium/high) and its reasons, each a measured fact with its figures.

A check that finds nothing adds no reason; the level is the highest level of the reasons
("low" when there is none). The thresholds are here and in docs/insights.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

from aktina_ml.insights.facts import Facts, ProductOutlook
from aktina_ml.insights.numbers import compact, percent, signed_percent, units

Level = Literal["low", "medium", "high"]
RISK_LEVELS: tuple[Level, ...] = ("low", "medium", "high")

# Drift: "high" when recent errors are at least this many times the backtest's limit.
DRIFT_HIGH_RATIO = 2.0
# A forecast drop beyond the interval (its upper bound below the span before): "high" when
# even the upper bound is this far below.
DROP_HIGH = -0.2
# Buyer concentration (Herfindahl index 0–1; 0.15 / 0.25 are the usual "moderately" /
# "highly concentrated" marks) and the top-5 buyers' share, read only among more than
# TOP5_MIN_BUYERS buyers (with fewer, five buyers are most of them by definition).
HHI_LIMITS = (0.15, 0.25)
TOP5_SHARE_MEDIUM = 0.6
TOP5_MIN_BUYERS = 10
# A model is stale when trained more than this many days ago (two daily runs without a
# promotion, as the model-age alarm); "high" after a week.
STALE_DAYS = 2
STALE_HIGH_DAYS = 7
# A demand surge: the next 30 days' units at least SURGE_CHANGE above the last 30, even the
# interval's lower bound above them, and faster than the product grew before (its last 30
# days against the 30 before) by at least SURGE_ACCELERATION. "High" from SURGE_HIGH.
SURGE_CHANGE = 0.25
SURGE_ACCELERATION = 0.2
SURGE_HIGH = 1.0
MAX_SURGES = 3

Reason = dict[str, Any]


def reason(code: str, level: Level, text: str, **figures: Any) -> Reason:
    return {"code": code, "level": level, "text": text, "figures": figures}


def drift(facts: Facts) -> Iterator[Reason]:
    for what, found in facts.drift:
        if not found.get("detected"):
            continue
        observed, limit = float(found["recent_mase"]), float(found["backtest_limit"])
        level: Level = "high" if observed >= DRIFT_HIGH_RATIO * limit else "medium"
        yield reason(
            "forecast_drift",
            level,
            f"the last {found.get('forecasts')} {what} forecasts missed by more than their "
            f"backtest promised: 7-day MASE {observed:.2f} against at most {limit:.2f}",
            forecast=what,
            recent_mase=observed,
            backtest_limit=limit,
            forecasts=found.get("forecasts"),
        )


def forecast_drop(facts: Facts) -> Iterator[Reason]:
    """The longest revenue span whose whole interval is below the span before."""
    for span in sorted(facts.revenue, key=lambda s: -s.days):
        _, change_upper = span.change_bounds()
        if span.previous is None or change_upper is None or change_upper >= 0:
            continue
        level: Level = "high" if change_upper <= DROP_HIGH else "medium"
        yield reason(
            "forecast_drop",
            level,
            f"revenue for the {span.label} is forecast at {compact(span.point)}, and even the "
            f"interval's upper bound {compact(span.upper)} is {signed_percent(change_upper)} "
            f"against the {compact(span.previous.total)} of the {span.days} days before",
            point=round(span.point, 2),
            upper=round(span.upper, 2),
            previous=round(span.previous.total, 2),
            change=None if span.change is None else round(span.change, 4),
            change_upper=round(change_upper, 4),
            start=span.start,
            end=span.end,
        )
        return


def concentration(facts: Facts) -> Iterator[Reason]:
    now, before = facts.concentration, facts.concentration_before
    if now is None:
        return
    level: Level | None = None
    if now.hhi >= HHI_LIMITS[1]:
        level = "high"
    elif now.hhi >= HHI_LIMITS[0] or (
        now.buyers > TOP5_MIN_BUYERS and now.top5_share >= TOP5_SHARE_MEDIUM
    ):
        level = "medium"
    if level is None:
        return
    text = (
        f"the top 5 of {now.buyers} buyers bought {percent(now.top5_share)} of sales in the "
        f"last 90 days (concentration index {now.hhi:.2f})"
    )
    if before is not None:
        text += f"; {percent(before.top5_share)} and {before.hhi:.2f} the 90 days before"
    yield reason(
        "concentration",
        level,
        text,
        current=now.as_dict(),
        previous=None if before is None else before.as_dict(),
    )


def stale_or_refused(facts: Facts) -> Iterator[Reason]:
    for model in facts.models:
        age = model.age_days(facts.today)
        if age is not None and age > STALE_DAYS:
            yield reason(
                "stale_model",
                "high" if age > STALE_HIGH_DAYS else "medium",
                f"the {model.name} model was trained {age} days ago ({model.trained_at[:10]}): "
                "later trainings did not promote a model",
                model=model.name,
                version=model.version,
                trained_at=model.trained_at,
                age_days=age,
            )
        if model.gate:
            yield reason(
                "refused_model",
                "medium",
                f"the {model.name} model serves although its quality gate refused it: "
                + "; ".join(model.gate),
                model=model.name,
                version=model.version,
                gate=list(model.gate),
            )
    for name, why in facts.refused:
        yield reason(
            "refused_model", "medium", f"the promoted {name} model was refused: {why}", model=name
        )


def surge(product: ProductOutlook) -> Reason | None:
    """A reason when the product rises beyond its interval, by at least SURGE_CHANGE, faster
    than it grew before; else None."""
    span, past, change = product.span, product.past_change, product.span.change
    if span.previous is None or change is None or past is None:
        return None
    previous = span.previous.total
    if not (
        span.lower > previous and change >= SURGE_CHANGE and change - past >= SURGE_ACCELERATION
    ):
        return None
    return reason(
        "demand_surge",
        "high" if change >= SURGE_HIGH else "medium",
        f"{product.label}: {units(span.point)} units forecast for the next 30 days, "
        f"{signed_percent(change)} on the last 30 days' {units(previous)} "
        f"(at least {units(span.lower)}, 80 % likely); it grew "
        f"{signed_percent(past)} the 30 days before",
        product_id=product.product_id,
        units=round(span.point),
        lower=round(span.lower),
        previous=round(previous),
        change=round(change, 4),
        past_change=round(past, 4),
    )


def demand_surge(facts: Facts) -> Iterator[Reason]:
    surges = [found for found in map(surge, facts.products) if found is not None]
    surges.sort(key=lambda found: -found["figures"]["change"])
    yield from surges[:MAX_SURGES]


CHECKS: tuple[tuple[str, Callable[[Facts], Iterator[Reason]]], ...] = (
    ("forecast_drift", drift),
    ("forecast_drop", forecast_drop),
    ("concentration", concentration),
    ("stale_or_refused_model", stale_or_refused),
    ("demand_surge", demand_surge),
)


def checked(facts: Facts) -> list[str]:
    """The checks the facts allowed (a check without its data is not claimed)."""
    available = {
        "forecast_drift": bool(facts.drift),
        "forecast_drop": any(span.previous is not None for span in facts.revenue),
        "concentration": facts.concentration is not None,
        "stale_or_refused_model": bool(facts.models),
        "demand_surge": any(p.past_change is not None for p in facts.products),
    }
    return [name for name, _ in CHECKS if available[name]]


def assess(facts: Facts) -> dict[str, Any]:
    """``{"level", "reasons", "checked"}``: the reasons found, most severe first."""
    reasons = [found for _, check in CHECKS for found in check(facts)]
    reasons.sort(key=lambda r: -RISK_LEVELS.index(r["level"]))
    level = max((r["level"] for r in reasons), key=RISK_LEVELS.index, default="low")
    return {"level": level, "reasons": reasons, "checked": checked(facts)}
