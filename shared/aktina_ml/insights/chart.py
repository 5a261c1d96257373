"""The "Revenue & Demand" chart's data: monthly actuals and forecast (with its interval) of
revenue and, when a demand model serves, of units."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.forecasting.artifact import periods

if TYPE_CHECKING:
    from aktina_ml.forecasting.artifact import ForecastArtifact

# Forecast shown: about half a year, through the end of the month that day falls in (a month
# cut short would be drawn at the pace of its first days, which need not be the month's).
CHART_DAYS = 180


def month_lengths(dates: list[str]) -> np.ndarray:
    """The number of days of each date's calendar month."""
    months = np.array(dates, dtype="datetime64[D]").astype("datetime64[M]")
    lengths: np.ndarray = (months + np.timedelta64(1, "M")).astype("datetime64[D]") - months.astype(
        "datetime64[D]"
    )
    return lengths.astype(int)


def monthly(artifact: ForecastArtifact, digits: int) -> dict[str, Any]:
    """``{"history": {dates, values, partial, period_days}, "forecast": {dates, values, lower,
    upper, partial, period_days}}``; a month is partial when the data or the forecast covers
    only part of it (the month the data ends in, the month the forecast starts in, or the last
    month of the longest horizon), ``period_days`` the days it covers."""
    history = artifact.history["month"]
    history_dates = list(history.dates)
    totals = artifact.totals["month"]
    month_of_last_day = totals.keys[min(CHART_DAYS, artifact.horizon_days) - 1]
    keys = totals.keys[totals.keys <= month_of_last_day]
    starts, ends = periods(keys)
    dates = [artifact.days[i] for i in starts.tolist()]
    covered = ends - starts + 1

    def shown(values: np.ndarray) -> list[float]:
        rounded: list[float] = np.round(values, digits).tolist()
        return rounded

    return {
        "history": {
            "dates": history_dates,
            "values": shown(history.values),
            "partial": (history.period_days < month_lengths(history_dates)).tolist(),
            "period_days": history.period_days.tolist(),
        },
        "forecast": {
            "dates": dates,
            "values": shown(totals.point[ends]),
            "lower": shown(totals.lower[ends]),
            "upper": shown(totals.upper[ends]),
            "partial": (covered < month_lengths(dates)).tolist(),
            "period_days": covered.tolist(),
        },
    }
