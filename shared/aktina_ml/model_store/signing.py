"""Manifest signatures: a record that write access to the bucket alone cannot forge.

Training signs each manifest (which pins the artifact's sha256) with an asymmetric KMS key;
serving verifies with ``kms:Verify`` before it reads the artifact. The key policy lets only
the training roles sign, so an object written into the bucket by anyone else (a leaked
credential, a mistaken bucket policy, a replication job) is never loaded, and every
signature is in CloudTrail. The signed message is a digest of the whole manifest except its
signature, so metadata (the data date that orders promotions) is covered too.

The key is always the configured one, never the ``key_id`` a manifest names.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

SIGNATURE_FIELD = "signature"
ALGORITHM = "ECDSA_SHA_256"  # key spec ECC_NIST_P256, key usage SIGN_VERIFY
MESSAGE_PREFIX = b"aktina-ml manifest v1\n"


class SignatureError(RuntimeError):
    """A manifest's signature is missing, malformed or does not verify."""


def signed_message(manifest: dict[str, Any]) -> bytes:
    """What is signed for ``manifest``: a prefix and the sha256 of its canonical JSON."""
    unsigned = {k: v for k, v in manifest.items() if k != SIGNATURE_FIELD}
    canonical = json.dumps(
        unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str
    )
    return MESSAGE_PREFIX + hashlib.sha256(canonical.encode()).hexdigest().encode()


class ManifestSigner(Protocol):
    def sign(self, manifest: dict[str, Any]) -> dict[str, str]: ...


class ManifestVerifier(Protocol):
    def verify(self, manifest: dict[str, Any]) -> None: ...


@dataclass
class KmsSigner:
    """Signs and verifies with one asymmetric KMS key (a boto3 KMS client is passed in)."""

    client: Any
    key_id: str
    algorithm: str = ALGORITHM

    def sign(self, manifest: dict[str, Any]) -> dict[str, str]:
        """The ``signature`` field for ``manifest``."""
        answer = self.client.sign(
            KeyId=self.key_id,
            Message=signed_message(manifest),
            MessageType="RAW",
            SigningAlgorithm=self.algorithm,
        )
        return {
            "key_id": answer["KeyId"],
            "algorithm": self.algorithm,
            "value": base64.b64encode(answer["Signature"]).decode(),
        }


@dataclass
class KmsVerifier:
    """Verifies manifests with the configured key; remembers the manifests already verified
    (one KMS call per new pointer per container, not per request)."""

    client: Any
    key_id: str
    algorithm: str = ALGORITHM

    def __post_init__(self) -> None:
        self._verified: set[bytes] = set()

    def verify(self, manifest: dict[str, Any]) -> None:
        """Return when ``manifest`` carries a valid signature by the key; else raise."""
        signature = _signature_bytes(manifest, self.algorithm)
        message = signed_message(manifest)
        memo = hashlib.sha256(message + signature).digest()
        if memo in self._verified:
            return
        try:
            answer = self.client.verify(
                KeyId=self.key_id,
                Message=message,
                MessageType="RAW",
                Signature=signature,
                SigningAlgorithm=self.algorithm,
            )
        except self.client.exceptions.KMSInvalidSignatureException:
            raise SignatureError(_refused(manifest, "its signature does not verify")) from None
        except Exception as exc:  # KMS unreachable, throttled, access denied: cannot tell
            raise SignatureError(_refused(manifest, f"KMS could not verify it: {exc}")) from exc
        if not answer.get("SignatureValid"):
            raise SignatureError(_refused(manifest, "its signature does not verify"))
        if len(self._verified) > 64:
            self._verified.clear()
        self._verified.add(memo)


def _signature_bytes(manifest: dict[str, Any], algorithm: str) -> bytes:
    field = manifest.get(SIGNATURE_FIELD)
    if not isinstance(field, dict) or not isinstance(field.get("value"), str):
        raise SignatureError(_refused(manifest, "it is not signed"))
    if field.get("algorithm") != algorithm:
        raise SignatureError(_refused(manifest, f"it is not signed with {algorithm}"))
    try:
        return base64.b64decode(field["value"], validate=True)
    except binascii.Error:
        raise SignatureError(_refused(manifest, "its signature is not base64")) from None


def _refused(manifest: dict[str, Any], why: str) -> str:
    name, version = manifest.get("name", "?"), manifest.get("version", "?")
    return f"refusing {name} model {version}: {why}"
