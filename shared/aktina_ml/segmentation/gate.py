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
    previous_retailers_with_sales: int | None = None  # … and how many of them bought


def check(
    evidence: SegmentationEvidence, max_retailer_drop: float, recent_zero_days: int
) -> GateVerdict:
    """The gate's verdict on a new segmentation."""
    problems = [
        problem
        for problem in (
            collapse(
                "retailer count collapsed",
                f"{evidence.retailers} retailers",
                evidence.retailers,
                evidence.previous_retailers,
                max_retailer_drop,
            ),
            collapse(
                "buying retailers collapsed",
                f"{evidence.retailers_with_sales} of {evidence.retailers} retailers have sales",
                evidence.retailers_with_sales,
                evidence.previous_retailers_with_sales,
                max_retailer_drop,
            ),
            sales_problem(evidence),
        )
        if problem
    ]
    if evidence.daily_amounts is not None:
        gap = recent_sales_gap(evidence.daily_amounts, recent_zero_days)
        if gap:
            problems.append(gap)
    return GateVerdict(tuple(problems))


def collapse(what: str, now: str, count: int, previous: int | None, max_drop: float) -> str | None:
    """Why ``count`` fell too far below the promoted model's ``previous`` count, or None."""
    if not previous or count >= (1 - max_drop) * previous:
        return None
    return (
        f"{what}: {now}, the promoted model has {previous} (limit: a drop of {max_drop:.0%}, "
        "AKTINA_GATE_MAX_RETAILER_DROP)"
    )


def sales_problem(evidence: SegmentationEvidence) -> str | None:
    """Why the retailers' sales cannot tell segments apart, or None."""
    if evidence.retailers_with_sales == 0:
        return (
            "no retailer has counted sales: check AKTINA_SELLER_COMPANY and "
            "AKTINA_SALE_STATUSES against the orders table"
        )
    if evidence.retailers_with_sales == 1 and evidence.retailers > 2:
        return (
            f"only 1 of {evidence.retailers} retailers has counted sales (every order on one "
            "buyer?): volume classes cannot differ"
        )
    if len(np.unique(evidence.volume)) < 2:
        only = VOLUME_CLASSES[int(evidence.volume[0])] if len(evidence.volume) else "no"
        return f"every retailer is in one volume class ({only}): segments cannot differ"
    return None
