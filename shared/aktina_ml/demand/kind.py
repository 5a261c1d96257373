"""The demand model kind: its store name, trainer and serving artifact."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

from aktina_ml.demand import NAME
from aktina_ml.kind import ModelKind

if TYPE_CHECKING:
    from aktina_ml.kind import Trainer


def _trainer() -> Trainer:
    # The trainer imports pandas and Prophet: looked up on first use only.
    return cast("Trainer", import_module("aktina_ml.demand.training").train_demand)


def _artifact() -> type[Any]:
    from aktina_ml.demand.artifact import DemandArtifact

    return DemandArtifact


DEMAND = ModelKind(NAME, _trainer, _artifact)
