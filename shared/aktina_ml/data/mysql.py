"""The Laravel app's MySQL database as a :class:`~aktina_ml.data.source.SalesSource`.

All SQL is parameterised and aggregates in the database; only this module touches pymysql.
Connections are passed in (see :func:`connect`), so tests hand in a real MariaDB connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pymysql

from aktina_ml.config import DatabaseSettings, Settings
from aktina_ml.data.retailer_columns import SELECT_LIST
from aktina_ml.data.source import (
    DEMOGRAPHIC_COLUMNS,
    PRODUCT_COLUMNS,
    SALES_COLUMNS,
    DailyUnits,
    daily_frame,
    empty_daily_frame,
    empty_products_frame,
    local_day,
    products_frame,
    stored_bounds,
    typed,
    units_from_orders,
    wall_clock_epochs,
)

# Makes the extraction queries index-only scans over Aktina's own orders
# (docs/data-access.md, "Recommended index").
# The retailer totals read Aktina's users first (STRAIGHT_JOIN), then their orders through
# this index: left to choose, MariaDB 10.11 walked the buyer_id foreign key with a row lookup
# per order (100k retailers, 1M orders: 95 s instead of 1.1 s; bench/scale.py). Without the
# index that order costs more at 10k retailers (6.3 s instead of 1.8 s, bench/queries.py),
# so the daily queries, fine either way, keep the optimizer's choice.
RECOMMENDED_INDEX_NAME = "orders_ml_sales_index"
RECOMMENDED_INDEX_DDL = (
    f"CREATE INDEX {RECOMMENDED_INDEX_NAME} "
    "ON orders (seller_id, status, created_at, buyer_id, price)"
)

_DEMOGRAPHICS_SQL = f"SELECT {SELECT_LIST} FROM retailers ORDER BY id"  # noqa: S608 (constants)

_RETAILER_SALES_SQL = """
SELECT r.id, COALESCE(s.total_sales, 0), COALESCE(s.order_count, 0)
FROM retailers AS r
LEFT JOIN (
    SELECT STRAIGHT_JOIN o.buyer_id, CAST(SUM(o.price) AS DOUBLE) AS total_sales,
           COUNT(*) AS order_count
    FROM users AS u
    JOIN orders AS o ON o.seller_id = u.id
    WHERE u.company_name = %(company)s AND o.status IN %(statuses)s
      AND (%(stored_from)s IS NULL OR o.created_at >= %(stored_from)s)
      AND (%(stored_to)s IS NULL OR o.created_at < %(stored_to)s)
    GROUP BY o.buyer_id
) AS s ON s.buyer_id = r.user_id
ORDER BY r.id
"""

# Sums per time bucket of the stored wall clock (read in a UTC session, UNIX_TIMESTAMP gives
# it as if it were UTC); Python turns the buckets into instants (AKTINA_DB_TIMEZONE) and
# folds them into days of the business timezone, which keeps daylight-saving days exact
# without MySQL's time-zone tables. The bounds are wall-clock times of the stored zone.
# Aktina's counted sales within [stored_from, stored_to): the one definition of which orders
# are sales, shared by the daily, per-segment and per-product queries.
_SALES_WHERE = """
WHERE o.seller_id IN (SELECT u.id FROM users AS u WHERE u.company_name = %(company)s)
  AND o.status IN %(statuses)s
  AND (%(stored_from)s IS NULL OR o.created_at >= %(stored_from)s)
  AND (%(stored_to)s IS NULL OR o.created_at < %(stored_to)s)
"""

_BUCKETED_SALES_SQL = f"""
SELECT UNIX_TIMESTAMP(o.created_at) DIV %(bucket)s AS bucket, CAST(SUM(o.price) AS DOUBLE)
FROM orders AS o
{_SALES_WHERE}
GROUP BY bucket
"""  # noqa: S608 (constants)

# Each sale's time, price and lines (parsed in Python, where every bad shape is counted).
_ORDER_ITEMS_SQL = f"""
SELECT UNIX_TIMESTAMP(o.created_at), CAST(o.price AS DOUBLE), o.items
FROM orders AS o
{_SALES_WHERE}
"""  # noqa: S608 (constants)

_PRODUCTS_SQL = "SELECT id, name, model, sku, category, target_market FROM products ORDER BY id"
_NO_SUCH_TABLE = 1146  # ER_NO_SUCH_TABLE

_SELLERS_SQL = "SELECT u.id FROM users AS u WHERE u.company_name = %(company)s"

# First and last sale per (seller, status): with the recommended index a loose index scan
# (a few index dives per group, ~0.3 ms at 1M orders) instead of reading every order
# (~0.5 s). The sellers are listed, not a subquery, or the optimiser scans the whole index.
_SALE_DAYS_SQL = """
SELECT UNIX_TIMESTAMP(MIN(o.created_at)), UNIX_TIMESTAMP(MAX(o.created_at))
FROM orders AS o
WHERE o.seller_id IN %(sellers)s AND o.status IN %(statuses)s
GROUP BY o.seller_id, o.status
"""


# The same buckets per segment, in the daily query's one scan: each segment's buyers arrive
# as one IN-list parameter, tested in a CASE (MariaDB binary-searches the sorted list). The
# WHEN clauses, one per segment, are the only generated text. Joining retailer → segment
# pairs instead (JSON_TABLE), or filtering on every segmented buyer, made MariaDB walk the
# buyer foreign key with a row lookup per order (38–41 s instead of about 1 s at 1M
# orders); sending every (buyer, hour) sum to Python took 13 s.
_SEGMENT_BUCKETED_SALES_SQL = (
    """
SELECT CASE {whens} ELSE -1 END AS segment_id,
       UNIX_TIMESTAMP(o.created_at) DIV %(bucket)s AS bucket, CAST(SUM(o.price) AS DOUBLE)
FROM orders AS o"""
    + _SALES_WHERE.replace("{", "{{").replace("}", "}}")  # formatted with the WHEN clauses
    + "GROUP BY segment_id, bucket\n"
)
_SEGMENT_WHEN = "WHEN o.buyer_id IN %(segment_{i})s THEN {i}"

_RETAILER_USERS_SQL = "SELECT id, user_id FROM retailers WHERE user_id IS NOT NULL"


def connect(
    db: DatabaseSettings, *, local_infile: bool = False, **kwargs: Any
) -> pymysql.Connection:
    """Open a connection whose session time zone is UTC (how Laravel stores timestamps).

    Connecting, and every read and write after it, waits at most ``db``'s timeouts (the
    server's greeting is a read: a server that accepts and never greets fails too); with
    ``db.ssl_ca`` the connection is TLS, the certificate checked against that CA and, with
    ``ssl_verify_identity``, the host name against the certificate.
    """
    tls: dict[str, Any] = {}
    if db.ssl_ca is not None:
        tls = {
            "ssl_ca": str(db.ssl_ca),
            "ssl_verify_cert": True,
            "ssl_verify_identity": db.ssl_verify_identity,
        }
    return pymysql.connect(
        host=db.host,
        port=db.port,
        user=db.user,
        password=db.password.get_secret_value(),
        database=db.database,
        charset="utf8mb4",
        autocommit=True,
        connect_timeout=db.connect_timeout,
        read_timeout=db.read_timeout,
        write_timeout=db.write_timeout,
        local_infile=local_infile,
        init_command="SET time_zone = '+00:00'",
        **tls,
        **kwargs,
    )


def resolve_database(settings: Settings) -> DatabaseSettings:
    """Connection settings, from Secrets Manager when ``AKTINA_DB_SECRET_ARN`` is set."""
    if settings.db_secret_arn:
        secret = _secrets_provider(settings).get(settings.db_secret_arn, transform="json")
        return settings.with_client_options(DatabaseSettings.from_rds_secret(secret))
    return settings.database()


def _secrets_provider(settings: Settings) -> Any:
    """Powertools' Secrets Manager provider, each call bounded like the database's."""
    from aws_lambda_powertools.utilities.parameters import SecretsProvider
    from botocore.config import Config

    timeouts = Config(
        connect_timeout=settings.db_connect_timeout_seconds,
        read_timeout=settings.db_connect_timeout_seconds,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return SecretsProvider(boto_config=timeouts)


class MySqlSource:
    """Reads retailers and Aktina's sales from the app's database."""

    def __init__(
        self,
        connection: pymysql.Connection,
        *,
        seller_company: str = "Aktina",
        sale_statuses: tuple[str, ...],
        zone: ZoneInfo,
        stored_zone: ZoneInfo | None = None,
    ) -> None:
        self.connection = connection
        self.seller_company = seller_company
        self.sale_statuses = tuple(sale_statuses)
        self.zone = zone
        self.stored_zone = stored_zone or ZoneInfo("UTC")  # the timestamps' wall clock

    @classmethod
    def from_settings(cls, connection: pymysql.Connection, settings: Settings) -> MySqlSource:
        return cls(
            connection,
            seller_company=settings.seller_company,
            sale_statuses=settings.sale_statuses,
            zone=settings.zone,
            stored_zone=settings.db_zone,
        )

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> tuple[tuple[Any, ...], ...]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def retailer_demographics(self) -> pd.DataFrame:
        """Every retailer's demographics and business fields (no personal data)."""
        frame = pd.DataFrame(list(self._rows(_DEMOGRAPHICS_SQL)), columns=list(DEMOGRAPHIC_COLUMNS))
        typed(frame)
        return frame.fillna(pd.NA) if len(frame) else frame

    def retailer_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Total Aktina sales and order count per retailer (within local days start..end if
        given); 0 for retailers without orders."""
        rows = self._rows(_RETAILER_SALES_SQL, self._bucket_params(start, end))
        frame = pd.DataFrame(list(rows), columns=list(SALES_COLUMNS))
        return frame.astype(
            {"retailer_id": "int64", "total_sales": "float64", "order_count": "Int64"}
        )

    def daily_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Aktina's sales per day of the business timezone, zero-filled between sales days."""
        params = self._bucket_params(start, end)
        rows = self._rows(_BUCKETED_SALES_SQL, params)
        if not rows:
            return empty_daily_frame()
        buckets = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
        amounts = np.fromiter((r[1] for r in rows), dtype="float64", count=len(rows))
        return daily_frame(self._instants(buckets * params["bucket"]), amounts, self.zone)

    def segment_daily_sales(
        self, segments: Mapping[int, int], start: date | None = None, end: date | None = None
    ) -> dict[int, pd.DataFrame]:
        """Aktina's daily sales per segment (retailer id → segment id), as :meth:`daily_sales`."""
        buyers: dict[int, list[int]] = {}
        for retailer, user in self._rows(_RETAILER_USERS_SQL):
            if retailer in segments:
                buyers.setdefault(int(segments[retailer]), []).append(int(user))
        if not buyers:
            return {}
        params = self._bucket_params(start, end)
        params |= {f"segment_{s}": tuple(users) for s, users in buyers.items()}
        whens = " ".join(_SEGMENT_WHEN.format(i=s) for s in buyers)  # ints: ours, not input
        rows = self._rows(_SEGMENT_BUCKETED_SALES_SQL.format(whens=whens), params)
        ids = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
        buckets = np.fromiter((r[1] for r in rows), dtype="int64", count=len(rows))
        amounts = np.fromiter((r[2] for r in rows), dtype="float64", count=len(rows))
        return {
            int(segment): daily_frame(
                self._instants(buckets[ids == segment] * params["bucket"]),
                amounts[ids == segment],
                self.zone,
            )
            for segment in np.unique(ids[ids >= 0])  # -1: a buyer in no segment
        }

    def products(self) -> pd.DataFrame:
        """The catalogue (``products``); an empty frame when the table does not exist."""
        try:
            rows = self._rows(_PRODUCTS_SQL)
        except pymysql.err.ProgrammingError as exc:
            if exc.args and exc.args[0] == _NO_SUCH_TABLE:
                return empty_products_frame()
            raise
        columns = ["id", *PRODUCT_COLUMNS[1:]]
        return products_frame(pd.DataFrame(list(rows), columns=columns))

    def daily_units(self, start: date | None = None, end: date | None = None) -> DailyUnits:
        """Units per product and day of the business timezone, from the sales' ``items``."""
        timed = self._rows(_ORDER_ITEMS_SQL, self._bucket_params(start, end))
        rows = [r for r in timed if r[0] is not None]  # an order without created_at has no day
        stored = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
        prices = np.fromiter((r[1] for r in rows), dtype="float64", count=len(rows))
        return units_from_orders(
            self._instants(stored),
            prices,
            [r[2] for r in rows],
            self.products(),
            self.zone,
        )

    def _bucket_params(self, start: date | None, end: date | None) -> dict[str, Any]:
        """Bucket size and [from, to) of local days start..end as stored wall-clock times."""
        stored_from, stored_to = stored_bounds(self.zone, self.stored_zone, start, end)
        return self._sales_params() | {
            "bucket": min(bucket_seconds(self.zone), bucket_seconds(self.stored_zone)),
            "stored_from": stored_from and stored_from.strftime("%Y-%m-%d %H:%M:%S"),
            "stored_to": stored_to and stored_to.strftime("%Y-%m-%d %H:%M:%S"),
        }

    def _instants(self, stored_seconds: np.ndarray) -> np.ndarray:
        """UTC epoch seconds of bucket starts read as stored wall-clock times."""
        return wall_clock_epochs(stored_seconds, self.stored_zone)

    def sale_days(self) -> tuple[date, date] | None:
        """First and last day (business timezone) with an Aktina sale; None without sales."""
        sellers = tuple(row[0] for row in self._rows(_SELLERS_SQL, self._sales_params()))
        if not sellers:
            return None
        rows = self._rows(_SALE_DAYS_SQL, self._sales_params() | {"sellers": sellers})
        if not rows:
            return None
        first = min(int(row[0]) for row in rows)
        last = max(int(row[1]) for row in rows)
        stamps = wall_clock_epochs(np.array([first, last]), self.stored_zone)
        return local_day(int(stamps[0]), self.zone), local_day(int(stamps[1]), self.zone)

    def _sales_params(self) -> dict[str, Any]:
        return {"company": self.seller_company, "statuses": self.sale_statuses}


def bucket_seconds(zone: ZoneInfo) -> int:
    """An hour, or 15 minutes for zones whose UTC offset is not a whole hour (e.g. +05:45)."""
    offsets = {
        (datetime(year, month, 1, tzinfo=zone).utcoffset() or timedelta()).total_seconds()
        for year in range(1990, 2041)
        for month in (1, 4, 7, 10)
    }
    return 3600 if all(offset % 3600 == 0 for offset in offsets) else 900
