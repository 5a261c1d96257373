"""The demand model kind: its store name, trainer and serving artifact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aktina_ml.demand import NAME
from aktina_ml.kind import ModelKind

if TYPE_CHECKING:
    from aktina_ml.kind import Trainer


def _trainer() -> Trainer:
    from aktina_ml.demand.training import train_demand

    return train_demand


def _artifact() -> type[Any]:
    from aktina_ml.demand.artifact import DemandArtifact

    return DemandArtifact


DEMAND = ModelKind(NAME, _trainer, _artifact)
