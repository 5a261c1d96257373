"""``GET /summary``'s response model, for the OpenAPI document (the body itself is rendered
once per version set, see :mod:`aktina_ml.api.summary`; a contract test validates it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Certainty = Literal["high", "medium", "low"]
Level = Literal["low", "medium", "high"]
Status = Literal["ok", "unavailable"]


class Versions(BaseModel):
    forecast: str
    demand: str | None = Field(description="null: no demand model serves")


class Backtest(BaseModel):
    mase: float | None
    coverage: float | None
    coverage_basis: Literal["month", "day"] | None
    smape: float | None = Field(description="mean daily error in percent")


class RevenueSpan(BaseModel):
    """A span from the forecast's first day against the same number of days just before."""

    label: str
    days: int
    start: str
    end: str
    point: float
    lower: float
    upper: float
    previous: float | None
    previous_start: str | None
    previous_end: str | None
    change: float | None = Field(description="fraction: 0.12 = +12 %")
    change_lower: float | None
    change_upper: float | None
    certainty: Certainty
    certainty_text: str


class Revenue(BaseModel):
    status: Status
    reason: str | None = None
    spans: list[RevenueSpan] = []
    interval_width: float | None = None
    backtest: Backtest | None = None


class DemandMonth(BaseModel):
    label: str
    days: int
    start: str
    end: str
    units: float
    lower: float
    upper: float
    previous: float | None
    previous_start: str | None
    previous_end: str | None
    change: float | None
    change_lower: float | None
    change_upper: float | None
    certainty: Certainty
    certainty_text: str


class ProductUnits(BaseModel):
    product_id: int
    name: str
    model: str | None
    units: float
    lower: float
    upper: float
    previous: float | None
    change: float | None
    certainty: Certainty
    method: str
    method_note: str


class LargestRise(BaseModel):
    product_id: int
    name: str
    model: str | None
    units: float
    previous: float
    change: float | None
    rise: float


class Demand(BaseModel):
    status: Status
    reason: str | None = None
    month: DemandMonth | None = None
    products: list[ProductUnits] = []
    largest_rise: LargestRise | None = None
    item_quality: dict[str, Any] | None = None


class RiskReason(BaseModel):
    code: Literal[
        "forecast_drift",
        "forecast_drop",
        "concentration",
        "stale_model",
        "refused_model",
        "demand_surge",
    ]
    level: Level
    text: str
    figures: dict[str, Any]


class Risk(BaseModel):
    level: Level
    reasons: list[RiskReason]
    checked: list[str] = Field(description="the checks the data allowed")


class TrendWindow(BaseModel):
    days: int
    start: str
    end: str
    previous_start: str
    previous_end: str


class SegmentTrend(BaseModel):
    id: int
    name: str
    current: float
    previous: float
    change: float


class ProductTrend(BaseModel):
    product_id: int
    name: str
    model: str | None
    current: float
    previous: float
    change: float


class Trends(BaseModel):
    window: TrendWindow | None
    segments: list[SegmentTrend]
    products_window: TrendWindow | None
    products: list[ProductTrend]


class Recommendation(BaseModel):
    code: str
    text: str
    figures: dict[str, Any]


class ChartHistory(BaseModel):
    dates: list[str]
    values: list[float]
    partial: list[bool]
    period_days: list[int] = Field(description="the days of each month the data covers")


class ChartForecast(BaseModel):
    dates: list[str]
    values: list[float]
    lower: list[float]
    upper: list[float]
    partial: list[bool]
    period_days: list[int] = Field(description="the days of each month the forecast covers")


class ChartSeries(BaseModel):
    history: ChartHistory
    forecast: ChartForecast


class Chart(BaseModel):
    granularity: Literal["month"]
    revenue: ChartSeries
    units: ChartSeries | None


class SummaryResponse(BaseModel):
    """``GET /summary``: the admin page's figures, each with what it rests on."""

    versions: Versions
    as_of: str | None = Field(description="the last day of sales data")
    revenue: Revenue
    demand: Demand
    risk: Risk
    trends: Trends
    recommendations: list[Recommendation]
    chart: Chart
