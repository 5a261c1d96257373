"""The segmentation model kind: its store name, trainer and serving artifact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aktina_ml.kind import ModelKind
from aktina_ml.segmentation import NAME

if TYPE_CHECKING:
    from aktina_ml.kind import Trainer


def _trainer() -> Trainer:
    from aktina_ml.segmentation.training import train_segmentation

    return train_segmentation


def _artifact() -> type[Any]:
    from aktina_ml.segmentation.artifact import SegmentationModel

    return SegmentationModel


SEGMENTATION = ModelKind(NAME, _trainer, _artifact)
