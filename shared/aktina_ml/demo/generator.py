"""A realistic, deterministic demo dataset shaped like the Laravel app's tables.

What is planted (and kept as ground truth):

* retailers belong to a few *planted segments* (:data:`SEGMENTS`), each a distinct profile
  over the demographic enums and the male/female ratio, with some within-segment noise and a
  few % NULLs; each segment has its own order rate and order size, so sales volume follows
  from the demographics, and its own growth over the period (some segments grow, one
  shrinks), so per-segment forecasts differ;
* Aktina's orders (sold by several Aktina users to retailers) follow a daily intensity with
  trend, a weekly B2B pattern (quiet weekends), yearly seasonality and US holiday effects
  (:func:`daily_intensity`), plus day-level and order-level noise;
* about 12 % of orders have a non-sale status, and orders between other parties
  (vendor → Aktina supply, vendor → retailer) exist and must not count as Aktina's sales;
* timestamps fall in business hours of ``DemoSpec.timezone`` and are stored in UTC;
* every order has 1–4 item lines of the demo catalogue, with product life cycles and a
  handful of deliberately wrong items (:mod:`aktina_ml.demo.catalogue`).

The draws are vectorised, from :class:`numpy.random.Generator` streams seeded by the spec's
seed, so the same spec gives the same dataset; a million orders take seconds (writing their
1.7 million item lines as JSON text is about half of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from aktina_ml.config import NON_SALE_STATUSES
from aktina_ml.data import retailer_columns
from aktina_ml.data.retailer_columns import ENUMS
from aktina_ml.demo import catalogue
from aktina_ml.demo.schema import table_columns
from aktina_ml.demo.spec import DemoSpec
from aktina_ml.laravel import ORDER_STATUSES

# What the app counts as complete demographics: every customer-demographic column.
DEMOGRAPHIC_FIELDS = tuple(c.name for c in retailer_columns.COLUMNS if c.role == "demographic")

SELLER_COMPANY = "Aktina"
DEMOGRAPHIC_NOISE = 0.15  # chance that an enum deviates from the segment's profile
NULL_RATE = 0.03  # chance that a demographic field is NULL
INACTIVE_RATE = 0.02  # retailers that never order from Aktina
AKTINA_SALE_SHARE = 0.85  # of all orders: Aktina → retailer
SUPPLY_SHARE = 0.05  # vendor → Aktina; the rest is vendor → retailer
RECENT_DAYS = 21  # orders this young are mostly still open


@dataclass(frozen=True)
class Segment:
    """A planted retailer segment: its demographic profile and its buying behaviour."""

    name: str
    share: float
    urban_rural: str
    age_class: str
    income: str
    education: str
    male_female_ratio: float
    order_rate: float  # relative number of orders per retailer
    mean_price: float  # typical order total
    revenue: float  # typical annual revenue of such a retailer
    business_types: tuple[str, ...]
    target_market: str
    # Relative change of its retailers' order weight from the first to the last day; chosen
    # so the average order total stays about level (the total's trend is the intensity's).
    growth: float = 0.0


SEGMENTS: tuple[Segment, ...] = (
    Segment("Urban affluent professionals", 0.20, "urban", "adult", "high", "high", 0.85,
            3.0, 1500.0, 900_000, ("Electronics", "Technology", "Department Store"),
            "Professionals", 0.0),
    Segment("Suburban families", 0.35, "suburban", "youth", "medium", "mid", 1.15,
            1.8, 1000.0, 350_000, ("Supermarket", "Clothing", "Electronics"), "Families", 0.1),
    Segment("Rural budget households", 0.25, "rural", "senior", "low", "low", 1.00,
            0.6, 450.0, 90_000, ("General Store", "Grocery", "Hardware"), "Rural households",
            -0.4),
    Segment("Young urban students", 0.20, "urban", "teenager", "low", "mid", 1.30,
            1.0, 700.0, 180_000, ("Mobile Accessories", "Clothing", "Pharmacy"),
            "Students and young adults", 0.5),
)  # fmt: skip

BUSINESS_TYPES = (
    "Electronics", "Technology", "Department Store", "Clothing", "Supermarket", "Grocery",
    "General Store", "Hardware", "Mobile Accessories", "Pharmacy",
)  # fmt: skip
CITIES = {
    "urban": ("New York", "Chicago", "Los Angeles", "Houston", "Phoenix", "Philadelphia",
              "San Antonio", "Dallas", "Seattle", "Boston", "Denver", "Atlanta", "Miami"),
    "suburban": ("Naperville", "Plano", "Irvine", "Scottsdale", "Frisco", "Cary", "Bellevue",
                 "Overland Park", "Round Rock", "Sugar Land", "Folsom"),
    "rural": ("Rural Town", "Ellsworth", "Bozeman", "Dodge City", "Garden City", "Hays",
              "Lander", "Elko", "Moab", "Brookings"),
}  # fmt: skip
FIRST_NAMES = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Grace",
    "Peter",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Okello",
    "Nakato",
    "Mugisha",
)
SHOP_WORDS = (
    "Summit",
    "Harbor",
    "Prairie",
    "Metro",
    "Pioneer",
    "Evergreen",
    "Liberty",
    "Cedar",
    "Northside",
    "Main Street",
    "Golden",
    "Riverside",
    "Union",
    "Keystone",
)
VENDOR_WORDS = ("Apex", "Nordic", "Pacific", "Orion", "Vertex", "Atlas", "Delta", "Helix")
VENDOR_KINDS = ("Components", "Electronics", "Supply", "Plastics", "Logistics", "Semiconductors")
PRODUCT_LINES = (
    "Smartphones, Tablets",
    "Smartphones, Accessories",
    "Feature phones, Chargers",
    "Laptops, Smartphones",
    "Accessories, Cases",
)
REJECTION_REASONS = ("Out of stock", "Credit limit exceeded", "Duplicate order", "Pricing dispute")
ORDER_NOTES = ("Deliver to back entrance", "Call before delivery", "Urgent restock")
PASSWORD_HASH = "$2y$12$demo.dataset.password.hash.not.a.real.credential.00000"

# Status mixes: settled orders, and orders younger than RECENT_DAYS (mostly still open).
# Both have the same non-sale share (12 %), so the expected sales signal stays simple.
_SETTLED_MIX = {
    "pending": 0.01, "accepted": 0.01, "rejected": 0.04, "processing": 0.01,
    "partially_fulfilled": 0.02, "fulfilled": 0.05, "shipped": 0.01, "in_transit": 0.01,
    "delivered": 0.20, "complete": 0.56, "cancelled": 0.05, "returned": 0.02,
    "fulfillment_failed": 0.01,
}  # fmt: skip
_RECENT_MIX = {
    "pending": 0.24, "accepted": 0.15, "rejected": 0.04, "processing": 0.15,
    "partially_fulfilled": 0.05, "fulfilled": 0.05, "shipped": 0.08, "in_transit": 0.08,
    "delivered": 0.05, "complete": 0.03, "cancelled": 0.05, "returned": 0.02,
    "fulfillment_failed": 0.01,
}  # fmt: skip
# Which lifecycle timestamps each status has: approved, fulfilment started, shipped,
# delivered, completed.
_STAGES = ("approved_at", "fulfillment_started_at", "shipped_at", "delivered_at", "completed_at")
_STATUS_STAGES = {
    "pending": 0, "accepted": 1, "rejected": 0, "processing": 2, "partially_fulfilled": 2,
    "fulfilled": 2, "shipped": 3, "in_transit": 3, "delivered": 4, "complete": 5,
    "cancelled": 1, "returned": 4, "fulfillment_failed": 2,
}  # fmt: skip
# Share of orders per local hour (business hours, a few evening orders).
_HOURS = np.arange(7, 21)
_HOUR_SHARE = np.array(
    [0.02, 0.07, 0.11, 0.13, 0.12, 0.08, 0.10, 0.11, 0.09, 0.07, 0.04, 0.03, 0.02, 0.01]
)
_WEEKDAY_FACTOR = np.array([1.05, 1.15, 1.15, 1.10, 0.95, 0.25, 0.08])  # Monday first
_DAY_NOISE = 0.12  # lognormal sd of the day-to-day demand shock
_PRICE_NOISE = 0.5  # lognormal sd of an order's total around the retailer's typical order


def _no_products() -> pd.DataFrame:
    return pd.DataFrame(columns=list(table_columns("products")))


@dataclass
class DemoDataset:
    """The generated tables (column names as in the Laravel schema) and the ground truth."""

    users: pd.DataFrame
    retailers: pd.DataFrame
    orders: pd.DataFrame
    planted_segments: pd.Series  # retailer id → planted segment number
    # Noise-free expected Aktina sales (counted statuses) per business-timezone day.
    expected_daily_sales: pd.Series | None = None
    timezone: str = "UTC"  # the business timezone of the history
    products: pd.DataFrame = field(default_factory=_no_products)
    # Ground truth of the items: every order's lines as generated (order_id, product_id,
    # quantity, unit_price, total; before any planted problem), the planted problems
    # (order_id, kind, counted_as) and each product's life cycle (catalogue.lifecycles).
    item_lines: pd.DataFrame | None = None
    planted_item_problems: pd.DataFrame | None = None
    product_lifecycles: pd.DataFrame | None = None

    def write_csv(self, directory: str | Path) -> None:
        """users.csv, retailers.csv, products.csv, orders.csv (NULL as empty),
        planted_segments.csv, expected_daily_sales.csv, planted_item_problems.csv and
        planted_product_lifecycles.csv into ``directory`` (created if needed)."""
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("users", "retailers", "products", "orders"):
            write_table_csv(getattr(self, name), folder / f"{name}.csv")
        if self.planted_item_problems is not None:
            self.planted_item_problems.to_csv(
                folder / "planted_item_problems.csv", index=False, na_rep=""
            )
        if self.product_lifecycles is not None:
            self.product_lifecycles.to_csv(
                folder / "planted_product_lifecycles.csv", index=False, date_format="%Y-%m-%d"
            )
        self.planted_segments.rename_axis("retailer_id").rename("segment").to_csv(
            folder / "planted_segments.csv"
        )
        if self.expected_daily_sales is not None:
            expected = self.expected_daily_sales.rename_axis("date").rename("amount")
            expected.to_csv(folder / "expected_daily_sales.csv", date_format="%Y-%m-%d")


def write_table_csv(frame: pd.DataFrame, path: Path) -> None:
    """One table as CSV: header of column names, NULL as an empty field, UTC timestamps
    as ``YYYY-MM-DD HH:MM:SS``."""
    text = frame.copy(deep=False)
    for column in text.columns:
        if text[column].dtype.kind == "M":  # formatted by numpy: 2× faster than to_csv's
            text[column] = timestamp_text(text[column].to_numpy())
    text.to_csv(path, index=False, na_rep="", lineterminator="\n")


def timestamp_text(values: np.ndarray) -> np.ndarray:
    """datetime64 values as ``YYYY-MM-DD HH:MM:SS`` strings (object array, NaT as None)."""
    text = np.strings.replace(np.datetime_as_string(values, unit="s"), "T", " ")
    return np.where(np.isnat(values), None, text.astype(object))


def generate(spec: DemoSpec) -> DemoDataset:
    """Build the dataset described by ``spec`` (same spec → same dataset)."""
    rng = np.random.default_rng(spec.seed)
    zone = ZoneInfo(spec.timezone)
    days = pd.date_range(spec.start, spec.end, freq="D")
    day_starts = _utc_day_starts(days, zone)  # UTC epoch seconds of each local midnight
    history_end = int(_utc_day_starts(days[-1:] + pd.Timedelta(1, unit="D"), zone)[0]) - 1

    n_aktina, n_vendors, n_retailers = spec.aktina_users, spec.vendors, spec.retailers
    aktina_ids = np.arange(1, n_aktina + 1)
    vendor_ids = np.arange(n_aktina + 1, n_aktina + n_vendors + 1)
    # Retailer logins are not in retailer-id order, so the join must go through user_id.
    retailer_user_ids = n_aktina + n_vendors + 1 + rng.permutation(n_retailers)

    segments = rng.choice(len(SEGMENTS), size=n_retailers, p=[s.share for s in SEGMENTS])
    rate_noise = rng.lognormal(0.0, 0.35, n_retailers)
    price_noise = rng.lognormal(0.0, 0.2, n_retailers)
    active = rng.random(n_retailers) >= INACTIVE_RATE
    order_weight = np.array([s.order_rate for s in SEGMENTS])[segments] * rate_noise * active
    if not order_weight.any():
        order_weight = np.ones(n_retailers)
    mean_price = np.array([s.mean_price for s in SEGMENTS])[segments] * price_noise

    retailers = _retailers(
        rng, segments, rate_noise * price_noise, retailer_user_ids, day_starts[0], history_end
    )
    users = _users(rng, retailers, aktina_ids, vendor_ids, day_starts[0])

    intensity = daily_intensity(days)
    n_sales = round(spec.orders * AKTINA_SALE_SHARE)
    n_supply = round(spec.orders * SUPPLY_SHARE)
    n_vendor_retail = spec.orders - n_sales - n_supply
    retailer_p = order_weight / order_weight.sum()
    seller_share = rng.dirichlet(np.full(n_aktina, 3.0))

    sale_days = _order_days(rng, intensity, n_sales)
    mix = segment_mix(segments, retailer_p, len(days))
    # Own stream for the buyers: the rest of the dataset keeps the draws it had before the
    # segments got their own growth.
    buyers = _buyers(np.random.default_rng([spec.seed, 1]), segments, retailer_p, mix[sale_days])
    sales = {
        "day": sale_days,
        "buyer_id": retailer_user_ids[buyers],
        "seller_id": aktina_ids[rng.choice(n_aktina, size=n_sales, p=seller_share)],
        "price": _order_prices(rng, mean_price[buyers]),
    }
    supply = {
        "day": _order_days(rng, intensity, n_supply),
        "buyer_id": rng.choice(aktina_ids, size=n_supply),
        "seller_id": rng.choice(vendor_ids, size=n_supply),
        "price": _order_prices(rng, np.full(n_supply, 4000.0)),
    }
    vendor_retail = {
        "day": _order_days(rng, intensity, n_vendor_retail),
        "buyer_id": rng.choice(retailer_user_ids, size=n_vendor_retail),
        "seller_id": rng.choice(vendor_ids, size=n_vendor_retail),
        "price": _order_prices(rng, np.full(n_vendor_retail, 400.0)),
    }
    parts = (sales, supply, vendor_retail)
    columns = {k: np.concatenate([p[k] for p in parts]) for k in sales}
    orders, order_days = _orders(rng, columns, day_starts, history_end, len(days))
    plantable = np.isin(orders["seller_id"], aktina_ids) & ~np.isin(
        orders["status"], list(NON_SALE_STATUSES)
    )
    # Own stream for the lines, so the orders keep the draws they had before.
    items = catalogue.order_items(
        np.random.default_rng([spec.seed, 2]),
        order_days,
        orders["price"].to_numpy(),
        days,
        plantable,
    )
    orders["items"] = items.items
    orders["price"] = items.price
    order_ids = orders["id"].to_numpy()

    planted = pd.Series(
        segments, index=pd.Index(retailers["id"].to_numpy(), name="retailer_id"), name="segment"
    )
    counted_share = _counted_share(len(days))
    # Per day: the segments' shares of orders times each segment's mean order total.
    segment_weight = np.bincount(segments, weights=retailer_p, minlength=len(SEGMENTS))
    segment_price = np.divide(
        np.bincount(segments, weights=retailer_p * mean_price, minlength=len(SEGMENTS)),
        segment_weight,
        out=np.zeros(len(SEGMENTS)),
        where=segment_weight > 0,
    )
    expected_price = mix @ segment_price
    expected = pd.Series(
        n_sales * intensity / intensity.sum() * counted_share * expected_price,
        index=days,
        name="amount",
    )
    return DemoDataset(
        users,
        retailers,
        orders,
        planted,
        expected,
        spec.timezone,
        products=catalogue.products_table(days, day_starts)[list(table_columns("products"))],
        item_lines=items.lines.assign(order=order_ids[items.lines["order"]]).rename(
            columns={"order": "order_id"}
        ),
        planted_item_problems=items.planted.assign(
            order=order_ids[items.planted["order"].to_numpy().astype("int64")]
        ).rename(columns={"order": "order_id"}),
        product_lifecycles=catalogue.lifecycles(days),
    )


def daily_intensity(days: pd.DatetimeIndex) -> np.ndarray:
    """Noise-free relative order intensity per day: trend × weekday × season × holidays."""
    t = np.linspace(0.0, 1.0, len(days)) if len(days) > 1 else np.zeros(len(days))
    trend = 1.0 + 0.45 * t + 0.35 * np.maximum(0.0, t - 0.65)
    weekday = _WEEKDAY_FACTOR[days.dayofweek]
    angle = 2 * np.pi * days.dayofyear.to_numpy() / 365.25
    season = 1.0 + 0.18 * np.cos(angle - 2 * np.pi * 290 / 365.25) + 0.05 * np.sin(2 * angle)
    return trend * weekday * season * holiday_factor(days)


def holiday_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """Demand multiplier for US holidays: a Christmas–New Year dip and single-day closures."""
    month, day, dow = days.month, days.day, days.dayofweek
    factor = np.ones(len(days))
    year_end = ((month == 12) & (day >= 24)) | ((month == 1) & (day == 1))
    factor[year_end] = 0.3
    factor[(month == 7) & (day == 4)] = 0.2
    factor[(month == 5) & (dow == 0) & (day >= 25)] = 0.25  # Memorial Day
    factor[(month == 9) & (dow == 0) & (day <= 7)] = 0.25  # Labor Day
    factor[(month == 11) & (dow == 3) & (day >= 22) & (day <= 28)] = 0.15  # Thanksgiving
    factor[(month == 11) & (dow == 4) & (day >= 23) & (day <= 29)] = 0.5
    return factor


def _utc_day_starts(days: pd.DatetimeIndex, zone: ZoneInfo) -> np.ndarray:
    """UTC epoch seconds of each local midnight (DST-safe: offsets taken at local noon)."""
    noon = (days + pd.Timedelta(12, unit="h")).tz_localize(zone)
    offset = (noon.tz_localize(None) - noon.tz_convert("UTC").tz_localize(None)).total_seconds()
    return days.to_numpy().astype("datetime64[s]").astype("int64") - offset.to_numpy().astype(
        "int64"
    )


def segment_mix(segments: np.ndarray, retailer_p: np.ndarray, n_days: int) -> np.ndarray:
    """Per day and planted segment: its share of Aktina's orders (its retailers' order
    weight, grown linearly by the segment's ``growth`` over the period)."""
    weight = np.bincount(segments, weights=retailer_p, minlength=len(SEGMENTS))
    t = np.linspace(0.0, 1.0, n_days) if n_days > 1 else np.zeros(n_days)
    growth = np.array([s.growth for s in SEGMENTS])
    mix = weight[None, :] * (1.0 + growth[None, :] * t[:, None])
    return mix / mix.sum(axis=1, keepdims=True)


def _buyers(
    rng: np.random.Generator, segments: np.ndarray, retailer_p: np.ndarray, order_mix: np.ndarray
) -> np.ndarray:
    """The buying retailer of each order: a segment by the order day's mix, then one of its
    retailers by order weight."""
    cumulative = np.cumsum(order_mix, axis=1)
    draws = rng.random(len(order_mix))[:, None] * cumulative[:, -1:]
    order_segment = (draws < cumulative).argmax(axis=1)
    buyers = np.empty(len(order_mix), dtype="int64")
    for segment in range(len(SEGMENTS)):
        orders = np.flatnonzero(order_segment == segment)
        members = np.flatnonzero(segments == segment)
        if len(orders):
            weights = retailer_p[members]
            buyers[orders] = rng.choice(members, size=len(orders), p=weights / weights.sum())
    return buyers


def _order_days(rng: np.random.Generator, intensity: np.ndarray, n: int) -> np.ndarray:
    """Day index of ``n`` orders: multinomial over the intensity with a daily demand shock."""
    shock = rng.lognormal(-(_DAY_NOISE**2) / 2, _DAY_NOISE, len(intensity))
    weights = intensity * shock
    counts = rng.multinomial(n, weights / weights.sum())
    return np.repeat(np.arange(len(intensity)), counts)


def _order_prices(rng: np.random.Generator, typical: np.ndarray) -> np.ndarray:
    """Order totals around ``typical`` (mean-preserving lognormal), DECIMAL(10,2)-safe."""
    noise = rng.lognormal(-(_PRICE_NOISE**2) / 2, _PRICE_NOISE, len(typical))
    return np.clip(np.round(typical * noise, 2), 1.0, 99_999_999.99)


def _counted_share(n_days: int) -> np.ndarray:
    settled = 1.0 - sum(_SETTLED_MIX[s] for s in NON_SALE_STATUSES)
    recent = 1.0 - sum(_RECENT_MIX[s] for s in NON_SALE_STATUSES)
    share = np.full(n_days, settled)
    share[max(0, n_days - RECENT_DAYS) :] = recent
    return share


def _pick(rng: np.random.Generator, options: tuple, n: int) -> np.ndarray:
    """``n`` uniform picks from ``options`` as an object array of Python values."""
    return np.asarray(options, dtype=object)[rng.integers(len(options), size=n)]


def _null_out(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    """A copy of ``values`` (object array) with about ``rate`` of them set to None."""
    out = values.astype(object)
    out[rng.random(len(out)) < rate] = None
    return out


def _ensure_present(rng: np.random.Generator, values: np.ndarray, wanted: tuple) -> None:
    """Give every value of ``wanted`` (None = NULL) at least one row, if there are enough
    rows, by overwriting rows drawn at random (each row at most once)."""
    present = set(values)
    missing = [w for w in wanted if w not in present]
    if not missing or len(values) < 4 * len(wanted):
        return
    rows = rng.choice(len(values), size=len(missing), replace=False)
    for row, value in zip(rows, missing, strict=True):
        values[row] = value


def _seconds_to_datetimes(seconds: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """UTC epoch seconds as naive datetime64[ns] (NaT where ``present`` is False)."""
    nanos = np.asarray(seconds, dtype="int64") * 10**9
    if present is not None:
        nanos = np.where(present, nanos, np.iinfo("int64").min)
    return nanos.view("M8[ns]")


def _retailers(
    rng: np.random.Generator,
    segments: np.ndarray,
    volume_noise: np.ndarray,
    user_ids: np.ndarray,
    history_start: int,
    history_end: int,
) -> pd.DataFrame:
    """The retailers table: demographics from each retailer's planted segment, then the
    business fields (identity, size, products) and timestamps. The random draws happen in
    a fixed order, so a seed always gives the same table."""
    n = len(segments)
    seg = {
        name: np.array([getattr(s, name) for s in SEGMENTS], dtype=object)[segments]
        for name in ("urban_rural", "age_class", "income", "education", "target_market")
    }
    demographics, city = _demographics(rng, segments, seg)
    data: dict[str, Any] = {
        "id": np.arange(1, n + 1),
        "user_id": user_ids,
        **demographics,
        **_business_identity(rng, segments),
        **_business_size(rng, segments, volume_noise),
    }
    data |= _unplanted(rng, n, data)
    data["primary_products"] = _null_out(rng, _pick(rng, PRODUCT_LINES, n), 0.15)
    data["target_market"] = _null_out(rng, seg["target_market"], 0.2)
    data["business_address"] = _null_out(rng, _addresses(rng, city), 0.1)
    complete = np.ones(n, dtype=bool)
    for column in DEMOGRAPHIC_FIELDS:
        complete &= np.array([v is not None for v in data[column]])
    data["demographics_completed"] = complete.astype("int64")
    created = history_start - rng.integers(86400, 2 * 365 * 86400, size=n)
    updated = np.minimum(created + rng.integers(0, 400 * 86400, size=n), history_end)
    data["created_at"] = _seconds_to_datetimes(created)
    data["updated_at"] = _seconds_to_datetimes(updated)
    frame = pd.DataFrame(data)
    frame["male_female_ratio"] = frame["male_female_ratio"].astype("float64")
    return frame[list(table_columns("retailers"))]


def _unplanted(rng: np.random.Generator, n: int, planted: dict[str, Any]) -> dict[str, Any]:
    """The retailer columns the demo plants no pattern in (one added to the table): numbers
    uniform in the column's demo range, an enum's values at random, text empty; a few NULLs.
    Nothing is drawn when every column is planted, so a seed keeps giving the same data."""
    data: dict[str, Any] = {}
    for column in retailer_columns.COLUMNS:
        if column.table_name in planted:
            continue
        if column.kind == "number":
            values = np.round(rng.uniform(*column.demo, n), 2).astype(object)
        elif column.kind == "enum":
            values = _pick(rng, column.values, n)
        else:
            values = np.full(n, None, dtype=object)
        data[column.table_name] = _null_out(rng, values, NULL_RATE)
    return data


def _cities(rng: np.random.Generator, areas: np.ndarray) -> np.ndarray:
    """A city of each retailer's location type (urban, suburban, rural)."""
    city = np.empty(len(areas), dtype=object)
    for area, names in CITIES.items():
        in_area = areas == area
        city[in_area] = _pick(rng, names, int(in_area.sum()))
    return city


def _demographics(
    rng: np.random.Generator, segments: np.ndarray, seg: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Ratio, city and the four enums: the segment's profile with noise and a few NULLs
    (every enum value and NULL present at least once); and each retailer's city."""
    n = len(segments)
    ratio = np.array([s.male_female_ratio for s in SEGMENTS])[segments] + rng.normal(0, 0.08, n)
    ratio = np.round(np.clip(ratio, 0.3, 3.0), 2).astype(object)
    city = _cities(rng, seg["urban_rural"])
    demographics = {"male_female_ratio": ratio, "city": city}
    for column, attr in zip(
        ENUMS, ("urban_rural", "age_class", "income", "education"), strict=True
    ):
        values = seg[attr].copy()
        noisy = rng.random(n) < DEMOGRAPHIC_NOISE
        values[noisy] = _pick(rng, ENUMS[column], int(noisy.sum()))
        demographics[column] = values
    data = {}
    for column, values in demographics.items():
        values = _null_out(rng, values, NULL_RATE)
        _ensure_present(rng, values, (*ENUMS.get(column, ()), None))
        data[column] = values
    return data, city


def _business_identity(rng: np.random.Generator, segments: np.ndarray) -> dict[str, np.ndarray]:
    """Business name and type (mostly the segment's favourites), ids, contact and website."""
    n = len(segments)
    favourite = np.array([s.business_types for s in SEGMENTS], dtype=object)[
        segments, rng.integers(3, size=n)
    ]
    business_type = np.where(rng.random(n) < 0.7, favourite, _pick(rng, BUSINESS_TYPES, n))
    first, last = _pick(rng, FIRST_NAMES, n), _pick(rng, LAST_NAMES, n)
    suffix = _pick(rng, ("", " LLC", " Co.", " Inc."), n)
    business_name = _pick(rng, SHOP_WORDS, n) + " " + business_type + suffix
    data = {"business_name": business_name}
    data["business_type"] = _null_out(rng, business_type, NULL_RATE)
    data["business_registration_number"] = _null_out(
        rng, np.array([f"BRN-{v:07d}" for v in rng.integers(10**7, size=n)], dtype=object), 0.1
    )
    data["tax_id"] = _null_out(
        rng,
        np.array(
            [f"{v // 10**7:02d}-{v % 10**7:07d}" for v in rng.integers(10**9, size=n)], dtype=object
        ),
        0.1,
    )
    data["contact_person"] = first + " " + last
    data["phone"] = _null_out(
        rng,
        np.array(
            [f"+1-555-{v // 10**4:03d}-{v % 10**4:04d}" for v in rng.integers(10**7, size=n)],
            dtype=object,
        ),
        0.05,
    )
    slugs = [
        f"{''.join(ch for ch in name.lower() if ch.isalnum())}{i}"
        for i, name in enumerate(business_name, start=1)
    ]
    data["website"] = _null_out(
        rng, np.array([f"https://www.{slug}.example" for slug in slugs], dtype=object), 0.4
    )
    return data


def _business_size(
    rng: np.random.Generator, segments: np.ndarray, volume_noise: np.ndarray
) -> dict[str, Any]:
    """Revenue (following the segment and the retailer's volume), head count and age, as
    the app stores them (free text such as "$120,000" or "11-50")."""
    n = len(segments)
    segment_revenue = np.array([s.revenue for s in SEGMENTS])[segments]
    revenue = np.maximum(
        np.round(segment_revenue * volume_noise * rng.lognormal(0, 0.15, n), -3), 10_000
    ).astype("int64")
    data: dict[str, Any] = {}
    data["annual_revenue"] = _null_out(
        rng,
        np.array(
            [
                f"${v:,}" if fmt < 0.35 else str(v)
                for v, fmt in zip(revenue, rng.random(n), strict=True)
            ],
            dtype=object,
        ),
        0.12,
    )
    employees = np.maximum(1, np.round(revenue / 9000 * rng.lognormal(0, 0.3, n))).astype("int64")
    data["employee_count"] = _null_out(
        rng,
        np.array(
            [
                _employee_range(v) if fmt < 0.3 else str(v)
                for v, fmt in zip(employees, rng.random(n), strict=True)
            ],
            dtype=object,
        ),
        0.1,
    )
    years = np.minimum(60, 1 + rng.gamma(2.0, 5.0, n).astype("int64"))
    years_in_business = pd.array(years, dtype="Int64")
    years_in_business[rng.random(n) < 0.05] = pd.NA
    data["years_in_business"] = years_in_business
    return data


def _addresses(rng: np.random.Generator, city: np.ndarray) -> np.ndarray:
    """A JSON street address in each retailer's city."""
    return np.array(
        [
            f'{{"street": "{num} {word} St", "city": "{c or "Springfield"}", "country": "US"}}'
            for num, word, c in zip(
                rng.integers(1, 9999, len(city)),
                _pick(rng, SHOP_WORDS, len(city)),
                city,
                strict=True,
            )
        ],
        dtype=object,
    )


def _employee_range(count: int) -> str:
    """How the app often stores head counts: a range such as "10-20"."""
    for low, high in ((1, 5), (5, 10), (10, 20), (20, 50), (50, 100), (100, 250), (250, 500)):
        if count < high:
            return f"{low}-{high}"
    return "500+"


def _users(
    rng: np.random.Generator,
    retailers: pd.DataFrame,
    aktina_ids: np.ndarray,
    vendor_ids: np.ndarray,
    history_start: int,
) -> pd.DataFrame:
    n_aktina, n_vendors = len(aktina_ids), len(vendor_ids)
    staff_first = _pick(rng, FIRST_NAMES, n_aktina)
    staff_last = _pick(rng, LAST_NAMES, n_aktina)
    staff = pd.DataFrame(
        {
            "id": aktina_ids,
            "name": staff_first + " " + staff_last,
            "email": [
                f"{f.lower()}.{la.lower()}{i}@aktina.example"
                for f, la, i in zip(staff_first, staff_last, aktina_ids, strict=True)
            ],
            "company_name": SELLER_COMPANY,
            "role": [("admin", "production_manager")[i % 2] for i in range(n_aktina)],
            "address": None,
            "created_at": history_start - 400 * 86400 + 3600 * np.arange(n_aktina),
        }
    )
    words, kinds = len(VENDOR_WORDS), len(VENDOR_KINDS)
    vendor_names = [
        f"{VENDOR_WORDS[i % words]} {VENDOR_KINDS[i // words % kinds]} Ltd"
        + (f" {i // (words * kinds) + 1}" if i >= words * kinds else "")
        for i in range(n_vendors)
    ]
    vendors = pd.DataFrame(
        {
            "id": vendor_ids,
            "name": [f"{name} Sales Desk" for name in vendor_names],
            "email": [f"sales{i}@vendor{i}.example" for i in vendor_ids],
            "company_name": vendor_names,
            "role": "vendor",
            "address": None,
            "created_at": history_start - rng.integers(30, 300, n_vendors) * 86400,
        }
    )
    created = retailers["created_at"].to_numpy().astype("int64") // 10**9 - 600
    company = np.where(rng.random(len(retailers)) < 0.05, None, retailers["business_name"])
    shops = pd.DataFrame(
        {
            "id": retailers["user_id"].to_numpy(),
            "name": retailers["contact_person"].to_numpy(),
            "email": [
                f"owner{u}@{w.split('//www.')[-1] if w else f'shop{u}.example'}"
                for u, w in zip(retailers["user_id"], retailers["website"], strict=True)
            ],
            "company_name": company,
            "role": "retailer",
            "address": retailers["business_address"].to_numpy(),
            "created_at": created,
        }
    )
    users = pd.concat([staff, vendors, shops], ignore_index=True).sort_values(
        "id", ignore_index=True
    )
    n = len(users)
    verified = rng.random(n) < 0.95
    users["verified"] = verified.astype("int64")
    users["is_verified"] = users["verified"]
    users["email_verified_at"] = _seconds_to_datetimes(
        users["created_at"].to_numpy() + 7200, verified
    )
    users["password"] = PASSWORD_HASH
    users["remember_token"] = None
    users["created_at"] = _seconds_to_datetimes(users["created_at"].to_numpy())
    users["updated_at"] = users["created_at"]
    return users[list(table_columns("users"))]


def _orders(
    rng: np.random.Generator,
    columns: dict[str, np.ndarray],
    day_starts: np.ndarray,
    history_end: int,
    n_days: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The orders table (``items`` left empty) and each order's day index, in id order."""
    n = len(columns["day"])
    local_seconds = rng.choice(_HOURS, size=n, p=_HOUR_SHARE) * 3600 + rng.integers(0, 3600, n)
    created = day_starts[columns["day"]] + local_seconds
    order = np.argsort(created, kind="stable")  # ids grow with time, like AUTO_INCREMENT
    created = created[order]
    columns = {k: v[order] for k, v in columns.items()}

    statuses = np.array(ORDER_STATUSES, dtype=object)
    recent = columns["day"] >= n_days - RECENT_DAYS
    codes = np.empty(n, dtype="int64")
    for mask, mix in ((~recent, _SETTLED_MIX), (recent, _RECENT_MIX)):
        p = np.array([mix[s] for s in ORDER_STATUSES])
        codes[mask] = rng.choice(len(ORDER_STATUSES), size=int(mask.sum()), p=p / p.sum())
    status = statuses[codes]
    _ensure_present(rng, status, ORDER_STATUSES)
    stage_count = np.array([_STATUS_STAGES[s] for s in ORDER_STATUSES])[
        pd.Index(ORDER_STATUSES).get_indexer(pd.Index(status))
    ]

    data: dict[str, object] = {
        "id": np.arange(1, n + 1),
        "price": columns["price"],
        "items": None,  # catalogue.order_items fills them
        "buyer_id": columns["buyer_id"],
        "seller_id": columns["seller_id"],
        "status": status,
    }
    stamp, last = created.copy(), created.copy()
    gaps_hours = ((0.2, 20), (2, 48), (6, 72), (24, 120), (1, 72))
    stamps = {}
    for k, (name, (low, high)) in enumerate(zip(_STAGES, gaps_hours, strict=True)):
        stamp = stamp + (rng.uniform(low, high, n) * 3600).astype("int64")
        has = stage_count > k
        capped = np.minimum(stamp, history_end)
        last = np.where(has, capped, last)
        stamps[name] = _seconds_to_datetimes(capped, has)
    closed = np.isin(status, list(NON_SALE_STATUSES))
    updated = np.where(closed, last + rng.integers(3600, 72 * 3600, n), last)
    data["approved_at"] = stamps["approved_at"]
    approver_id = pd.array(columns["seller_id"], dtype="Int64")
    approver_id[stage_count == 0] = pd.NA
    data["approver_id"] = approver_id
    rejected = status == "rejected"
    data["rejected_at"] = _seconds_to_datetimes(np.minimum(updated, history_end), rejected)
    data["rejection_reason"] = np.where(rejected, _pick(rng, REJECTION_REASONS, n), None)
    for name in _STAGES[1:]:
        if name != "delivered_at":  # the app keeps no delivery time (its status says it)
            data[name] = stamps[name]
    data["is_backorder"] = np.zeros(n, dtype="int64")
    tracking = np.strings.add(
        "TRK", np.strings.zfill(rng.integers(10**10, size=n).astype("U10"), 10)
    )
    data["tracking_number"] = np.where(stage_count > 2, tracking.astype(object), None)
    data["notes"] = np.where(rng.random(n) < 0.03, _pick(rng, ORDER_NOTES, n), None)
    data["created_at"] = _seconds_to_datetimes(created)
    data["updated_at"] = _seconds_to_datetimes(np.minimum(updated, history_end))
    # The app's other order columns (shipping, warehouse, backorders) stay NULL here.
    frame = pd.DataFrame(data).reindex(columns=list(table_columns("orders")))
    return frame, columns["day"]
