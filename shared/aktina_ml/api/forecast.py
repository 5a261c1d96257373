"""The forecast routes' answers: ``GET /forecast``, ``/forecast/segments`` and
``/forecast/accuracy`` bodies rendered once per (model version, query) and kept, and
``POST /predict-sales`` in the app's shape."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from aktina_ml.api.forecast_answers import (
    accuracy_response,
    forecast_response,
    segment_forecast_response,
)
from aktina_ml.api.model_cache import NoModelError
from aktina_ml.api.resolver import strict_dumps
from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.posted import forecast_posted_sales

# Bodies of GET /forecast (and /summary) already rendered in this container, oldest first.
# A model version has at most 365 × 3 answers; the app asks for a few, so a small bound
# keeps memory low (64 × ≤ 75 KiB).
MAX_RENDERED = 64
_rendered: dict[tuple[str, ...], str] = {}


def rendered_once(key: tuple[str, ...], answer: Callable[[], dict[str, Any]]) -> str:
    """``answer()`` as compact JSON, rendered once per key and kept (the oldest go first).

    A warm GET then costs a dict lookup instead of building and encoding up to 75 KiB.
    """
    body = _rendered.get(key)
    if body is None:
        body = strict_dumps(answer())
        while len(_rendered) >= MAX_RENDERED:
            del _rendered[next(iter(_rendered))]
        _rendered[key] = body
    return body


def forecast_json(
    artifact: ForecastArtifact, version: str, horizon_days: int, granularity: Granularity
) -> str:
    """:func:`forecast_response` as JSON, rendered once per (version, horizon, granularity)."""
    return rendered_once(
        ("total", version, str(horizon_days), granularity),
        lambda: forecast_response(artifact, version, horizon_days, granularity),
    )


def segment_forecast_json(
    artifact: ForecastArtifact, version: str, horizon_days: int, granularity: Granularity
) -> str:
    """``GET /forecast/segments`` as JSON; 503 until a forecast with segments is trained."""
    if not artifact.segments:
        reason = (artifact.segments_summary or {}).get("reason", "no per-segment forecasts")
        raise NoModelError(
            f"no per-segment forecasts in model {version}: {reason}. Train segmentation, "
            "then the forecast (`aktina-ml train`)"
        )
    return rendered_once(
        ("segments", version, str(horizon_days), granularity),
        lambda: segment_forecast_response(artifact, version, horizon_days, granularity),
    )


def accuracy_json(artifact: ForecastArtifact, version: str, lead_days: int) -> str:
    """``GET /forecast/accuracy`` as JSON, rendered once per (version, lead)."""
    return rendered_once(
        ("accuracy", version, str(lead_days)),
        lambda: accuracy_response(artifact, version, lead_days),
    )


def predict_sales(
    days: Sequence[date],
    amounts: Sequence[float],
    horizon_days: int,
    config: ForecastConfig,
    served: ForecastArtifact | None = None,
) -> dict[str, Any]:
    """The ``POST /predict-sales`` answer: four equal-length lists the app reads.

    ``served`` is the promoted forecast, if any: its own forecast when the posted series is
    its history, else its choice of model for a fresh fit.
    """
    forecast = forecast_posted_sales(days, amounts, horizon_days, config, served)
    start = forecast.first_day
    return {
        "forecast_dates": [(start + timedelta(days=i)).isoformat() for i in range(horizon_days)],
        "forecast_values": np.round(forecast.point, 2).tolist(),
        "forecast_lower_bound": np.round(forecast.lower, 2).tolist(),
        "forecast_upper_bound": np.round(forecast.upper, 2).tolist(),
        "horizon_days": horizon_days,
        "history_days": forecast.history_days,
        "interval_width": forecast.interval_width,
        "model": forecast.model,
        "precomputed": forecast.precomputed,
    }
