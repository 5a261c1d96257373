"""What a training run reports, for every model kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aktina_ml.store import Manifest


@dataclass(frozen=True)
class TrainingResult:
    """The outcome of one training run; ``promoted`` is False when the model was rejected."""

    model: str
    promoted: bool
    reason: str
    manifest: Manifest | None = None
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "promoted": self.promoted,
            "reason": self.reason,
            "version": self.manifest.version if self.manifest else None,
            "metrics": self.metrics,
        }
