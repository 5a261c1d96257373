"""Cache lifetimes follow the training schedule; ETags compare as RFC 9110 says."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from aktina_ml.api.caching import etag_for, etag_matches, seconds_until_next_training

KAMPALA = ZoneInfo("Africa/Kampala")


@pytest.mark.parametrize(
    ("now_utc", "expected_seconds"),
    [
        # 22:00 Kampala: training at 02:00 promotes by 02:15 → 4 h 15 min
        (datetime(2026, 3, 1, 19, 0, tzinfo=UTC), 4 * 3600 + 900),
        # 02:10 Kampala, the run is still promoting → 5 minutes
        (datetime(2026, 3, 1, 23, 10, tzinfo=UTC), 300),
        # 02:20 Kampala, just after promotion → until tomorrow's run, capped at 24 h
        (datetime(2026, 3, 1, 23, 20, tzinfo=UTC), 23 * 3600 + 55 * 60),
    ],
)
def test_answers_stay_fresh_until_the_next_training_has_promoted(now_utc, expected_seconds):
    assert seconds_until_next_training(now_utc, time(2, 0), KAMPALA) == expected_seconds


def test_daylight_saving_night_is_counted_in_real_seconds():
    # Given 12:00 in New York on the day before clocks go forward (a 23-hour night)
    now = datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
    # Then the time until 03:00 + 15 min local the next day is 14 h 15 min, not 15 h 15 min
    seconds = seconds_until_next_training(now, time(3, 0), ZoneInfo("America/New_York"))
    assert seconds == 14 * 3600 + 900


def test_etag_comparison_accepts_lists_weak_tags_and_star():
    etag = etag_for("v1", "/forecast", "[]")
    assert etag_matches(f'"other", W/{etag}', etag)
    assert etag_matches("*", etag)
    assert not etag_matches('"other"', etag)
    assert not etag_matches(None, etag)
    assert etag != etag_for("v2", "/forecast", "[]")
