"""The forecast's quality gate: is a new forecast fit to replace the promoted one?

Pure checks on the artifact and the daily history it was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aktina_ml.quality_gate import LOOKBACK_DAYS, GateVerdict, recent_sales_gap

LEVEL_DAYS = 30  # the forecast's level: its mean over the first 30 days


@dataclass(frozen=True)
class ForecastEvidence:
    """What the gate looks at."""

    history: NDArray[np.float64]  # daily sales, oldest first, up to the last complete day
    forecast: NDArray[np.float64]  # daily point forecast from the next day on
    backtest: dict[str, Any]  # backtest metrics (mase, mase_seasonal_naive, ...)


def check(evidence: ForecastEvidence, max_level_ratio: float, recent_zero_days: int) -> GateVerdict:
    """The gate's verdict on a new forecast."""
    problems = []
    gap = recent_sales_gap(evidence.history, recent_zero_days)
    if gap:
        problems.append(gap)
    mase, naive = evidence.backtest.get("mase"), evidence.backtest.get("mase_seasonal_naive")
    if mase is not None and naive is not None and mase > naive:
        problems.append(f"backtest worse than seasonal naive (MASE {mase:.3f} vs {naive:.3f})")
    jump = level_jump(evidence.history, evidence.forecast, max_level_ratio)
    if jump:
        problems.append(jump)
    return GateVerdict(tuple(problems))


def level_jump(
    history: NDArray[np.float64], forecast: NDArray[np.float64], max_ratio: float
) -> str | None:
    """Why the recent sales or the forecast are far outside the history's 30-day levels, or
    None.

    The baseline is the year *before* the last 30 days: the window being judged is never part
    of its own yardstick (prices ×1000 over the last month once set the baseline's top, and a
    forecast ×856 passed).
    """
    values = np.asarray(history, dtype="float64")[-(LOOKBACK_DAYS + LEVEL_DAYS) :]
    baseline, recent = values[:-LEVEL_DAYS], values[-LEVEL_DAYS:]
    if len(baseline) < LEVEL_DAYS or len(forecast) == 0:
        return None
    rolling = np.convolve(baseline, np.ones(LEVEL_DAYS) / LEVEL_DAYS, mode="valid")
    low, high = float(rolling.min()), float(rolling.max())
    levels = {
        "the last 30 days' sales level": float(np.mean(recent)),
        "forecast level": float(np.mean(np.asarray(forecast, dtype="float64")[:LEVEL_DAYS])),
    }
    for name, level in levels.items():
        if level > max_ratio * high or level < low / max_ratio:
            return (
                f"{name} {level:,.2f}/day is far outside the 30-day levels of the year before "
                f"them, {low:,.2f}–{high:,.2f} (limit ×{max_ratio:g}, AKTINA_GATE_MAX_LEVEL_RATIO)"
            )
    return None
