"""Request and response models of the segment API (pydantic, validated by Powertools).

Two request shapes: the new ``POST /segments/assign`` is strict about enum values (an
unknown value is a 422 naming the field); the legacy ``POST /segment-customers`` takes the
retailers exactly as the Laravel app sends them (decimal strings, nulls, a nested ``user``,
unknown keys) and treats unknown enum values as unknown.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Required

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, InstanceOf
from typing_extensions import TypedDict

from aktina_ml import laravel
from aktina_ml.laravel import EducationLevel, IncomeBracket, UrbanRural
from aktina_ml.segmentation.features import parse_number


def _number(value: Any) -> Any:
    """A JSON number or a numeric string ("0.80") → float; other strings are an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError('must be a number or a numeric string such as "0.80"')
    number = parse_number(value)
    if math.isnan(number):
        raise ValueError(f"{value!r} is not a number")
    return number


def _scalar(value: Any) -> Any:
    """Free text or a number (e.g. employee_count "10-20"); objects and lists are an error."""
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        return value
    raise ValueError("must be a string, a number or null")


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Number = Annotated[float | None, BeforeValidator(_number)]
Scalar = Annotated[str | float | None, BeforeValidator(_scalar)]
Location = Annotated[UrbanRural | None, BeforeValidator(_lower)]
AgeClass = Annotated[laravel.AgeClass | None, BeforeValidator(_lower)]
Income = Annotated[IncomeBracket | None, BeforeValidator(_lower)]
Education = Annotated[EducationLevel | None, BeforeValidator(_lower)]
VolumeMix = dict[Literal["high", "medium", "low"], float]


class RetailerDemographics(BaseModel):
    """One retailer for ``POST /segments/assign``; every field optional, extra keys ignored."""

    model_config = ConfigDict(extra="ignore")

    id: int | None = None
    male_female_ratio: Number = None
    urban_rural_classification: Location = None
    customer_age_class: AgeClass = None
    customer_income_bracket: Income = None
    customer_education_level: Education = None
    annual_revenue: Scalar = None
    employee_count: Scalar = None
    years_in_business: Number = None


class AssignRequest(BaseModel):
    retailers: list[RetailerDemographics] = Field(min_length=1)

    def __repr__(self) -> str:  # see LegacyRequest.__repr__
        return f"AssignRequest(<{len(self.retailers)} retailers>)"


class Assignment(BaseModel):
    retailer_id: int | None
    segment_id: int
    segment_name: str
    expected_volume_mix: VolumeMix


class AssignResponse(BaseModel):
    model_version: str
    assignments: list[Assignment]


class LegacyRetailer(TypedDict, total=False):
    """A retailer as the Laravel app posts it today; unknown keys are ignored.

    Plain types only (validated in pydantic-core, no Python per field: the app posts
    thousands); numeric strings are parsed, and unreadable ones reported, by the service.
    ``user`` is never read: it must be an object or null, but is not copied key by key
    (that took a quarter of the validation time of 10,000 retailers).
    """

    id: Required[int]
    male_female_ratio: float | str | None
    city: str | None
    urban_rural_classification: str | None
    customer_age_class: str | None
    customer_income_bracket: str | None
    customer_education_level: str | None
    business_type: str | None
    annual_revenue: str | float | None
    employee_count: str | float | None
    years_in_business: str | float | None
    total_sales: float | str | None
    user: InstanceOf[dict[str, Any]] | None


class LegacyRequest(BaseModel):
    retailers: list[LegacyRetailer] = Field(min_length=1)

    def __repr__(self) -> str:  # Powertools logs the route arguments' repr (10k retailers!)
        return f"LegacyRequest(<{len(self.retailers)} retailers>)"


class LegacyResponse(BaseModel):
    """The keys the app reads (JSON object keys are strings)."""

    retailer_segments: dict[str, int]
    segment_descriptions: dict[str, str]
    segment_distribution: dict[str, int]


class RetailerSegment(BaseModel):
    retailer_id: int
    segment_id: int
    segment_name: str
    expected_volume_mix: VolumeMix
    segment: dict[str, Any]
    model_version: str
