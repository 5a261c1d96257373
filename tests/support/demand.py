"""Synthetic products with life cycles and an in-memory source of their units, for the demand
tests and bench/demand_training.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from aktina_ml.data.order_items import PROBLEMS
from aktina_ml.data.source import DailyUnits, empty_products_frame

LAUNCH_DAYS = 40  # the launch product's days of sales
PHASED_OUT_DAYS = 100  # the phased-out product's days without sales


def product_units(
    n_products: int,
    days: int,
    last_day: date,
    *,
    seed: int = 3,
    life_cycles: bool = True,
    levels: tuple[float, float] = (3.0, 30.0),
) -> pd.DataFrame:
    """(date, product_id, units) over ``days`` days to ``last_day``: weekly pattern, trend,
    Poisson noise, each product's mean daily units drawn from ``levels``; with
    ``life_cycles`` the last product launched ``LAUNCH_DAYS`` ago and the one before stopped
    selling ``PHASED_OUT_DAYS`` ago."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=pd.Timestamp(last_day), periods=days, freq="D")
    t = np.arange(days)
    weekly = np.array([1.0, 1.1, 1.1, 1.2, 1.4, 0.7, 0.5])[dates.weekday.to_numpy()]
    rows = []
    for product in range(1, n_products + 1):
        level = rng.uniform(*levels)
        rate = level * weekly * (1 + rng.uniform(-0.3, 0.6) * t / days)
        units = rng.poisson(rate)
        start = 0
        if life_cycles and product == n_products:
            start = days - LAUNCH_DAYS
        if life_cycles and product == n_products - 1 and n_products > 2:
            units[days - PHASED_OUT_DAYS :] = 0
        keep = slice(start, days)
        rows.append(
            pd.DataFrame({"date": dates[keep], "product_id": product, "units": units[keep]})
        )
    frame = pd.concat(rows, ignore_index=True)
    return frame.sort_values(["date", "product_id"], ignore_index=True)


def products_frame(n_products: int) -> pd.DataFrame:
    ids = range(1, n_products + 1)
    return pd.DataFrame(
        {
            "product_id": pd.Series(list(ids), dtype="int64"),
            "name": [f"Phone {i}" for i in ids],
            "model": [f"Aktina {i}" for i in ids],
            "sku": [f"AK-{i}" for i in ids],
            "category": "smartphone",
            "target_market": ["flagship" if i % 2 else "budget" for i in ids],
        }
    )


@dataclass
class UnitsSource:
    """A :class:`~aktina_ml.data.source.SalesSource` of the parts demand reads."""

    units: pd.DataFrame
    catalogue: pd.DataFrame = field(default_factory=empty_products_frame)
    problems: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROBLEMS, 0))
    retailer_totals: tuple[float, ...] = (50.0, 30.0, 10.0, 5.0, 3.0, 2.0)

    def daily_units(self, start: date | None = None, end: date | None = None) -> DailyUnits:
        frame = self.units
        if start is not None:
            frame = frame[frame["date"] >= pd.Timestamp(start)]
        if end is not None:
            frame = frame[frame["date"] <= pd.Timestamp(end)]
        lines = int((frame["units"] > 0).sum())
        return DailyUnits(frame.reset_index(drop=True), dict(self.problems), lines, lines)

    def products(self) -> pd.DataFrame:
        return self.catalogue

    def retailer_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        totals = list(self.retailer_totals)
        return pd.DataFrame(
            {"retailer_id": range(1, len(totals) + 1), "total_sales": totals, "order_count": 1}
        )

    def sale_days(self) -> tuple[date, date] | None:
        return self.units["date"].min().date(), self.units["date"].max().date()


def yesterday_of(today: date) -> date:
    return today - timedelta(days=1)
