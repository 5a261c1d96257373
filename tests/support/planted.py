"""Retailers with planted segments: the ground truth the segmentation tests recover.

A stand-in for ``aktina_ml.demo.generator`` until it lands: every retailer belongs to one of
four planted segments; each demographic follows the segment's prototype with probability
``purity`` (otherwise a random enum value, sometimes NULL); total sales are log-normal around
the segment's level. Business fields are noise, stored as the app stores them ("10-20").
Swap :func:`planted_retailers` for the generator's ``DemoDataset`` when it is available.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from aktina_ml.data.source import DEMOGRAPHIC_COLUMNS
from aktina_ml.segmentation.features import CATEGORICAL

# location, age, income, education, male/female ratio, median total sales
PROTOTYPES = (
    ("urban", "adult", "high", "high", 1.10, 40_000.0),
    ("suburban", "youth", "medium", "mid", 0.90, 15_000.0),
    ("rural", "senior", "low", "low", 0.75, 4_000.0),
    ("urban", "teenager", "medium", "high", 1.30, 8_000.0),
)


@dataclass(frozen=True)
class PlantedRetailers:
    frame: pd.DataFrame  # the source's retailers-with-sales shape (demographics + total_sales)
    planted: pd.Series  # retailer_id → planted segment


def planted_retailers(
    n: int = 1200, seed: int = 0, purity: float = 0.85, null_rate: float = 0.03, first_id: int = 1
) -> PlantedRetailers:
    rng = np.random.default_rng(seed)
    segment = rng.integers(0, len(PROTOTYPES), size=n)
    frame = pd.DataFrame({"retailer_id": np.arange(first_id, first_id + n, dtype=np.int64)})
    frame["user_id"] = frame["retailer_id"] + 1000
    for position, (name, levels) in enumerate(CATEGORICAL.items()):
        planted = np.array([PROTOTYPES[s][position] for s in segment], dtype=object)
        random = rng.choice(np.array(levels, dtype=object), size=n)
        values = np.where(rng.random(n) < purity, planted, random)
        values[rng.random(n) < null_rate] = None
        frame[name] = values
    ratio = np.array([PROTOTYPES[s][4] for s in segment]) + rng.normal(0, 0.12, n)
    frame["male_female_ratio"] = np.where(
        rng.random(n) < null_rate, np.nan, np.round(ratio.clip(0.3, 2.5), 2)
    )
    frame["city"] = rng.choice(["Kampala", "Gulu", "Mbarara", "Jinja", None], size=n)
    frame["business_type"] = rng.choice(["Electronics", "Grocery", "Clothing", None], size=n)
    low = rng.integers(1, 40, n)
    frame["employee_count"] = np.where(rng.random(n) < 0.7, [f"{a}-{a + 10}" for a in low], None)
    revenue = rng.integers(50, 900, n) * 1000
    frame["annual_revenue"] = np.where(rng.random(n) < 0.4, [f"${r:,}" for r in revenue], None)
    frame["years_in_business"] = pd.array(
        np.where(rng.random(n) < 0.8, rng.integers(1, 30, n), -1), dtype="Int64"
    )
    frame.loc[frame["years_in_business"] < 0, "years_in_business"] = pd.NA
    level = np.array([PROTOTYPES[s][5] for s in segment])
    frame["total_sales"] = np.round(level * np.exp(rng.normal(0, 0.35, n)), 2)
    frame = frame[[*DEMOGRAPHIC_COLUMNS, "total_sales"]]
    return PlantedRetailers(frame, pd.Series(segment, index=frame["retailer_id"], name="planted"))


def insert_into_laravel(db, retailers: pd.DataFrame, seller_company: str = "Aktina") -> None:
    """Write users, retailers and orders whose Aktina sales add up to ``total_sales``.

    Two Aktina seller users share the sales; one cancelled order per ten retailers adds
    orders that must not count.
    """
    base = datetime(2025, 1, 1, 12, 0, 0)
    users = [
        {
            "id": 1,
            "name": "Aktina A",
            "email": "a@aktina.test",
            "password": "x",
            "company_name": seller_company,
            "role": "admin",
        },
        {
            "id": 2,
            "name": "Aktina B",
            "email": "b@aktina.test",
            "password": "x",
            "company_name": seller_company,
            "role": "admin",
        },
    ]
    users += [
        {
            "id": int(u),
            "name": f"Retailer {u}",
            "email": f"r{u}@shop.test",
            "password": "x",
            "company_name": f"Shop {u}",
            "role": "retailer",
        }
        for u in retailers["user_id"]
    ]
    db.insert("users", users)
    columns = [c for c in DEMOGRAPHIC_COLUMNS if c != "retailer_id"]
    rows = []
    for record in retailers.to_dict("records"):
        row = {"id": int(record["retailer_id"])}
        for c in columns:
            value = record[c]
            row[c] = (
                None
                if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
                else value
            )
        row["user_id"] = int(row["user_id"])
        if row["years_in_business"] is not None:
            row["years_in_business"] = int(row["years_in_business"])
        rows.append(row)
    db.insert("retailers", rows)
    orders = []
    for i, record in enumerate(retailers.to_dict("records")):
        total = round(float(record["total_sales"]), 2)
        first = round(total * 0.4, 2)
        created = base + timedelta(days=i % 300)
        for seller, price in ((1, first), (2, round(total - first, 2))):
            orders.append(
                {
                    "price": price,
                    "items": "[]",
                    "buyer_id": int(record["user_id"]),
                    "seller_id": seller,
                    "status": "delivered",
                    "created_at": created,
                }
            )
        if i % 10 == 0:
            orders.append(
                {
                    "price": 99999.0,
                    "items": "[]",
                    "buyer_id": int(record["user_id"]),
                    "seller_id": 1,
                    "status": "cancelled",
                    "created_at": created,
                }
            )
    db.insert("orders", orders)
