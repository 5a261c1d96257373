"""The order lines in ``orders.items``, read for many orders at once, and what was wrong.

The app stores ``items`` as a JSON list of ``{"product_id", "quantity", "unit_price",
"total"}`` (1–4 lines an order; ``orders.price`` is the sum of the lines' totals). Its
seeder passes a JSON *string* to a column the model casts to an array, so the stored value
can be that list encoded twice; it is read like the list. Nothing here raises on data: each
order or line that cannot be used is counted under one of :data:`PROBLEMS` and left out.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# Per order: ``missing`` (NULL, empty text or an empty list), ``malformed`` (not JSON),
# ``not_a_list`` (JSON, but not a list of lines), ``price_mismatch`` (its lines' totals differ
# from ``price`` by more than 1 % and more than 0.01). Per line: ``bad_line`` (not an object,
# no positive integer product_id, or a quantity that is not a positive integer; either
# beyond 2**53 counts as unreadable), ``unknown_product``
# (a product id that is not in the catalogue).
PROBLEMS = ("missing", "malformed", "not_a_list", "bad_line", "unknown_product", "price_mismatch")
LINE_COLUMNS = ("order_id", "product_id", "quantity", "total")
PRICE_TOLERANCE = 0.01  # relative: 1 %
MAX_INTEGER = 2**53  # larger ids and quantities are no real line (and exceed a float's integers)
PRICE_TOLERANCE_ABSOLUTE = 0.01  # a cent


@dataclass(frozen=True)
class ParsedItems:
    """The readable lines (:data:`LINE_COLUMNS`; ``total`` NaN where a line gives none) and
    the count of each problem (every key of :data:`PROBLEMS`, zeros included)."""

    lines: pd.DataFrame
    problems: dict[str, int]
    orders: int
    double_encoded: int = 0  # orders whose list was stored as a JSON string (read anyway)


def parse_items(
    order_ids: Sequence[int] | np.ndarray,
    items: Sequence[Any],
    prices: Sequence[float] | np.ndarray | None = None,
    known_products: Collection[int] | None = None,
) -> ParsedItems:
    """The lines of each order's ``items`` (text, bytes or already decoded), checked.

    ``prices``: each order's ``price``, to count the orders whose lines disagree with it.
    ``known_products``: the catalogue's ids; lines naming another id are counted and left
    out (None, or empty: no catalogue to check against, every id is kept).
    """
    problems = dict.fromkeys(PROBLEMS, 0)
    raw, double_encoded = _raw_lines(items, problems)
    lines = _checked_lines(raw, np.asarray(order_ids), problems)
    if prices is not None:
        problems["price_mismatch"] = _price_mismatches(lines, raw, np.asarray(prices, "float64"))
    if known_products:
        known = lines["product_id"].isin(np.fromiter(known_products, dtype="int64"))
        problems["unknown_product"] = int((~known).sum())
        lines = lines[known.to_numpy()]
    return ParsedItems(
        lines=lines.drop(columns="position").reset_index(drop=True),
        problems=problems,
        orders=len(items),
        double_encoded=double_encoded,
    )


def _decoded(value: Any) -> tuple[Any, bool]:
    """``value`` as decoded JSON and whether it was a JSON string holding JSON; raises
    ValueError for text that is not JSON."""
    if isinstance(value, bytes | bytearray):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return value, False
    decoded = json.loads(value)
    if isinstance(decoded, str) and decoded.strip():
        try:
            return json.loads(decoded), True
        except ValueError:
            return decoded, False
    return decoded, False


def _raw_lines(items: Iterable[Any], problems: dict[str, int]) -> tuple[pd.DataFrame, int]:
    """One row per line of every order that holds a list: its order's position and the raw
    values (objects), plus ``is_object``; counts the orders without a usable list."""
    positions: list[int] = []
    values: list[Any] = []
    double_encoded = 0
    for position, value in enumerate(items):
        if _is_missing(value):
            problems["missing"] += 1
            continue
        try:
            decoded, twice = _decoded(value)
        except ValueError:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            problems["malformed"] += 1
            continue
        if not isinstance(decoded, list):
            problems["not_a_list"] += 1
            continue
        if not decoded:
            problems["missing"] += 1
            continue
        double_encoded += twice
        positions.extend([position] * len(decoded))
        values.extend(decoded)
    is_object = np.fromiter((isinstance(v, dict) for v in values), bool, len(values))

    def field(name: str) -> list[Any]:
        return [v.get(name) if isinstance(v, dict) else None for v in values]

    raw = pd.DataFrame(
        {
            "position": np.asarray(positions, dtype="int64"),
            "is_object": is_object,
            "product_id": pd.Series(field("product_id"), dtype=object),
            "quantity": pd.Series(field("quantity"), dtype=object),
            "unit_price": pd.Series(field("unit_price"), dtype=object),
            "total": pd.Series(field("total"), dtype=object),
        }
    )
    return raw, double_encoded


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str | bytes | bytearray) and not value.strip()


def _integers(values: pd.Series) -> pd.Series:
    """Whole numbers as float (NaN for anything else: text that is no integer, 2.5, True)."""
    booleans = values.map(lambda v: isinstance(v, bool))
    numbers = pd.to_numeric(values.where(~booleans.astype(bool)), errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers) & (numbers == np.floor(numbers)))


def _numbers(values: pd.Series) -> pd.Series:
    booleans = values.map(lambda v: isinstance(v, bool))
    numbers = pd.to_numeric(values.where(~booleans.astype(bool)), errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))


def _checked_lines(
    raw: pd.DataFrame, order_ids: np.ndarray, problems: dict[str, int]
) -> pd.DataFrame:
    """The lines with an integer product id and a positive integer quantity; ``total`` is the
    line's own, else quantity × unit_price, else NaN. Counts the others as ``bad_line``."""
    product = _integers(raw["product_id"])
    quantity = _integers(raw["quantity"])
    readable = (product > 0) & (product <= MAX_INTEGER) & (quantity > 0) & (quantity <= MAX_INTEGER)
    good = (raw["is_object"] & readable).to_numpy()
    problems["bad_line"] = int((~good).sum())
    total = _numbers(raw["total"]).fillna(quantity * _numbers(raw["unit_price"]))
    positions = raw["position"].to_numpy()[good]
    return pd.DataFrame(
        {
            "order_id": order_ids.astype("int64")[positions],
            "product_id": product.to_numpy()[good].astype("int64"),
            "quantity": quantity.to_numpy()[good].astype("int64"),
            "total": total.to_numpy()[good].astype("float64"),
            "position": positions,
        }
    )


def _price_mismatches(lines: pd.DataFrame, raw: pd.DataFrame, prices: np.ndarray) -> int:
    """Orders whose every line was read, each with a total, whose totals' sum is off ``price``
    by more than 1 % and a cent (an order with a bad line is already counted for that line)."""
    if lines.empty:
        return 0
    read = raw.groupby("position").size()
    kept = lines.groupby("position").agg(count=("total", "size"), total=("total", "sum"))
    with_totals = lines["total"].notna().groupby(lines["position"]).all()
    complete = (kept["count"] == read.reindex(kept.index)).to_numpy() & with_totals.to_numpy()
    price = prices[kept.index.to_numpy()]
    gap = np.abs(kept["total"].to_numpy() - price)
    off = (gap > PRICE_TOLERANCE * np.abs(price)) & (gap > PRICE_TOLERANCE_ABSOLUTE)
    return int((complete & np.isfinite(price) & off).sum())
