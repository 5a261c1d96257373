"""ModelStore on S3 (moto): the same contract as on disk, with keys under the prefix."""

from __future__ import annotations

import pytest

from aktina_ml.config import ModelStoreLocation
from aktina_ml.store import ArtifactIntegrityError, ModelStore
from tests.conftest import MODEL_BUCKET


def test_save_promote_load_round_trip_on_s3(s3):
    # Given a store under a prefix of the model bucket
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}/models"), s3)
    # When a model is saved and promoted
    manifest = store.save("segmentation", {"k": 4}, {"rows": 10})
    store.promote(manifest)
    # Then the objects sit under the prefix and the model loads back
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=MODEL_BUCKET)["Contents"]}
    assert keys == {
        f"models/segmentation/versions/{manifest.version}/model.joblib",
        f"models/segmentation/versions/{manifest.version}/manifest.json",
        "models/segmentation/current.json",
    }
    assert store.current("segmentation").sha256 == manifest.sha256
    assert store.load(store.current("segmentation")) == {"k": 4}


def test_overwritten_artifact_on_s3_is_refused(s3):
    # Given a promoted model whose artifact was replaced in the bucket
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}"), s3)
    manifest = store.save("forecast", [1.0, 2.0], {})
    store.promote(manifest)
    s3.put_object(
        Bucket=MODEL_BUCKET, Key=f"forecast/versions/{manifest.version}/model.joblib", Body=b"x"
    )
    # Then loading it is refused
    with pytest.raises(ArtifactIntegrityError):
        store.load(store.current("forecast"))


def test_missing_model_on_s3_reads_as_none(s3):
    store = ModelStore.from_location(ModelStoreLocation.parse(f"s3://{MODEL_BUCKET}/m"), s3)
    assert store.current("forecast") is None
