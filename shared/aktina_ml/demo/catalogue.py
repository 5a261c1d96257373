"""Aktina's demo catalogue and the item lines of every order.

What is planted (and kept as ground truth):

* ten products in the app's ``products`` shape (:data:`CATALOGUE`: phones for the flagship,
  mid-range and budget markets, a tablet, a watch, earbuds, a charger), each with a life cycle
  counted back from the last day of history: most sell throughout (each with its own yearly
  season), one was launched 40 days before the end (little history), one was phased out 150
  days before the end (fading over the 120 days before), one grows its share fourfold over the
  last 90 days, exponentially, still growing on the last day (growing fast), and one flagship
  replaced another within the history;
* 1–4 lines per order in the app's ``OrderSeeder`` shape ``{"product_id", "quantity",
  "unit_price", "total"}``: each line takes a share of the order's drawn total, a product that
  is on sale that day (by its life-cycle weight, among those the share affords) at its msrp
  less a dealer discount, and the quantity that share buys (rounded at random, so the
  expected total is the drawn one); ``price`` is then the sum of the lines' totals to the cent,
  so the revenue series keeps its expected shape and the units follow it;
* a handful of Aktina's counted sales whose items are deliberately wrong
  (:data:`PLANTED_PROBLEMS`), each counted under one item-quality key. The app's ``items`` is a
  JSON column (MySQL and MariaDB refuse text that is not JSON, and NULL), so the demo plants
  only what such a column can hold: no malformed JSON and no NULL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SELLER_COMPANY = "Aktina"
LAUNCH_RAMP_DAYS = 10.0  # a launched product reaches 63 % of its weight after this many days
PHASE_OUT_DAYS = 120  # a phased-out product's weight fades to PHASE_OUT_FLOOR over these days
PHASE_OUT_FLOOR = 0.2
GROWTH_DAYS = 90  # a growing product's weight grows exponentially over the last GROWTH_DAYS ...
GROWTH_FACTOR = 4.0  # ... to this multiple (×1.59 a month), still growing on the last day
LINES_SHARE = (0.4, 0.3, 0.2, 0.1)  # orders with 1, 2, 3, 4 lines (before the cap below)
MIN_LINE_SHARE = 250.0  # an order has at most price / MIN_LINE_SHARE lines (1–4)
DISCOUNTS = (0.0, 0.05, 0.10, 0.15, 0.20)  # dealer discount off msrp per line
DISCOUNT_SHARE = (0.2, 0.3, 0.25, 0.15, 0.1)
UNKNOWN_PRODUCT_ID = 999  # a product no longer in the catalogue
CHUNK_LINES = 200_000  # lines per product draw (bounds the lines × products matrix)


@dataclass(frozen=True)
class Product:
    """A catalogue entry: the app's ``products`` columns and its planted life cycle.

    ``launched``/``retired``: days before the last day of history it first/last sold (None:
    before the history began / still on sale); ``weight``: its relative share of lines while
    on sale; ``season``: amplitude of its own yearly season, peaking on day ``peak``."""

    name: str
    model: str
    sku: str
    msrp: float
    category: str
    target_market: str
    description: str
    specifications: dict[str, str] = field(hash=False)
    weight: float
    lifecycle: str  # one of LIFECYCLES
    launched: int | None = None
    retired: int | None = None
    season: float = 0.0
    peak: int = 330


LIFECYCLES = ("steady", "launch", "phased_out", "growing")


def _phone(display: str, chip: str, ram: str, storage: str, battery: str) -> dict[str, str]:
    return {"display": display, "processor": chip, "ram": ram, "storage": storage,
            "battery": battery}  # fmt: skip


# In id order (the app's AUTO_INCREMENT follows creation: older products first).
CATALOGUE: tuple[Product, ...] = (
    Product("Aktina Pro 14", "AKT-PRO-14", "AKT-PRO-14-256", 899.99, "smartphone", "flagship",
            "Last year's flagship, replaced by the Pro 15",
            _phone('6.6" AMOLED, 120Hz', "Snapdragon 8 Gen 2", "12GB", "256GB", "4800mAh"),
            1.0, "phased_out", retired=150, season=0.10, peak=340),
    Product("Aktina Essential 10", "AKT-ESS-10", "AKT-ESS-10-64", 199.99, "smartphone", "budget",
            "Budget-friendly smartphone with reliable performance",
            _phone('6.1" IPS LCD, 60Hz', "MediaTek Helio G85", "4GB", "64GB", "3000mAh"),
            1.4, "steady", season=0.08, peak=240),
    Product("Aktina Lite 12", "AKT-LITE-12", "AKT-LITE-12-128", 449.99, "smartphone",
            "mid-range", "Mid-range smartphone with excellent value",
            _phone('6.4" AMOLED, 90Hz', "MediaTek Dimensity 8200", "8GB", "128GB", "4500mAh"),
            1.3, "steady", season=0.10, peak=250),
    Product("Aktina Tab 10", "AKT-TAB-10", "AKT-TAB-10-128", 599.99, "tablet", "mid-range",
            "Tablet for productivity and entertainment",
            _phone('10.5" IPS LCD, 2K', "MediaTek Dimensity 9000", "8GB", "128GB", "8000mAh"),
            0.6, "steady", season=0.35, peak=345),
    Product("Aktina Watch 3", "AKT-WATCH-3", "AKT-WATCH-3-GPS", 299.99, "smartwatch",
            "mid-range", "Smartwatch with health monitoring",
            {"display": '1.4" AMOLED', "processor": "Qualcomm W5 Gen 1", "storage": "32GB",
             "battery": "400mAh"},
            0.5, "steady", season=0.20, peak=20),
    Product("Aktina Buds Pro", "AKT-BUDS-PRO", "AKT-BUDS-PRO-ANC", 179.99, "earbuds",
            "mid-range", "Wireless earbuds with active noise cancellation",
            {"drivers": "11mm dynamic", "anc": "Active noise cancellation",
             "battery": "6h + 24h case"},
            0.6, "steady", season=0.30, peak=350),
    Product("Aktina Power 25W", "AKT-CHG-25W", "AKT-CHG-25W-USBC", 24.99, "accessory", "budget",
            "USB-C fast charger for every Aktina phone",
            {"output": "25W USB-C PD", "cable": "1m USB-C"},
            0.05, "steady"),
    Product("Aktina Pro 15", "AKT-PRO-15", "AKT-PRO-15-256", 999.99, "smartphone", "flagship",
            "Flagship smartphone with cutting-edge technology",
            _phone('6.7" AMOLED, 120Hz', "Snapdragon 8 Gen 3", "12GB", "256GB", "5000mAh"),
            1.1, "steady", launched=700, season=0.12, peak=340),
    Product("Aktina Lite 13", "AKT-LITE-13", "AKT-LITE-13-256", 499.99, "smartphone",
            "mid-range", "The Lite 12's successor: more storage, a brighter screen",
            _phone('6.5" AMOLED, 120Hz', "MediaTek Dimensity 8300", "8GB", "256GB", "4800mAh"),
            0.5, "growing", launched=300, season=0.10, peak=250),
    Product("Aktina Pro 16", "AKT-PRO-16", "AKT-PRO-16-512", 1099.99, "smartphone", "flagship",
            "The new flagship: titanium frame, periscope camera",
            _phone('6.8" LTPO AMOLED, 144Hz', "Snapdragon 8 Elite", "16GB", "512GB", "5200mAh"),
            1.0, "launch", launched=40, season=0.12, peak=340),
)  # fmt: skip


@dataclass(frozen=True)
class PlantedProblem:
    """Deliberately wrong items in ``orders`` of Aktina's counted sales: what is wrong, and
    the item-quality key a reader counts it under (None: read as good lines)."""

    kind: str
    orders: int
    counted_as: str | None
    per_order: int  # how many the reader counts per order (lines for line keys)
    what: str


PLANTED_PROBLEMS: tuple[PlantedProblem, ...] = (
    PlantedProblem("empty_list", 2, "missing", 1, "items is [] (the order's price is kept)"),
    PlantedProblem("lone_object", 2, "not_a_list", 1, "the first line alone, not in a list"),
    PlantedProblem("zero_quantity", 2, "bad_line", 1,
                   "the first line has quantity 0 and total 0 (price = the other lines)"),
    PlantedProblem("sku_as_product_id", 2, "bad_line", 1,
                   "the first line names its product by SKU text instead of its id"),
    PlantedProblem("unknown_product", 3, "unknown_product", 1,
                   f"the first line names product {UNKNOWN_PRODUCT_ID}, not in the catalogue"),
    PlantedProblem("price_mismatch", 3, "price_mismatch", 1,
                   "price is 10 % above the sum of the lines' totals"),
    PlantedProblem("double_encoded", 4, None, 0,
                   "the list stored as a JSON string, as the app's seeders store it"),
)  # fmt: skip
# Orders with at least this many lines are chosen, so a changed first line leaves others.
_PLANT_MIN_LINES = 2
# Below this many candidate orders (tiny datasets) nothing is planted.
_PLANT_MIN_CANDIDATES = 200


def expected_item_problems() -> dict[str, int]:
    """What a reader of the items should count on demo data (every key, zeros included):
    ``missing``, ``malformed``, ``not_a_list``, ``bad_line``, ``unknown_product``,
    ``price_mismatch`` (the contract's keys), when the dataset had enough orders to plant."""
    counts = dict.fromkeys(
        ("missing", "malformed", "not_a_list", "bad_line", "unknown_product", "price_mismatch"), 0
    )
    for problem in PLANTED_PROBLEMS:
        if problem.counted_as is not None:
            counts[problem.counted_as] += problem.orders * problem.per_order
    return counts


def product_weights(days: pd.DatetimeIndex) -> np.ndarray:
    """Each product's relative weight per day (days × products): its base weight and season,
    0 before its launch and after its retirement, ramping up after a launch, fading before a
    retirement, growing over the last :data:`GROWTH_DAYS` for a growing product."""
    n = len(days)
    t = np.arange(n, dtype="float64")
    last = n - 1
    angle = 2 * np.pi * days.dayofyear.to_numpy() / 365.25
    weights = np.empty((n, len(CATALOGUE)))
    for j, product in enumerate(CATALOGUE):
        w = product.weight * (
            1.0 + product.season * np.cos(angle - 2 * np.pi * product.peak / 365.25)
        )
        if product.launched is not None:
            age = t - (last - product.launched)
            w = w * np.where(age >= 0, 1.0 - np.exp(-(age + 1.0) / LAUNCH_RAMP_DAYS), 0.0)
        if product.retired is not None:
            to_go = (last - product.retired) - t
            fade = np.clip(PHASE_OUT_FLOOR + (1 - PHASE_OUT_FLOOR) * to_go / PHASE_OUT_DAYS, 0, 1)
            w = w * np.where(to_go >= 0, fade, 0.0)
        if product.lifecycle == "growing":
            ramp = np.clip((t - (last - GROWTH_DAYS)) / GROWTH_DAYS, 0.0, 1.0)
            w = w * GROWTH_FACTOR**ramp
        weights[:, j] = w
    return weights


@dataclass(frozen=True)
class OrderItems:
    """Each order's ``items`` JSON text and ``price`` (sum of its lines' totals), the lines
    as generated (ground truth before any planted problem) and the planted problems."""

    items: np.ndarray  # object array of JSON text
    price: np.ndarray  # float64, whole cents
    lines: pd.DataFrame  # order (position), product_id, quantity, unit_price, total
    planted: pd.DataFrame  # order (position), kind, counted_as


def order_items(
    rng: np.random.Generator,
    order_days: np.ndarray,
    totals: np.ndarray,
    days: pd.DatetimeIndex,
    plantable: np.ndarray,
) -> OrderItems:
    """Lines for orders placed on day indexes ``order_days`` (of ``days``) that are worth
    about ``totals``; problems are planted among the ``plantable`` orders (a boolean mask)."""
    n = len(totals)
    k_max = np.clip(totals // MIN_LINE_SHARE, 1, 4).astype("int64")
    k = np.minimum(rng.choice(4, size=n, p=LINES_SHARE) + 1, k_max)
    order = np.repeat(np.arange(n), k)
    gamma = rng.gamma(3.0, size=len(order))
    share = totals[order] * gamma / np.bincount(order, gamma, minlength=n)[order]
    discount = np.asarray(DISCOUNTS)[rng.choice(len(DISCOUNTS), size=len(order), p=DISCOUNT_SHARE)]
    msrp_cents = np.round(np.array([p.msrp for p in CATALOGUE]) * 100).astype("int64")
    product = _draw_products(rng, product_weights(days)[order_days[order]], share, discount,
                             msrp_cents)  # fmt: skip
    unit = np.round(msrp_cents[product] * (1.0 - discount)).astype("int64")
    bought = share * 100 / unit
    whole = np.floor(bought)
    quantity = np.maximum(1, whole + (rng.random(len(order)) < bought - whole)).astype("int64")
    total = quantity * unit
    lines = pd.DataFrame(
        {"order": order, "product_id": product + 1, "quantity": quantity,
         "unit_cents": unit, "total_cents": total}
    )  # fmt: skip
    price_cents = np.bincount(order, total, minlength=n).astype("int64")
    items = _items_text(lines, n)
    planted = _plant(rng, lines, items, price_cents, plantable & (k >= _PLANT_MIN_LINES))
    truth = pd.DataFrame(
        {"order": order, "product_id": lines["product_id"], "quantity": quantity,
         "unit_price": unit / 100, "total": total / 100}
    )  # fmt: skip
    return OrderItems(items, price_cents / 100, truth, planted)


def _draw_products(
    rng: np.random.Generator,
    weights: np.ndarray,
    share: np.ndarray,
    discount: np.ndarray,
    msrp_cents: np.ndarray,
) -> np.ndarray:
    """Per line: a product by its weight that day among those whose discounted price the
    line's share affords (the cheapest product on sale when none does). 0-based."""
    chosen = np.empty(len(share), dtype="int64")
    draws = rng.random(len(share))
    for start in range(0, len(share), CHUNK_LINES):
        part = slice(start, start + CHUNK_LINES)
        live = weights[part]
        price = msrp_cents[None, :] * (1.0 - discount[part, None])
        w = live * (price <= share[part, None] * 100)
        cumulative = np.cumsum(w, axis=1)
        total = cumulative[:, -1]
        pick = (draws[part, None] * total[:, None] < cumulative).argmax(axis=1)
        cheapest = np.where(live > 0, msrp_cents[None, :], np.iinfo("int64").max).argmin(axis=1)
        chosen[part] = np.where(total > 0, pick, cheapest)
    return chosen


def _json_lines(
    product: list[Any], quantity: list[int], unit_cents: list[int], total_cents: list[int]
) -> list[str]:
    """Lines as the app writes them, one JSON object each; ``product`` holds ids, or JSON
    text (``'"AKT-PRO-15-256"'``) where a problem is planted. Money with two decimals."""
    return [
        f'{{"product_id": {p}, "quantity": {q}, "unit_price": {u // 100}.{u % 100:02d}, '
        f'"total": {t // 100}.{t % 100:02d}}}'
        for p, q, u, t in zip(product, quantity, unit_cents, total_cents, strict=True)
    ]


def _items_text(lines: pd.DataFrame, n: int) -> np.ndarray:
    """The JSON list of each of the ``n`` orders' lines (every order has a line; lines
    grouped by order), written as one text (an order's list, a newline, the next …)."""
    order = lines["order"].to_numpy()
    opens = np.where(np.r_[True, order[1:] != order[:-1]], "[", ", ").tolist()
    closes = np.where(np.r_[order[1:] != order[:-1], True], "]\n", "").tolist()
    text = _json_lines(*(lines[c].to_numpy().tolist() for c in _LINE_FIELDS))
    joined = "".join([f"{o}{line}{c}" for o, line, c in zip(opens, text, closes, strict=True)])
    return np.array(joined.split("\n")[:n], dtype=object)


_LINE_FIELDS = ("product_id", "quantity", "unit_cents", "total_cents")


def _plant(
    rng: np.random.Generator,
    lines: pd.DataFrame,
    items: np.ndarray,
    price_cents: np.ndarray,
    candidates: np.ndarray,
) -> pd.DataFrame:
    """Write :data:`PLANTED_PROBLEMS` into ``items``/``price_cents`` (in place) on orders
    drawn from ``candidates``; returns order (position), kind, counted_as."""
    pool = np.flatnonzero(candidates)
    wanted = sum(p.orders for p in PLANTED_PROBLEMS)
    if len(pool) < max(wanted, _PLANT_MIN_CANDIDATES):
        return pd.DataFrame({"order": [], "kind": [], "counted_as": []})
    chosen = np.sort(rng.choice(pool, size=wanted, replace=False))
    kinds = np.repeat([p.kind for p in PLANTED_PROBLEMS], [p.orders for p in PLANTED_PROBLEMS])
    kinds = kinds[rng.permutation(wanted)]
    counted = {p.kind: p.counted_as for p in PLANTED_PROBLEMS}
    order = lines["order"].to_numpy()
    values = lines[list(_LINE_FIELDS)].to_numpy()
    for position, kind in zip(chosen, kinds, strict=True):
        rows = values[np.searchsorted(order, position) : np.searchsorted(order, position, "right")]
        own = [dict(zip(_LINE_FIELDS, map(int, row), strict=True)) for row in rows]
        items[position], price_cents[position] = _planted(kind, own, int(price_cents[position]))
    return pd.DataFrame({"order": chosen, "kind": kinds, "counted_as": [counted[k] for k in kinds]})


def _planted(kind: str, own: list[dict[str, Any]], price: int) -> tuple[str, int]:
    """The items text and price (cents) of an order with the planted problem ``kind``."""
    first = own[0]
    if kind == "empty_list":
        return "[]", price
    if kind == "lone_object":
        return _json_object_lines([first])[0], price
    if kind == "zero_quantity":
        first |= {"quantity": 0, "total_cents": 0}
        return _json_list(own), sum(line["total_cents"] for line in own)
    if kind == "sku_as_product_id":
        first["product_id"] = json.dumps(CATALOGUE[first["product_id"] - 1].sku)
        return _json_list(own), price
    if kind == "unknown_product":
        first["product_id"] = UNKNOWN_PRODUCT_ID
        return _json_list(own), price
    if kind == "price_mismatch":
        return _json_list(own), round(price * 1.1)
    if kind == "double_encoded":
        return json.dumps(_json_list(own)), price
    raise ValueError(f"unknown planted problem {kind!r}")


def _json_list(lines: list[dict[str, Any]]) -> str:
    return "[" + ", ".join(_json_object_lines(lines)) + "]"


def _json_object_lines(lines: list[dict[str, Any]]) -> list[str]:
    return _json_lines(*([line[k] for line in lines] for k in _LINE_FIELDS))


def lifecycles(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Ground truth per product: its planted life cycle and the days it went on sale and
    came off sale (NaT: before the history began / still on sale)."""
    last = days[-1]
    rows = []
    for j, product in enumerate(CATALOGUE, start=1):
        launched = None if product.launched is None else last - pd.Timedelta(product.launched, "D")
        retired = None if product.retired is None else last - pd.Timedelta(product.retired, "D")
        rows.append({
            "product_id": j, "model": product.model, "lifecycle": product.lifecycle,
            "launched": launched if launched is not None and launched >= days[0] else pd.NaT,
            "retired": retired if retired is not None and retired >= days[0] else pd.NaT,
        })  # fmt: skip
    return pd.DataFrame(rows)


def products_table(days: pd.DatetimeIndex, day_starts: np.ndarray) -> pd.DataFrame:
    """The ``products`` table (columns as the app's, timestamps UTC): created 30 days before
    a product first sold (products older than the history: before it began), ids in order
    of creation, updated when it came off sale."""
    last = len(days) - 1
    rows = []
    created = np.iinfo("int64").min
    for j, product in enumerate(CATALOGUE, start=1):
        first = (
            -60 - 30 * (len(CATALOGUE) - j) if product.launched is None else last - product.launched
        )
        # Ids follow creation, as AUTO_INCREMENT does: at least a day after the one before.
        created = max(int(day_starts[0]) + (first - 30) * 86400 + 9 * 3600, created + 86400)
        final = None if product.retired is None else last - product.retired
        updated = created if final is None or final < 0 else int(day_starts[final]) + 17 * 3600
        stamp = pd.Timestamp(updated, unit="s").strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        stock = 0 if final is not None else int(round(4000 * product.weight, -1))
        rows.append({
            "id": j, "name": product.name, "model": product.model, "sku": product.sku,
            "description": product.description, "msrp": product.msrp,
            "category": product.category,
            "specifications": json.dumps(product.specifications),
            "target_market": product.target_market,
            "company_quantities": json.dumps(
                {SELLER_COMPANY: {"quantity": stock, "updated_at": stamp}}
            ),
            "created_at": pd.Timestamp(created, unit="s"),
            "updated_at": pd.Timestamp(updated, unit="s"),
        })  # fmt: skip
    return pd.DataFrame(rows)
