"""Forecast monitoring: archived forecasts scored on the actual sales that arrived later."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting import monitoring
from aktina_ml.forecasting.monitoring import archived, carried_forward


def entry(first_day: str, level: float, width: float = 10.0, backtest=(0.8, 1.0)):
    point = np.full(monitoring.ARCHIVE_DAYS, level)
    return archived(f"v-{first_day}", first_day, point, point - width, point + width, 5.0, backtest)


def test_scores_each_lead_once_all_its_days_are_known():
    # Given a forecast of 100 a day from 2026-01-01 and 30 known days of actual 104
    forecast = entry("2026-01-01", 100.0)
    actual = np.full(30, 104.0)

    # When it is scored
    scores = monitoring.score(forecast, "2026-01-01", actual)

    # Then 7 and 30 days ahead are scored (MASE = 4 / 5, every day inside ±10), 90 not yet
    assert scores["7"] == {"mase": 0.8, "coverage": 1.0}
    assert scores["30"] == {"mase": 0.8, "coverage": 1.0}
    assert scores["90"] is None


def test_actuals_that_start_earlier_are_aligned_by_date():
    # Given actuals from 2025-12-25 (7 days before the forecast starts), then 120 a day
    forecast = entry("2026-01-01", 100.0)
    actual = np.r_[np.zeros(7), np.full(10, 120.0)]

    # When it is scored
    scores = monitoring.score(forecast, "2025-12-25", actual)

    # Then only the forecast's own days count: off by 20, outside the ±10 band
    assert scores["7"] == {"mase": 4.0, "coverage": 0.0}


def test_archive_keeps_one_entry_per_first_day_and_is_bounded():
    # Given more daily forecasts than the archive keeps, one of them retrained the same day
    days = np.datetime64("2026-01-01") + np.arange(monitoring.ARCHIVE_MAX_VERSIONS + 5)
    archive: tuple = ()
    for day in days:
        archive = carried_forward(archive, entry(str(day), 100.0))
    archive = carried_forward(archive, entry(str(days[-1]), 150.0))

    # Then the newest entries are kept, the retrained day once, with its newer values
    assert len(archive) == monitoring.ARCHIVE_MAX_VERSIONS
    assert archive[-1].first_day == str(days[-1])
    assert float(archive[-1].point[0]) == 150.0
    assert archive[0].first_day == str(days[5])


def test_drift_is_flagged_when_recent_errors_leave_the_backtest_range():
    # Given daily forecasts of 100 whose backtest promised MASE ≤ 1.0, and actuals at 100
    days = [str(np.datetime64("2026-03-01") + np.timedelta64(i, "D")) for i in range(20)]
    archive = tuple(entry(day, 100.0) for day in days)
    steady = np.full(40, 100.0)
    # and a sales level that fell to 60 (8 × the error scale)
    collapsed = np.r_[np.full(5, 100.0), np.full(35, 60.0)]

    # When both are reported
    calm = monitoring.accuracy_report(archive, days[0], steady)
    drifted = monitoring.accuracy_report(archive, days[0], collapsed)

    # Then only the collapse is drift, with the figures that say why
    assert calm["drift"]["detected"] is False
    assert drifted["drift"]["detected"] is True
    assert drifted["drift"]["recent_mase"] > drifted["drift"]["backtest_limit"] == 1.25
    assert drifted["summary"]["7"]["forecasts"] == 20


def test_lead_comparison_pairs_each_day_with_the_newest_forecast_made_lead_days_before():
    # Given forecasts starting on three consecutive days with different levels
    archive = (entry("2026-01-01", 10.0), entry("2026-01-02", 20.0), entry("2026-01-03", 30.0))
    actual = np.arange(6, dtype=float)

    # When days are compared with the forecast made (at least) 2 days earlier
    chart = monitoring.lead_comparison(archive, "2026-01-01", actual, lead_days=2)

    # Then 01-02 pairs with the forecast starting 01-01, 01-03 with 01-02's, and from 01-04
    # on the newest forecast old enough is 01-03's
    assert chart["dates"] == ["2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06"]
    assert chart["forecast"] == [10.0, 20.0, 30.0, 30.0, 30.0]
    assert chart["actual"] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert chart["versions"][:3] == ["v-2026-01-01", "v-2026-01-02", "v-2026-01-03"]
