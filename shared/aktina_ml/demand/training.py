"""Scheduled demand training, in three steps so the per-product fits can run anywhere.

1. :func:`prepare_demand` reads the order lines and the catalogue, forecasts the total units
   (the revenue forecast's family and full backtest), runs the quality gate on it, measures
   the facts and writes one JSON-able :class:`~aktina_ml.demand.fit.ProductTask` per product.
2. :func:`~aktina_ml.demand.fit.fit_product` forecasts one product: here in-process, or one
   Step Functions Distributed Map iteration per task when the catalogue outgrows one
   function's 15 minutes (docs/demand.md, "Training time").
3. :func:`finish_demand` reconciles the products with the total, then saves, validates and
   promotes like the forecast (compare-and-swap, never over newer data).

Unreadable order lines are counted (``item_quality`` in the result's metrics) and never stop
training; demand failing never touches the other kinds' models.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from aktina_ml.config import Settings
from aktina_ml.data.source import DailyUnits, SalesSource, extend_to
from aktina_ml.demand import NAME
from aktina_ml.demand.artifact import DemandArtifact, ProductDemand
from aktina_ml.demand.config import DemandConfig
from aktina_ml.demand.facts import recent_units, retailer_concentration
from aktina_ml.demand.fit import ProductFit, ProductTask, fallback_fit, fit_product
from aktina_ml.forecasting import gate
from aktina_ml.forecasting.artifact import ForecastArtifact, RunningTotals
from aktina_ml.forecasting.segments import reconciled, reconciliation_summary
from aktina_ml.model_store.promotion import DATA_AS_OF
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger
from aktina_ml.quality_gate import GateVerdict
from aktina_ml.training_result import TrainingResult, data_as_of, promote_saved, refused_by_gate

# The total units' backtest figures the result and manifest carry.
UNIT_METRICS = ("mase", "mase_seasonal_naive", "smape", "coverage", "folds", "horizon_days")


@dataclass(frozen=True)
class DemandPlan:
    """What :func:`prepare_demand` found: the total units' forecast and gate verdict, one task
    per product, the products' names, the item problems and the facts. ``rejected`` names
    why nothing can be trained (then there are no tasks)."""

    as_of: str
    config: DemandConfig
    item_quality: dict[str, Any]
    rejected: str | None = None
    units: ForecastArtifact | None = None
    verdict: GateVerdict = field(default_factory=GateVerdict)
    tasks: tuple[ProductTask, ...] = ()
    catalogue: dict[int, dict[str, str | None]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)


def train_demand(
    source: SalesSource, store: ModelStore, settings: Settings, *, today: date | None = None
) -> TrainingResult:
    """Prepare, fit every product in-process, finish. A product whose fit raises gets the
    recent daily average, its note naming the failure (as in the fan-out)."""
    plan = prepare_demand(source, settings, today)
    fits = [_fit_or_fallback(task, plan.config) for task in plan.tasks]
    return finish_demand(plan, fits, store, settings)


def _fit_or_fallback(task: ProductTask, config: DemandConfig) -> ProductFit:
    try:
        return fit_product(task, config)
    except Exception as exc:  # one product must not cost the others their forecast
        logger.exception("demand fit failed", extra={"product_id": task.product_id})
        return fallback_fit(task, config, f"its fit failed ({type(exc).__name__}: {exc})")


def prepare_demand(
    source: SalesSource, settings: Settings, today: date | None = None
) -> DemandPlan:
    """Read the last ``AKTINA_FORECAST_TRAINING_DAYS`` complete days of order lines, forecast
    and gate the total units, and plan one task per product sold."""
    from aktina_ml.forecasting.choice import Method
    from aktina_ml.forecasting.fit import NotEnoughHistoryError, build_forecast, prepare

    as_of, config = data_as_of(), DemandConfig.from_settings(settings)
    today = today or datetime.now(settings.zone).date()
    yesterday = today - timedelta(days=1)  # today is not over yet
    window_start = yesterday - timedelta(days=config.forecast.training_days - 1)
    units = source.daily_units(window_start, yesterday)
    plan = DemandPlan(as_of=as_of, config=config, item_quality=item_quality(units))
    total = extend_to(total_units(units.frame), yesterday)
    try:
        forecast = build_forecast(total, config.forecast)
    except NotEnoughHistoryError as exc:
        return replace(plan, rejected=f"not enough history of units: {exc}")
    except Exception as exc:  # a fit can fail in many ways; none may stop the other kinds
        logger.exception("demand total fit failed")
        return replace(plan, rejected=f"total units fit failed: {type(exc).__name__}: {exc}")
    verdict = gate.check(
        gate.ForecastEvidence(
            history=prepare(total)["amount"].to_numpy(dtype=float),
            forecast=forecast.totals["day"].point,
            backtest=forecast.metrics,
        ),
        settings.gate_max_level_ratio,
        settings.gate_recent_zero_days,
    )
    plan = replace(plan, units=forecast, verdict=verdict)
    if not verdict.passed and not settings.force_promote:
        return plan  # refused in finish_demand: no product is fit for nothing
    served = forecast.metrics["served"]
    method = Method(served=served["model"], variant=served["prophet_mode"])
    return replace(
        plan,
        tasks=product_tasks(
            units.frame, yesterday, {"served": method.served, "variant": method.variant}
        ),
        catalogue=catalogue(source.products()),
        facts={
            "retailer_concentration": retailer_concentration(source, yesterday),
            "products": recent_units(units.frame, yesterday),
            "last_day": str(yesterday),
        },
    )


def finish_demand(
    plan: DemandPlan, fits: Iterable[ProductFit], store: ModelStore, settings: Settings
) -> TrainingResult:
    """Reconcile the products' fits with the total, save, validate, promote."""
    units = plan.units
    quality = {"item_quality": plan.item_quality}
    if plan.rejected or units is None:
        return _rejected(plan.rejected or "no total units forecast", quality)
    metrics = quality | {"units": {k: units.metrics.get(k) for k in UNIT_METRICS}}
    if not plan.verdict.passed and not settings.force_promote:
        return refused_by_gate(NAME, plan.verdict, metrics)
    by_product = {fit.product_id: fit for fit in fits}
    if not by_product:
        return _rejected("no product could be forecast (no order line names a product)", metrics)
    products, summary = reconciled_products(units, by_product, plan.catalogue)
    summary |= {
        "missing": sorted(t.product_id for t in plan.tasks if t.product_id not in by_product),
        "fit_seconds": round(sum(f.seconds for f in by_product.values()), 2),
    }
    artifact = DemandArtifact(
        trained_at=units.trained_at,
        days=units.days,
        units=units,
        products=products,
        item_quality=plan.item_quality,
        facts=plan.facts,
        summary=summary,
    )
    metrics |= {"products": summary["products"], "methods": summary["methods"]}
    metadata = {
        "metrics": metrics,
        "data_window": units.data_window,
        "config": plan.config.to_dict() | {"served": units.config.get("served")},
        "trained_at": artifact.trained_at,
        "training_seconds": round(time.perf_counter() - plan.started, 2),
        DATA_AS_OF: plan.as_of,
        "gate": list(plan.verdict.problems),
        "summary": summary,
    }
    manifest = store.save(NAME, artifact, metadata)
    problem = validate(store.load(manifest, DemandArtifact))
    if problem:
        return TrainingResult(NAME, False, f"saved but not promoted: {problem}", manifest, metrics)
    logger.info("demand model validated", extra={"version": manifest.version, **metadata})
    return promote_saved(store, manifest, plan.verdict, metrics)


def item_quality(units: DailyUnits) -> dict[str, Any]:
    """What the result, the manifest and the summary say of the order lines."""
    return {
        "orders": units.orders,
        "lines": units.lines,
        "problems": dict(units.problems),
        "double_encoded": units.double_encoded,
    }


def total_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Units of every product per day, as a (date, amount) frame the forecast reads."""
    summed = frame.groupby("date")["units"].sum().astype("float64")
    return pd.DataFrame({"date": summed.index, "amount": summed.to_numpy()})


def product_tasks(
    frame: pd.DataFrame, last_day: date, method: dict[str, str]
) -> tuple[ProductTask, ...]:
    """One task per product sold: its units from its first sale through ``last_day``."""
    tasks = []
    for product, rows in frame.groupby("product_id"):
        per_day = rows.set_index("date")["units"]
        days = pd.date_range(per_day.index.min(), pd.Timestamp(last_day), freq="D")
        values = per_day.reindex(days, fill_value=0).astype("int64")
        tasks.append(
            ProductTask(
                product_id=int(str(product)),
                first_day=str(days[0].date()),
                last_day=str(last_day),
                units=tuple(values.tolist()),
                method=method,
            )
        )
    return tuple(tasks)


def catalogue(products: pd.DataFrame) -> dict[int, dict[str, str | None]]:
    """Product id → name, model, category and target market (None where not given)."""

    columns = ("name", "model", "category", "target_market")
    return {
        int(record["product_id"]): {c: _text(record[c]) for c in columns}
        for record in products.to_dict("records")
    }


def _text(value: Any) -> str | None:
    """Text, or None for a missing value (None, NA, NaN)."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    return None if missing else str(value)


def counted(totals: RunningTotals, width: float) -> RunningTotals:
    """``totals`` with intervals at least as wide as a count's own noise (Poisson: ± z·√point).

    A product's few backtest folds can calibrate its intervals too narrow; units are counts,
    so no interval is narrower than their chance variation (bench/demand_real.py, tune half:
    30-day totals inside the 80 % interval 0.56 without this floor, 0.71 with it).
    """
    half = NormalDist().inv_cdf((1 + width) / 2) * np.sqrt(np.maximum(totals.point, 0.0))
    return replace(
        totals,
        lower=np.minimum(totals.lower, np.maximum(totals.point - half, 0.0)),
        upper=np.maximum(totals.upper, totals.point + half),
    )


def reconciled_products(
    units: ForecastArtifact,
    fits: dict[int, ProductFit],
    names: dict[int, dict[str, str | None]],
) -> tuple[tuple[ProductDemand, ...], dict[str, Any]]:
    """Each product's forecast scaled so that products add up to the total units, per day,
    granularity and running total (:func:`~aktina_ml.forecasting.segments.reconciled`), its
    intervals no narrower than a count's noise (:func:`counted`)."""
    if units.cumulative is None:
        raise ValueError("the total units forecast has no cumulative total")
    width = float(units.metrics.get("interval_width") or 0.8)
    totals = reconciled(units.totals, {p: f.totals for p, f in fits.items()})
    cumulative = reconciled(
        {"day": units.cumulative}, {p: {"day": f.cumulative} for p, f in fits.items()}
    )
    products = tuple(
        ProductDemand(
            product_id=product,
            name=names.get(product, {}).get("name") or f"Product {product}",
            model=names.get(product, {}).get("model"),
            category=names.get(product, {}).get("category"),
            target_market=names.get(product, {}).get("target_market"),
            method=fit.method,
            method_note=fit.method_note,
            totals={g: counted(t, width) for g, t in totals[product].items()},
            cumulative=counted(cumulative[product]["day"], width),
            history=fit.history,
            metrics=fit.metrics,
            first_sale=fit.first_sale,
            last_sale=fit.last_sale,
        )
        for product, fit in sorted(fits.items())
    )
    summary = reconciliation_summary(units.totals, {p: f.totals for p, f in fits.items()})
    summary |= {
        "products": len(products),
        "methods": dict(Counter(p.method for p in products)),
        "unnamed": sorted(p for p in fits if p not in names),
    }
    return products, summary


def validate(artifact: object) -> str | None:
    """What is wrong with a loaded artifact, or None when the total serves like a forecast
    and every product's figures are finite, non-negative and add up to the total."""
    from aktina_ml.forecasting.training import validate as validate_forecast

    if not isinstance(artifact, DemandArtifact):
        return f"not a demand artifact: {type(artifact).__name__}"
    problem = validate_forecast(artifact.units)
    if problem:
        return f"total units: {problem}"
    for product in artifact.products:
        for running in (*product.totals.values(), product.cumulative):
            numbers = np.concatenate([running.point, running.lower, running.upper])
            if not np.isfinite(numbers).all() or (numbers < 0).any():
                return f"product {product.product_id}: non-finite or negative units"
            if (running.lower > running.upper + 1e-9).any():
                return f"product {product.product_id}: lower bounds above upper bounds"
    return _sums_problem(artifact)


def _sums_problem(artifact: DemandArtifact) -> str | None:
    """Where the products' running totals do not add up to the total's (days when every
    product's forecast is 0 cannot be scaled and are skipped)."""
    total = artifact.units.cumulative
    if total is None or not artifact.products:
        return None
    summed = np.sum([p.cumulative.point for p in artifact.products], axis=0)
    scaled = summed > 0
    if not np.allclose(summed[scaled], total.point[scaled], rtol=1e-6, atol=1e-6):
        return "the products' forecasts do not add up to the total units"
    return None


def _rejected(reason: str, metrics: dict[str, Any]) -> TrainingResult:
    logger.warning("demand model not promoted", extra={"reason": reason})
    return TrainingResult(NAME, False, reason, metrics=metrics)
