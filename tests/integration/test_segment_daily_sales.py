"""Per-segment daily sales: MySQL (one parameterised JSON_TABLE query) and CSV agree, and the
segments add up to Aktina's daily sales."""

from __future__ import annotations

import tempfile
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from aktina_ml.config import DEFAULT_SALE_STATUSES
from aktina_ml.data.csv import CsvSource
from aktina_ml.data.mysql import MySqlSource
from tests.support.demo import demo_dataset, load_into

ZONE = ZoneInfo("America/Chicago")


def test_segment_sales_agree_between_mysql_and_csv_and_sum_to_the_total(laravel_db):
    # Given a demo dataset in MariaDB and as CSV exports, and retailers in three segments
    dataset = demo_dataset(90, seed=5, days=120, orders=3000)
    load_into(laravel_db.connection, dataset)
    retailer_ids = dataset.retailers["id"].tolist()
    segments = {int(r): i % 3 for i, r in enumerate(retailer_ids)}
    mysql = MySqlSource(laravel_db.connection, sale_statuses=DEFAULT_SALE_STATUSES, zone=ZONE)

    # When both sources split the daily sales by segment
    from_db = mysql.segment_daily_sales(segments)
    with tempfile.TemporaryDirectory() as folder:
        dataset.write_csv(folder)
        from_csv = CsvSource.from_directory(folder, zone=ZONE).segment_daily_sales(segments)

    # Then they agree segment by segment and day by day
    assert sorted(from_db) == sorted(from_csv) == [0, 1, 2]
    for segment in from_db:
        pd.testing.assert_frame_equal(from_db[segment], from_csv[segment], check_exact=False)
    # And the segments add up to the total daily sales
    total = mysql.daily_sales().set_index("date")["amount"]
    summed = pd.concat([f.set_index("date")["amount"] for f in from_db.values()], axis=1)
    np.testing.assert_allclose(summed.sum(axis=1).reindex(total.index, fill_value=0), total)


def test_a_segment_without_sales_is_absent(laravel_db):
    # Given retailers all mapped to one segment but a second segment with an unknown retailer
    dataset = demo_dataset(30, seed=2, days=60, orders=600)
    load_into(laravel_db.connection, dataset)
    segments = {int(r): 1 for r in dataset.retailers["id"]} | {10**9: 7}
    mysql = MySqlSource(laravel_db.connection, sale_statuses=DEFAULT_SALE_STATUSES, zone=ZONE)

    # When the sales are split by segment
    split = mysql.segment_daily_sales(segments)

    # Then only the segment with sales appears
    assert list(split) == [1]
