"""The registry lists the model kinds the settings name."""

from __future__ import annotations

from aktina_ml import config, registry
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.segmentation.artifact import SegmentationModel


def test_the_registry_lists_the_kinds_the_settings_name_in_the_same_order() -> None:
    # Given the kinds each package names, Then the registry and the settings agree on them
    assert registry.MODEL_NAMES == config.MODEL_NAMES == ("segmentation", "forecast", "demand")


def test_each_kind_names_its_serving_artifact() -> None:
    # Given the registry, Then each kind loads the artifact class serving expects
    assert registry.KINDS["segmentation"].artifact() is SegmentationModel
    assert registry.KINDS["forecast"].artifact() is ForecastArtifact
    assert registry.KINDS["demand"].artifact() is DemandArtifact
