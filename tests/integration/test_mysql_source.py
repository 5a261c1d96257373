"""MySqlSource on a real MariaDB with the Laravel schema and hand-built data with known answers."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from aktina_ml.config import DEFAULT_SALE_STATUSES, NON_SALE_STATUSES
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.data.source import retailers_with_sales

AKTINA_1, AKTINA_2, VENDOR = 1, 2, 3
RETAILER_USERS = {10: 101, 11: 102, 12: 103}  # retailer id → its user id


def make_source(db, timezone: str = "UTC", stored: str = "UTC") -> MySqlSource:
    return MySqlSource(
        db.connection,
        seller_company="Aktina",
        sale_statuses=DEFAULT_SALE_STATUSES,
        zone=ZoneInfo(timezone),
        stored_zone=ZoneInfo(stored),
    )


def user(id_: int, company: str | None, role: str) -> dict:
    return {
        "id": id_,
        "name": f"user {id_}",
        "email": f"u{id_}@example.com",
        "password": "x",
        "company_name": company,
        "role": role,
    }


def order(
    price: float, buyer: int, seller: int, created_at: str, status: str = "delivered"
) -> dict:
    return {
        "price": price,
        "items": "[]",
        "buyer_id": buyer,
        "seller_id": seller,
        "status": status,
        "created_at": created_at,
    }


@pytest.fixture
def shop(laravel_db):
    """Two Aktina users, one vendor, three retailers (one with every demographic NULL)."""
    laravel_db.insert(
        "users",
        [
            user(AKTINA_1, "Aktina", "admin"),
            user(AKTINA_2, "Aktina", "supplier"),
            user(VENDOR, "Other Supplies Ltd", "vendor"),
            *(user(u, None, "retailer") for u in RETAILER_USERS.values()),
        ],
    )
    laravel_db.insert(
        "retailers",
        [
            {
                "id": 10,
                "user_id": 101,
                "male_female_ratio": "0.80",
                "city": "Kampala",
                "urban_rural_classification": "urban",
                "customer_age_class": "adult",
                "customer_income_bracket": "high",
                "customer_education_level": "high",
                "business_type": "Electronics",
                "annual_revenue": "$750,000",
                "employee_count": "10-20",
                "years_in_business": 12,
                "phone": "+256 700 000000",
                "tax_id": "TAX-1",
            },
            {"id": 11, "user_id": 102},
            {"id": 12, "user_id": 103},
        ],
    )
    return laravel_db


def test_sums_per_retailer_count_only_aktina_sales_with_counted_statuses(shop):
    # Given orders from both Aktina users, a vendor's order, and every non-sale status
    shop.insert(
        "orders",
        [
            order(100.25, 101, AKTINA_1, "2025-03-03 09:00:00"),
            order(50.00, 101, AKTINA_2, "2025-03-04 09:00:00", "pending"),
            order(999.00, 101, VENDOR, "2025-03-04 10:00:00"),
            *(order(1000.0, 101, AKTINA_1, "2025-03-05 10:00:00", s) for s in NON_SALE_STATUSES),
            order(20.10, 102, AKTINA_2, "2025-03-05 11:00:00", "complete"),
        ],
    )
    # When the per-retailer totals are read
    sales = make_source(shop).retailer_sales().set_index("retailer_id")
    # Then only Aktina's counted orders add up, and a retailer without orders has 0
    assert sales.loc[10, "total_sales"] == pytest.approx(150.25)
    assert sales.loc[10, "order_count"] == 2
    assert sales.loc[11, "total_sales"] == pytest.approx(20.10)
    assert sales.loc[11, "order_count"] == 1
    assert sales.loc[12, "total_sales"] == 0.0
    assert sales.loc[12, "order_count"] == 0
    assert list(sales.index) == [10, 11, 12]


def test_daily_sales_are_zero_filled_between_first_and_last_day(shop):
    # Given Aktina sales on the 1st (twice) and the 4th, plus a cancelled order on the 2nd
    shop.insert(
        "orders",
        [
            order(10.0, 101, AKTINA_1, "2025-01-01 08:00:00"),
            order(5.5, 102, AKTINA_2, "2025-01-01 17:00:00"),
            order(70.0, 102, AKTINA_1, "2025-01-02 12:00:00", "cancelled"),
            order(2.0, 103, AKTINA_1, "2025-01-04 23:59:59"),
        ],
    )
    # When the daily series is read
    daily = make_source(shop).daily_sales()
    # Then every day from the 1st to the 4th is present, days without sales as 0
    assert daily["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-04",
    ]
    assert daily["amount"].tolist() == pytest.approx([15.5, 0.0, 0.0, 2.0])


def test_daily_sales_fall_on_business_timezone_days(shop):
    # Given orders at 20:59 and 21:00 UTC, i.e. 23:59 and 00:00 in Kampala (UTC+3)
    shop.insert(
        "orders",
        [
            order(1.0, 101, AKTINA_1, "2025-06-30 20:59:59"),
            order(2.0, 101, AKTINA_1, "2025-06-30 21:00:00"),
        ],
    )
    # When the series is read in UTC and in Kampala time
    utc = make_source(shop, "UTC").daily_sales()
    kampala = make_source(shop, "Africa/Kampala").daily_sales()
    # Then UTC puts both on the 30th, Kampala splits them at its midnight
    assert utc["amount"].tolist() == [3.0]
    assert dict(zip(kampala["date"].dt.strftime("%m-%d"), kampala["amount"], strict=True)) == {
        "06-30": 1.0,
        "07-01": 2.0,
    }


def test_sale_days_are_the_first_and_last_business_day_with_a_counted_sale(shop):
    # Given no orders yet, then Aktina sales at 23:30 UTC (02:30 next day in Kampala) and a
    # later cancelled order
    assert make_source(shop).sale_days() is None
    shop.insert(
        "orders",
        [
            order(1.0, 101, AKTINA_1, "2025-03-01 23:30:00"),
            order(2.0, 102, AKTINA_2, "2025-03-09 08:00:00"),
            order(9.0, 102, AKTINA_1, "2025-03-20 08:00:00", "cancelled"),
        ],
    )
    # When the sale days are read in Kampala time
    days = make_source(shop, "Africa/Kampala").sale_days()
    # Then they are the first and last day of the daily series, without reading it
    daily = make_source(shop, "Africa/Kampala").daily_sales()
    assert days == (date(2025, 3, 2), date(2025, 3, 9))
    assert days == (daily["date"].iloc[0].date(), daily["date"].iloc[-1].date())


def test_daily_sales_respect_daylight_saving_and_quarter_hour_zones(shop):
    # Given orders just after local midnight in New York summer time and in Kathmandu (+05:45)
    shop.insert(
        "orders",
        [
            order(4.0, 101, AKTINA_1, "2025-07-01 04:00:00"),  # 00:00 EDT on 1 July
            order(8.0, 101, AKTINA_1, "2025-07-01 18:15:00"),  # 00:00 NPT on 2 July
        ],
    )
    # When read in both zones
    new_york = make_source(shop, "America/New_York").daily_sales()
    kathmandu = make_source(shop, "Asia/Kathmandu").daily_sales()
    # Then each order lands on its local day
    assert new_york["date"].dt.strftime("%m-%d").tolist() == ["07-01"]
    assert new_york["amount"].tolist() == [12.0]
    assert kathmandu["date"].dt.strftime("%m-%d").tolist() == ["07-01", "07-02"]
    assert kathmandu["amount"].tolist() == [4.0, 8.0]


def test_kampala_stored_timestamps_fall_on_their_days(shop):
    # Given orders the Aktina app wrote in its app.timezone, Africa/Kampala (UTC+3): 23:59:59
    # on the 30th and 00:00 on 1 July local time (20:59:59 and 21:00 UTC)
    shop.insert(
        "orders",
        [
            order(1.0, 101, AKTINA_1, "2025-06-30 23:59:59"),
            order(2.0, 101, AKTINA_1, "2025-07-01 00:00:00"),
        ],
    )
    # When read as Kampala-stored, for Kampala days, UTC days, and (wrongly) as UTC-stored
    kampala = make_source(shop, "Africa/Kampala", stored="Africa/Kampala").daily_sales()
    utc_days = make_source(shop, "UTC", stored="Africa/Kampala").daily_sales()
    as_utc = make_source(shop, "Africa/Kampala", stored="UTC").daily_sales()
    # Then Kampala days split them at Kampala midnight; in UTC both happened on the 30th;
    # read as UTC the 23:59:59 order would move to 1 July
    assert dict(zip(kampala["date"].dt.strftime("%m-%d"), kampala["amount"], strict=True)) == {
        "06-30": 1.0,
        "07-01": 2.0,
    }
    assert utc_days["date"].dt.strftime("%m-%d").tolist() == ["06-30"]
    assert utc_days["amount"].tolist() == [3.0]
    assert as_utc["date"].dt.strftime("%m-%d").tolist() == ["07-01"]
    # And the per-segment series and the first and last sale days agree with it
    per_segment = make_source(shop, "Africa/Kampala", stored="Africa/Kampala").segment_daily_sales(
        {10: 1}
    )
    assert per_segment[1]["amount"].tolist() == [1.0, 2.0]
    kampala_source = make_source(shop, "Africa/Kampala", stored="Africa/Kampala")
    assert kampala_source.sale_days() == (date(2025, 6, 30), date(2025, 7, 1))
    assert make_source(shop, "UTC", stored="Africa/Kampala").sale_days() == (
        date(2025, 6, 30),
        date(2025, 6, 30),
    )


def test_kampala_stored_window_bounds_are_kampala_wall_clock(shop):
    # Given Kampala-stored orders at the first and last second of 1 July (local) and outside it
    shop.insert(
        "orders",
        [
            order(1.0, 101, AKTINA_1, "2025-06-30 23:59:59"),
            order(2.0, 101, AKTINA_1, "2025-07-01 00:00:00"),
            order(4.0, 101, AKTINA_1, "2025-07-01 23:59:59"),
            order(8.0, 101, AKTINA_1, "2025-07-02 00:00:00"),
        ],
    )
    # When the window is 1 July, in Kampala days
    source = make_source(shop, "Africa/Kampala", stored="Africa/Kampala")
    daily = source.daily_sales(start=date(2025, 7, 1), end=date(2025, 7, 1))
    # Then exactly that day's two orders count
    assert daily["amount"].tolist() == [6.0]


def test_daily_sales_window_is_inclusive_local_days(shop):
    # Given sales on four consecutive days
    shop.insert(
        "orders",
        [order(float(day), 101, AKTINA_1, f"2025-02-0{day} 12:00:00") for day in (1, 2, 3, 4)],
    )
    # When a window of the 2nd to the 3rd is asked for
    daily = make_source(shop).daily_sales(start=date(2025, 2, 2), end=date(2025, 2, 3))
    # Then exactly those days come back
    assert daily["amount"].tolist() == [2.0, 3.0]


def test_demographics_cover_every_retailer_with_nulls_and_no_personal_data(shop):
    # When the demographics are read
    frame = make_source(shop).retailer_demographics().set_index("retailer_id")
    # Then every retailer is there, NULLs are NA, and personal fields are never selected
    assert list(frame.index) == [10, 11, 12]
    assert frame.loc[10, "male_female_ratio"] == pytest.approx(0.8)
    assert frame.loc[10, "customer_income_bracket"] == "high"
    assert frame.loc[10, "annual_revenue"] == "$750,000"
    assert frame.loc[10, "employee_count"] == "10-20"
    assert frame.loc[10, "years_in_business"] == 12
    assert frame.loc[11, ["city", "urban_rural_classification", "customer_age_class"]].isna().all()
    assert pd.isna(frame.loc[11, "male_female_ratio"])
    assert not {"phone", "tax_id", "contact_person", "business_address"} & set(frame.columns)


def test_retailers_with_sales_joins_demographics_and_totals(shop):
    # Given one Aktina sale for retailer 11
    shop.insert("orders", [order(42.0, 102, AKTINA_1, "2025-05-05 10:00:00")])
    # When the training frame is built
    frame = retailers_with_sales(make_source(shop)).set_index("retailer_id")
    # Then it has demographics and sales side by side
    assert frame.loc[11, "total_sales"] == 42.0
    assert frame.loc[10, "total_sales"] == 0.0
    assert frame.loc[10, "city"] == "Kampala"


def test_configured_company_name_selects_the_sellers(shop):
    # Given a vendor sale and an Aktina sale
    shop.insert(
        "orders",
        [order(7.0, 101, VENDOR, "2025-05-05 10:00:00"), order(3.0, 101, AKTINA_1, "2025-05-05")],
    )
    # When the source is configured for the vendor's company instead
    source = make_source(shop)
    source.seller_company = "Other Supplies Ltd"
    # Then the vendor's orders are the ones counted
    assert source.retailer_sales().set_index("retailer_id").loc[10, "total_sales"] == 7.0
    assert source.daily_sales()["amount"].tolist() == [7.0]


def test_empty_database_gives_empty_frames(laravel_db):
    # Given the Laravel schema with no rows
    source = make_source(laravel_db)
    # When everything is read
    # Then every frame is empty but has its columns
    assert source.retailer_demographics().empty
    assert list(source.retailer_sales().columns) == ["retailer_id", "total_sales", "order_count"]
    assert source.retailer_sales().empty
    daily = source.daily_sales()
    assert daily.empty
    assert list(daily.columns) == ["date", "amount"]
