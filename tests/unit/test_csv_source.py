"""CsvSource: the Laravel app's sample file shapes and table exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from aktina_ml.data.csv import CsvSource, CsvSourceError, read_daily_sales_csv
from aktina_ml.data.source import extend_to, zero_filled

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "laravel_samples"


def test_app_sample_retailers_give_demographics_and_totals():
    # Given the app's 10-retailer sample (no user_id, no order counts)
    source = CsvSource(retailers=SAMPLES / "test_segmentation.csv")
    # When demographics and sales are read
    demographics = source.retailer_demographics()
    sales = source.retailer_sales()
    # Then all ten retailers come through with their published totals
    assert len(demographics) == 10
    assert demographics.loc[0, "customer_income_bracket"] == "high"
    assert demographics["user_id"].isna().all()
    assert sales.set_index("retailer_id").loc[1, "total_sales"] == 35000
    assert sales["order_count"].isna().all()


def test_missing_columns_are_allowed(tmp_path):
    # Given a retailers file with only some columns and empty cells
    path = tmp_path / "retailers.csv"
    path.write_text("id,city,customer_income_bracket,total_sales\n5,Gulu,,10.5\n3,,low,\n")
    # When read
    source = CsvSource(retailers=path)
    frame = source.retailer_demographics()
    # Then absent columns are NA, rows are sorted by id, missing totals count as 0
    assert frame["retailer_id"].tolist() == [3, 5]
    assert frame["urban_rural_classification"].isna().all()
    assert pd.isna(frame.loc[0, "city"])
    assert source.retailer_sales()["total_sales"].tolist() == [0.0, 10.5]


def test_daily_sales_file_fills_gaps(tmp_path):
    # Given a date,amount file out of order with a missing day
    path = tmp_path / "sales.csv"
    path.write_text("date,amount\n2024-12-03,5\n2024-12-01,3.5\n")
    # When read
    daily = read_daily_sales_csv(path)
    # Then one row per day, in order, the gap as 0
    assert daily["date"].dt.day.tolist() == [1, 2, 3]
    assert daily["amount"].tolist() == [3.5, 0.0, 5.0]


def test_app_sample_sales_file_reads_every_day():
    daily = read_daily_sales_csv(SAMPLES / "test_forecast.csv")
    assert len(daily) == 30
    assert daily["amount"].iloc[0] == 45000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("day,amount\n2024-01-01,1\n", "missing column"),
        ("date,amount\n2024-01-01,1\n01/02/2024,3\n", "line 3"),
        ("date,amount\n2024-01-01,lots\n", "line 2"),
        ("date,amount\n2024-01-01,1\n2024-01-02,-4\n", "line 3: amount -4 is negative"),
        (
            "date,amount\n2024-12-01,1\n2024-12-02,1\n2024-12-01,2.5\n",
            "line 4: date 2024-12-01 is already on line 2; give one total per day",
        ),
    ],
)
def test_bad_sales_files_name_the_problem(tmp_path, content, message):
    path = tmp_path / "sales.csv"
    path.write_text(content)
    with pytest.raises(CsvSourceError, match=message):
        read_daily_sales_csv(path)


def test_table_exports_need_users_to_know_the_sellers(tmp_path):
    (tmp_path / "retailers.csv").write_text("id,user_id\n1,10\n")
    (tmp_path / "orders.csv").write_text("price,buyer_id,seller_id,status,created_at\n")
    with pytest.raises(CsvSourceError, match=r"users\.csv"):
        CsvSource.from_directory(tmp_path).retailer_sales()


def test_kampala_stored_table_exports_fall_on_their_days(tmp_path):
    # Given table exports whose created_at is Kampala wall-clock time (the app's app.timezone)
    (tmp_path / "users.csv").write_text("id,company_name\n1,Aktina\n")
    (tmp_path / "retailers.csv").write_text("id,user_id\n5,50\n")
    (tmp_path / "orders.csv").write_text(
        "price,buyer_id,seller_id,status,created_at\n"
        "1.0,50,1,delivered,2025-06-30 23:59:59\n"
        "2.0,50,1,delivered,2025-07-01 00:00:00\n"
    )
    kampala = ZoneInfo("Africa/Kampala")
    # When read as Kampala-stored for Kampala days, and for UTC days
    local = CsvSource.from_directory(tmp_path, zone=kampala, stored_zone=kampala).daily_sales()
    utc = CsvSource.from_directory(tmp_path, stored_zone=kampala).daily_sales()
    # Then Kampala midnight splits them, and in UTC both were on the 30th
    assert local["date"].dt.strftime("%m-%d").tolist() == ["06-30", "07-01"]
    assert local["amount"].tolist() == [1.0, 2.0]
    assert utc["date"].dt.strftime("%m-%d").tolist() == ["06-30"]
    assert utc["amount"].tolist() == [3.0]
    per_segment = CsvSource.from_directory(tmp_path, zone=kampala, stored_zone=kampala)
    assert per_segment.segment_daily_sales({5: 0})[0]["amount"].tolist() == [1.0, 2.0]


def test_extend_to_appends_zero_days_after_the_last_sale():
    # Given sales that stopped on 2 March
    daily = zero_filled(pd.Series([5.0, 1.0], index=pd.to_datetime(["2025-03-01", "2025-03-02"])))
    # When the series is extended to 5 March
    extended = extend_to(daily, date(2025, 3, 5))
    # Then the days after the last sale are zeros, and an up-to-date series is unchanged
    assert extended["amount"].tolist() == [5.0, 1.0, 0.0, 0.0, 0.0]
    assert extend_to(daily, date(2025, 3, 1)) is daily
