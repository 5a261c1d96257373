"""MySqlSource.products and daily_units on MariaDB with the app's schema: known answers."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from aktina_ml.config import DEFAULT_SALE_STATUSES
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.data.source import PRODUCT_COLUMNS

AKTINA, VENDOR, BUYER = 1, 2, 3


def make_source(db, timezone: str = "UTC", stored: str = "UTC") -> MySqlSource:
    return MySqlSource(
        db.connection,
        sale_statuses=DEFAULT_SALE_STATUSES,
        zone=ZoneInfo(timezone),
        stored_zone=ZoneInfo(stored),
    )


def items(*lines: tuple[int, int]) -> str:
    return json.dumps(
        [{"product_id": p, "quantity": q, "unit_price": 10, "total": 10 * q} for p, q in lines]
    )


def order(created_at: str, lines: str, price: float, seller: int = AKTINA, status="delivered"):
    return {
        "price": price,
        "items": lines,
        "buyer_id": BUYER,
        "seller_id": seller,
        "status": status,
        "created_at": created_at,
    }


@pytest.fixture
def catalogue(laravel_db):
    laravel_db.insert(
        "users",
        [
            {
                "id": i,
                "name": f"u{i}",
                "email": f"u{i}@x.test",
                "password": "x",
                "company_name": c,
                "role": r,
            }
            for i, c, r in (
                (AKTINA, "Aktina", "admin"),
                (VENDOR, "Vendor Co", "vendor"),
                (BUYER, None, "retailer"),
            )
        ],
    )
    laravel_db.insert(
        "products",
        [
            {
                "id": 1,
                "name": "Pro",
                "model": "Aktina Pro 15",
                "sku": "P15",
                "target_market": "flagship",
                "specifications": '{"ram": "8GB"}',
            },
            {
                "id": 2,
                "name": "Lite",
                "model": "Aktina Lite 12",
                "sku": "L12",
                "category": "tablet",
            },
        ],
    )
    return laravel_db


def test_products_are_the_catalogue_with_the_apps_columns(catalogue):
    products = make_source(catalogue).products()
    assert list(products.columns) == list(PRODUCT_COLUMNS)
    assert products["product_id"].tolist() == [1, 2]
    assert products["category"].tolist() == ["smartphone", "tablet"]  # the app's default
    assert products.loc[0, "target_market"] == "flagship"


def test_without_a_products_table_the_catalogue_is_empty(catalogue):
    with catalogue.connection.cursor() as cursor:
        cursor.execute("DROP TABLE products")
    assert make_source(catalogue).products().empty


def test_daily_units_count_aktina_sales_per_product_and_local_day(catalogue):
    # Given Aktina sales (one stored in Kampala wall-clock time just after midnight), a
    # vendor's sale, a cancelled one, and orders with every kind of bad items
    catalogue.insert(
        "orders",
        [
            order("2025-03-01 10:00:00", items((1, 2), (2, 1)), 30),
            order("2025-03-02 00:30:00", items((1, 4)), 40),  # Kampala: still the 2nd
            order("2025-03-04 09:00:00", items((2, 3)), 30),
            order("2025-03-02 09:00:00", items((1, 50)), 500, seller=VENDOR),
            order("2025-03-02 09:00:00", items((1, 50)), 500, status="cancelled"),
            order("2025-03-03 09:00:00", '{"product_id": 1}', 10),  # not a list
            order("2025-03-03 09:00:00", "[]", 10),  # missing
            order("2025-03-03 09:00:00", items((1, 1), (99, 1)), 20),  # unknown product
            order("2025-03-03 09:00:00", items((1, 1)), 99),  # price mismatch
            order("2025-03-03 09:00:00", '[{"product_id": 2, "quantity": -1}]', 0),  # bad
            order("2025-03-03 09:00:00", json.dumps(items((2, 1))), 10),  # encoded twice
        ],
    )
    source = make_source(catalogue, "Africa/Kampala", "Africa/Kampala")
    # When units are read for the whole history and for a window
    units = source.daily_units()
    window = source.daily_units(date(2025, 3, 2), date(2025, 3, 3))
    # Then each product's units are summed per local day and zero-filled after its first
    per = units.frame.pivot(index="date", columns="product_id", values="units")
    assert per.index.strftime("%m-%d").tolist() == ["03-01", "03-02", "03-03", "03-04"]
    assert per[1].tolist() == [2, 4, 2, 0]
    assert per[2].tolist() == [1, 0, 1, 3]
    # And every bad shape is counted; nothing raises
    assert {k: v for k, v in units.problems.items() if v} == {
        "not_a_list": 1,
        "missing": 1,
        "unknown_product": 1,
        "price_mismatch": 1,
        "bad_line": 1,
    }
    assert units.orders == 9
    assert units.double_encoded == 1
    assert window.frame.groupby("product_id")["units"].sum().to_dict() == {1: 6, 2: 1}


def test_retailer_sales_within_a_window_of_local_days(catalogue):
    # Given a retailer's Aktina sales on three days
    catalogue.insert("retailers", [{"id": 5, "user_id": BUYER}])
    catalogue.insert(
        "orders",
        [
            order("2025-03-01 10:00:00", items((1, 1)), 10),
            order("2025-03-02 10:00:00", items((1, 2)), 20),
            order("2025-03-03 10:00:00", items((1, 4)), 40),
        ],
    )
    source = make_source(catalogue)
    # When read for the 2nd and 3rd only, and whole
    window = source.retailer_sales(date(2025, 3, 2), date(2025, 3, 3)).set_index("retailer_id")
    whole = source.retailer_sales().set_index("retailer_id")
    # Then the window sums its days, and no window sums all
    assert window.loc[5, "total_sales"] == 60.0
    assert window.loc[5, "order_count"] == 2
    assert whole.loc[5, "total_sales"] == 70.0
