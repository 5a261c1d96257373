"""The forecast model kind: its store name, trainer and serving artifact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aktina_ml.forecasting import NAME
from aktina_ml.kind import ModelKind

if TYPE_CHECKING:
    from aktina_ml.kind import Trainer


def _trainer() -> Trainer:
    from aktina_ml.forecasting.training import train_forecast

    return train_forecast


def _artifact() -> type[Any]:
    from aktina_ml.forecasting.artifact import ForecastArtifact

    return ForecastArtifact


FORECAST = ModelKind(NAME, _trainer, _artifact)
