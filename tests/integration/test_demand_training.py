"""Demand training from the Laravel database (real MariaDB, products and item lines) into S3
(moto), read back through the store's safe unpickler; failing on its own."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.demand import NAME
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.demand.fit import RECENT_AVERAGE
from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.store import ModelStore
from aktina_ml.training import train_models
from tests.conftest import MODEL_BUCKET

TODAY = date(2026, 6, 1)
DAYS = 200
LAUNCH_DAYS = 30  # product 3 went on sale 30 days ago
AKTINA, VENDOR, SHOP, OTHER_SHOP = 1, 2, 3, 4


def settings():
    return load_settings(model_store=f"s3://{MODEL_BUCKET}/models")


def line(product: int, quantity: int, price: float) -> dict:
    return {
        "product_id": product,
        "quantity": quantity,
        "unit_price": price,
        "total": round(quantity * price, 2),
    }


def seed(db, items_of=json.dumps, today: date = TODAY) -> dict[int, int]:
    """Aktina's orders over DAYS days up to yesterday with 1–3 lines each, plus orders that
    are not sales and orders with bad items; returns the units sold per product."""
    db.insert(
        "users",
        [
            {
                "id": i,
                "name": f"u{i}",
                "email": f"u{i}@x.test",
                "password": "x",
                "company_name": company,
                "role": role,
            }
            for i, company, role in (
                (AKTINA, "Aktina", "admin"),
                (VENDOR, "Vendor Co", "vendor"),
                (SHOP, "Shop", "retailer"),
                (OTHER_SHOP, "Shop 2", "retailer"),
            )
        ],
    )
    db.insert("retailers", [{"id": 1, "user_id": SHOP}, {"id": 2, "user_id": OTHER_SHOP}])
    db.insert(
        "products",
        [
            {"id": 1, "name": "Pro", "model": "Aktina Pro 15", "sku": "P15"},
            {
                "id": 2,
                "name": "Lite",
                "model": "Aktina Lite 12",
                "sku": "L12",
                "target_market": "budget",
            },
            {"id": 3, "name": "Max", "model": "Aktina Max 16", "sku": "M16"},
        ],
    )
    rng = np.random.default_rng(5)
    first = today - timedelta(days=DAYS)
    weekly = np.array([1.0, 1.1, 1.1, 1.2, 1.4, 0.7, 0.5])
    sold = {1: 0, 2: 0, 3: 0}
    rows = []
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        for hour in (9, 14):
            lines = [
                line(1, int(rng.poisson(6 * weekly[day.weekday()])) + 1, 900.0),
                line(2, int(rng.poisson(10 * weekly[day.weekday()])) + 1, 200.0),
            ]
            if offset >= DAYS - LAUNCH_DAYS:
                lines.append(line(3, int(rng.poisson(3)) + 1, 1200.0))
            for item in lines:
                sold[item["product_id"]] += item["quantity"]
            rows.append(
                {
                    "price": round(sum(item["total"] for item in lines), 2),
                    "items": items_of(lines),
                    "buyer_id": SHOP if hour == 9 else OTHER_SHOP,
                    "seller_id": AKTINA,
                    "status": "delivered",
                    "created_at": datetime.combine(day, time(hour)),
                }
            )
    bad = [
        ('{"product_id": 1}', 10.0),  # not a list
        (json.dumps([line(99, 1, 5.0)]), 5.0),  # unknown product
        (json.dumps([line(1, 1, 5.0)]), 500.0),  # price mismatch
        ('[{"product_id": 2, "quantity": 0}]', 0.0),  # bad line
    ]
    rows += [
        {
            "price": price,
            "items": items,
            "buyer_id": SHOP,
            "seller_id": AKTINA,
            "status": "delivered",
            "created_at": datetime.combine(today - timedelta(days=3), time(10)),
        }
        for items, price in bad
    ]
    rows.append({**rows[0], "seller_id": VENDOR})  # not Aktina's sale
    db.insert("orders", rows)
    sold[1] += 1  # the price-mismatch order's line still counts
    return sold


@pytest.fixture
def s3_store(s3) -> ModelStore:
    return ModelStore(S3Backend(s3, MODEL_BUCKET, "models"))


def test_demand_trains_from_mariadb_and_promotes_to_s3(laravel_db, s3_store) -> None:
    # Given 200 days of Aktina orders with item lines, a launch, and bad items
    sold = seed(laravel_db)
    source = MySqlSource.from_settings(laravel_db.connection, settings())
    # When demand trains
    from aktina_ml.demand.training import train_demand

    result = train_demand(source, s3_store, settings(), today=TODAY)
    # Then a version is promoted, and its item problems are in the result and the manifest
    assert result.promoted, result.reason
    problems = {k: v for k, v in result.metrics["item_quality"]["problems"].items() if v}
    assert problems == {"not_a_list": 1, "unknown_product": 1, "price_mismatch": 1, "bad_line": 1}
    current = s3_store.current(NAME)
    assert (
        current.metadata["metrics"]["item_quality"]["problems"]
        == result.metrics["item_quality"]["problems"]
    )
    # And the artifact loads through the store's allow-listed unpickler
    artifact = s3_store.load(current, DemandArtifact)
    assert isinstance(artifact, DemandArtifact)
    assert artifact.days[0] == str(TODAY)
    by_id = {p.product_id: p for p in artifact.products}
    assert by_id[2].model == "Aktina Lite 12"
    assert by_id[2].target_market == "budget"
    assert by_id[3].method == RECENT_AVERAGE
    assert by_id[3].method_note.startswith(f"{LAUNCH_DAYS} days of sales since launch")
    # And the history it learned from is the units sold
    learned = {p: int(sum(h.values.sum() for h in [by_id[p].history["day"]])) for p in by_id}
    assert learned[3] == sold[3]
    # And the products add up to the total units
    summed = np.sum([p.cumulative.point for p in artifact.products], axis=0)
    np.testing.assert_allclose(summed, artifact.units.cumulative.point, rtol=1e-9)
    assert artifact.facts["retailer_concentration"]["current"]["buyers"] == 2


def test_demand_failing_leaves_the_forecast_to_promote(laravel_db, s3_store) -> None:
    # Given orders up to yesterday whose items are all unreadable (lines without product ids)
    unreadable = lambda lines: json.dumps([{"sku": "?"} for _ in lines])  # noqa: E731
    seed(laravel_db, unreadable, datetime.now(settings().zone).date())
    source = MySqlSource.from_settings(laravel_db.connection, settings())
    # When the scheduled training runs forecast and demand
    results = {r.model: r for r in train_models(["forecast", NAME], source, s3_store, settings())}
    # Then demand is refused with its reason and its problems counted, the forecast promoted
    assert not results[NAME].promoted
    assert results[NAME].reason.startswith("not enough history of units")
    assert results[NAME].metrics["item_quality"]["problems"]["bad_line"] > 0
    assert results["forecast"].promoted, results["forecast"].reason
    assert s3_store.current(NAME) is None
