"""Loading the demo dataset into a real MariaDB, and reading it back through the sources."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from aktina_ml.config import DEFAULT_SALE_STATUSES, NON_SALE_STATUSES
from aktina_ml.data.csv import CsvSource
from aktina_ml.data.mysql import MySqlSource, connect
from aktina_ml.demo.catalogue import expected_item_problems
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.demo.loader import DemoLoadError, load_mysql

# About 400 days ending 2026-10-31 in a DST zone: both clock changes are inside.
SPEC = DemoSpec(retailers=120, orders=8000, days=400, seed=11, timezone="America/Chicago")
ZONE = ZoneInfo(SPEC.timezone)


@pytest.fixture(scope="module")
def dataset():
    return generate(SPEC)


def mysql_source(connection) -> MySqlSource:
    return MySqlSource(connection, sale_statuses=DEFAULT_SALE_STATUSES, zone=ZONE)


def expected_totals(dataset) -> pd.DataFrame:
    """Per-retailer Aktina sales computed in pandas straight from the generated frames."""
    aktina = dataset.users.loc[dataset.users["company_name"] == "Aktina", "id"]
    orders = dataset.orders
    sales = orders[orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)]
    per_buyer = sales.groupby("buyer_id")["price"].agg(["sum", "count"])
    retailers = dataset.retailers.join(per_buyer, on="user_id")
    return pd.DataFrame(
        {
            "retailer_id": retailers["id"],
            "total_sales": retailers["sum"].fillna(0.0),
            "order_count": retailers["count"].fillna(0).astype("int64"),
        }
    ).sort_values("retailer_id", ignore_index=True)


def expected_daily(dataset, start: date | None = None, end: date | None = None) -> pd.Series:
    aktina = dataset.users.loc[dataset.users["company_name"] == "Aktina", "id"]
    orders = dataset.orders
    sales = orders[orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)]
    day = sales["created_at"].dt.tz_localize("UTC").dt.tz_convert(ZONE).dt.tz_localize(None)
    per_day = sales["price"].groupby(day.dt.normalize()).sum()
    if start is not None:
        per_day = per_day[per_day.index >= pd.Timestamp(start)]
    if end is not None:
        per_day = per_day[per_day.index <= pd.Timestamp(end)]
    full = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    return per_day.reindex(full, fill_value=0.0)


def test_load_data_then_repository_matches_pandas(laravel_db, dataset):
    # When the dataset is loaded with LOAD DATA LOCAL INFILE
    result = load_mysql(laravel_db.connection, dataset)
    # Then every row arrived
    assert result.method == "load_data"
    assert result.rows == {
        "users": len(dataset.users),
        "retailers": 120,
        "products": len(dataset.products),
        "orders": 8000,
    }
    with laravel_db.connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(price), SUM(approved_at IS NULL) FROM orders")
        count, total, unapproved = cursor.fetchone()
        cursor.execute("SELECT SUM(customer_age_class IS NULL), SUM(city IS NULL) FROM retailers")
        null_ages, null_cities = cursor.fetchone()
    assert count == 8000
    assert float(total) == pytest.approx(dataset.orders["price"].sum(), abs=0.005)
    assert int(unapproved) == dataset.orders["approved_at"].isna().sum()
    assert int(null_ages) == dataset.retailers["customer_age_class"].isna().sum() > 0
    assert int(null_cities) == dataset.retailers["city"].isna().sum() > 0
    assert_products_and_items_arrived(laravel_db.connection, dataset)

    # And the repository's totals equal the ones computed independently in pandas
    source = mysql_source(laravel_db.connection)
    totals = source.retailer_sales()
    expected = expected_totals(dataset)
    assert totals["retailer_id"].tolist() == expected["retailer_id"].tolist()
    assert totals["order_count"].astype("int64").tolist() == expected["order_count"].tolist()
    pd.testing.assert_series_equal(
        totals["total_sales"], expected["total_sales"], check_exact=False, atol=0.005, rtol=0
    )
    assert (totals["total_sales"] == 0).any()  # inactive retailers are present with 0

    daily = source.daily_sales()
    truth = expected_daily(dataset)
    assert daily["date"].tolist() == truth.index.tolist()
    assert daily["amount"].to_numpy() == pytest.approx(truth.to_numpy(), abs=0.005)
    # And a window across the spring DST change is cut at local midnights
    window = source.daily_sales(date(2026, 3, 1), date(2026, 3, 31))
    truth = expected_daily(dataset, date(2026, 3, 1), date(2026, 3, 31))
    assert window["amount"].to_numpy() == pytest.approx(truth.to_numpy(), abs=0.005)


def test_csv_source_on_written_files_matches_mysql(laravel_db, dataset, tmp_path):
    # Given the dataset written as CSV and loaded from those same files
    dataset.write_csv(tmp_path)
    load_mysql(laravel_db.connection, dataset, csv_directory=tmp_path)
    database = mysql_source(laravel_db.connection)
    files = CsvSource.from_directory(tmp_path, zone=ZONE)
    # Then both sources give the same per-retailer totals and daily series
    from_db, from_csv = database.retailer_sales(), files.retailer_sales()
    assert from_db["retailer_id"].tolist() == from_csv["retailer_id"].tolist()
    assert from_db["order_count"].tolist() == from_csv["order_count"].tolist()
    assert from_db["total_sales"].to_numpy() == pytest.approx(
        from_csv["total_sales"].to_numpy(), abs=0.005
    )
    daily_db, daily_csv = database.daily_sales(), files.daily_sales()
    assert daily_db["date"].tolist() == daily_csv["date"].tolist()
    assert daily_db["amount"].to_numpy() == pytest.approx(daily_csv["amount"].to_numpy(), abs=0.005)
    # And the same demographics
    demo_db, demo_csv = database.retailer_demographics(), files.retailer_demographics()
    for column in ("urban_rural_classification", "customer_age_class", "city", "annual_revenue"):
        assert demo_db[column].isna().tolist() == demo_csv[column].isna().tolist(), column
        assert demo_db[column].dropna().tolist() == demo_csv[column].dropna().tolist(), column
    assert demo_db["male_female_ratio"].to_numpy() == pytest.approx(
        demo_csv["male_female_ratio"].to_numpy(), nan_ok=True
    )


def assert_products_and_items_arrived(connection, dataset) -> None:
    """The products table and every order's items and price, as generated."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, model, sku, msrp, category, target_market, "
            "JSON_VALUE(specifications, '$.display'), "
            "JSON_VALUE(company_quantities, '$.Aktina.quantity') FROM products ORDER BY id"
        )
        products = cursor.fetchall()
        cursor.execute("SELECT id, items, price FROM orders ORDER BY id")
        orders = cursor.fetchall()
    expected = dataset.products
    assert [row[0] for row in products] == expected["id"].tolist()
    assert [row[3] for row in products] == expected["sku"].tolist()
    assert [float(row[4]) for row in products] == expected["msrp"].tolist()
    assert [row[6] for row in products] == expected["target_market"].tolist()
    assert all(row[8] is not None for row in products)  # JSON that MariaDB reads
    assert [row[1] for row in orders] == dataset.orders["items"].tolist()
    assert [float(row[2]) for row in orders] == pytest.approx(
        dataset.orders["price"].tolist(), abs=0.005
    )


def test_products_and_items_arrive_by_either_method(laravel_db, dataset):
    # Given a connection that refuses LOCAL INFILE, When the dataset is loaded with executemany
    connection = connect(laravel_db.settings, local_infile=False)
    try:
        result = load_mysql(connection, dataset)
        # Then the products and the items (bad ones included) arrive just as generated
        assert result.method == "executemany"
        assert result.rows["products"] == len(dataset.products) == 10
        assert_products_and_items_arrived(connection, dataset)
        # And the planted bad items are there: [] and a lone object are JSON the column holds
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM orders WHERE JSON_TYPE(items) <> 'ARRAY' "
                "OR JSON_LENGTH(items) = 0"
            )
            not_lists = cursor.fetchone()[0]
    finally:
        connection.close()
    kinds = dataset.planted_item_problems["kind"]
    assert not_lists == kinds.isin(["empty_list", "lone_object", "double_encoded"]).sum() > 0


def test_executemany_fallback_when_local_infile_is_refused(laravel_db, dataset):
    # Given a connection that does not allow LOCAL INFILE
    connection = connect(laravel_db.settings, local_infile=False)
    try:
        # When the dataset is loaded
        result = load_mysql(connection, dataset)
        # Then it falls back to executemany and the data is the same
        assert result.method == "executemany"
        assert result.rows["orders"] == 8000
        totals = mysql_source(connection).retailer_sales()
    finally:
        connection.close()
    expected = expected_totals(dataset)
    assert totals["order_count"].astype("int64").tolist() == expected["order_count"].tolist()
    assert totals["total_sales"].to_numpy() == pytest.approx(
        expected["total_sales"].to_numpy(), abs=0.005
    )


def test_refuses_tables_that_hold_rows_or_already_exist(laravel_db, dataset):
    # Given a database that already has the tables
    # When the schema is to be created again, Then the error says what to do
    with pytest.raises(DemoLoadError, match="already exists"):
        load_mysql(laravel_db.connection, dataset, create_schema=True)
    # Given tables that hold rows, When loading again, Then nothing is overwritten
    load_mysql(laravel_db.connection, dataset)
    with pytest.raises(DemoLoadError, match="already holds rows"):
        load_mysql(laravel_db.connection, dataset)
    with laravel_db.connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM orders")
        assert cursor.fetchone()[0] == 8000


@pytest.mark.parametrize("local_infile", [True, False], ids=["load_data", "executemany"])
def test_a_failed_load_leaves_nothing_behind(laravel_db, dataset, local_infile):
    # Given tables where the orders cannot go in (a column the load writes is missing), the
    # users, retailers and products going in first
    with laravel_db.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE orders DROP FOREIGN KEY orders_approver_id_foreign")
        cursor.execute("ALTER TABLE orders DROP COLUMN approver_id")
    connection = connect(laravel_db.settings, local_infile=local_infile)
    try:
        # When the load fails on the orders
        with pytest.raises(Exception, match="approver_id"):
            load_mysql(connection, dataset)
    finally:
        connection.close()
    # Then nothing is left behind: every table is as empty as before, so a rerun may go ahead
    with laravel_db.connection.cursor() as cursor:
        for table in ("users", "retailers", "products", "orders"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == 0, table


def generated_units(dataset) -> pd.DataFrame:
    """Units per day and product of Aktina's counted sales from the generated lines, less
    what the planted problems make unreadable (a whole order, or its first line), in pandas."""
    aktina = dataset.users.loc[dataset.users["company_name"] == "Aktina", "id"]
    orders = dataset.orders
    sales = orders[orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)]
    kind = dataset.planted_item_problems.set_index("order_id")["kind"]
    lines = dataset.item_lines[dataset.item_lines["order_id"].isin(sales["id"])]
    first = ~lines["order_id"].duplicated()
    problem = lines["order_id"].map(kind)
    unreadable = problem.isin(["empty_list", "lone_object"]) | (
        first & problem.isin(["zero_quantity", "sku_as_product_id", "unknown_product"])
    )
    lines = lines[~unreadable]
    created = sales.set_index("id")["created_at"]
    day = created.dt.tz_localize("UTC").dt.tz_convert(ZONE).dt.tz_localize(None).dt.normalize()
    units = lines.groupby([lines["order_id"].map(day), "product_id"])["quantity"].sum()
    return units.rename_axis(["date", "product_id"]).rename("units").reset_index()


def test_both_sources_count_the_planted_items_and_read_the_generated_units(
    laravel_db, dataset, tmp_path
):
    # Given the demo data as CSV files and in MariaDB
    dataset.write_csv(tmp_path)
    load_mysql(laravel_db.connection, dataset, csv_directory=tmp_path)
    sources = {
        "mysql": mysql_source(laravel_db.connection),
        "csv": CsvSource.from_directory(tmp_path, zone=ZONE),
    }
    truth = generated_units(dataset)
    for name, source in sources.items():
        # When units per product are read
        units = source.daily_units()
        # Then the planted problems are counted exactly as documented
        assert units.problems == expected_item_problems(), name
        assert units.double_encoded == 4, name
        # And the units are the generated ones, day by day and product by product
        sold = units.frame[units.frame["units"] > 0].reset_index(drop=True)
        assert sold["date"].tolist() == truth["date"].tolist(), name
        assert sold["product_id"].tolist() == truth["product_id"].tolist(), name
        assert sold["units"].tolist() == truth["units"].tolist(), name
        # And the catalogue is the generated one
        assert source.products()["sku"].tolist() == dataset.products["sku"].tolist(), name
