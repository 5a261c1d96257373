"""The demand model's serving artifact: total units and each product's reconciled forecast
(numpy arrays and plain values only, loaded and read on the GET path with numpy alone)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aktina_ml.demand import NAME
from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity, History, RunningTotals

MODEL_NAME = NAME
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ProductDemand:
    """One product's forecast in units, reconciled with the total, and how it was made.

    ``method`` names the forecast method; ``method_note`` says in words why (for example a
    product with a few weeks of sales gets a recent daily average, and the note says so).
    """

    product_id: int
    name: str
    model: str | None
    category: str | None
    target_market: str | None
    method: str
    method_note: str
    totals: dict[Granularity, RunningTotals]
    cumulative: RunningTotals
    history: dict[Granularity, History]
    metrics: dict[str, Any]
    first_sale: str
    last_sale: str


@dataclass(frozen=True)
class DemandArtifact:
    """Everything the demand answers need.

    ``units`` is the forecast of total units per day (the revenue forecast's method and
    backtest); ``products`` add up to it (per day, granularity and running total). Each
    product's ``cumulative`` is its running total from the first forecast day, so any span
    from then (the next 30 days) is read off it. ``item_quality`` counts the orders and lines
    that could not be read; ``facts`` are figures measured on the raw data at training
    (retailer concentration, recent units per product) that the page summary reports;
    ``summary`` says how the products were forecast and reconciled.
    """

    trained_at: str
    days: tuple[str, ...]  # the forecast days, from the day after the last complete day
    units: ForecastArtifact
    products: tuple[ProductDemand, ...]
    item_quality: dict[str, Any]
    facts: dict[str, Any]
    summary: dict[str, Any]
    schema_version: int = SCHEMA_VERSION

    @staticmethod
    def pickled_classes() -> tuple[type[Any], ...]:
        """The dataclasses an artifact holds: the model store's unpickling allow-list."""
        return (ForecastArtifact, ProductDemand, *ForecastArtifact.pickled_classes())
