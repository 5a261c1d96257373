"""The retailers table's columns that the service reads, each described once.

Every list of retailer columns is derived from :data:`COLUMNS`: the SQL select list and the
dtypes of both sources (:mod:`.mysql`, :mod:`.csv`), the segmentation's inputs
(:mod:`aktina_ml.segmentation.features`, :mod:`aktina_ml.segmentation.fit`), the phrases that
name a segment (:mod:`aktina_ml.segmentation.profiles`), the legacy call's number check
(:mod:`aktina_ml.api.segments`) and the demo generator's extra columns. The API contracts
(:mod:`aktina_ml.segmentation.contracts`) stay written out; a test holds them to this table.

A new numeric demographic is one :class:`Column` here, its line in
``demo/laravel_schema.sql`` and its field in both request contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aktina_ml.laravel import AGE_CLASSES, EDUCATION_LEVELS, INCOME_BRACKETS, URBAN_RURAL

# key: identifies the row; enum: one of ``values``; text: free text; number: parsed to a float
Kind = Literal["key", "enum", "text", "number"]
# What segmentation makes of it: demographic (a clustering input), business (described in the
# profiles, never an input: it stands in for sales), optional (an input by a setting), none.
Role = Literal["demographic", "business", "optional", "none"]
# The dtype in the sources' frames; object: raw values as the app stores them.
Dtype = Literal["object", "int64", "Int64", "float64"]


@dataclass(frozen=True)
class Column:
    """One column of the retailers table as the service reads it."""

    name: str  # in the frames the sources return (and the API's retailer objects)
    kind: Kind
    role: Role = "none"
    transform: Literal["linear", "log"] | None = None  # numbers: log1p for a size
    dtype: Dtype = "object"
    phrase: str | tuple[str, str] | None = None  # a level's phrase, or (higher, lower) averages
    values: tuple[str, ...] = ()  # an enum's values, in the app's order
    sql: str | None = None  # the table's column name, when not ``name``
    demo: tuple[float, float] = (0.0, 100.0)  # a number the demo does not plant: this range

    @property
    def table_name(self) -> str:
        return self.sql or self.name


COLUMNS: tuple[Column, ...] = (
    Column("retailer_id", "key", dtype="int64", sql="id"),
    Column("user_id", "key", dtype="Int64"),
    Column(
        "male_female_ratio",
        "number",
        "demographic",
        "linear",
        "float64",
        ("more male customers", "more female customers"),
    ),
    Column("city", "text", "demographic", phrase="in {}"),
    Column("urban_rural_classification", "enum", "demographic", phrase="{}", values=URBAN_RURAL),
    Column("customer_age_class", "enum", "demographic", phrase="{}", values=AGE_CLASSES),
    Column(
        "customer_income_bracket", "enum", "demographic", phrase="{} income", values=INCOME_BRACKETS
    ),
    Column(
        "customer_education_level",
        "enum",
        "demographic",
        phrase="{} education",
        values=EDUCATION_LEVELS,
    ),
    Column("business_type", "text", "optional"),
    Column(
        "annual_revenue", "number", "business", "log", phrase=("larger revenue", "smaller revenue")
    ),
    Column("employee_count", "number", "business", "log", phrase=("more staff", "fewer staff")),
    Column(
        "years_in_business",
        "number",
        "business",
        "linear",
        "Int64",
        ("long established", "younger businesses"),
    ),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
# The enum columns and their values, in the app's order.
ENUMS: dict[str, tuple[str, ...]] = {c.name: c.values for c in COLUMNS if c.kind == "enum"}
# Numeric inputs and their transform.
NUMERIC: dict[str, str] = {c.name: c.transform or "linear" for c in COLUMNS if c.kind == "number"}
DEMOGRAPHIC_NUMERIC: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.kind == "number" and c.role == "demographic"
)
BUSINESS_NUMERIC: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.kind == "number" and c.role == "business"
)
# Free-text demographics always used (levels: their frequent values), and those by a setting.
FREE_TEXT: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.kind == "text" and c.role == "demographic"
)
OPTIONAL_CATEGORICAL: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.role == "optional")
# How a dominant level reads in a segment's name, and a clearly higher / lower average.
PHRASES: dict[str, str] = {c.name: c.phrase for c in COLUMNS if isinstance(c.phrase, str)}
NUMERIC_PHRASES: dict[str, tuple[str, str]] = {
    c.name: c.phrase for c in COLUMNS if isinstance(c.phrase, tuple)
}
# The pandas dtype of each typed column (the rest stay objects: raw values).
DTYPES: dict[str, Dtype] = {c.name: c.dtype for c in COLUMNS if c.dtype != "object"}
SELECT_LIST = ", ".join(c.table_name for c in COLUMNS)
