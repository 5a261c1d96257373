"""Manifest signatures with an asymmetric KMS key (KMS through moto)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from aktina_ml.model_store.signing import KmsSigner, KmsVerifier, SignatureError, signed_message

MANIFEST = {
    "name": "forecast",
    "version": "20261201T020000000000Z-abcdef12",
    "sha256": "ab" * 32,
    "size_bytes": 1234,
    "created_at": "2026-12-01T02:00:00+00:00",
    "metadata": {"data_as_of": "2026-12-01T02:00:00+00:00", "metrics": {"mase": 0.8}},
}


@pytest.fixture
def kms(aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("kms", region_name="eu-west-1")


def signing_key(kms: Any) -> str:
    return kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]


def signed(kms: Any, key: str, manifest: dict[str, Any]) -> dict[str, Any]:
    return manifest | {"signature": KmsSigner(kms, key).sign(manifest)}


def test_a_signed_manifest_verifies(kms):
    key = signing_key(kms)
    KmsVerifier(kms, key).verify(signed(kms, key, MANIFEST))


def test_any_change_to_a_signed_manifest_is_refused(kms):
    # Given a signed manifest
    key = signing_key(kms)
    manifest = signed(kms, key, MANIFEST)
    # When an attacker points it at another artifact (or edits any metadata)
    for path, value in (("sha256", "cd" * 32), ("metadata", {"data_as_of": "2099-01-01"})):
        tampered = copy.deepcopy(manifest)
        tampered[path] = value
        # Then it is refused
        with pytest.raises(SignatureError, match="does not verify"):
            KmsVerifier(kms, key).verify(tampered)


def test_unsigned_and_foreign_signatures_are_refused(kms):
    key, other = signing_key(kms), signing_key(kms)
    with pytest.raises(SignatureError, match="not signed"):
        KmsVerifier(kms, key).verify(MANIFEST)
    # A signature by another key, even one the manifest names, is not ours
    foreign = signed(kms, other, MANIFEST)
    with pytest.raises(SignatureError):
        KmsVerifier(kms, key).verify(foreign)
    broken = MANIFEST | {"signature": {"algorithm": "ECDSA_SHA_256", "value": "not base64!"}}
    with pytest.raises(SignatureError, match="base64"):
        KmsVerifier(kms, key).verify(broken)


def test_the_signed_message_ignores_key_order_and_the_signature_itself():
    reordered = dict(reversed(list(MANIFEST.items())))
    assert signed_message(reordered) == signed_message(MANIFEST)
    assert signed_message(MANIFEST | {"signature": {"value": "x"}}) == signed_message(MANIFEST)


def test_a_kms_failure_is_a_signature_error(kms):
    # Given a signed manifest and a verifier whose key KMS cannot find (deleted, wrong id)
    manifest = signed(kms, signing_key(kms), MANIFEST)
    missing = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    # Then verification fails closed
    with pytest.raises(SignatureError, match="KMS could not verify"):
        KmsVerifier(kms, missing).verify(manifest)
