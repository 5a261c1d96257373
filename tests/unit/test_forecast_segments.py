"""Per-segment forecasts reconciled top-down with the total forecast."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting.artifact import RunningTotals
from aktina_ml.forecasting.segments import reconciled, reconciliation_summary


def totals(point, spread=0.1) -> RunningTotals:
    point = np.asarray(point, dtype=float)
    return RunningTotals(
        keys=np.arange(len(point)),
        point=point,
        lower=point * (1 - spread),
        upper=point * (1 + spread),
    )


def test_segments_add_up_to_the_total_and_keep_their_shares_and_relative_widths():
    # Given a total forecast of 100 a day and two segments that add up to 80 or 125
    total = {"day": totals([100.0, 100.0])}
    segments = {1: {"day": totals([60.0, 100.0])}, 2: {"day": totals([20.0, 25.0], 0.5)}}

    # When they are reconciled
    result = reconciled(total, segments)

    # Then they sum to the total each day, in their own proportions
    summed = result[1]["day"].point + result[2]["day"].point
    np.testing.assert_allclose(summed, [100.0, 100.0])
    np.testing.assert_allclose(result[1]["day"].point, [75.0, 80.0])
    # And each interval keeps its relative width
    np.testing.assert_allclose(result[2]["day"].upper / result[2]["day"].point, 1.5)
    summary = reconciliation_summary(total, segments)
    assert summary["factor_min"] == 0.8
    assert summary["factor_max"] == 1.25


def test_days_where_every_segment_forecasts_zero_stay_zero():
    # Given a day where no segment expects sales
    total = {"day": totals([0.0, 10.0])}
    segments = {1: {"day": totals([0.0, 5.0])}, 2: {"day": totals([0.0, 5.0])}}

    # When reconciled, Then that day stays 0 and nothing is divided by zero
    result = reconciled(total, segments)
    assert result[1]["day"].point.tolist() == [0.0, 5.0]
