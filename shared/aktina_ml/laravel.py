"""The Laravel app's enum columns, defined once (``laravel_schema.sql`` has the same values).

Each enum is a ``Literal`` type (for the API contracts) and a tuple of its values in the
app's order (for :mod:`aktina_ml.data.retailer_columns` and the settings).
"""

from __future__ import annotations

from typing import Literal, get_args

# retailers
UrbanRural = Literal["urban", "suburban", "rural"]
AgeClass = Literal["child", "teenager", "youth", "adult", "senior"]
IncomeBracket = Literal["low", "medium", "high"]
EducationLevel = Literal["low", "mid", "high"]

URBAN_RURAL: tuple[UrbanRural, ...] = get_args(UrbanRural)
AGE_CLASSES: tuple[AgeClass, ...] = get_args(AgeClass)
INCOME_BRACKETS: tuple[IncomeBracket, ...] = get_args(IncomeBracket)
EDUCATION_LEVELS: tuple[EducationLevel, ...] = get_args(EducationLevel)

# orders.status, in the app's own order.
ORDER_STATUSES = (
    "pending",
    "accepted",
    "rejected",
    "processing",
    "partially_fulfilled",
    "fulfilled",
    "shipped",
    "in_transit",
    "delivered",
    "complete",
    "cancelled",
    "returned",
    "fulfillment_failed",
)
