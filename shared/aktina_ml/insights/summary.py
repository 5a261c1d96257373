"""The page summary, assembled from the promoted forecast and (when one serves) demand model:
revenue spans, demand, risk, trends, recommendations and the chart (plain JSON values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.insights import chart, recommendations, risk, trends
from aktina_ml.insights.certainty import Backtest
from aktina_ml.insights.facts import (
    Facts,
    ModelState,
    ProductOutlook,
    concentration,
    drift_verdict,
)
from aktina_ml.insights.numbers import ratio
from aktina_ml.insights.spans import (
    MONTH_DAYS,
    SPANS,
    Span,
    actual_before,
    forecast_span,
    span_answer,
    with_previous,
)

if TYPE_CHECKING:
    from aktina_ml.demand.artifact import DemandArtifact, ProductDemand
    from aktina_ml.forecasting.artifact import ForecastArtifact, History

NOT_RUNNING_TOTALS = (
    "the promoted {name} model was trained before running totals were kept: run training"
)


@dataclass(frozen=True)
class DemandModel:
    """The promoted demand model and what its manifest says."""

    artifact: DemandArtifact
    state: ModelState


@dataclass(frozen=True)
class NoDemand:
    """Why no demand model serves; ``refused``: one is promoted but could not be used."""

    reason: str
    refused: bool = False


def page_summary(
    forecast: ForecastArtifact,
    forecast_state: ModelState,
    demand: DemandModel | NoDemand,
    today: date,
) -> dict[str, Any]:
    """The ``GET /summary`` answer (see docs/api.md)."""
    revenue = revenue_spans(forecast)
    units_span, products = (
        demand_outlook(demand.artifact) if isinstance(demand, DemandModel) else (None, ())
    )
    segment_rows = segment_trends(forecast)
    monitored = [("revenue", forecast.accuracy)]
    if isinstance(demand, DemandModel):
        monitored.append(("units", demand.artifact.units.accuracy))
    drift = tuple((what, found) for what, a in monitored if (found := drift_verdict(a)))
    now, before = (
        concentration(demand.artifact.facts) if isinstance(demand, DemandModel) else (None, None)
    )
    facts = Facts(
        today=today,
        revenue=revenue,
        units=units_span,
        products=products,
        drift=drift,
        concentration=now,
        concentration_before=before,
        models=(forecast_state,) + ((demand.state,) if isinstance(demand, DemandModel) else ()),
        refused=(("demand", demand.reason),)
        if isinstance(demand, NoDemand) and demand.refused
        else (),
        segment_trends=tuple(segment_rows),
    )
    assessed = risk.assess(facts)
    return {
        "versions": {
            "forecast": forecast_state.version,
            "demand": demand.state.version if isinstance(demand, DemandModel) else None,
        },
        "as_of": forecast.data_window.get("last_day"),
        "revenue": revenue_answer(forecast, revenue),
        "demand": demand_answer(demand, units_span, products),
        "risk": assessed,
        "trends": trends_answer(forecast, demand, segment_rows),
        "recommendations": recommendations.recommend(facts, assessed["reasons"]),
        "chart": {
            "granularity": "month",
            "revenue": chart.monthly(forecast, 2),
            "units": chart.monthly(demand.artifact.units, 0)
            if isinstance(demand, DemandModel)
            else None,
        },
    }


# --- revenue ---------------------------------------------------------------------------


def revenue_spans(forecast: ForecastArtifact) -> tuple[Span, ...]:
    """The next 30 days and the next quarter, each against the days just before."""
    if forecast.cumulative is None:
        return ()
    history = forecast.history["day"]
    spans = []
    for days, label in SPANS:
        span = forecast_span(forecast.cumulative, forecast.days, days, label)
        if span is not None:
            spans.append(with_previous(span, actual_before(history, days)))
    return tuple(spans)


def revenue_answer(forecast: ForecastArtifact, spans: tuple[Span, ...]) -> dict[str, Any]:
    if not spans:
        return {"status": "unavailable", "reason": NOT_RUNNING_TOTALS.format(name="forecast")}
    width = float(forecast.config["interval_width"])
    backtest = Backtest.from_metrics(forecast.metrics)
    return {
        "status": "ok",
        "spans": [span_answer(span, width, backtest, in_units=False) for span in spans],
        "interval_width": width,
        "backtest": backtest.as_dict(),
    }


# --- demand ----------------------------------------------------------------------------


def past_change(history: History, days: int = MONTH_DAYS) -> float | None:
    """The last ``days`` days' units against the ``days`` before (None: too short a history)."""
    if len(history.values) < 2 * days:
        return None
    return ratio(
        float(np.sum(history.values[-days:])), float(np.sum(history.values[-2 * days : -days]))
    )


def product_outlook(product: ProductDemand, days: tuple[str, ...]) -> ProductOutlook | None:
    span = forecast_span(product.cumulative, days, MONTH_DAYS, "next 30 days")
    if span is None:
        return None
    history = product.history["day"]
    return ProductOutlook(
        product_id=product.product_id,
        name=product.name,
        model=product.model,
        # Before its first sale a product sold nothing: a shorter history is a true total.
        span=with_previous(span, actual_before(history, MONTH_DAYS, partial=True)),
        past_change=past_change(history),
        method=product.method,
        method_note=product.method_note,
    )


def demand_outlook(
    demand: DemandArtifact,
) -> tuple[Span | None, tuple[ProductOutlook, ...]]:
    units = demand.units
    if units.cumulative is None:
        return None, ()
    span = forecast_span(units.cumulative, units.days, MONTH_DAYS, "next 30 days")
    if span is not None:
        span = with_previous(span, actual_before(units.history["day"], MONTH_DAYS))
    outlooks = (product_outlook(p, units.days) for p in demand.products)
    return span, tuple(o for o in outlooks if o is not None)


def demand_answer(
    demand: DemandModel | NoDemand, span: Span | None, products: tuple[ProductOutlook, ...]
) -> dict[str, Any]:
    if isinstance(demand, NoDemand):
        return {"status": "unavailable", "reason": demand.reason}
    if span is None:
        return {"status": "unavailable", "reason": NOT_RUNNING_TOTALS.format(name="demand")}
    artifact = demand.artifact
    width = float(artifact.units.config["interval_width"])
    month = span_answer(span, width, Backtest.from_metrics(artifact.units.metrics), in_units=True)
    month = {("units" if key == "point" else key): value for key, value in month.items()}
    metrics = {p.product_id: p.metrics for p in artifact.products}
    rows = [product_row(p, width, metrics[p.product_id]) for p in products]
    return {
        "status": "ok",
        "month": month,
        "products": sorted(rows, key=lambda row: -row["units"]),
        "largest_rise": largest_rise(products),
        "item_quality": artifact.item_quality,
    }


def product_row(product: ProductOutlook, width: float, metrics: dict[str, Any]) -> dict[str, Any]:
    answer = span_answer(product.span, width, Backtest.from_metrics(metrics), in_units=True)
    return {
        "product_id": product.product_id,
        "name": product.name,
        "model": product.model,
        "units": answer["point"],
        "lower": answer["lower"],
        "upper": answer["upper"],
        "previous": answer["previous"],
        "change": answer["change"],
        "certainty": answer["certainty"],
        "method": product.method,
        "method_note": product.method_note,
    }


def largest_rise(products: tuple[ProductOutlook, ...]) -> dict[str, Any] | None:
    """The product whose units are forecast to rise most (in units) over its last 30 days
    (among those on sale for all of them)."""
    rises = [
        (p.span.point - p.span.previous.total, p)
        for p in products
        if p.span.previous is not None and p.span.previous.days == p.span.days
    ]
    rises = [(rise, p) for rise, p in rises if rise > 0]
    if not rises:
        return None
    rise, product = max(rises, key=lambda pair: pair[0])
    previous = product.span.previous
    assert previous is not None
    change = product.span.change
    return {
        "product_id": product.product_id,
        "name": product.name,
        "model": product.model,
        "units": round(product.span.point),
        "previous": round(previous.total),
        "change": None if change is None else round(change, 4),
        "rise": round(rise),
    }


# --- trends ----------------------------------------------------------------------------


def segment_trends(forecast: ForecastArtifact) -> list[dict[str, Any]]:
    rows = []
    for segment in forecast.segments:
        move = trends.movement(segment.history["day"])
        if move is not None:
            rows.append(
                {"id": segment.segment_id, "name": segment.name}
                | trends.movement_row(move, money=True)
            )
    return trends.ranked(rows)


def product_trends(demand: DemandArtifact) -> list[dict[str, Any]]:
    rows = []
    for product in demand.products:
        move = trends.movement(product.history["day"], min_previous=trends.MIN_PREVIOUS_UNITS)
        if move is not None:
            rows.append(
                {"product_id": product.product_id, "name": product.name, "model": product.model}
                | trends.movement_row(move, money=False)
            )
    return trends.extremes(rows)


def trends_answer(
    forecast: ForecastArtifact, demand: DemandModel | NoDemand, segment_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    revenue_window = trends.window(forecast.history["day"])
    units_window = (
        trends.window(demand.artifact.units.history["day"])
        if isinstance(demand, DemandModel)
        else None
    )
    return {
        "window": None if revenue_window is None else revenue_window.as_dict(),
        "segments": segment_rows,
        "products_window": None if units_window is None else units_window.as_dict(),
        "products": product_trends(demand.artifact) if isinstance(demand, DemandModel) else [],
    }
