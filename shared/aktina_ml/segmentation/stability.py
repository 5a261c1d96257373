"""Choosing the number of segments for held-out value and stability.

Each candidate k is scored by cross-validation (held-out log loss of the volume class as
predicted by the retailer's segment, and its standard error) and by bootstrap stability:
the segmentation is refitted on resamples of the retailers and every retailer assigned again;
the adjusted Rand index (ARI) with the full fit says how much of the segmentation survives a
different sample. Only a k whose mean ARI is at least ``min_stability`` can be chosen (on
weak-signal data the earlier rule flipped between 3 and 8 segments across resamples, ARI
0.55–0.66); among those, the one-standard-error rule takes the fewest segments whose log loss
is within one standard error of the best. When no k is stable enough, the most stable one is
taken and the result says so. Everything is seeded: the same data give the same k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

MIN_STABILITY = 0.8


@dataclass(frozen=True)
class KScore:
    """What cross-validation and the bootstrap said about one number of segments."""

    k: int
    heldout_accuracy: float
    heldout_log_loss: float
    heldout_log_loss_se: float
    stability: float  # the lower of the mean bootstrap ARI and the mean seed ARI
    min_segment_fraction: float
    seed_stability: float = 1.0  # mean ARI of refits with other seeds on the same retailers

    def rounded(self) -> dict[str, Any]:
        return {
            key: round(value, 4) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


@dataclass(frozen=True)
class KChoice:
    k: int
    stable: bool  # the chosen k reached the stability threshold
    rule: str  # how it was chosen, in words


def bootstrap_stability(
    fit_assign: Callable[[np.ndarray], np.ndarray],
    reference: np.ndarray,
    rounds: int,
    seed: int,
) -> list[float]:
    """ARI between ``reference`` (labels of all n rows) and the labels that refits on
    ``rounds`` bootstrap resamples give all n rows (``fit_assign(rows)`` fits on ``rows``)."""
    rng = np.random.default_rng(seed)
    n = reference.size
    return [
        float(adjusted_rand_score(reference, fit_assign(rng.integers(0, n, n))))
        for _ in range(rounds)
    ]


def seed_stability(
    fit_labels: Callable[[int], np.ndarray], reference: np.ndarray, seeds: Sequence[int]
) -> float:
    """Mean ARI between ``reference`` and the labels of refits with each of ``seeds``."""
    return float(np.mean([adjusted_rand_score(reference, fit_labels(s)) for s in seeds]))


def choose_k(
    scores: Sequence[KScore],
    min_stability: float = MIN_STABILITY,
    min_segment_fraction: float = 0.0,
    floor: float | None = None,
) -> KChoice:
    """The fewest stable segments within one standard error of the best held-out log loss.

    When no k is stable and ``floor`` is given (the best single attribute's held-out accuracy
    less the fold noise), the smallest k whose segments still reach it; else the most stable.
    """
    if not scores:
        raise ValueError("no candidate k to choose from")
    sized = [s for s in scores if s.min_segment_fraction >= min_segment_fraction] or list(scores)
    stable = [s for s in sized if s.stability >= min_stability]
    useful = [s for s in sized if floor is not None and s.heldout_accuracy >= floor]
    if not stable and useful:
        fewest = min(useful, key=lambda s: s.k)
        return KChoice(
            fewest.k,
            False,
            f"no k reached bootstrap ARI {min_stability}; the smallest k whose segments still "
            f"predict volume as well as the best single attribute (k={fewest.k}, ARI "
            f"{fewest.stability:.2f}) was taken",
        )
    if not stable:
        most = max(sized, key=lambda s: (s.stability, -s.k))
        return KChoice(
            most.k,
            False,
            f"no k reached bootstrap ARI {min_stability}; the most stable "
            f"(k={most.k}, ARI {most.stability:.2f}) was taken",
        )
    best = min(stable, key=lambda s: s.heldout_log_loss)
    limit = best.heldout_log_loss + best.heldout_log_loss_se
    chosen = min((s for s in stable if s.heldout_log_loss <= limit), key=lambda s: s.k)
    return KChoice(
        chosen.k,
        True,
        f"fewest segments within one standard error of the best held-out log loss "
        f"(k={best.k}) among k with bootstrap ARI ≥ {min_stability}",
    )
