"""What a model kind is: its store name, its trainer and its serving artifact class.

Each kind names itself in its own package (``forecasting/kind.py``,
``segmentation/kind.py``); the entry points list them (:mod:`aktina_ml.registry`). Trainer
and class are looked up on first use: the health function reads the names only and imports
neither numpy nor scikit-learn. A trainer has the signature of :data:`Trainer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aktina_ml.config import Settings
    from aktina_ml.data.source import SalesSource
    from aktina_ml.model_store.store import ModelStore
    from aktina_ml.training_result import TrainingResult

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
