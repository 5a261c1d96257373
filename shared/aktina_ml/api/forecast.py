"""The forecast routes' answers: ``GET /forecast`` bodies rendered once per (model version,
horizon, granularity) and kept, and ``POST /predict-sales`` in the app's shape."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
from aws_lambda_powertools.event_handler.exceptions import RequestEntityTooLargeError

from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity, forecast_response
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.posted import forecast_posted_sales

# Bodies of GET /forecast already rendered in this container, oldest first. A model version
# has at most 365 × 3 answers; the app asks for a few, so a small bound keeps memory low
# (64 × ≤ 75 KiB).
MAX_RENDERED = 64
_rendered: dict[tuple[str, int, str], str] = {}


def forecast_json(
    artifact: ForecastArtifact, version: str, horizon_days: int, granularity: Granularity
) -> str:
    """:func:`forecast_response` as compact JSON, rendered once per (version, horizon, granularity).

    A warm GET then costs a dict lookup instead of building and encoding up to 75 KiB.
    """
    key = (version, horizon_days, granularity)
    body = _rendered.get(key)
    if body is None:
        answer = forecast_response(artifact, version, horizon_days, granularity)
        body = json.dumps(answer, separators=(",", ":"), allow_nan=False)
        while len(_rendered) >= MAX_RENDERED:
            del _rendered[next(iter(_rendered))]
        _rendered[key] = body
    return body


def predict_sales(
    days: Sequence[date], amounts: Sequence[float], horizon_days: int, config: ForecastConfig
) -> dict[str, Any]:
    """The ``POST /predict-sales`` answer: four equal-length lists the app reads."""
    if len(days) > config.max_sales_rows:
        raise RequestEntityTooLargeError(
            f"sales: {len(days)} rows; at most {config.max_sales_rows} are accepted"
        )
    forecast = forecast_posted_sales(days, amounts, horizon_days, config)
    start = forecast.first_day
    return {
        "forecast_dates": [(start + timedelta(days=i)).isoformat() for i in range(horizon_days)],
        "forecast_values": np.round(forecast.point, 2).tolist(),
        "forecast_lower_bound": np.round(forecast.lower, 2).tolist(),
        "forecast_upper_bound": np.round(forecast.upper, 2).tolist(),
        "horizon_days": horizon_days,
        "history_days": forecast.history_days,
        "interval_width": forecast.interval_width,
    }
