"""The model store admits only signed, allow-listed artifacts of the right kind (moto S3, KMS).

The attacker here can write anything into the bucket (as the training role or anyone else
with s3:PutObject) but cannot sign with the KMS key.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest

from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactKindError,
    Manifest,
    ModelStoreError,
    PointerError,
    StalePromotionError,
)
from aktina_ml.model_store.signing import KmsSigner, KmsVerifier
from aktina_ml.model_store.store import ModelStore
from aktina_ml.segmentation.artifact import SegmentationModel
from tests.conftest import MODEL_BUCKET
from tests.support.artifacts import OtherToy, Toy
from tests.support.crafted import code_running_pickle


@pytest.fixture
def kms(s3: Any) -> Any:  # inside the same mock_aws as the bucket
    return boto3.client("kms", region_name="eu-west-1")


@pytest.fixture
def key(kms: Any) -> str:
    return kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]


@pytest.fixture
def store(s3: Any, kms: Any, key: str) -> ModelStore:
    """A signing and verifying store, as training has it."""
    return ModelStore(
        S3Backend(s3, MODEL_BUCKET, "models"), KmsSigner(kms, key), KmsVerifier(kms, key)
    )


def plant(s3: Any, name: str, version: str, data: bytes, manifest: dict[str, Any]) -> None:
    """Write an artifact, its manifest and the pointer straight into the bucket."""
    base = f"models/{name}/versions/{version}"
    s3.put_object(Bucket=MODEL_BUCKET, Key=f"{base}/model.joblib", Body=data)
    body = json.dumps(manifest).encode()
    s3.put_object(Bucket=MODEL_BUCKET, Key=f"{base}/manifest.json", Body=body)
    s3.put_object(Bucket=MODEL_BUCKET, Key=f"models/{name}/current.json", Body=body)


def forged_manifest(name: str, version: str, data: bytes, signature: Any = None) -> dict[str, Any]:
    manifest = {
        "name": name,
        "version": version,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
        "created_at": "2026-12-01T02:00:00+00:00",
        "metadata": {},
    }
    return manifest | ({"signature": signature} if signature else {})


def test_a_signed_model_round_trips(store):
    manifest = store.save("segmentation", Toy("good"), {"k": 2})
    store.promote(manifest)
    current = store.current("segmentation")
    assert current.signature["algorithm"] == "ECDSA_SHA_256"
    assert store.load(current, Toy).label == "good"


def test_a_code_running_pickle_with_its_sha256_in_the_pointer_is_refused(s3, store, tmp_path):
    # Given an attacker's pickle in the bucket, its sha256 in current.json, unsigned
    marker = tmp_path / "marker"
    data = code_running_pickle(marker)
    plant(s3, "segmentation", "evil", data, forged_manifest("segmentation", "evil", data))
    # When the store loads the promoted model
    with pytest.raises(ArtifactIntegrityError, match="not signed"):
        store.load(store.current("segmentation"), SegmentationModel)
    # And even with a signature copied from a genuine manifest
    genuine = store.save("segmentation", Toy("good"), {})
    copied = forged_manifest("segmentation", "evil", data, genuine.signature)
    plant(s3, "segmentation", "evil", data, copied)
    with pytest.raises(ArtifactIntegrityError, match="does not verify"):
        store.load(store.current("segmentation"), SegmentationModel)
    # Then no code ran
    assert not marker.exists()


def test_without_signatures_the_unpickler_still_refuses_the_payload(s3, tmp_path):
    # Given a store without a signing key (local use) and the attacker's pickle promoted
    marker = tmp_path / "marker"
    data = code_running_pickle(marker)
    plant(s3, "segmentation", "evil", data, forged_manifest("segmentation", "evil", data))
    store = ModelStore(S3Backend(s3, MODEL_BUCKET, "models"))
    # Then loading refuses it and runs nothing
    with pytest.raises(ArtifactKindError, match="system"):
        store.load(store.current("segmentation"), SegmentationModel)
    assert not marker.exists()


def test_an_artifact_of_the_wrong_kind_is_refused(store):
    # Given a validly signed artifact of another kind promoted under this name
    store.promote(store.save("segmentation", OtherToy("forecast-like"), {}))
    # Then it is refused, naming what it is
    with pytest.raises(ArtifactKindError, match="OtherToy"):
        store.load(store.current("segmentation"), Toy)


def test_a_malformed_pointer_is_a_store_error(s3, store):
    for body in (
        b"{not json",
        b"[]",
        b'{"name": "segmentation"}',
        json.dumps(
            {
                "name": "segmentation",
                "version": "v",
                "sha256": "x",
                "size_bytes": 1,
                "created_at": "",
            }
        ).encode(),
    ):
        s3.put_object(Bucket=MODEL_BUCKET, Key="models/segmentation/current.json", Body=body)
        with pytest.raises(PointerError, match="not a valid manifest"):
            store.current("segmentation")


def test_a_version_is_written_once(store):
    manifest = store.save("forecast", Toy("v1"), {})
    with pytest.raises(ModelStoreError):
        store.backend.put_if(
            f"forecast/versions/{manifest.version}/model.joblib",
            b"x",
            "application/octet-stream",
            None,
        )


def test_older_data_never_replaces_a_newer_model_unless_rolled_back(store):
    # Given a model trained on data read at 02:05 is promoted
    newer = store.save("forecast", Toy("newer"), {"data_as_of": "2026-12-01T02:05:00+00:00"})
    store.promote(newer)
    # When a run that read its data at 02:00 finishes later and tries to promote
    older = store.save("forecast", Toy("older"), {"data_as_of": "2026-12-01T02:00:00+00:00"})
    with pytest.raises(StalePromotionError, match="the newer model stays"):
        store.promote(older)
    assert store.current("forecast").version == newer.version
    # Then an operator can still roll back to it on purpose
    store.rollback("forecast", older.version, Toy)
    assert store.current("forecast").version == older.version


def test_a_rollback_to_a_version_that_does_not_load_is_refused(s3, store):
    good = store.save("forecast", Toy("good"), {})
    store.promote(good)
    other = store.save("forecast", OtherToy("x"), {})
    with pytest.raises(ArtifactKindError):
        store.rollback("forecast", other.version, Toy)
    with pytest.raises(ModelStoreError, match="no forecast version"):
        store.rollback("forecast", "20990101T000000000000Z-deadbeef", Toy)
    assert store.current("forecast").version == good.version


def test_check_finds_a_missing_artifact_with_a_head(s3, store):
    manifest = store.save("forecast", Toy("v"), {})
    store.promote(manifest)
    store.check(store.current("forecast"))
    s3.delete_object(
        Bucket=MODEL_BUCKET, Key=f"models/forecast/versions/{manifest.version}/model.joblib"
    )
    with pytest.raises(ModelStoreError, match="artifact missing"):
        store.check(store.current("forecast"))


def test_manifest_parse_keeps_the_signature(store):
    manifest = store.save("forecast", Toy("v"), {"x": 1.5})
    parsed = Manifest.parse(json.dumps(manifest.to_dict()).encode(), "here")
    assert parsed == manifest


def test_an_s3_artifact_larger_than_its_signed_manifest_is_refused_unread(s3, store):
    # Given a signed model whose artifact is then replaced by a larger object (same key)
    manifest = store.save("segmentation", Toy(3), {})
    store.promote(manifest)
    key = f"models/segmentation/versions/{manifest.version}/model.joblib"
    s3.put_object(Bucket=MODEL_BUCKET, Key=key, Body=b"\x80" + b"\0" * 5_000_000)
    # When it is loaded or checked, Then it is refused from its size alone
    with pytest.raises(ArtifactIntegrityError, match="more than"):
        store.load(manifest, Toy)
    with pytest.raises(ArtifactIntegrityError, match="holds 5,000,001 bytes"):
        store.check(manifest)


@pytest.mark.parametrize("version", ["../../outside/v1", "v1/../../../other"])
def test_a_signed_looking_pointer_with_a_path_in_its_version_is_refused(s3, store, version):
    data = b"\x80\x04N."
    plant(s3, "segmentation", "v1", data, forged_manifest("segmentation", version, data))
    with pytest.raises(PointerError, match="plain name"):
        store.current("segmentation")


def test_an_oversized_pointer_is_not_read(s3, store):
    s3.put_object(
        Bucket=MODEL_BUCKET, Key="models/segmentation/current.json", Body=b" " * 5_000_000
    )
    with pytest.raises(ModelStoreError, match="more than 4,194,304 bytes"):
        store.current("segmentation")
