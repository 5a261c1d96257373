"""``POST /predict-sales``: fit the series the Laravel app posts and forecast after it.

The app sends its last 365 days and reads four equal-length lists. The fit uses the same
configuration rules as training (no backtest: the answer has to be quick), the additive
mode unless ``AKTINA_FORECAST_MODE`` forces one, fewer sample paths for the intervals
(``AKTINA_FORECAST_REQUEST_INTERVAL_SAMPLES``; uncalibrated, as there is no backtest here)
and a fixed seed, so the same body always gets the same answer. Prophet and pandas are
imported only when this runs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from aktina_ml.api.errors import InputError, PayloadTooLargeError
from aktina_ml.config import Settings

MIN_DISTINCT_DAYS = 14


def daily_series(days: list[date], amounts: list[float], max_days: int) -> tuple[date, np.ndarray]:
    """Duplicate dates summed, missing days as 0: (first day, one amount per day)."""
    ordinals = np.fromiter((d.toordinal() for d in days), dtype="int64", count=len(days))
    distinct = np.unique(ordinals)
    if len(distinct) < MIN_DISTINCT_DAYS:
        raise InputError(
            f"sales: at least {MIN_DISTINCT_DAYS} different days are needed to forecast; "
            f"got {len(distinct)}"
        )
    first = int(distinct[0])
    span = int(distinct[-1]) - first + 1
    if span > max_days:
        raise InputError(f"sales: dates span {span} days; at most {max_days} are accepted")
    values = np.bincount(ordinals - first, weights=np.asarray(amounts, "float64"), minlength=span)
    return date.fromordinal(first), values


def predict_sales(
    days: list[date], amounts: list[float], horizon_days: int, settings: Settings
) -> dict[str, Any]:
    """Forecast ``horizon_days`` days after the last posted date (lists for the app)."""
    if len(days) > settings.forecast_max_sales_rows:
        raise PayloadTooLargeError(
            f"sales: {len(days)} rows; at most {settings.forecast_max_sales_rows} are accepted"
        )
    first, values = daily_series(days, amounts, settings.forecast_max_sales_rows)

    import pandas as pd

    from aktina_ml.forecasting import model

    mode = "additive" if settings.forecast_mode == "auto" else settings.forecast_mode
    config = replace(
        model.config_for(len(values), settings, mode),
        samples=settings.forecast_request_interval_samples,
    )
    history = pd.DataFrame(
        {"date": pd.date_range(first, periods=len(values), freq="D"), "amount": values}
    )
    point, lower, upper = model.fit_predict(history, horizon_days, config)
    start = first + timedelta(days=len(values))
    return {
        "forecast_dates": [(start + timedelta(days=i)).isoformat() for i in range(horizon_days)],
        "forecast_values": np.round(point, 2).tolist(),
        "forecast_lower_bound": np.round(lower, 2).tolist(),
        "forecast_upper_bound": np.round(upper, 2).tolist(),
        "horizon_days": horizon_days,
        "history_days": len(values),
        "interval_width": config.interval_width,
    }
