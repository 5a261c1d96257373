"""Forecast a series a client posts (the Laravel app's ``POST /predict-sales``).

The app sends its last 365 days. The fit uses the same configuration rules as training
(no backtest: the answer has to be quick), the additive mode unless
``AKTINA_FORECAST_MODE`` forces one, fewer sample paths for the intervals
(``AKTINA_FORECAST_REQUEST_INTERVAL_SAMPLES``; uncalibrated, as there is no backtest here)
and a fixed seed, so the same series always gets the same forecast. Prophet and pandas are
imported only when this runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from aktina_ml.errors import InputError
from aktina_ml.forecasting.config import ForecastConfig


@dataclass(frozen=True)
class PostedForecast:
    """The forecast after a posted series: clipped point, lower and upper bound per day."""

    first_day: date  # the day after the series' last day
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    history_days: int
    interval_width: float


def daily_series(
    days: Sequence[date], amounts: Sequence[float], max_days: int
) -> tuple[date, np.ndarray]:
    """Duplicate dates summed, missing days as 0: (first day, one amount per day)."""
    ordinals = np.fromiter((d.toordinal() for d in days), dtype="int64", count=len(days))
    distinct = np.unique(ordinals)
    if len(distinct) < ForecastConfig.MIN_DISTINCT_DAYS:
        raise InputError(
            f"sales: at least {ForecastConfig.MIN_DISTINCT_DAYS} different days are needed "
            f"to forecast; got {len(distinct)}"
        )
    first = int(distinct[0])
    span = int(distinct[-1]) - first + 1
    if span > max_days:
        raise InputError(f"sales: dates span {span} days; at most {max_days} are accepted")
    values = np.bincount(ordinals - first, weights=np.asarray(amounts, "float64"), minlength=span)
    return date.fromordinal(first), values


def forecast_posted_sales(
    days: Sequence[date], amounts: Sequence[float], horizon_days: int, config: ForecastConfig
) -> PostedForecast:
    """Forecast ``horizon_days`` days after the last posted date."""
    first, values = daily_series(days, amounts, config.max_sales_rows)

    import pandas as pd

    from aktina_ml.forecasting import model

    mode: model.Mode = "additive" if config.mode == "auto" else config.mode
    fit_config = replace(
        model.config_for(len(values), config, mode), samples=config.request_interval_samples
    )
    history = pd.DataFrame(
        {"date": pd.date_range(first, periods=len(values), freq="D"), "amount": values}
    )
    point, lower, upper = model.fit_predict(history, horizon_days, fit_config)
    return PostedForecast(
        first_day=first + timedelta(days=len(values)),
        point=point,
        lower=lower,
        upper=upper,
        history_days=len(values),
        interval_width=fit_config.interval_width,
    )
