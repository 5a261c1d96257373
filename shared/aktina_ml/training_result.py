"""The outcome of training one model kind, and the steps that end a run: refused by the
quality gate, or promoted (compare-and-swap, never over newer data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aktina_ml.model_store.manifest import (
    Manifest,
    PreconditionFailedError,
    StalePromotionError,
)
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger
from aktina_ml.quality_gate import GateVerdict


@dataclass(frozen=True)
class TrainingResult:
    """The outcome of one training run; ``promoted`` is False when the model was rejected.

    ``gate`` lists what the quality gate found (empty: passed or not reached); ``forced``
    says the model was promoted despite it (``AKTINA_FORCE_PROMOTE``).
    """

    model: str
    promoted: bool
    reason: str
    manifest: Manifest | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    gate: tuple[str, ...] = ()
    forced: bool = False

    @property
    def gate_failed(self) -> bool:
        """The quality gate kept this model from being promoted."""
        return bool(self.gate) and not self.forced

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "promoted": self.promoted,
            "reason": self.reason,
            "version": self.manifest.version if self.manifest else None,
            "metrics": self.metrics,
            "gate": {"passed": not self.gate, "problems": list(self.gate), "forced": self.forced},
        }

    def drift(self) -> int | None:
        """1 when the promoted model's monitoring saw drift, 0 when not, None if it has none."""
        if not self.promoted or self.manifest is None:
            return None
        drift = (self.manifest.metadata.get("monitoring") or {}).get("drift")
        return None if drift is None else int(bool(drift.get("detected")))


def data_as_of() -> str:
    """Now, as a training run records when it read its data (orders promotions)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def refused_by_gate(model: str, verdict: GateVerdict, metrics: dict[str, Any]) -> TrainingResult:
    """The result of a model the quality gate keeps from promotion (nothing is saved)."""
    reason = f"quality gate: {verdict.reason}"
    logger.info(f"{model} not promoted", extra={"reason": reason})  # the metric alarms
    return TrainingResult(model, False, reason, metrics=metrics, gate=verdict.problems)


def promote_saved(
    store: ModelStore, manifest: Manifest, verdict: GateVerdict, metrics: dict[str, Any]
) -> TrainingResult:
    """Promote a saved, validated model (compare-and-swap, never over newer data)."""
    try:
        store.promote(manifest)
    except (StalePromotionError, PreconditionFailedError) as exc:
        logger.warning(f"{manifest.name} not promoted", extra={"reason": str(exc)})
        return TrainingResult(manifest.name, False, str(exc), manifest, metrics, verdict.problems)
    reason = "promoted"
    if verdict.problems:
        reason = f"promoted despite the quality gate (AKTINA_FORCE_PROMOTE): {verdict.reason}"
    logger.info(f"{manifest.name} promoted", extra={"version": manifest.version, "reason": reason})
    return TrainingResult(
        manifest.name, True, reason, manifest, metrics, verdict.problems, bool(verdict.problems)
    )
