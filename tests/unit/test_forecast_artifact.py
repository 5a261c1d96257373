"""Calendar periods, period totals from sample paths, and serving slices (numpy only)."""

from __future__ import annotations

import numpy as np
import pytest

from aktina_ml.api.forecast_answers import forecast_response
from aktina_ml.forecasting.artifact import (
    ForecastArtifact,
    day_labels,
    period_history,
    period_keys,
    running_totals,
)

FIRST = np.datetime64("2025-01-30", "D")  # a Thursday, two days before a new month


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    # When keying 10 days from Thursday 30 January 2025
    week = period_keys(FIRST, 10, "week")
    month = period_keys(FIRST, 10, "month")
    # Then Monday 3 February starts a new week and 1 February a new month
    assert np.flatnonzero(np.diff(week)).tolist() == [3]  # between index 3 (Sun) and 4 (Mon)
    assert np.flatnonzero(np.diff(month)).tolist() == [1]  # between 31 Jan and 1 Feb
    assert len(set(period_keys(FIRST, 10, "day").tolist())) == 10


def correlated_paths(days: int, samples: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Paths with a shared random level per path (so totals are not independent sums)."""
    rng = np.random.default_rng(seed)
    point = 100 + 10 * np.sin(np.arange(days))
    paths = point[:, None] + rng.normal(0, 20, (1, samples)) + rng.normal(0, 30, (days, samples))
    return point, paths


@pytest.mark.parametrize("granularity", ["week", "month"])
def test_period_intervals_are_quantiles_of_summed_paths(granularity: str) -> None:
    # Given 60 days of sample paths and their calendar periods
    point, paths = correlated_paths(60, 4000)
    keys = period_keys(FIRST, 60, granularity)
    # When computing running period totals
    totals = running_totals(point, paths, keys, 0.8)
    # Then at each period's last day the interval equals the Monte-Carlo quantiles of the
    # per-path sums over that period, and is narrower than summed daily bounds
    daily_lower, daily_upper = np.quantile(paths, [0.1, 0.9], axis=1)
    for key in np.unique(keys):
        days = np.flatnonzero(keys == key)
        sums = paths[days].sum(axis=0)
        last = days[-1]
        assert totals.lower[last] == pytest.approx(np.quantile(sums, 0.1))
        assert totals.upper[last] == pytest.approx(np.quantile(sums, 0.9))
        assert totals.point[last] == pytest.approx(point[days].sum())
        if len(days) > 2:
            summed_width = daily_upper[days].sum() - daily_lower[days].sum()
            assert totals.upper[last] - totals.lower[last] < 0.9 * summed_width


def test_period_history_sums_actuals_into_calendar_periods() -> None:
    # Given 10 days of actuals 1..10 from Thursday 30 January
    history = period_history(FIRST, np.arange(1.0, 11.0), "week")
    # Then the partial first week (Thu-Sun) and the next (Mon-Sun, 6 days here) are summed
    assert history.dates == ("2025-01-30", "2025-02-03")
    assert history.values.tolist() == [1 + 2 + 3 + 4, 5 + 6 + 7 + 8 + 9 + 10]
    assert history.period_days.tolist() == [4, 6]


def artifact_from_paths(days: int = 365) -> ForecastArtifact:
    point, paths = correlated_paths(days, 500)
    return ForecastArtifact(
        trained_at="2025-01-29T03:00:00+00:00",
        days=day_labels(FIRST, days),
        totals={
            g: running_totals(point, paths, period_keys(FIRST, days, g), 0.8)
            for g in ("day", "week", "month")
        },
        history={
            g: period_history(FIRST - np.timedelta64(14, "D"), np.full(14, 5.0), g)
            for g in ("day", "week", "month")
        },
        metrics={"mase": 0.8},
        config={"interval_width": 0.8},
        data_window={"first_day": "2024-01-01", "last_day": "2025-01-29", "days": 395},
        model_json="{}",
    )


@pytest.mark.parametrize(
    ("horizon", "granularity", "periods", "first_days", "last_days"),
    [
        (1, "day", 1, 1, 1),
        (30, "day", 30, 1, 1),
        (12, "week", 3, 4, 1),  # Thu-Sun, Mon-Sun, Mon
        (3, "month", 2, 2, 1),  # 30-31 Jan, 1 Feb
        (365, "month", 13, 2, 29),  # partial January ... partial January 2026
    ],
)
def test_forecast_response_slices_horizon_and_granularity(
    horizon: int, granularity: str, periods: int, first_days: int, last_days: int
) -> None:
    # Given an artifact
    artifact = artifact_from_paths()
    # When asking for a horizon at a granularity
    answer = forecast_response(artifact, "v1", horizon, granularity)
    # Then there is one value per calendar period, covering exactly the horizon
    assert len(answer["dates"]) == len(answer["values"]) == len(answer["upper"]) == periods
    assert sum(answer["period_days"]) == horizon
    assert (answer["period_days"][0], answer["period_days"][-1]) == (first_days, last_days)
    assert answer["dates"][0] == "2025-01-30"
    assert all(lo <= hi for lo, hi in zip(answer["lower"], answer["upper"], strict=True))
    # And the period values are the sums of the daily values they cover
    daily = forecast_response(artifact, "v1", horizon, "day")
    assert sum(answer["values"]) == pytest.approx(sum(daily["values"]), abs=0.01 * periods)
    # And the legacy keys mirror the new ones; the chart has history, forecast and a band
    assert answer["forecast_values"] == answer["values"]
    assert answer["forecast_lower_bound"] == answer["lower"]
    names = [s["type"] for s in answer["chart"]["series"]]
    assert names == ["line", "line", "rangeArea"]
    band = answer["chart"]["series"][2]["data"]
    assert band[0] == {"x": answer["dates"][0], "y": [answer["lower"][0], answer["upper"][0]]}
    assert answer["model_version"] == "v1"
    assert sum(answer["history"]["period_days"]) == 14


def test_forecast_response_refuses_a_horizon_beyond_the_artifact() -> None:
    artifact = artifact_from_paths(30)
    with pytest.raises(ValueError, match="horizon_days"):
        forecast_response(artifact, "v1", 31, "day")
