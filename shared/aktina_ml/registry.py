"""The model kinds this service trains and serves, each named once.

A kind is its store name, its trainer and its serving artifact class. Trainer and class are
looked up on first use: the health function reads the names only and imports neither
numpy nor scikit-learn. A new kind plugs in with one :class:`ModelKind` entry in
:data:`KINDS` (its trainer has the signature of :data:`Trainer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aktina_ml.config import Settings
    from aktina_ml.data.source import SalesSource
    from aktina_ml.store import ModelStore
    from aktina_ml.training import TrainingResult

    Trainer = Callable[[SalesSource, ModelStore, Settings], TrainingResult]


@dataclass(frozen=True)
class ModelKind:
    """One model kind: ``name`` in the store and the settings, how it trains, what it serves."""

    name: str
    trainer: Callable[[], Trainer]  # returns the training function (imports its module)
    artifact: Callable[[], type[Any]]  # returns the class of the artifact that serving loads

    def train(self, source: SalesSource, store: ModelStore, settings: Settings) -> TrainingResult:
        """Fit this kind on ``source``; save, validate and promote a sound model."""
        return self.trainer()(source, store, settings)


def _segmentation_trainer() -> Trainer:
    from aktina_ml.segmentation.training import train_segmentation

    return train_segmentation


def _segmentation_artifact() -> type[Any]:
    from aktina_ml.segmentation.artifact import SegmentationModel

    return SegmentationModel


def _forecast_trainer() -> Trainer:
    from aktina_ml.forecasting.training import train_forecast

    return train_forecast


def _forecast_artifact() -> type[Any]:
    from aktina_ml.forecasting.artifact import ForecastArtifact

    return ForecastArtifact


SEGMENTATION = ModelKind("segmentation", _segmentation_trainer, _segmentation_artifact)
FORECAST = ModelKind("forecast", _forecast_trainer, _forecast_artifact)
KINDS: dict[str, ModelKind] = {kind.name: kind for kind in (SEGMENTATION, FORECAST)}
MODEL_NAMES: tuple[str, ...] = tuple(KINDS)


def unknown_models(names: tuple[str, ...] | list[str]) -> list[str]:
    """The names in ``names`` that are no model kind, sorted."""
    return sorted(set(names) - set(KINDS))
