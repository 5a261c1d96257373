"""Answers for GET /forecast, sliced from the precomputed artifact with numpy only."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity

# Bodies of GET /forecast already rendered in this container, oldest first. A model version
# has at most 365 × 3 answers; the app asks for a few, so a small bound keeps memory low
# (64 × ≤ 75 KiB).
MAX_RENDERED = 64
_rendered: dict[tuple[str, int, str], str] = {}


def periods(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of each run of equal keys."""
    ends = np.append(np.flatnonzero(keys[:-1] != keys[1:]), len(keys) - 1)
    return np.concatenate(([0], ends[:-1] + 1)), ends


def forecast_response(
    artifact: ForecastArtifact, version: str, horizon_days: int, granularity: Granularity
) -> dict[str, Any]:
    """The forecast for the next ``horizon_days`` days, in day, week or month totals.

    A period is labelled with its first forecast day; ``period_days`` says how many days it
    covers (the first and last week or month can be partial).
    """
    if not 1 <= horizon_days <= artifact.horizon_days:
        raise ValueError(f"horizon_days must be 1–{artifact.horizon_days}")
    totals = artifact.totals[granularity]
    starts, ends = periods(totals.keys[:horizon_days])
    dates = [artifact.days[i] for i in starts.tolist()]
    values, lower, upper = (_money(a[ends]) for a in (totals.point, totals.lower, totals.upper))
    history = artifact.history[granularity]
    history_values = _money(history.values)
    return {
        "granularity": granularity,
        "horizon_days": horizon_days,
        "dates": dates,
        "values": values,
        "lower": lower,
        "upper": upper,
        "period_days": (ends - starts + 1).tolist(),
        "interval_width": artifact.config["interval_width"],
        "history": {
            "dates": list(history.dates),
            "values": history_values,
            "period_days": history.period_days.tolist(),
        },
        "model_version": version,
        "trained_at": artifact.trained_at,
        "data_window": artifact.data_window,
        "backtest": artifact.metrics,
        "chart": chart_data(
            list(history.dates), history_values, dates, values, lower, upper, artifact.config
        ),
        "forecast_dates": dates,
        "forecast_values": values,
        "forecast_lower_bound": lower,
        "forecast_upper_bound": upper,
    }


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


def chart_data(
    history_dates: list[str],
    history_values: list[float],
    dates: list[str],
    values: list[float],
    lower: list[float],
    upper: list[float],
    config: dict[str, Any],
) -> dict[str, Any]:
    """ApexCharts options fragment: actual and forecast lines plus a ``rangeArea`` band."""
    percent = round(100 * config["interval_width"])
    return {
        "series": [
            {
                "name": "Actual sales",
                "type": "line",
                "data": [
                    {"x": d, "y": v} for d, v in zip(history_dates, history_values, strict=True)
                ],
            },
            {
                "name": "Forecast",
                "type": "line",
                "data": [{"x": d, "y": v} for d, v in zip(dates, values, strict=True)],
            },
            {
                "name": f"{percent}% interval",
                "type": "rangeArea",
                "data": [
                    {"x": d, "y": [lo, hi]} for d, lo, hi in zip(dates, lower, upper, strict=True)
                ],
            },
        ],
        "xaxis": {"type": "datetime"},
        "stroke": {"curve": "straight", "width": [2, 2, 0]},
        "fill": {"opacity": [1, 1, 0.25]},
    }


def _money(values: np.ndarray) -> list[float]:
    return np.round(values, 2).tolist()
