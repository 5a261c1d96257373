"""How the served forecasts really did: an archive of promoted forecasts scored on actual sales.

Every promoted forecast leaves an :class:`ArchivedForecast` (its first
:data:`ARCHIVE_DAYS` daily values and interval bounds as float32, plus the error scale that
makes its MASE comparable with the backtest's: the seasonal-naive MAE of the last year of
sales it was trained on). Each training run carries the
archive forward in the new artifact and scores every archived forecast on the days whose
actual sales are now known:

* per version and lead (7, 30, 90 days ahead): MASE over its first ``lead`` days, and the
  share of those days inside the interval, once all ``lead`` days are known;
* a drift flag: the recent forecasts' 7-day MASE above the range the backtest promised
  (its worst fold times :data:`DRIFT_TOLERANCE`).

Numpy and plain values only, so the archive travels inside the serving artifact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from aktina_ml.forecasting.baseline import naive_scale

if TYPE_CHECKING:
    # annotations only: the artifact names this module's class among those it holds
    from aktina_ml.forecasting.artifact import ForecastArtifact

LEADS = (7, 30, 90)
ARCHIVE_DAYS = max(LEADS)
# One promoted forecast a day: about half a year of daily runs (≈ 0.6 MB as float32).
ARCHIVE_MAX_VERSIONS = 180
DRIFT_LEAD = 7
DRIFT_WINDOW_DAYS = 28
DRIFT_TOLERANCE = 1.25


@dataclass(frozen=True)
class ArchivedForecast:
    """One promoted forecast as it was served: day values and bounds from ``first_day``."""

    version: str
    first_day: str  # ISO date of the first forecast day (the day after its last known day)
    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    error_scale: float  # in-sample seasonal-naive MAE of its training history
    backtest_mase: tuple[float, ...]  # per-fold MASE promised by its backtest


def archived(
    version: str,
    first_day: str,
    point: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    error_scale: float,
    backtest_mase: Sequence[float],
) -> ArchivedForecast:
    """The archive entry of a forecast: its first :data:`ARCHIVE_DAYS` days, compactly."""

    def compact(values: np.ndarray) -> np.ndarray:
        return np.asarray(values[:ARCHIVE_DAYS], dtype="float32")

    return ArchivedForecast(
        version=version,
        first_day=first_day,
        point=compact(point),
        lower=compact(lower),
        upper=compact(upper),
        error_scale=float(error_scale),
        backtest_mase=tuple(float(m) for m in backtest_mase if np.isfinite(m)),
    )


def carried_forward(
    archive: Sequence[ArchivedForecast], entry: ArchivedForecast | None
) -> tuple[ArchivedForecast, ...]:
    """``archive`` plus ``entry`` (one entry per first day, newest wins), bounded in length."""
    entries = {a.first_day: a for a in archive}
    if entry is not None:
        entries[entry.first_day] = entry
    ordered = sorted(entries.values(), key=lambda a: a.first_day)
    return tuple(ordered[-ARCHIVE_MAX_VERSIONS:])


def days_between(first: str, second: str) -> int:
    """Days from ISO date ``first`` to ISO date ``second``."""
    return int((np.datetime64(second, "D") - np.datetime64(first, "D")).astype("int64"))


def actual_window(entry: ArchivedForecast, actual_first_day: str, actual: np.ndarray) -> np.ndarray:
    """Actual daily sales over ``entry``'s forecast days, as far as they are known."""
    offset = days_between(actual_first_day, entry.first_day)
    if offset < 0:
        return np.array([], dtype="float64")
    return np.asarray(actual[offset : offset + len(entry.point)], dtype="float64")


def score(
    entry: ArchivedForecast, actual_first_day: str, actual: np.ndarray
) -> dict[str, dict[str, float] | None]:
    """MASE and interval coverage of ``entry`` at each lead whose days are all known."""
    known = actual_window(entry, actual_first_day, actual)
    scores: dict[str, dict[str, float] | None] = {}
    for lead in LEADS:
        if len(known) < lead or lead > len(entry.point) or entry.error_scale <= 0:
            scores[str(lead)] = None
            continue
        days = known[:lead]
        errors = np.abs(days - entry.point[:lead])
        inside = (days >= entry.lower[:lead]) & (days <= entry.upper[:lead])
        scores[str(lead)] = {
            "mase": round(float(errors.mean() / entry.error_scale), 4),
            "coverage": round(float(inside.mean()), 4),
        }
    return scores


def accuracy_report(
    archive: Sequence[ArchivedForecast], actual_first_day: str, actual: np.ndarray
) -> dict[str, Any]:
    """Per-version scores, their average per lead, and the drift flag."""
    versions: list[dict[str, Any]] = [
        {
            "version": a.version,
            "first_day": a.first_day,
            "leads": score(a, actual_first_day, actual),
        }
        for a in archive
    ]
    summary: dict[str, dict[str, float | int] | None] = {}
    for lead in LEADS:
        scored = [v["leads"][str(lead)] for v in versions if v["leads"][str(lead)]]
        summary[str(lead)] = (
            {
                "forecasts": len(scored),
                "mase": round(float(np.mean([s["mase"] for s in scored])), 4),
                "coverage": round(float(np.mean([s["coverage"] for s in scored])), 4),
            }
            if scored
            else None
        )
    return {"leads": list(LEADS), "versions": versions, "summary": summary} | drift(
        archive, versions, actual_first_day, len(actual)
    )


def drift(
    archive: Sequence[ArchivedForecast],
    versions: Sequence[dict[str, Any]],
    actual_first_day: str,
    actual_days: int,
) -> dict[str, Any]:
    """Drift: recent 7-day MASE above the worst backtest fold (with a tolerance)."""
    last_known = str(np.datetime64(actual_first_day, "D") + _days(actual_days - 1))
    recent = [
        (a, v["leads"][str(DRIFT_LEAD)])
        for a, v in zip(archive, versions, strict=True)
        if v["leads"][str(DRIFT_LEAD)]
        and days_between(a.first_day, last_known) < DRIFT_WINDOW_DAYS + DRIFT_LEAD
    ]
    promised = [max(a.backtest_mase) for a, _ in recent if a.backtest_mase]
    if not recent or not promised:
        return {"drift": {"detected": False, "reason": "not enough scored forecasts yet"}}
    observed = float(np.mean([s["mase"] for _, s in recent]))
    limit = float(np.mean(promised)) * DRIFT_TOLERANCE
    detected = observed > limit
    return {
        "drift": {
            "detected": detected,
            "recent_mase": round(observed, 4),
            "backtest_limit": round(limit, 4),
            "forecasts": len(recent),
            "reason": (
                f"the last {len(recent)} forecasts' {DRIFT_LEAD}-day MASE {observed:.2f} is above "
                f"the backtest's range (worst fold × {DRIFT_TOLERANCE}: {limit:.2f})"
                if detected
                else f"{DRIFT_LEAD}-day MASE {observed:.2f} within the backtest's range "
                f"(≤ {limit:.2f})"
            ),
        }
    }


def lead_comparison(
    archive: Sequence[ArchivedForecast],
    actual_first_day: str,
    actual: np.ndarray,
    lead_days: int,
) -> dict[str, list[Any]]:
    """For each known day: the newest forecast made at least ``lead_days`` days before it
    (its first day at least ``lead_days - 1`` days earlier), with its band.

    With daily training that is the forecast made exactly ``lead_days`` days before; when
    training skipped days, the one before it.
    """
    ordered = sorted(archive, key=lambda a: a.first_day)
    starts = np.array([np.datetime64(a.first_day, "D") for a in ordered], dtype="datetime64[D]")
    first = np.datetime64(actual_first_day, "D")
    dates, actuals, points, lowers, uppers, versions = [], [], [], [], [], []
    for index, value in enumerate(np.asarray(actual, dtype="float64")):
        day = first + _days(index)
        made = int(np.searchsorted(starts, day - _days(lead_days - 1), side="right")) - 1
        if made < 0:
            continue
        entry = ordered[made]
        ahead = int((day - starts[made]).astype("int64"))
        if ahead >= len(entry.point):
            continue
        dates.append(str(day))
        actuals.append(round(float(value), 2))
        points.append(round(float(entry.point[ahead]), 2))
        lowers.append(round(float(entry.lower[ahead]), 2))
        uppers.append(round(float(entry.upper[ahead]), 2))
        versions.append(entry.version)
    return {
        "dates": dates,
        "actual": actuals,
        "forecast": points,
        "lower": lowers,
        "upper": uppers,
        "versions": versions,
    }


def backtest_mase(metrics: dict[str, Any]) -> tuple[float, ...]:
    """The per-fold MASE a forecast's backtest promised (its mean when folds aren't kept)."""
    folds = metrics.get("fold_mase")
    if folds:
        return tuple(float(m) for m in folds if m is not None)
    mase = metrics.get("mase")
    return () if mase is None else (float(mase),)


def with_monitoring(
    artifact: ForecastArtifact,
    previous: ForecastArtifact | None,
    previous_version: str | None,
    history_first_day: str,
    history: np.ndarray,
) -> ForecastArtifact:
    """``artifact`` carrying the earlier forecasts forward (the previous one added) and how
    each did on ``history`` (actual daily sales from ``history_first_day``)."""
    archive: tuple[ArchivedForecast, ...] = ()
    if previous is not None and previous_version is not None:
        day = previous.totals["day"]
        entry = archived(
            previous_version,
            previous.days[0],
            day.point,
            day.lower,
            day.upper,
            naive_scale(previous.history["day"].values),
            backtest_mase(previous.metrics),
        )
        archive = carried_forward(previous.archive, entry)
    report = accuracy_report(archive, history_first_day, history)
    return replace(artifact, archive=archive, accuracy=report)


def monitoring_summary(report: dict[str, Any] | None) -> dict[str, Any]:
    """The manifest's part of the accuracy report: the drift flag and the per-lead averages
    (what ``/health`` and ``/models`` show without loading the artifact)."""
    if not report or "summary" not in report:
        return {"drift": {"detected": False, "reason": "no earlier forecasts yet"}}
    return {"drift": report["drift"], "summary": report["summary"]}


def _days(count: int) -> np.timedelta64:
    return np.timedelta64(count, "D")
