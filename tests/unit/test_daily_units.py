"""Units per product and day from CSV exports: the same orders and days as daily sales."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from aktina_ml.data.csv import CsvSource
from aktina_ml.data.source import PRODUCT_COLUMNS, UNIT_COLUMNS


def items(*lines: tuple[int, int]) -> str:
    return json.dumps(
        [{"product_id": p, "quantity": q, "unit_price": 1, "total": q} for p, q in lines]
    )


def write_exports(folder, orders: list[dict], products: bool = True) -> None:
    pd.DataFrame(
        [{"id": 1, "company_name": "Aktina"}, {"id": 2, "company_name": "Other"}, {"id": 9}]
    ).to_csv(folder / "users.csv", index=False)
    pd.DataFrame(orders).to_csv(folder / "orders.csv", index=False)
    if products:
        pd.DataFrame(
            [
                {
                    "id": 2,
                    "name": "Lite",
                    "model": "Aktina Lite 12",
                    "sku": "L12",
                    "category": "smartphone",
                    "target_market": "budget",
                    "msrp": 199,
                },
                {
                    "id": 1,
                    "name": "Pro",
                    "model": "Aktina Pro 15",
                    "sku": "P15",
                    "category": "smartphone",
                    "target_market": None,
                    "msrp": 999,
                },
            ]
        ).to_csv(folder / "products.csv", index=False)


def order(
    created_at: str, lines: str | None, price: float, seller: int = 1, status: str = "delivered"
) -> dict:
    return {
        "id": 0,
        "buyer_id": 9,
        "seller_id": seller,
        "status": status,
        "price": price,
        "items": lines,
        "created_at": created_at,
    }


def test_units_per_product_and_day_follow_the_sales_rules(tmp_path):
    # Given Aktina sales over three days in Kampala time (UTC+3), a vendor's sale, a
    # cancelled order, and a bad line
    write_exports(
        tmp_path,
        [
            order("2025-01-01 10:00:00", items((1, 2), (2, 1)), 3),
            order("2025-01-01 22:30:00", items((1, 5)), 5),  # 01:30 on the 2nd in Kampala
            order("2025-01-03 08:00:00", items((2, 4), (3, 1)), 5),  # 3: no such product
            order("2025-01-02 08:00:00", items((1, 100)), 100, seller=2),
            order("2025-01-02 08:00:00", items((1, 100)), 100, status="cancelled"),
            order("2025-01-02 09:00:00", "not json", 7),
        ],
    )
    source = CsvSource.from_directory(tmp_path, zone=ZoneInfo("Africa/Kampala"))
    # When the units are read
    units = source.daily_units()
    # Then each product is zero-filled from its first sale to the last day of all
    frame = units.frame
    assert list(frame.columns) == list(UNIT_COLUMNS)
    per = frame.pivot(index="date", columns="product_id", values="units")
    assert per.index.strftime("%m-%d").tolist() == ["01-01", "01-02", "01-03"]
    assert per[1].tolist() == [2, 5, 0]
    assert per[2].tolist() == [1, 0, 4]
    # And the problems are counted, not raised
    assert units.problems["unknown_product"] == 1
    assert units.problems["malformed"] == 1
    assert units.orders == 4
    assert units.lines == 4


def test_the_window_keeps_days_within_it(tmp_path):
    write_exports(
        tmp_path,
        [
            order("2025-01-01 10:00:00", items((1, 2)), 2),
            order("2025-01-05 10:00:00", items((1, 3)), 3),
        ],
    )
    units = CsvSource.from_directory(tmp_path).daily_units(date(2025, 1, 2), date(2025, 1, 9))
    assert units.frame["units"].tolist() == [3]
    assert units.orders == 1


def test_products_csv_gives_the_catalogue_sorted_by_id(tmp_path):
    write_exports(tmp_path, [])
    products = CsvSource.from_directory(tmp_path).products()
    assert list(products.columns) == list(PRODUCT_COLUMNS)
    assert products["product_id"].tolist() == [1, 2]
    assert products["model"].tolist() == ["Aktina Pro 15", "Aktina Lite 12"]
    assert pd.isna(products.loc[0, "target_market"])


def test_without_products_csv_or_items_column_nothing_breaks(tmp_path):
    # Given exports without products.csv and orders without an items column
    write_exports(tmp_path, [order("2025-01-01 10:00:00", None, 2)], products=False)
    frame = pd.read_csv(tmp_path / "orders.csv").drop(columns="items")
    frame.to_csv(tmp_path / "orders.csv", index=False)
    source = CsvSource.from_directory(tmp_path)
    # When read: Then the catalogue is empty and every order counts as missing items
    assert source.products().empty
    units = source.daily_units()
    assert units.frame.empty
    assert units.problems["missing"] == 1


def test_without_a_catalogue_every_product_id_is_kept(tmp_path):
    write_exports(tmp_path, [order("2025-01-01 10:00:00", items((7, 2)), 2)], products=False)
    units = CsvSource.from_directory(tmp_path).daily_units()
    assert units.frame["product_id"].tolist() == [7]


def test_retailer_sales_within_a_window(tmp_path):
    write_exports(
        tmp_path,
        [
            order("2025-01-01 10:00:00", items((1, 2)), 2),
            order("2025-01-05 10:00:00", items((1, 3)), 3),
        ],
    )
    pd.DataFrame([{"id": 4, "user_id": 9}]).to_csv(tmp_path / "retailers.csv", index=False)
    source = CsvSource.from_directory(tmp_path)
    assert source.retailer_sales(date(2025, 1, 2), None)["total_sales"].tolist() == [3.0]
    assert source.retailer_sales()["total_sales"].tolist() == [5.0]
