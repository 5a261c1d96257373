"""The restricted unpickler: our real artifacts load, anything that could run code does not."""

from __future__ import annotations

import contextlib
import io
import pickle
import resource
from collections.abc import Iterator

import joblib
import numpy as np
import pytest

from aktina_ml.forecasting.artifact import ForecastArtifact, History, RunningTotals
from aktina_ml.model_store.safe_pickle import (
    ForbiddenArtifactError,
    allowed_for,
    allowed_globals,
    restricted_load,
)
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.fit import fit_segmentation
from aktina_ml.segmentation.training import build_model
from tests.support.crafted import RunsCode, allocation_bombs, code_running_pickle
from tests.support.demo import demo_dataset, retailers_frame
from tests.support.forecast import synthetic_artifact

SEGMENTATION = allowed_for(SegmentationModel)  # the model and the dataclasses it holds
FORECAST = allowed_globals([ForecastArtifact, RunningTotals, History])


@contextlib.contextmanager
def address_space_capped(extra: int) -> Iterator[None]:
    """RLIMIT_AS at the current size plus ``extra`` bytes: an unbounded allocation fails with
    MemoryError instead of taking the machine's memory (restored after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (current + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def dumped(value: object, **options: object) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(value, buffer, **options)
    return buffer.getvalue()


def test_a_real_segmentation_artifact_loads_and_assigns_alike():
    # Given a segmentation trained on demo retailers, dumped as the store does
    frame = retailers_frame(demo_dataset(200, seed=5))
    model = build_model(fit_segmentation(frame), frame)
    # When it is loaded through the restricted unpickler
    loaded = restricted_load(dumped(model), SEGMENTATION)
    # Then it is the same model
    assert isinstance(loaded, SegmentationModel)
    assert np.array_equal(loaded.retailer_segments, model.retailer_segments)
    assert loaded.profiles == model.profiles


def test_a_real_forecast_artifact_loads():
    artifact = synthetic_artifact()
    loaded = restricted_load(dumped(artifact), FORECAST)
    assert isinstance(loaded, ForecastArtifact)
    assert np.array_equal(loaded.totals["day"].point, artifact.totals["day"].point)
    assert loaded.model_json == artifact.model_json


def test_numpy_scalars_and_plain_values_load():
    value = {"k": np.int64(3), "score": np.float64(0.5), "pair": (1, 2.5), "tags": {"a"}}
    assert restricted_load(dumped(value), SEGMENTATION) == value


def test_a_pickle_that_runs_code_is_refused_and_runs_nothing(tmp_path):
    # Given a pickle whose loading would run `touch marker`
    marker = tmp_path / "marker"
    data = code_running_pickle(marker)
    # When it is loaded through the restricted unpickler
    with pytest.raises(ForbiddenArtifactError, match=r"system"):
        restricted_load(data, SEGMENTATION)
    # Then nothing ran
    assert not marker.exists()


def test_the_payload_inside_an_object_array_is_refused_too(tmp_path):
    marker = tmp_path / "marker"
    array = np.empty(1, dtype=object)
    array[0] = RunsCode(marker)
    with pytest.raises(ForbiddenArtifactError):
        restricted_load(dumped({"centroids": array}), SEGMENTATION)
    assert not marker.exists()


def test_the_other_kind_of_artifact_is_refused():
    with pytest.raises(ForbiddenArtifactError, match="ForecastArtifact"):
        restricted_load(dumped(synthetic_artifact()), SEGMENTATION)


def test_array_subclasses_compressed_and_garbage_data_are_refused():
    masked = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    with pytest.raises(ForbiddenArtifactError):
        restricted_load(dumped(masked), SEGMENTATION)
    with pytest.raises(ForbiddenArtifactError, match="uncompressed"):
        restricted_load(dumped({"a": np.zeros(3)}, compress=3), SEGMENTATION)
    with pytest.raises(ForbiddenArtifactError, match="unreadable"):
        restricted_load(dumped({"a": np.zeros(3)})[:40], SEGMENTATION)
    with pytest.raises(ForbiddenArtifactError):
        restricted_load(pickle.dumps(np.zeros(2), protocol=1), SEGMENTATION)


BOMBS = allocation_bombs()


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_allocation_bombs_of_allowed_names_are_refused_before_allocating(name):
    # Given tens of bytes that name only allow-listed callables (or a length-prefixed opcode)
    # but would allocate gigabytes
    data = BOMBS[name]
    assert len(data) < 2_000
    # When loaded in a process capped at 1 GB of address space beyond what it has
    # Then the load is refused with a clear reason, not attempted
    with address_space_capped(1 << 30), pytest.raises(ForbiddenArtifactError) as refused:
        restricted_load(data, SEGMENTATION)
    assert "MemoryError" not in str(refused.value)
    assert "refused" in str(refused.value) or "bomb" in str(refused.value)


def test_real_bytearrays_sets_and_object_arrays_still_load():
    array = np.empty(2, dtype=object)
    array[:] = ["Kampala", bytearray(b"xy")]
    value = {"b": bytearray(b"abc"), "s": {1, 2}, "f": frozenset({3}), "names": array}
    for protocol in (4, 5):  # joblib writes the highest
        loaded = restricted_load(dumped(value, protocol=protocol), SEGMENTATION)
        assert (loaded["b"], loaded["s"], loaded["f"]) == (bytearray(b"abc"), {1, 2}, {3})
        assert list(loaded["names"]) == list(array)
