"""The quality gate's shared checks (pure functions) and its verdict.

Each model kind has its own gate (:mod:`aktina_ml.segmentation.gate`,
:mod:`aktina_ml.forecasting.gate`) that compares a new model with its data and with the
promoted model before promotion. A failing gate keeps the promoted model serving, names
its reasons in the training result and raises the ``<model>_gate_failed`` metric;
``AKTINA_FORCE_PROMOTE`` promotes anyway (the reasons are still reported).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

LOOKBACK_DAYS = 365
# A trailing run of zero days is a data gap when the history makes it this unlikely.
MAX_GAP_CHANCE = 1e-3


@dataclass(frozen=True)
class GateVerdict:
    """What the gate found; ``passed`` when nothing."""

    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str:
        return "; ".join(self.problems) if self.problems else "passed"


def recent_sales_gap(amounts: NDArray[np.float64], min_zero_days: int) -> str | None:
    """Why the last days look missing, or None.

    ``amounts`` is one value per day, oldest first, up to the last complete day. The trailing
    zero days are a gap when there are at least ``min_zero_days`` of them and the share ``p``
    of days with sales before them makes such a run unlikely: ``(1 - p) ** days < 0.001``.
    """
    values = np.asarray(amounts, dtype="float64")
    selling = np.flatnonzero(values > 0)
    if len(selling) == 0:
        return None  # no sales at all: each gate says so in its own words
    zero_run = len(values) - 1 - int(selling[-1])
    if zero_run < min_zero_days:
        return None
    before = values[int(selling[0]) : len(values) - zero_run][-LOOKBACK_DAYS:]
    share = float(np.mean(before > 0))
    if (1 - share) ** zero_run >= MAX_GAP_CHANCE:
        return None
    return (
        f"the last {zero_run} days have no sales although {share:.0%} of the "
        f"{len(before)} days before had sales (orders missing from the database?)"
    )
