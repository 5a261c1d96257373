"""The interface every data source offers, and the frames it returns.

Frames (pandas):

* ``retailer_demographics()``: one row per retailer, columns :data:`DEMOGRAPHIC_COLUMNS`
  (``retailer_id`` first; :mod:`.retailer_columns`). Raw values: enums as strings,
  ``annual_revenue`` and ``employee_count`` as the app stores them (free text), NULL as NA.
* ``retailer_sales(start, end)``: ``retailer_id``, ``total_sales`` (float, Aktina sales with a
  counted status, within the optional inclusive window of local days), ``order_count``
  (nullable int: NA when a file only gives totals). Every retailer
  appears; a retailer without orders has 0.
* ``daily_sales(start, end)``: ``date`` (datetime64, a day in the business timezone),
  ``amount`` (float), one row per day from the first to the last day with sales within the
  optional inclusive window, days without sales as 0.
* ``segment_daily_sales(segments, start, end)``: the same per segment, for a mapping
  retailer id → segment id; segments without sales in the window are absent.

And ``sale_days()``: the first and last day (business timezone) with a counted Aktina sale,
or None; one cheap query where :meth:`daily_sales` would aggregate every order.

Demand in units:

* ``products()``: the catalogue, columns :data:`PRODUCT_COLUMNS` (``product_id`` int, the
  rest text or NA); no ``products`` table or file gives an empty frame.
* ``daily_units(start, end)``: :class:`DailyUnits`, the units of each product sold per day
  (the same orders, statuses and days as ``daily_sales``), read from ``orders.items``
  (:mod:`aktina_ml.data.order_items`) with the count of what could not be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from aktina_ml.data import retailer_columns
from aktina_ml.data.order_items import parse_items

DEMOGRAPHIC_COLUMNS = retailer_columns.NAMES
SALES_COLUMNS = ("retailer_id", "total_sales", "order_count")
PRODUCT_COLUMNS = ("product_id", "name", "model", "sku", "category", "target_market")
UNIT_COLUMNS = ("date", "product_id", "units")


@dataclass(frozen=True)
class DailyUnits:
    """Units sold per product and day: ``frame`` (:data:`UNIT_COLUMNS`; each product from its
    first sale day to the last day with any sale, days without its sales as 0), the counts
    of unreadable orders and lines (``problems``, :data:`~.order_items.PROBLEMS`), the orders
    read and the lines kept."""

    frame: pd.DataFrame
    problems: dict[str, int]
    orders: int
    lines: int
    double_encoded: int = 0


class SalesSource(Protocol):
    """Where retailers and Aktina's sales come from (MySQL or CSV files)."""

    def retailer_demographics(self) -> pd.DataFrame: ...

    def retailer_sales(
        self, start: date | None = None, end: date | None = None
    ) -> pd.DataFrame: ...

    def daily_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame: ...

    def segment_daily_sales(
        self, segments: Mapping[int, int], start: date | None = None, end: date | None = None
    ) -> dict[int, pd.DataFrame]: ...

    def sale_days(self) -> tuple[date, date] | None: ...

    def products(self) -> pd.DataFrame: ...

    def daily_units(self, start: date | None = None, end: date | None = None) -> DailyUnits: ...


def typed(frame: pd.DataFrame, coerce: bool = False) -> pd.DataFrame:
    """``frame`` with each typed retailer column (:data:`~.retailer_columns.DTYPES`) parsed;
    ``coerce``: unreadable values become NA (a non-nullable column still raises)."""
    for name, dtype in retailer_columns.DTYPES.items():
        if coerce and dtype != "int64":
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(dtype)
        else:
            frame[name] = pd.to_numeric(frame[name]).astype(dtype)
    return frame


def retailers_with_sales(source: SalesSource) -> pd.DataFrame:
    """Demographics joined with sales: the frame segmentation trains on."""
    sales = source.retailer_sales()
    frame = source.retailer_demographics().merge(sales, on="retailer_id", how="left")
    frame["total_sales"] = frame["total_sales"].fillna(0.0)
    return frame


def utc_bounds(
    zone: ZoneInfo, start: date | None, end: date | None
) -> tuple[datetime | None, datetime | None]:
    """The UTC instants [from, to) that cover local days ``start``..``end`` (inclusive)."""
    return (
        None if start is None else datetime.combine(start, time.min, zone).astimezone(UTC),
        None
        if end is None
        else datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC),
    )


def stored_bounds(
    zone: ZoneInfo, stored_zone: ZoneInfo, start: date | None, end: date | None
) -> tuple[datetime | None, datetime | None]:
    """:func:`utc_bounds` as the (naive) wall-clock times of ``stored_zone`` that the
    database's timestamps hold."""
    utc_from, utc_to = utc_bounds(zone, start, end)
    return (
        None if utc_from is None else utc_from.astimezone(stored_zone).replace(tzinfo=None),
        None if utc_to is None else utc_to.astimezone(stored_zone).replace(tzinfo=None),
    )


def wall_clock_epochs(seconds: np.ndarray, stored_zone: ZoneInfo) -> np.ndarray:
    """Epoch seconds of wall-clock times of ``stored_zone`` given as if they were UTC (what
    UNIX_TIMESTAMP shows in a UTC session for a time the app wrote in its own zone). In a
    daylight-saving fall-back hour the standard-time instant is taken."""
    values = np.asarray(seconds, dtype="int64")
    if stored_zone.key == "UTC" or len(values) == 0:
        return values
    local = pd.to_datetime(values, unit="s").tz_localize(
        stored_zone, ambiguous=np.zeros(len(values), dtype=bool), nonexistent="shift_forward"
    )
    return np.asarray(local.as_unit("s").astype("int64"), dtype="int64")


def local_day(epoch_seconds: int, zone: ZoneInfo) -> date:
    """The day in ``zone`` of an instant given as UTC epoch seconds."""
    return datetime.fromtimestamp(epoch_seconds, UTC).astimezone(zone).date()


def daily_frame(epoch_seconds: np.ndarray, amounts: np.ndarray, zone: ZoneInfo) -> pd.DataFrame:
    """Sum amounts stamped with UTC epoch seconds into local days, zero-filling gaps."""
    if len(epoch_seconds) == 0:
        return empty_daily_frame()
    local = pd.to_datetime(np.asarray(epoch_seconds, dtype="int64"), unit="s", utc=True)
    days = local.tz_convert(zone).tz_localize(None).normalize()
    summed = pd.Series(np.asarray(amounts, dtype="float64"), index=days).groupby(level=0).sum()
    return zero_filled(summed)


def zero_filled(per_day: pd.Series) -> pd.DataFrame:
    """A (date, amount) frame covering every day from the first to the last index value."""
    if per_day.empty:
        return empty_daily_frame()
    full = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    filled = per_day.reindex(full, fill_value=0.0).astype("float64")
    return pd.DataFrame({"date": full, "amount": filled.to_numpy()})


def extend_to(daily: pd.DataFrame, last_day: date) -> pd.DataFrame:
    """``daily`` with zero days appended up to ``last_day`` (sales that stopped are zeros)."""
    if daily.empty or daily["date"].iloc[-1] >= pd.Timestamp(last_day):
        return daily
    per_day = daily.set_index("date")["amount"]
    return zero_filled(pd.concat([per_day, pd.Series([0.0], index=[pd.Timestamp(last_day)])]))


def empty_daily_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.Series([], dtype="datetime64[ns]"), "amount": pd.Series([], dtype="float64")}
    )


def empty_products_frame() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in PRODUCT_COLUMNS})
    return frame.astype({"product_id": "int64"})


def products_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The catalogue from the table's columns (``id`` → ``product_id``), sorted by id; rows
    without a usable id are left out."""
    if "id" not in rows:
        return empty_products_frame()
    ids = pd.to_numeric(rows["id"], errors="coerce")
    frame = pd.DataFrame({"product_id": ids})
    for column in PRODUCT_COLUMNS[1:]:
        values = rows[column] if column in rows else pd.Series(pd.NA, index=rows.index)
        frame[column] = values.astype("string").astype(object)  # text, NA where missing
    frame = frame[ids.notna().to_numpy()].astype({"product_id": "int64"})
    return frame.sort_values("product_id", ignore_index=True)


def units_from_orders(
    epoch_seconds: np.ndarray,
    prices: np.ndarray,
    items: list[object],
    products: pd.DataFrame,
    zone: ZoneInfo,
) -> DailyUnits:
    """:class:`DailyUnits` of orders given by UTC epoch seconds, price and ``items``."""
    positions = np.arange(len(items))  # ids of exported rows need not be unique
    parsed = parse_items(positions, items, prices, set(products["product_id"].tolist()))
    lines = parsed.lines
    counts = {"orders": parsed.orders, "lines": len(lines), "double_encoded": parsed.double_encoded}
    if lines.empty:
        return DailyUnits(empty_units_frame(), parsed.problems, **counts)
    stamps = np.asarray(epoch_seconds, dtype="int64")[lines["order_id"].to_numpy()]
    local = pd.to_datetime(stamps, unit="s", utc=True)
    days = local.tz_convert(zone).tz_localize(None).normalize()
    per_day = lines["quantity"].groupby([days, lines["product_id"].to_numpy()]).sum()
    return DailyUnits(units_frame(per_day), parsed.problems, **counts)


def units_frame(per_day_product: pd.Series) -> pd.DataFrame:
    """Units indexed by (day, product) as :data:`UNIT_COLUMNS`, each product zero-filled from
    its first day to the last day of all."""
    last = per_day_product.index.get_level_values(0).max()
    parts = []
    for product, units in per_day_product.groupby(level=1):
        series = units.droplevel(1)
        full = pd.date_range(series.index.min(), last, freq="D")
        filled = series.reindex(full, fill_value=0).astype("int64")
        parts.append(pd.DataFrame({"date": full, "product_id": product, "units": filled.values}))
    frame = pd.concat(parts, ignore_index=True).astype({"product_id": "int64"})
    return frame.sort_values(["date", "product_id"], ignore_index=True)


def empty_units_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.Series([], dtype="datetime64[ns]"),
            "product_id": pd.Series([], dtype="int64"),
            "units": pd.Series([], dtype="int64"),
        }
    )
