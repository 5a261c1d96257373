"""A fit's quality as one typed, frozen record (built once per fit by :mod:`fit`).

:meth:`FitQuality.to_dict` gives the names manifests, the training result, the API and the CLI
show; the field order is the order they are written in.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

# The figures training logs, returns and writes as a manifest's "quality".
SUMMARY_FIELDS = (
    "k",
    "silhouette",
    "volume_nmi",
    "min_segment_fraction",
    "heldout_accuracy",
    "heldout_log_loss",
    "best_single_attribute",
    "best_single_attribute_accuracy",
    "plain_kmeans_accuracy",
    "plain_kmeans_k",
    "logistic_regression_accuracy",
    "majority_class_accuracy",
    "stability",
    "seed_stability",
)


@dataclass(frozen=True)
class FitQuality:
    """Sizes, structure and held-out figures of one segmentation fit, and the verdict."""

    # the final fit
    k: int
    retailers: int
    segments_found: int
    silhouette: float
    min_segment_fraction: float
    volume_nmi: float
    volume_guided: bool
    dimension_weights: dict[str, float]
    dimension_shares: dict[str, float]
    categorical_inputs: dict[str, list[str]]
    numeric_inputs: list[str]
    volume_cut_points: list[float]
    # the chosen k, held out
    k_rule: str
    heldout_accuracy: float
    heldout_log_loss: float
    stability: float
    seed_stability: float
    stable: bool
    # the references, held out on the same folds
    plain_kmeans_k: int
    plain_kmeans_accuracy: float
    logistic_regression_accuracy: float
    majority_class_accuracy: float
    best_single_attribute: str
    best_single_attribute_accuracy: float
    single_attribute_accuracy: dict[str, float]
    business_field_accuracy: dict[str, float]
    folds: int
    plain_kmeans_same_k_accuracy: float
    k_scores: list[dict[str, Any]]
    # the verdict (assessment.assess)
    assessment: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Every figure under its published name, in field order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> dict[str, Any]:
        """The headline figures (:data:`SUMMARY_FIELDS`)."""
        return {name: getattr(self, name) for name in SUMMARY_FIELDS}

    @property
    def assessment_summary(self) -> str:
        return str(self.assessment["summary"])

    @property
    def warnings(self) -> list[str]:
        return list(self.assessment["warnings"])
