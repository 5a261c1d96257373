"""ApexCharts-ready chart data of a forecast answer (plain Python, no heavy imports)."""

from __future__ import annotations

from typing import Any


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
