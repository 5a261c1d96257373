"""The demo dataset generator: determinism, shape, and the structure it plants."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from aktina_ml.config import NON_SALE_STATUSES, ORDER_STATUSES
from aktina_ml.demo.generator import ENUMS, SEGMENTS, DemoSpec, generate
from aktina_ml.demo.schema import table_columns

SPEC = DemoSpec(retailers=300, orders=20_000, days=800, end=date(2026, 6, 30), seed=7)


@pytest.fixture(scope="module")
def dataset():
    return generate(SPEC)


def aktina_sales(dataset) -> pd.DataFrame:
    """Counted Aktina sales, computed here from the raw frames."""
    users, orders = dataset.users, dataset.orders
    aktina = users.loc[users["company_name"] == "Aktina", "id"]
    counted = orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)
    return orders[counted]


def local_days(stamps: pd.Series, zone: str) -> pd.Series:
    return stamps.dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()


def test_same_seed_same_data_other_seed_other_data(dataset):
    # Given the same spec twice, and one with another seed
    again = generate(SPEC)
    other = generate(DemoSpec(retailers=300, orders=20_000, days=800, seed=8))
    # Then the same seed reproduces every frame, and another seed does not
    for name in ("users", "retailers", "orders"):
        pd.testing.assert_frame_equal(getattr(dataset, name), getattr(again, name))
    pd.testing.assert_series_equal(dataset.planted_segments, again.planted_segments)
    assert not dataset.orders["price"].equals(other.orders["price"])


def test_sizes_and_table_columns(dataset):
    # Then every table has the Laravel columns and the requested sizes
    for name in ("users", "retailers", "orders"):
        assert tuple(getattr(dataset, name).columns) == table_columns(name)
    assert len(dataset.orders) == SPEC.orders
    assert len(dataset.retailers) == SPEC.retailers
    assert len(dataset.users) == SPEC.aktina_users + SPEC.vendors + SPEC.retailers
    assert (dataset.users["company_name"] == "Aktina").sum() == SPEC.aktina_users
    assert dataset.users["id"].is_unique
    assert dataset.users["email"].is_unique
    assert dataset.orders["id"].tolist() == list(range(1, SPEC.orders + 1))
    assert set(dataset.retailers["user_id"]) <= set(
        dataset.users.loc[dataset.users["role"] == "retailer", "id"]
    )
    assert dataset.planted_segments.index.tolist() == dataset.retailers["id"].tolist()


def test_any_size_works():
    # Given a tiny spec
    tiny = generate(DemoSpec(retailers=1, orders=10, days=1, aktina_users=1, vendors=1))
    # Then it still yields consistent tables
    assert len(tiny.orders) == 10
    assert len(tiny.retailers) == 1
    assert tiny.orders["created_at"].notna().all()


def test_every_enum_value_and_nulls_present(dataset):
    retailers = dataset.retailers
    # Then each enum column uses every value of the schema's enum and has NULLs
    for column, values in ENUMS.items():
        assert set(retailers[column].dropna()) == set(values), column
    for column in ("male_female_ratio", "city", *ENUMS):
        share = retailers[column].isna().mean()
        assert 0 < share < 0.1, column
    # And the business fields look like the app stores them
    revenue = retailers["annual_revenue"].dropna()
    assert revenue.str.fullmatch(r"\d+").any()
    assert revenue.str.fullmatch(r"\$[\d,]+").any()
    employees = retailers["employee_count"].dropna()
    assert employees.str.fullmatch(r"\d+").any()
    assert employees.str.fullmatch(r"\d+-\d+").any()
    assert 20 <= retailers["city"].nunique() <= 60
    assert retailers["business_type"].notna().mean() > 0.9
    assert retailers["years_in_business"].dropna().between(1, 60).all()
    assert retailers["male_female_ratio"].dropna().between(0.3, 3.0).all()


def test_every_status_with_realistic_non_sale_share(dataset):
    orders = dataset.orders
    # Then every status appears and 10–15 % of Aktina's orders are not sales
    assert set(orders["status"]) == set(ORDER_STATUSES)
    aktina = dataset.users.loc[dataset.users["company_name"] == "Aktina", "id"]
    mine = orders[orders["seller_id"].isin(aktina)]
    assert 0.10 <= mine["status"].isin(NON_SALE_STATUSES).mean() <= 0.15
    # And lifecycle timestamps follow the status
    assert orders.loc[orders["status"] == "pending", "approved_at"].isna().all()
    done = orders[orders["status"] == "complete"]
    assert done["completed_at"].notna().all()
    assert (done["completed_at"] >= done["created_at"]).all()


def test_orders_between_other_parties_present(dataset):
    users, orders = dataset.users, dataset.orders
    role = users.set_index("id")["role"]
    aktina = set(users.loc[users["company_name"] == "Aktina", "id"])
    seller_role, buyer_role = orders["seller_id"].map(role), orders["buyer_id"].map(role)
    # Then vendors sell to Aktina and to retailers, and several Aktina users sell
    assert ((seller_role == "vendor") & orders["buyer_id"].isin(aktina)).sum() > 100
    assert ((seller_role == "vendor") & (buyer_role == "retailer")).sum() > 100
    assert orders.loc[orders["seller_id"].isin(aktina), "seller_id"].nunique() == SPEC.aktina_users
    assert (buyer_role[orders["seller_id"].isin(aktina)] == "retailer").all()


def test_prices_fit_decimal_10_2(dataset):
    price = dataset.orders["price"]
    assert (price > 0).all()
    assert (price < 1e8).all()
    assert np.allclose(price, price.round(2), rtol=0, atol=1e-9)


def test_timestamps_in_business_hours_and_history(dataset):
    created = dataset.orders["created_at"]
    local = created.dt.tz_localize("UTC").dt.tz_convert(SPEC.timezone)
    # Then orders are placed in local business hours within the history window
    assert local.dt.hour.between(7, 20).all()
    assert local.dt.hour.between(8, 17).mean() > 0.85
    assert local.dt.date.min() >= SPEC.start
    assert local.dt.date.max() <= SPEC.end


def test_weekly_pattern_quiet_weekends(dataset):
    sales = aktina_sales(dataset)
    daily = sales["price"].groupby(local_days(sales["created_at"], SPEC.timezone)).sum()
    daily = daily.reindex(pd.date_range(SPEC.start, SPEC.end), fill_value=0.0)
    weekend = daily.index.dayofweek >= 5
    # Then weekdays sell far more than weekends
    assert daily[~weekend].mean() > 3 * daily[weekend].mean()


def test_expected_daily_sales_matches_realised(dataset):
    sales = aktina_sales(dataset)
    daily = sales["price"].groupby(local_days(sales["created_at"], SPEC.timezone)).sum()
    expected = dataset.expected_daily_sales
    daily = daily.reindex(expected.index, fill_value=0.0)
    # Then the noise-free signal has the realised total and follows the realised days
    assert expected.index[0] == pd.Timestamp(SPEC.start)
    assert len(expected) == SPEC.days
    assert daily.sum() == pytest.approx(expected.sum(), rel=0.05)
    assert np.corrcoef(daily, expected)[0, 1] > 0.8
    # And it carries the year-end holiday dip and growth
    year_end = expected[(expected.index.month == 12) & (expected.index.day >= 24)]
    december = expected[(expected.index.month == 12) & (expected.index.day < 20)]
    assert year_end.mean() < 0.5 * december.mean()
    assert expected.iloc[-90:].mean() > expected.iloc[:90].mean()


def test_planted_segments_drive_sales_volume(dataset):
    # Given each retailer's total counted Aktina sales
    sales = aktina_sales(dataset).groupby("buyer_id")["price"].sum()
    totals = dataset.retailers["user_id"].map(sales).fillna(0.0)
    totals.index = dataset.retailers["id"]
    per_segment = totals.groupby(dataset.planted_segments).median()
    # Then the segments' typical volumes follow the planted order rates × order sizes
    planted = [s.order_rate * s.mean_price for s in SEGMENTS]
    assert list(per_segment.sort_values().index) == list(np.argsort(planted))
    ordered = per_segment.sort_values().to_numpy()
    assert (ordered[1:] > 1.8 * ordered[:-1]).all()


def test_segments_recoverable_by_kmeans_on_one_hot_demographics(dataset):
    # Given one-hot demographics (NULL = no category) and the ratio
    retailers = dataset.retailers
    features = pd.get_dummies(retailers[list(ENUMS)]).astype(float)
    features["ratio"] = retailers["male_female_ratio"].fillna(retailers["male_female_ratio"].mean())
    # When KMeans looks for as many clusters as were planted
    labels = KMeans(len(SEGMENTS), n_init=10, random_state=0).fit_predict(features)
    # Then it finds the planted segments
    assert adjusted_rand_score(dataset.planted_segments, labels) >= 0.8


def test_write_csv(dataset, tmp_path):
    # When the dataset is written
    dataset.write_csv(tmp_path)
    # Then each table's CSV has its columns, NULL as empty, UTC timestamps as text
    for name in ("users", "retailers", "orders"):
        frame = pd.read_csv(tmp_path / f"{name}.csv", keep_default_na=False)
        assert tuple(frame.columns) == table_columns(name)
        assert len(frame) == len(getattr(dataset, name))
    orders = pd.read_csv(tmp_path / "orders.csv", keep_default_na=False)
    assert (orders["approved_at"] == "").sum() == dataset.orders["approved_at"].isna().sum()
    assert orders["created_at"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    planted = pd.read_csv(tmp_path / "planted_segments.csv", index_col="retailer_id")
    assert planted["segment"].to_dict() == dataset.planted_segments.to_dict()
    expected = pd.read_csv(tmp_path / "expected_daily_sales.csv")
    assert list(expected.columns) == ["date", "amount"]
    assert len(expected) == SPEC.days


@pytest.mark.parametrize(
    ("field", "value"),
    [("retailers", 0), ("days", 0), ("orders", -1), ("vendors", 0), ("timezone", "Mars/Base")],
)
def test_bad_spec_is_refused_with_a_clear_message(field, value):
    with pytest.raises(ValueError, match=field):
        DemoSpec(**{field: value})
