"""Request and response models of the forecast API (pydantic; also the OpenAPI schema)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from aktina_ml.forecasting.artifact import Granularity
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.monitoring import ARCHIVE_DAYS

HorizonDays = Annotated[int, Field(ge=1, le=ForecastConfig.MAX_HORIZON_DAYS)]
LeadDays = Annotated[int, Field(ge=1, le=ARCHIVE_DAYS)]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> date:
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date (YYYY-MM-DD)") from None
    first, last = ForecastConfig.FIRST_POSTED_DAY, ForecastConfig.LAST_POSTED_DAY
    if not first <= day <= last:
        raise ValueError(f"{value!r} is outside {first.isoformat()}..{last.isoformat()}")
    return day


def _daily_amount(value: float) -> float:
    if value < 0:
        raise ValueError("must not be negative (daily sales)")
    if value > ForecastConfig.MAX_DAILY_AMOUNT:
        raise ValueError(f"must be at most {ForecastConfig.MAX_DAILY_AMOUNT:.0e} (daily sales)")
    return value


IsoDay = Annotated[
    date,
    BeforeValidator(_iso_day),
    Field(description=f"{ForecastConfig.FIRST_POSTED_DAY}..{ForecastConfig.LAST_POSTED_DAY}"),
]
Amount = Annotated[
    float,
    Field(
        allow_inf_nan=False,
        json_schema_extra={"minimum": 0, "maximum": ForecastConfig.MAX_DAILY_AMOUNT},
    ),
    AfterValidator(_daily_amount),
]


class SalesDay(BaseModel):
    """One row of the app's series: ``{"date": "YYYY-MM-DD", "amount": 123.45}``."""

    model_config = ConfigDict(extra="ignore")

    date: IsoDay
    amount: Amount


class PredictSalesRequest(BaseModel):
    """``POST /predict-sales`` exactly as the Laravel app sends it."""

    model_config = ConfigDict(extra="ignore")

    sales: list[SalesDay]
    horizon_days: HorizonDays = ForecastConfig.LEGACY_DEFAULT_HORIZON


class PredictSalesResponse(BaseModel):
    """What the app reads: equal-length lists of future dates, values and bounds."""

    forecast_dates: list[str]
    forecast_values: list[float]
    forecast_lower_bound: list[float]
    forecast_upper_bound: list[float]
    horizon_days: int
    history_days: int
    interval_width: float
    model: str  # the candidate the forecast comes from (prophet, ets, theta, combination, …)
    precomputed: bool  # the promoted model's own forecast (the posted series is its history)


class HistoryOut(BaseModel):
    dates: list[str]
    values: list[float]
    period_days: list[int]


class ServedModel(BaseModel):
    """Which candidate the forecast comes from and why (the training backtest's verdict), and
    per granularity the members it averages with their weights (one member alone: weight 1)."""

    model_config = ConfigDict(extra="allow")

    model: Literal["prophet", "ets", "theta", "combination", "seasonal_naive"]
    reason: str | None = None
    interval_scales: dict[str, float] | None = None
    members: dict[Granularity, dict[str, float]] | None = None


class ForecastResponse(BaseModel):
    """``GET /forecast``: the precomputed forecast for a horizon and granularity."""

    granularity: Granularity
    horizon_days: int
    dates: list[str]
    values: list[float]
    lower: list[float]
    upper: list[float]
    period_days: list[int]
    interval_width: float
    history: HistoryOut
    model_version: str
    trained_at: str
    data_window: dict[str, Any]
    model: ServedModel
    backtest: dict[str, Any]
    chart: dict[str, Any]
    forecast_dates: list[str]
    forecast_values: list[float]
    forecast_lower_bound: list[float]
    forecast_upper_bound: list[float]
