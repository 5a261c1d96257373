"""Interval calibration per granularity: days, Monday–Sunday weeks, calendar months."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting import intervals
from aktina_ml.forecasting.artifact import period_keys

WIDTH = 0.8
HORIZON = 91


def _ar1(rng: np.random.Generator, shape: tuple[int, ...], phi: float, sd: float) -> np.ndarray:
    noise = rng.normal(0.0, sd, shape)
    out = np.empty(shape)
    out[0] = noise[0]
    for t in range(1, shape[0]):
        out[t] = phi * out[t - 1] + noise[t]
    return out


def _folds(seed: int, count: int) -> list[dict[str, np.ndarray]]:
    """Held-out windows of a series whose noise is AR(1) (φ = 0.8), judged against paths that
    wrongly treat the noise as independent from day to day (same daily spread)."""
    rng = np.random.default_rng(seed)
    point = np.full(HORIZON, 1000.0)
    daily_sd = 50.0 / np.sqrt(1 - 0.8**2)  # the AR(1) process's marginal spread
    folds = []
    for k in range(count):
        actual = point + _ar1(rng, (HORIZON,), 0.8, 50.0)
        paths = point[:, None] + rng.normal(0.0, daily_sd, (HORIZON, 500))
        first_day = np.datetime64("2025-01-06") + np.timedelta64(7 * k, "D")
        folds.append(intervals.stretches(first_day, actual, point, paths, WIDTH))
    return folds


def test_independent_paths_make_week_and_month_intervals_too_narrow() -> None:
    # Given correlated errors and paths with independent daily noise
    folds = _folds(seed=1, count=40)
    # When the raw (unscaled) intervals are judged
    raw = intervals.coverage(folds, {"day": 1.0, "week": 1.0, "month": 1.0})
    # Then days are about right but period totals are covered far too rarely
    assert 0.72 <= raw["day"] <= 0.88
    assert raw["week"] < 0.6
    assert raw["month"] < 0.5


def test_calibration_per_granularity_restores_coverage_on_new_windows() -> None:
    # Given scales learned on one set of held-out windows of the correlated series
    learned = intervals.scales(_folds(seed=2, count=60), WIDTH)
    # When judging fresh windows with them
    covered = intervals.coverage(_folds(seed=3, count=60), learned)
    # Then every granularity's 80 % interval holds about 80 % of actual totals
    assert learned["week"] > 1.5
    assert learned["month"] > learned["week"]
    for granularity in ("day", "week", "month"):
        assert 0.72 <= covered[granularity] <= 0.88, (granularity, covered)


def test_running_totals_restart_each_period_and_stay_non_negative() -> None:
    # Given 10 days from a Saturday, a point of 1 a day and paths spread around it
    keys = period_keys(np.datetime64("2025-01-04"), 10, "week")
    point = np.ones(10)
    paths = point[:, None] + np.linspace(-3.0, 3.0, 101)[None, :]
    # When computing week running totals with a wide scale
    totals = intervals.running_totals(point, paths, keys, WIDTH, scale=5.0)
    # Then the Monday restarts the total and no bound is negative
    assert totals.point.tolist() == [1, 2, 1, 2, 3, 4, 5, 6, 7, 1]
    assert (totals.lower >= 0).all()
    assert (totals.lower <= totals.point).all()
    assert (totals.upper >= totals.point).all()


def test_honest_coverage_leaves_each_fold_out() -> None:
    # Given folds, the leave-one-out coverage is defined from two folds on
    folds = _folds(seed=4, count=6)
    assert intervals.honest_coverage(folds[:1], WIDTH)["week"] is None
    honest = intervals.honest_coverage(folds, WIDTH)
    assert all(0.0 <= v <= 1.0 for v in honest.values() if v is not None)


def test_later_folds_weigh_more_in_the_scale() -> None:
    # Given three folds, oldest first, whose errors shrink towards the present
    folds = [
        {g: np.full(10, stretch) for g in ("day", "week", "month")} for stretch in (3.0, 2.0, 1.0)
    ]
    # When the scales are learned
    learned = intervals.scales(folds, WIDTH)
    # Then they follow the recent folds (equal weights would take the oldest fold's 3.0)
    assert learned == {"day": 2.0, "week": 2.0, "month": 2.0}


def test_calibration_never_narrows_intervals_below_half_their_own_width() -> None:
    # Given folds whose actuals all fell near the point forecast (a calm stretch)
    folds = [{g: np.full(10, 0.1) for g in ("day", "week", "month")} for _ in range(3)]
    # When the scales are learned, they stop at half the members' own width
    assert intervals.scales(folds, WIDTH) == {"day": 0.5, "week": 0.5, "month": 0.5}


def test_stretches_are_those_of_the_served_running_totals() -> None:
    # Given a held-out window with skewed paths, some negative, starting mid-week and mid-month
    rng = np.random.default_rng(7)
    point = 100.0 + 30.0 * np.sin(np.arange(HORIZON))
    paths = point[:, None] * rng.lognormal(0.0, 0.4, (HORIZON, 300)) - 20.0
    actual = point * rng.lognormal(0.0, 0.3, HORIZON)
    first_day = np.datetime64("2025-03-13")
    # When the stretches are computed (quantiles at the period ends only)
    found = intervals.stretches(first_day, actual, point, paths, WIDTH)
    # Then they equal the ones read off the running totals GET /forecast serves
    for granularity, values in found.items():
        keys = period_keys(first_day, HORIZON, granularity)
        totals = intervals.running_totals(point, paths, keys, WIDTH)
        ends = intervals.period_ends(keys)
        truth = intervals._within(actual, keys)[ends]
        centre, lower, upper = totals.point[ends], totals.lower[ends], totals.upper[ends]
        half = np.where(truth >= centre, upper - centre, centre - lower)
        deviation = np.abs(truth - centre)
        expected = np.divide(
            deviation, half, out=np.where(deviation > 0, np.inf, 0.0), where=half > 0
        )
        assert np.array_equal(values, expected), granularity
