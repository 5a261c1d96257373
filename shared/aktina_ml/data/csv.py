"""CSV files as a :class:`~aktina_ml.data.source.SalesSource`, for local runs and user exports.

Two shapes are understood:

* table exports (``users.csv``, ``retailers.csv``, ``orders.csv`` with the tables' column
  names, as ``aktina-ml demo-data`` writes them, and ``products.csv``): sales are computed
  from the orders with the same rules as the SQL (seller company, counted statuses,
  business-timezone days), units from the orders' ``items`` column (JSON text);
* the Laravel app's sample files: retailers with a ``total_sales`` column (missing columns
  allowed) and a ``date,amount`` daily sales file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from aktina_ml.config import DEFAULT_SALE_STATUSES
from aktina_ml.data.files import file_problem
from aktina_ml.data.retailer_columns import ENUMS
from aktina_ml.data.source import (
    DEMOGRAPHIC_COLUMNS,
    DailyUnits,
    daily_frame,
    empty_products_frame,
    products_frame,
    typed,
    units_from_orders,
    utc_bounds,
    zero_filled,
)


class CsvSourceError(ValueError):
    """A CSV file is missing, or lacks what is needed."""


class CsvSource:
    """Reads retailers and sales from CSV files; any file may be omitted if not needed."""

    def __init__(
        self,
        *,
        retailers: str | Path | None = None,
        orders: str | Path | None = None,
        users: str | Path | None = None,
        sales: str | Path | None = None,
        products: str | Path | None = None,
        seller_company: str = "Aktina",
        sale_statuses: tuple[str, ...] = DEFAULT_SALE_STATUSES,
        zone: ZoneInfo | None = None,
        stored_zone: ZoneInfo | None = None,
    ) -> None:
        self.retailers_path = retailers
        self.orders_path = orders
        self.users_path = users
        self.sales_path = sales
        self.products_path = products
        self.seller_company = seller_company
        self.sale_statuses = tuple(sale_statuses)
        self.zone = zone or ZoneInfo("UTC")
        self.stored_zone = stored_zone or ZoneInfo("UTC")  # zone of created_at without offset

    @classmethod
    def from_directory(cls, directory: str | Path, **options: Any) -> CsvSource:
        """The table exports in ``directory`` (users.csv, retailers.csv, orders.csv,
        products.csv)."""
        folder = Path(directory)
        found: dict[str, Any] = {
            name: folder / f"{name}.csv"
            for name in ("users", "retailers", "orders", "sales", "products")
            if (folder / f"{name}.csv").exists()
        }
        if not found:
            raise CsvSourceError(f"{folder}: no users.csv, retailers.csv, orders.csv or sales.csv")
        return cls(**found, **options)

    def retailer_demographics(self) -> pd.DataFrame:
        raw = self._retailers
        _check_enums(raw, self.retailers_path)
        frame = pd.DataFrame(index=raw.index)
        for column in DEMOGRAPHIC_COLUMNS:
            source = "id" if column == "retailer_id" else column
            frame[column] = raw.get(source, pd.NA)
        typed(frame, coerce=True)
        text_columns = [c for c in DEMOGRAPHIC_COLUMNS if frame[c].dtype == object]
        frame[text_columns] = frame[text_columns].astype("string").astype(object)
        return frame.fillna(pd.NA).sort_values("retailer_id", ignore_index=True)

    def retailer_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """Sales per retailer (within local days start..end if given, with the orders file;
        a ``total_sales`` column has no dates and is read whole)."""
        retailers = self._retailers
        if self.orders_path is None:
            if "total_sales" not in retailers:
                raise CsvSourceError(
                    f"{self.retailers_path}: needs a total_sales column, or give orders and users"
                )
            totals = pd.to_numeric(retailers["total_sales"], errors="coerce").fillna(0.0)
            frame = pd.DataFrame(
                {"retailer_id": retailers["id"], "total_sales": totals, "order_count": pd.NA}
            )
        else:
            orders = self._counted_orders
            if start is not None or end is not None:
                orders = orders[self._window(orders, start, end)[1]]
            per_buyer = orders.groupby("buyer_id")["price"].agg(["sum", "count"])
            joined = retailers[["id", "user_id"]].join(per_buyer, on="user_id")
            frame = pd.DataFrame(
                {
                    "retailer_id": joined["id"],
                    "total_sales": joined["sum"].fillna(0.0),
                    "order_count": joined["count"].fillna(0),
                }
            )
        frame = frame.astype(
            {"retailer_id": "int64", "total_sales": "float64", "order_count": "Int64"}
        )
        return frame.sort_values("retailer_id", ignore_index=True)

    def daily_sales(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        if self.orders_path is not None:
            return self._daily(self._counted_orders, start, end)
        if self.sales_path is None:
            raise CsvSourceError("daily sales need orders.csv and users.csv, or a date,amount file")
        return read_daily_sales_csv(self.sales_path, start, end)

    def segment_daily_sales(
        self, segments: Mapping[int, int], start: date | None = None, end: date | None = None
    ) -> dict[int, pd.DataFrame]:
        """Daily sales per segment (retailer id → segment id); needs the table exports."""
        if self.orders_path is None:
            raise CsvSourceError("per-segment sales need orders.csv, users.csv and retailers.csv")
        retailers = self._retailers[["id", "user_id"]]
        segment_of_user = pd.Series(
            retailers["id"].map(segments).to_numpy(), index=retailers["user_id"]
        ).dropna()
        orders = self._counted_orders
        segment = orders["buyer_id"].map(segment_of_user)
        return {
            int(s): self._daily(orders[segment == s], start, end)
            for s in sorted(segment.dropna().unique())
        }

    def _daily(self, orders: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
        seconds, keep = self._window(orders, start, end)
        return daily_frame(seconds, orders["price"].to_numpy()[keep], self.zone)

    def _window(
        self, orders: pd.DataFrame, start: date | None, end: date | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """UTC epoch seconds of the orders within local days start..end, and which they are."""
        stamps = _instants(orders["created_at"], self.stored_zone)
        utc_from, utc_to = utc_bounds(self.zone, start, end)
        keep = np.ones(len(orders), dtype=bool)
        if utc_from is not None:
            keep &= (stamps >= utc_from).to_numpy()
        if utc_to is not None:
            keep &= (stamps < utc_to).to_numpy()
        return stamps[keep].astype("int64").to_numpy() // 10**9, keep

    def products(self) -> pd.DataFrame:
        """The catalogue from products.csv (its table columns); none given: an empty frame."""
        if self.products_path is None:
            return empty_products_frame()
        return products_frame(_read(self.products_path))

    def daily_units(self, start: date | None = None, end: date | None = None) -> DailyUnits:
        """Units per product and day from orders.csv's ``items`` (an order without the column
        counts as ``missing``); needs the table exports."""
        if self.orders_path is None:
            raise CsvSourceError("units per product need orders.csv and users.csv")
        orders = self._counted_orders
        seconds, keep = self._window(orders, start, end)
        items = orders["items"] if "items" in orders else pd.Series(None, index=orders.index)
        return units_from_orders(
            seconds,
            orders["price"].to_numpy()[keep],
            items[keep].tolist(),
            self.products(),
            self.zone,
        )

    def sale_days(self) -> tuple[date, date] | None:
        """First and last day with sales in the orders or the date,amount file, else None."""
        if self.orders_path is None and self.sales_path is None:
            return None
        daily = self.daily_sales()  # in memory already: as cheap as a minimum and maximum
        if daily.empty:
            return None
        return daily["date"].iloc[0].date(), daily["date"].iloc[-1].date()

    @cached_property  # read once: training asks for demographics and sales
    def _retailers(self) -> pd.DataFrame:
        if self.retailers_path is None:
            raise CsvSourceError("no retailers file given")
        frame = _read(self.retailers_path)
        if "id" not in frame:
            raise CsvSourceError(f"{self.retailers_path}: needs an id column")
        return frame

    @cached_property  # read once: both models train from the same orders
    def _counted_orders(self) -> pd.DataFrame:
        if self.users_path is None or self.orders_path is None:
            raise CsvSourceError("orders.csv needs users.csv to know which sellers are Aktina")
        users = _read(self.users_path)
        orders = _read(self.orders_path)
        sellers = users.loc[users["company_name"] == self.seller_company, "id"]
        counted = orders["seller_id"].isin(sellers) & orders["status"].isin(self.sale_statuses)
        columns = ["buyer_id", "price", "created_at", *(["items"] if "items" in orders else [])]
        selected = orders.loc[counted, columns].copy()
        selected["price"] = pd.to_numeric(selected["price"]).astype("float64")
        return selected


def read_daily_sales_csv(
    path: str | Path, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """A ``date,amount`` file (the app's sample shape): one row per day, gaps as 0.

    Refused, naming the line: a date that is not YYYY-MM-DD, an amount that is not a number
    or is negative, a date given twice (a daily file has one total per day).
    """
    frame = _read(path)
    missing = {"date", "amount"} - set(frame.columns)
    if missing:
        raise CsvSourceError(
            f"{path}: missing column(s) {sorted(missing)}; expected a header line date,amount"
        )
    dates = pd.to_datetime(frame["date"], errors="coerce", format="%Y-%m-%d")
    amounts = pd.to_numeric(frame["amount"], errors="coerce")
    bad = frame.index[dates.isna() | amounts.isna()]
    if len(bad):
        raise CsvSourceError(
            f"{path}: line {_line(bad[0])}: date must be YYYY-MM-DD and amount a number"
        )
    negative = frame.index[amounts < 0]
    if len(negative):
        row = negative[0]
        raise CsvSourceError(
            f"{path}: line {_line(row)}: amount {frame['amount'][row]} is negative; "
            "sales are amounts of 0 or more"
        )
    repeated = frame.index[dates.duplicated()]
    if len(repeated):
        row = repeated[0]
        first = frame.index[dates == dates[row]][0]
        raise CsvSourceError(
            f"{path}: line {_line(row)}: date {frame['date'][row]} is already on line "
            f"{_line(first)}; give one total per day"
        )
    per_day = amounts.groupby(dates).sum()
    if start is not None:
        per_day = per_day[per_day.index >= pd.Timestamp(start)]
    if end is not None:
        per_day = per_day[per_day.index <= pd.Timestamp(end)]
    return zero_filled(per_day)


def _instants(created_at: pd.Series, stored_zone: ZoneInfo) -> pd.Series:
    """UTC instants of ``created_at``; times without an offset are ``stored_zone``'s."""
    stamps = pd.to_datetime(created_at)
    if stamps.dt.tz is not None:
        return stamps.dt.tz_convert("UTC")
    return stamps.dt.tz_localize(
        stored_zone, ambiguous=np.zeros(len(stamps), dtype=bool), nonexistent="shift_forward"
    ).dt.tz_convert("UTC")


def _first_non_utf8(file: Path) -> str:
    """Where a file stops being UTF-8: its line and the byte."""
    with file.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return f"line {number} is not UTF-8 text (byte 0x{line[exc.start]:02x})"
    return "not UTF-8 text"


def _check_enums(retailers: pd.DataFrame, path: str | Path | None) -> None:
    """Enum columns hold the app's values (any case, blank = unknown); else name the line."""
    for column, allowed in ENUMS.items():
        if column not in retailers:
            continue
        values = retailers[column]
        text = values.astype("string").str.strip().str.lower()
        wrong = retailers.index[values.notna() & (text != "") & ~text.isin(allowed)]
        if len(wrong):
            row = wrong[0]
            raise CsvSourceError(
                f"{path}: line {_line(row)}: {column} {values[row]!r} is not one of "
                f"{', '.join(allowed)} (leave it empty when unknown)"
            )


def _line(row: Any) -> int:
    """The file's 1-based line number of a frame row (a RangeIndex label, after the header)."""
    return int(row) + 2


def _read(path: str | Path) -> pd.DataFrame:
    """A comma-separated UTF-8 file (a byte-order mark allowed); every problem names the file."""
    file = Path(path)
    problem = file_problem(file)
    if problem:
        raise CsvSourceError(problem)
    try:
        frame = pd.read_csv(
            file, keep_default_na=True, na_values=["", "NULL", "\\N"], encoding="utf-8-sig"
        )
    except FileNotFoundError:  # removed since the check above
        raise CsvSourceError(file_problem(file) or f"{path}: no such file") from None
    except PermissionError:
        raise CsvSourceError(f"{path}: cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise CsvSourceError(f"{path}: {_first_non_utf8(file)}; save it as CSV UTF-8") from None
    except pd.errors.EmptyDataError:
        raise CsvSourceError(f"{path}: the file is empty; it needs a header line") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        raise CsvSourceError(f"{path}: not a readable CSV file ({detail})") from None
    if len(frame.columns) == 1:
        header = str(frame.columns[0])
        for name, separator in (("semicolons", ";"), ("tabs", "\t"), ("'|'", "|")):
            if separator in header:
                raise CsvSourceError(
                    f"{path}: the columns are separated by {name}, not commas; "
                    "save it as comma-separated CSV"
                )
    return frame
