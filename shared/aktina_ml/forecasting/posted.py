"""Forecast a series a client posts (the Laravel app's ``POST /predict-sales``).

One forecast per day: a day's value and interval never depend on the requested horizon.
When the posted series is the history the promoted model was trained on (same last day,
same amounts over the days both hold), the answer is that model's precomputed forecast, so
``GET /forecast`` and this POST agree. Otherwise the series is fitted now, quickly (no
backtest): with the candidate the promoted model's backtest chose and its daily interval
calibration (Prophet as configured, uncalibrated, when no model is trained yet), over the
whole precomputed horizon, then cut to the requested days. Fewer sample paths
(``AKTINA_FORECAST_REQUEST_INTERVAL_SAMPLES``) and a fixed seed: the same series always
gets the same forecast. Prophet's model is fitted by
:mod:`~aktina_ml.forecasting.prophet_direct` (no Prophet or pandas import: most of a cold
POST's time) where that gives Prophet's fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from aktina_ml.errors import InputError
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import Mode, config_for


@dataclass(frozen=True)
class PostedForecast:
    """The forecast after a posted series: point, lower and upper bound per day."""

    first_day: date  # the day after the series' last day
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    history_days: int
    interval_width: float
    model: str  # the candidate it comes from
    precomputed: bool  # True: the promoted model's own forecast (as GET /forecast serves it)


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
    days: Sequence[date],
    amounts: Sequence[float],
    horizon_days: int,
    config: ForecastConfig,
    served: ForecastArtifact | None = None,
) -> PostedForecast:
    """Forecast ``horizon_days`` days after the last posted date (see the module doc)."""
    first, values = daily_series(days, amounts, config.max_sales_rows)
    start = first + timedelta(days=len(values))
    if served is not None and trained_on(served, start, values):
        day = served.totals["day"]
        return PostedForecast(
            first_day=start,
            point=day.point[:horizon_days],
            lower=day.lower[:horizon_days],
            upper=day.upper[:horizon_days],
            history_days=len(values),
            interval_width=float(served.config["interval_width"]),
            model=served_model(served),
            precomputed=True,
        )
    model, point, lower, upper = _fit(first, values, config, served)
    return PostedForecast(
        first_day=start,
        point=point[:horizon_days],
        lower=lower[:horizon_days],
        upper=upper[:horizon_days],
        history_days=len(values),
        interval_width=config.interval_width,
        model=model,
        precomputed=False,
    )


def served_model(artifact: ForecastArtifact) -> str:
    """The candidate a promoted artifact serves (older artifacts: Prophet)."""
    return str(artifact.metrics.get("served", {}).get("model", "prophet"))


def trained_on(artifact: ForecastArtifact, start: date, values: np.ndarray) -> bool:
    """Whether ``values`` (ending the day before ``start``) is the artifact's history."""
    if not artifact.days or artifact.days[0] != start.isoformat():
        return False
    known = artifact.history["day"].values
    overlap = min(len(known), len(values))
    return bool(np.allclose(values[-overlap:], known[-overlap:], rtol=0.0, atol=0.005))


def _fit(
    first: date, values: np.ndarray, config: ForecastConfig, served: ForecastArtifact | None
) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The served kind of forecast, fitted on ``values``, over the whole servable horizon."""
    from aktina_ml.forecasting import candidates, intervals
    from aktina_ml.forecasting.artifact import period_keys

    kind, scale, mode, log = candidates.PROPHET, 1.0, config.mode, False
    if served is not None:
        kind = served_model(served)
        scale = float(served.metrics.get("served", {}).get("interval_scales", {}).get("day", 1.0))
        mode, log = served.config.get("mode", mode), bool(served.config.get("log_transform"))
    samples, seed = config.request_interval_samples, config.seed
    days = ForecastConfig.MAX_HORIZON_DAYS

    def prophet() -> candidates.Forecast:
        fit_mode: Mode = "multiplicative" if mode == "multiplicative" else "additive"
        model_config = replace(config_for(len(values), config, fit_mode), samples=samples)
        setup = candidates.ProphetSetup(model_config, log=log)
        return candidates.series_prophet_forecast(first, values, days, setup)

    if kind == candidates.SEASONAL_NAIVE:
        forecast = candidates.seasonal_naive_forecast(values, days, samples=samples, seed=seed)
    elif kind == candidates.ETS:
        forecast = candidates.ets_forecast(values, days, samples=samples, seed=seed)
    elif kind == candidates.THETA:
        forecast = candidates.theta_forecast(values, days, samples=samples, seed=seed)
    elif kind == candidates.COMBINATION:
        forecast = candidates.combination(
            prophet(),
            candidates.ets_forecast(values, days, samples=samples, seed=seed),
            candidates.theta_forecast(values, days, samples=samples, seed=seed),
        )
    else:
        kind, forecast = candidates.PROPHET, prophet()
    start = np.datetime64(first, "D") + np.timedelta64(len(values), "D")
    keys = period_keys(start, days, "day")
    totals = intervals.running_totals(
        forecast.point, forecast.paths, keys, config.interval_width, scale
    )
    return kind, totals.point, totals.lower, totals.upper
