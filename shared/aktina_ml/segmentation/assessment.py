"""Plain words on how good the segments are: against the best single attribute, against plain
KMeans on the same inputs at the k an outsider would pick for it, against a logistic
regression, their stability, and which dimensions carry the weight. Every baseline that
beats the segments is named with both figures and the gap.

The CLI, the manifest and ``GET /segments`` all show this, so a segmentation that tells less
about sales volume than one attribute alone (the app's 50-retailer sample: income) says so
with both figures instead of passing silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TOLERANCE = 0.005  # held-out accuracies this close are a tie (their fold-to-fold noise)
CARRYING_SHARE = 0.1  # a dimension "carries weight" with at least this share of the distance


def _label(dimension: str) -> str:
    return dimension.removeprefix("customer_").replace("_", " ")


def assess(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict on a fit's metrics (keys as :func:`model.fit_segmentation` writes them)."""
    accuracy = metrics["heldout_accuracy"]
    best, best_accuracy = (
        metrics["best_single_attribute"],
        metrics["best_single_attribute_accuracy"],
    )
    plain = metrics["plain_kmeans_accuracy"]
    stability, k = metrics["stability"], metrics["k"]
    shares = metrics["dimension_shares"]
    carrying = [
        d for d, s in sorted(shares.items(), key=lambda item: -item[1]) if s >= CARRYING_SHARE
    ]
    plain_k = metrics.get("plain_kmeans_k", k)
    logistic = metrics.get("logistic_regression_accuracy")
    vs_attribute = accuracy >= best_accuracy - TOLERANCE
    vs_plain = accuracy >= plain - TOLERANCE
    vs_logistic = logistic is None or accuracy >= logistic - TOLERANCE
    warnings = []
    if not vs_attribute:
        warnings.append(
            f"The segments predict sales volume worse than {_label(best)} alone: held-out "
            f"accuracy {accuracy:.3f} against {best_accuracy:.3f} ({best_accuracy - accuracy:.3f} "
            f"less). Grouping retailers by {_label(best)} tells more about their volume than "
            "these segments do."
        )
    if not vs_plain:
        warnings.append(
            f"The segments predict sales volume worse than plain KMeans on the same "
            f"demographics with its own best k ({plain_k}, by silhouette): held-out accuracy "
            f"{accuracy:.3f} against {plain:.3f} ({plain - accuracy:.3f} less)."
        )
    if not vs_logistic:
        warnings.append(
            f"A logistic regression on the same demographics predicts sales volume better than "
            f"the segments: held-out accuracy {logistic:.3f} against {accuracy:.3f} "
            f"({logistic - accuracy:.3f} more); it is a prediction, not a grouping, so the "
            "segments may still serve as groups."
        )
    if not metrics["stable"]:
        fallback = "smallest k whose segments" in str(metrics.get("k_rule", ""))
        warnings.append(
            f"The {k} segments are not stable: refits on resampled retailers or with other seeds "
            f"agree only "
            f"{stability:.2f} (adjusted Rand index, 0.8 wanted), so they may change at the next "
            f"training; {metrics['retailers']} retailers are too few or too alike for firmer ones."
            + (
                f" No k was stable, so k={k} is the smallest whose segments still predict "
                f"volume as well as {_label(best)} alone."
                if fallback
                else ""
            )
        )
    if not metrics["volume_guided"]:
        warnings.append(
            "No demographic tells anything about sales volume beyond noise: the segments are "
            "plain demographic groups with every dimension weighted alike."
        )
    weight = ", ".join(f"{_label(d)} {shares[d]:.0%}" for d in carrying) or "none"
    if warnings:
        summary = " ".join(warnings)
    else:
        summary = (
            f"The {k} segments predict sales volume at least as well as {_label(best)} alone "
            f"(held-out accuracy {accuracy:.3f} against {best_accuracy:.3f}) and as plain KMeans "
            f"at its own k ({plain:.3f}), and are stable (bootstrap ARI {stability:.2f})."
        )
    return {
        "as_good_as_best_single_attribute": vs_attribute,
        "as_good_as_plain_kmeans": vs_plain,
        "as_good_as_logistic_regression": vs_logistic,
        "stable": bool(metrics["stable"]),
        "weight_carried_by": carrying,
        "summary": f"{summary} Weight carried by: {weight}.",
        "warnings": warnings,
    }
