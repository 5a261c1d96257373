"""ApexCharts-ready chart data of a forecast answer (plain Python, no heavy imports)."""

from __future__ import annotations

from typing import Any

ACTUAL_COLOR = "#475569"
FORECAST_COLOR = "#2563eb"
BAND_COLOR = "#93c5fd"
TOTAL_COLOR = "#111827"


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


def segment_chart_data(
    dates: list[str], segments: list[dict[str, Any]], total: list[float]
) -> dict[str, Any]:
    """One forecast line per segment in its colour, and the total's forecast dashed."""
    series = [
        {
            "name": segment["name"],
            "type": "line",
            "data": [{"x": d, "y": v} for d, v in zip(dates, segment["values"], strict=True)],
        }
        for segment in segments
    ]
    series.append(
        {
            "name": "Total forecast",
            "type": "line",
            "data": [{"x": d, "y": v} for d, v in zip(dates, total, strict=True)],
        }
    )
    return {
        "series": series,
        "colors": [segment["color"] for segment in segments] + [TOTAL_COLOR],
        "xaxis": {"type": "datetime"},
        "stroke": {
            "curve": "straight",
            "width": [2] * len(segments) + [2],
            "dashArray": [0] * len(segments) + [5],
        },
    }


def accuracy_chart_data(
    comparison: dict[str, list[Any]], lead_days: int, width: float
) -> dict[str, Any]:
    """Actual sales against the forecast made ``lead_days`` days earlier, with its band."""
    dates = comparison["dates"]
    percent = round(100 * width)
    return {
        "series": [
            {
                "name": "Actual sales",
                "type": "line",
                "data": [
                    {"x": d, "y": v} for d, v in zip(dates, comparison["actual"], strict=True)
                ],
            },
            {
                "name": f"Forecast made {lead_days} days earlier",
                "type": "line",
                "data": [
                    {"x": d, "y": v} for d, v in zip(dates, comparison["forecast"], strict=True)
                ],
            },
            {
                "name": f"{percent}% interval",
                "type": "rangeArea",
                "data": [
                    {"x": d, "y": [lo, hi]}
                    for d, lo, hi in zip(
                        dates, comparison["lower"], comparison["upper"], strict=True
                    )
                ],
            },
        ],
        "colors": [ACTUAL_COLOR, FORECAST_COLOR, BAND_COLOR],
        "xaxis": {"type": "datetime"},
        "stroke": {"curve": "straight", "width": [2, 2, 0]},
        "fill": {"opacity": [1, 1, 0.25]},
    }
