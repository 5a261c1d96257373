"""The precomputed serving artifact (numpy arrays and plain values only) and its slices.

Built at training (see :mod:`aktina_ml.forecasting.fit`), pickled by the model store,
loaded and sliced on the GET path with numpy alone. Week and month totals are calendar
periods (weeks start on Monday). For every granularity it keeps, per forecast day ``d``, the
interval of the total *from the start of d's period (or the forecast start) through d*,
computed from the predictive sample paths. A horizon that ends inside a period is then
served exactly, and no interval is ever a sum of daily bounds (which would be far too wide:
daily errors partly cancel in a total).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.forecasting import NAME
from aktina_ml.forecasting.config import GRANULARITIES as GRANULARITIES
from aktina_ml.forecasting.config import Granularity as Granularity

if TYPE_CHECKING:
    from aktina_ml.forecasting.monitoring import ArchivedForecast
    from aktina_ml.forecasting.segments import SegmentForecast

MODEL_NAME = NAME  # the name in the model store
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RunningTotals:
    """Per forecast day: its period key and the running period total's point and interval."""

    keys: np.ndarray
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


@dataclass(frozen=True)
class History:
    """Actual sales per period, oldest first; the first and last period may be partial."""

    dates: tuple[str, ...]
    values: np.ndarray
    period_days: np.ndarray


@dataclass(frozen=True)
class ForecastArtifact:
    """Everything GET /forecast needs, plus the fitted Prophet model as Prophet's JSON."""

    trained_at: str
    days: tuple[str, ...]
    totals: dict[Granularity, RunningTotals]
    history: dict[Granularity, History]
    metrics: dict[str, Any]
    config: dict[str, Any]
    data_window: dict[str, Any]
    model_json: str
    schema_version: int = SCHEMA_VERSION
    # Each segment's forecast, reconciled with this one (forecasting/segments.py).
    segments: tuple[SegmentForecast, ...] = ()
    segments_summary: dict[str, Any] | None = None
    # The earlier promoted forecasts and how they did (forecasting/monitoring.py).
    archive: tuple[ArchivedForecast, ...] = ()
    accuracy: dict[str, Any] | None = None
    # The running total from the first forecast day through each day: the point and interval
    # of any span that starts with the forecast, e.g. the next 30 or 90 days.
    cumulative: RunningTotals | None = None

    @staticmethod
    def pickled_classes() -> tuple[type[Any], ...]:
        """The dataclasses an artifact holds: the model store's unpickling allow-list."""
        from aktina_ml.forecasting.monitoring import ArchivedForecast
        from aktina_ml.forecasting.segments import SegmentForecast

        return RunningTotals, History, SegmentForecast, ArchivedForecast

    @property
    def horizon_days(self) -> int:
        return len(self.days)


def period_keys(first_day: np.datetime64, n_days: int, granularity: Granularity) -> np.ndarray:
    """An integer per day, equal for days of the same calendar period."""
    days = first_day.astype("datetime64[D]") + np.arange(n_days)
    if granularity == "day":
        return days.astype("int64")
    if granularity == "week":
        return (days.astype("int64") + 3) // 7  # 1970-01-01 was a Thursday: weeks from Monday
    return days.astype("datetime64[M]").astype("int64")


def running_totals(
    point: np.ndarray, paths: np.ndarray, keys: np.ndarray, width: float
) -> RunningTotals:
    """Running totals within each period, for the point forecast and every sample path."""
    new_period = np.r_[True, keys[1:] != keys[:-1]]
    starts = np.flatnonzero(new_period)
    period = np.cumsum(new_period) - 1

    def within(values: np.ndarray) -> np.ndarray:
        cumulative = np.cumsum(values, axis=0)
        base = np.concatenate([np.zeros_like(cumulative[:1]), cumulative[starts[1:] - 1]])
        return cumulative - base[period]

    totals = within(paths)
    lower, upper = np.quantile(totals, [(1 - width) / 2, (1 + width) / 2], axis=1)
    return RunningTotals(keys=keys, point=within(point), lower=lower, upper=upper)


def period_history(
    first_day: np.datetime64, values: np.ndarray, granularity: Granularity
) -> History:
    """Sum daily actuals starting at ``first_day`` into calendar periods."""
    keys = period_keys(first_day, len(values), granularity)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], int)
    dates = first_day.astype("datetime64[D]") + starts
    return History(
        dates=tuple(str(d) for d in dates),
        values=np.add.reduceat(values, starts) if len(starts) else np.array([]),
        period_days=np.diff(np.r_[starts, len(values)]),
    )


def day_labels(first_day: np.datetime64, n_days: int) -> tuple[str, ...]:
    return tuple(str(d) for d in first_day.astype("datetime64[D]") + np.arange(n_days))


def periods(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of each run of equal keys."""
    ends = np.append(np.flatnonzero(keys[:-1] != keys[1:]), len(keys) - 1)
    return np.concatenate(([0], ends[:-1] + 1)), ends
