"""The forecast answers, built from the serving artifact: ``GET /forecast``,
``/forecast/segments`` and ``/forecast/accuracy`` bodies (plain JSON values)."""

from __future__ import annotations

from typing import Any

import numpy as np

from aktina_ml.forecasting.artifact import ForecastArtifact, Granularity, periods
from aktina_ml.forecasting.charts import accuracy_chart_data, chart_data, segment_chart_data
from aktina_ml.forecasting.monitoring import ARCHIVE_DAYS, LEADS, lead_comparison


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
    values, lower, upper = (money(a[ends]) for a in (totals.point, totals.lower, totals.upper))
    history = artifact.history[granularity]
    history_values = money(history.values)
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
        "model": artifact.metrics.get("served", {"model": "prophet"}),
        "backtest": artifact.metrics,
        "chart": chart_data(
            list(history.dates), history_values, dates, values, lower, upper, artifact.config
        ),
        "forecast_dates": dates,
        "forecast_values": values,
        "forecast_lower_bound": lower,
        "forecast_upper_bound": upper,
    }


def segment_forecast_response(
    artifact: ForecastArtifact, version: str, horizon_days: int, granularity: Granularity
) -> dict[str, Any]:
    """``GET /forecast/segments``: each segment's forecast, the total for reference, a chart."""
    total = forecast_response(artifact, version, horizon_days, granularity)
    segments = []
    for segment in artifact.segments:
        totals = segment.totals[granularity]
        _, ends = periods(totals.keys[:horizon_days])
        history = segment.history[granularity]
        segments.append(
            {
                "id": segment.segment_id,
                "name": segment.name,
                "color": segment.color,
                "values": money(totals.point[ends]),
                "lower": money(totals.lower[ends]),
                "upper": money(totals.upper[ends]),
                "history": {"dates": list(history.dates), "values": money(history.values)},
                "backtest": segment.metrics,
            }
        )
    reference = {key: total[key] for key in ("dates", "values", "lower", "upper", "period_days")}
    return {
        "granularity": granularity,
        "horizon_days": horizon_days,
        "model_version": version,
        "trained_at": artifact.trained_at,
        "dates": total["dates"],
        "period_days": total["period_days"],
        "segments": segments,
        "total": reference,
        "reconciliation": artifact.segments_summary,
        "chart": segment_chart_data(total["dates"], segments, reference["values"]),
    }


def accuracy_response(artifact: ForecastArtifact, version: str, lead_days: int) -> dict[str, Any]:
    """``GET /forecast/accuracy``: how the earlier forecasts did, and a chart at one lead."""
    if not 1 <= lead_days <= ARCHIVE_DAYS:
        raise ValueError(f"lead_days must be 1–{ARCHIVE_DAYS}")
    history = artifact.history["day"]
    first_day = history.dates[0] if history.dates else artifact.days[0]
    comparison = lead_comparison(artifact.archive, first_day, history.values, lead_days)
    report = artifact.accuracy or {"leads": list(LEADS), "versions": [], "summary": {}}
    width = float(artifact.config["interval_width"])
    return {
        "model_version": version,
        "trained_at": artifact.trained_at,
        "lead_days": lead_days,
        "leads": report["leads"],
        "summary": report["summary"],
        "drift": report.get("drift", {"detected": False, "reason": "no earlier forecasts yet"}),
        "versions": report["versions"][-30:],
        "archived_forecasts": len(artifact.archive),
        "comparison": comparison,
        "chart": accuracy_chart_data(comparison, lead_days, width),
    }


def money(values: np.ndarray) -> list[float]:
    """Amounts rounded to cents, as plain floats for JSON."""
    return np.round(values, 2).tolist()
