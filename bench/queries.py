"""The extraction queries on 1M orders, without and with the recommended index.

Target: ≤ 2 s for both with the index. Alternatives compared in one run: the Laravel
schema as is (foreign-key indexes only), an index on (seller_id, created_at, price), and
the recommended covering index (seller_id, status, created_at, buyer_id, price). The last
column is the first/last sale-day query that segmentation training runs instead of the whole
daily series.
"""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from aktina_ml.config import DEFAULT_SALE_STATUSES
from aktina_ml.data.mysql import RECOMMENDED_INDEX_DDL, RECOMMENDED_INDEX_NAME, MySqlSource
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.demo.loader import load_mysql
from bench.common import scratch_database, timed

ORDERS = 1_000_000
RETAILERS = 10_000
ALTERNATIVE_INDEX = (
    "CREATE INDEX orders_seller_created_price ON orders (seller_id, created_at, price)"
)


def main() -> None:
    start = time.perf_counter()
    dataset = generate(DemoSpec(retailers=RETAILERS, orders=ORDERS, seed=7))
    print(f"generated {len(dataset.orders):,} orders in {time.perf_counter() - start:.1f} s")
    with scratch_database() as connection:
        start = time.perf_counter()
        load_mysql(connection, dataset, create_schema=True)
        print(f"loaded into MariaDB in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE TABLE orders, users, retailers")
            cursor.fetchall()
        sources = {
            zone: MySqlSource(connection, sale_statuses=DEFAULT_SALE_STATUSES, zone=ZoneInfo(zone))
            for zone in ("UTC", "America/New_York")
        }
        print(
            f"{'indexes':<40} {'zone':<17} {'retailer totals':>15} {'daily series':>14} "
            f"{'sale days':>14}"
        )
        # Indexes are added cumulatively: InnoDB silently drops the implicit foreign-key
        # index once another index can serve the constraint, so they cannot be dropped again.
        for label, ddl in (
            ("foreign keys only (Laravel schema)", None),
            ("+ (seller_id, created_at, price)", ALTERNATIVE_INDEX),
            (f"+ recommended {RECOMMENDED_INDEX_NAME}", RECOMMENDED_INDEX_DDL),
        ):
            if ddl:
                with connection.cursor() as cursor:
                    cursor.execute(ddl)
            for zone, source in sources.items():
                totals = timed(source.retailer_sales)
                daily = timed(source.daily_sales)
                days = timed(source.sale_days)  # what segmentation's manifest needs
                print(
                    f"{label:<40} {zone:<17} {totals[0]:>7.3f}/{totals[1]:.3f} "
                    f"{daily[0]:>7.3f}/{daily[1]:.3f} {days[0]:>7.3f}/{days[1]:.3f}"
                )
        print("(seconds, median/best of 5)")
