"""The demo's products and item lines: units follow the totals, every life cycle is there,
and the planted bad items are counted exactly as documented."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from aktina_ml.config import NON_SALE_STATUSES
from aktina_ml.demo.catalogue import (
    CATALOGUE,
    LIFECYCLES,
    PLANTED_PROBLEMS,
    UNKNOWN_PRODUCT_ID,
    expected_item_problems,
)
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.demo.schema import table_columns

END = date(2026, 6, 30)
SPEC = DemoSpec(retailers=200, orders=30_000, days=500, end=END, seed=5)
ZONE = SPEC.timezone


@pytest.fixture(scope="module")
def dataset():
    return generate(SPEC)


def counted_sales(dataset) -> pd.DataFrame:
    """Aktina's counted sales (seller is an Aktina user, a sale status)."""
    users, orders = dataset.users, dataset.orders
    aktina = users.loc[users["company_name"] == "Aktina", "id"]
    counted = orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)
    return orders[counted]


def count_problems(orders: pd.DataFrame, known: set[int]) -> tuple[dict[str, int], list]:
    """A reference reader of ``items`` written from the contract's definitions: per order
    missing / malformed / not_a_list / price_mismatch, per line bad_line / unknown_product
    (a JSON string holding the list is read as the list). Returns the counts and good lines."""
    counts = dict.fromkeys(
        ("missing", "malformed", "not_a_list", "bad_line", "unknown_product", "price_mismatch"), 0
    )
    good = []
    for order_id, text, price in orders[["id", "items", "price"]].itertuples(index=False):
        if text is None or not str(text).strip():
            counts["missing"] += 1
            continue
        try:
            value: Any = json.loads(text)
            if isinstance(value, str):
                value = json.loads(value)
        except ValueError:
            counts["malformed"] += 1
            continue
        if not isinstance(value, list):
            counts["not_a_list"] += 1
            continue
        if not value:
            counts["missing"] += 1
            continue
        read = [line for line in value if _good_line(line)]
        counts["bad_line"] += len(value) - len(read)
        if len(read) == len(value):
            gap = abs(sum(line["total"] for line in read) - price)
            counts["price_mismatch"] += gap > 0.01 * abs(price) and gap > 0.01
        for line in read:
            if line["product_id"] in known:
                good.append((order_id, line))
            else:
                counts["unknown_product"] += 1
    return counts, good


def _good_line(line: Any) -> bool:
    if not isinstance(line, dict):
        return False
    product, quantity = line.get("product_id"), line.get("quantity")
    return isinstance(product, int) and product > 0 and isinstance(quantity, int) and quantity > 0


def daily_units(dataset) -> pd.DataFrame:
    """Units per business day (rows) and product (columns) of Aktina's counted sales."""
    sales = counted_sales(dataset)
    _, good = count_problems(sales, set(dataset.products["id"]))
    lines = pd.DataFrame(
        [(order, line["product_id"], line["quantity"]) for order, line in good],
        columns=["order_id", "product_id", "quantity"],
    )
    created = sales.set_index("id")["created_at"]
    local = created.dt.tz_localize("UTC").dt.tz_convert(ZONE).dt.tz_localize(None).dt.normalize()
    lines["day"] = lines["order_id"].map(local)
    units = lines.pivot_table(
        index="day", columns="product_id", values="quantity", aggfunc="sum", fill_value=0
    )
    return units.reindex(
        index=pd.date_range(SPEC.start, SPEC.end), columns=dataset.products["id"], fill_value=0
    )


def test_products_table_in_the_apps_shape(dataset):
    products = dataset.products
    # Then the products table has the app's columns, one row per catalogue entry
    assert tuple(products.columns) == table_columns("products")
    assert products["id"].tolist() == list(range(1, len(CATALOGUE) + 1))
    assert 8 <= len(products) <= 12
    assert products["sku"].is_unique
    # And flagship, mid-range and budget phones, plus other categories
    phones = products[products["category"] == "smartphone"]
    assert set(phones["target_market"]) == {"flagship", "mid-range", "budget"}
    assert set(products["category"]) > {"smartphone"}
    # And JSON columns hold JSON: specifications, Aktina's stock (0 for the phased-out model)
    for text in products["specifications"]:
        assert isinstance(json.loads(text), dict)
    stock = products["company_quantities"].map(lambda t: json.loads(t)["Aktina"]["quantity"])
    phased_out = [i for i, p in enumerate(CATALOGUE) if p.lifecycle == "phased_out"]
    assert (stock.iloc[phased_out] == 0).all()
    assert (products["created_at"] <= products["updated_at"]).all()
    assert products["created_at"].is_monotonic_increasing  # ids follow creation


def test_products_keep_their_ids_in_creation_order_in_a_short_history():
    # Given a history shorter than the Pro 15's 700 days on sale
    short = generate(DemoSpec(retailers=5, orders=200, days=30, end=END))
    # Then product ids still follow creation
    assert short.products["created_at"].is_monotonic_increasing


def test_units_follow_the_totals(dataset):
    # Given every order that is not planted wrong
    planted = set(dataset.planted_item_problems["order_id"])
    orders = dataset.orders[~dataset.orders["id"].isin(planted)]
    msrp = dataset.products.set_index("id")["msrp"]
    checked = 0
    for order_id, text, price in orders[["id", "items", "price"]].itertuples(index=False):
        lines = json.loads(text)
        # Then each order has 1–4 lines of catalogue products at msrp less at most 20 %
        assert 1 <= len(lines) <= 4
        cents = 0
        for line in lines:
            assert set(line) == {"product_id", "quantity", "unit_price", "total"}
            unit = round(line["unit_price"] * 100)
            assert line["quantity"] >= 1
            # And each line's total is quantity × unit price to the cent
            assert round(line["total"] * 100) == line["quantity"] * unit
            assert 0.8 * msrp[line["product_id"]] - 0.01 <= line["unit_price"]
            assert line["unit_price"] <= msrp[line["product_id"]]
            cents += round(line["total"] * 100)
        # And the order's price is the sum of its lines' totals to the cent
        assert round(price * 100) == cents, order_id
        checked += 1
    assert checked == len(dataset.orders) - len(planted)


def test_the_lines_are_the_ground_truth_and_follow_revenue(dataset):
    # Given the generated lines of the orders that are not planted wrong
    planted = set(dataset.planted_item_problems["order_id"])
    truth = dataset.item_lines[~dataset.item_lines["order_id"].isin(planted)]
    # Then they add up to the orders' prices
    per_order = truth.groupby("order_id")["total"].sum()
    prices = dataset.orders.set_index("id")["price"].reindex(per_order.index)
    assert np.allclose(per_order, prices, rtol=0, atol=0.005)
    # And a month's units move with its revenue (units follow the totals)
    sales = counted_sales(dataset)
    month = sales["created_at"].dt.to_period("M")
    revenue = sales.groupby(month)["price"].sum()
    units = truth[truth["order_id"].isin(sales["id"])]
    units = units.groupby(
        units["order_id"].map(sales.set_index("id")["created_at"].dt.to_period("M"))
    )["quantity"].sum()
    assert np.corrcoef(revenue, units.reindex(revenue.index))[0, 1] > 0.8


def test_every_life_cycle_is_present(dataset):
    units = daily_units(dataset)
    end = pd.Timestamp(END)
    lifecycle = dataset.product_lifecycles.set_index("product_id")
    assert set(lifecycle["lifecycle"]) == set(LIFECYCLES)
    for product_id, row in lifecycle.iterrows():
        sold = units[product_id]
        days_sold = sold.index[sold > 0]
        if row["lifecycle"] == "launch":
            # Then the launched model first sells within the last 8 weeks, and sells since
            assert end - pd.Timedelta(56, unit="D") <= row["launched"] <= days_sold.min()
            assert days_sold.min() <= row["launched"] + pd.Timedelta(7, unit="D")
            assert sold.iloc[-14:].sum() > 0
        elif row["lifecycle"] == "phased_out":
            # Then the phased-out model sold for most of the history, and not since
            assert days_sold.max() <= end - pd.Timedelta(150, unit="D")
            assert sold.iloc[:200].sum() > 0
            assert sold.iloc[-150:].sum() == 0
        elif row["lifecycle"] == "growing":
            # Then the growing model sells at least twice as much as three months before
            assert sold.iloc[-30:].sum() > 2 * sold.iloc[-120:-90].sum() > 0
        else:
            # Then a steady product sells in every month of the history
            monthly = sold.resample("MS").sum()
            assert (monthly > 0).all(), product_id


def test_bad_items_are_planted_and_counted_exactly_as_documented(dataset):
    sales = counted_sales(dataset)
    planted = dataset.planted_item_problems
    # Then the documented number of each kind is planted, all among Aktina's counted sales
    kinds = planted["kind"].value_counts().to_dict()
    assert kinds == {p.kind: p.orders for p in PLANTED_PROBLEMS}
    assert set(planted["order_id"]) <= set(sales["id"])
    # And a reader following the contract counts exactly what is documented
    counts, _ = count_problems(sales, set(dataset.products["id"]))
    assert counts == expected_item_problems()
    assert counts["malformed"] == 0  # the app's JSON column cannot hold malformed text
    assert sum(counts.values()) > 0
    # And each planted order is what its kind says
    items = dataset.orders.set_index("id")["items"]
    for order_id, kind in planted[["order_id", "kind"]].itertuples(index=False):
        text = items[order_id]
        if kind == "empty_list":
            assert text == "[]"
        elif kind == "lone_object":
            assert isinstance(json.loads(text), dict)
        elif kind == "double_encoded":
            assert isinstance(json.loads(json.loads(text)), list)
        elif kind == "unknown_product":
            assert json.loads(text)[0]["product_id"] == UNKNOWN_PRODUCT_ID
        elif kind == "sku_as_product_id":
            assert json.loads(text)[0]["product_id"] in {p.sku for p in CATALOGUE}
    # And the other parties' orders and non-sales hold no planted problem
    others = dataset.orders[~dataset.orders["id"].isin(sales["id"])]
    assert count_problems(others, set(dataset.products["id"]))[0] == dict.fromkeys(counts, 0)


def test_same_seed_same_items_other_seed_other_items(dataset):
    # Given the same spec again, and another seed
    again = generate(SPEC)
    other = generate(DemoSpec(retailers=200, orders=30_000, days=500, end=END, seed=6))
    # Then products, items, prices and the planted ground truth repeat exactly
    pd.testing.assert_frame_equal(dataset.products, again.products)
    pd.testing.assert_series_equal(dataset.orders["items"], again.orders["items"])
    pd.testing.assert_series_equal(dataset.orders["price"], again.orders["price"])
    pd.testing.assert_frame_equal(dataset.item_lines, again.item_lines)
    pd.testing.assert_frame_equal(dataset.planted_item_problems, again.planted_item_problems)
    # And another seed gives other lines and other planted orders
    assert not dataset.orders["items"].equals(other.orders["items"])
    assert set(dataset.planted_item_problems["order_id"]) != set(
        other.planted_item_problems["order_id"]
    )


def test_a_tiny_dataset_gets_valid_items_and_nothing_planted():
    # Given a tiny spec
    tiny = generate(DemoSpec(retailers=1, orders=10, days=1, aktina_users=1, vendors=1))
    # Then every order has readable lines and nothing is planted
    assert tiny.planted_item_problems.empty
    counts, good = count_problems(tiny.orders, set(tiny.products["id"]))
    assert sum(counts.values()) == 0
    assert len(good) >= 10


def test_write_csv_writes_products_and_the_planted_truth(dataset, tmp_path):
    # When the dataset is written
    dataset.write_csv(tmp_path)
    # Then products.csv has the table's columns, and items survive the round trip
    products = pd.read_csv(tmp_path / "products.csv", keep_default_na=False)
    assert tuple(products.columns) == table_columns("products")
    assert products["sku"].tolist() == dataset.products["sku"].tolist()
    orders = pd.read_csv(tmp_path / "orders.csv", keep_default_na=False)
    assert orders["items"].tolist() == dataset.orders["items"].tolist()
    # And the planted problems and life cycles are written as ground truth
    planted = pd.read_csv(tmp_path / "planted_item_problems.csv", keep_default_na=False)
    assert list(planted.columns) == ["order_id", "kind", "counted_as"]
    assert len(planted) == sum(p.orders for p in PLANTED_PROBLEMS)
    cycles = pd.read_csv(tmp_path / "planted_product_lifecycles.csv", keep_default_na=False)
    assert list(cycles.columns) == ["product_id", "model", "lifecycle", "launched", "retired"]
    assert set(cycles["lifecycle"]) == set(LIFECYCLES)


def test_docs_state_the_planted_counts():
    # Given the demo data section of docs/local.md
    docs = (Path(__file__).parents[3] / "docs" / "local.md").read_text()
    text = " ".join(docs.split())
    # Then it states every count a reader should find, and how many orders are planted
    for key, count in expected_item_problems().items():
        assert f"`{key}` {count}" in text, key
    wrong = sum(p.orders for p in PLANTED_PROBLEMS if p.counted_as is not None)
    assert f"{wrong} orders with deliberately wrong items" in text
    encoded = next(p.orders for p in PLANTED_PROBLEMS if p.kind == "double_encoded")
    assert f"{encoded} orders whose list is stored as a JSON string" in text
