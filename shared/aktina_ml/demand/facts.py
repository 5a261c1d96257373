"""Figures measured on the raw data at training, which the page summary reports as they are:
how concentrated Aktina's sales are in few retailers, and each product's recent units."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from aktina_ml.data.source import SalesSource
from aktina_ml.demand.config import DemandConfig


def concentration(totals: np.ndarray, top: int = DemandConfig.TOP_BUYERS) -> dict[str, Any]:
    """``top5_share`` (the ``top`` biggest retailers' share of sales), ``buyers`` (retailers
    with sales) and ``hhi`` (Herfindahl–Hirschman index of the shares, 0–1) of per-retailer
    sales; None figures when nobody bought."""
    sales = np.sort(np.asarray(totals, dtype="float64")[np.asarray(totals) > 0])[::-1]
    total = float(sales.sum())
    if total <= 0:
        return {"top5_share": None, "buyers": 0, "hhi": None, "sales": 0.0}
    shares = sales / total
    return {
        "top5_share": round(float(shares[:top].sum()), 4),
        "buyers": len(sales),
        "hhi": round(float(np.sum(shares**2)), 4),
        "sales": round(total, 2),
    }


def retailer_concentration(source: SalesSource, last_day: date) -> dict[str, Any]:
    """:func:`concentration` over the last ``CONCENTRATION_DAYS`` days and the span before."""
    days = DemandConfig.CONCENTRATION_DAYS
    spans = {
        "current": (last_day - timedelta(days=days - 1), last_day),
        "previous": (last_day - timedelta(days=2 * days - 1), last_day - timedelta(days=days)),
    }
    result: dict[str, Any] = {"days": days}
    for name, (start, end) in spans.items():
        sales = source.retailer_sales(start, end)["total_sales"].to_numpy(dtype="float64")
        result[name] = concentration(sales) | {"start": str(start), "end": str(end)}
    return result


def recent_units(units: pd.DataFrame, last_day: date) -> dict[str, dict[str, int]]:
    """Per product id (as text): units in the last 30 and 90 days and in the spans before
    (``last_30``, ``previous_30``, ``last_90``, ``previous_90``)."""
    if units.empty:
        return {}
    age = (pd.Timestamp(last_day) - pd.to_datetime(units["date"])).dt.days.to_numpy()
    result: dict[str, dict[str, int]] = {}
    for product, rows in units.groupby("product_id").indices.items():
        ages, counts = age[rows], units["units"].to_numpy()[rows]
        figures: dict[str, int] = {}
        for span in DemandConfig.FACT_SPANS:
            figures[f"last_{span}"] = int(counts[(ages >= 0) & (ages < span)].sum())
            figures[f"previous_{span}"] = int(counts[(ages >= span) & (ages < 2 * span)].sum())
        result[str(product)] = figures
    return result
