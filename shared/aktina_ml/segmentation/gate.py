"""The segmentation's quality gate: is a new segmentation fit to replace the promoted one?

Pure checks on what training has at hand: the retailers and their volume classes, the daily
sales, and the promoted model's manifest counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aktina_ml.quality_gate import GateVerdict, recent_sales_gap
from aktina_ml.segmentation.volume import VOLUME_CLASSES


@dataclass(frozen=True)
class SegmentationEvidence:
    """What the gate looks at."""

    retailers: int
    retailers_with_sales: int
    volume: NDArray[np.int64]  # volume class (0 low, 1 medium, 2 high) per retailer
    daily_amounts: (
        NDArray[np.float64] | None
    )  # Aktina sales per day up to yesterday, None if unknown
    previous_retailers: int | None  # the promoted model's retailer count


def check(
    evidence: SegmentationEvidence, max_retailer_drop: float, recent_zero_days: int
) -> GateVerdict:
    """The gate's verdict on a new segmentation."""
    problems = []
    if evidence.previous_retailers:
        floor = (1 - max_retailer_drop) * evidence.previous_retailers
        if evidence.retailers < floor:
            problems.append(
                f"retailer count collapsed: {evidence.retailers} retailers, the promoted model "
                f"has {evidence.previous_retailers} (limit: a drop of "
                f"{max_retailer_drop:.0%}, AKTINA_GATE_MAX_RETAILER_DROP)"
            )
    if evidence.retailers_with_sales == 0:
        problems.append(
            "no retailer has counted sales: check AKTINA_SELLER_COMPANY and "
            "AKTINA_SALE_STATUSES against the orders table"
        )
    elif len(np.unique(evidence.volume)) < 2:
        only = VOLUME_CLASSES[int(evidence.volume[0])] if len(evidence.volume) else "no"
        problems.append(f"every retailer is in one volume class ({only}): segments cannot differ")
    if evidence.daily_amounts is not None:
        gap = recent_sales_gap(evidence.daily_amounts, recent_zero_days)
        if gap:
            problems.append(gap)
    return GateVerdict(tuple(problems))
