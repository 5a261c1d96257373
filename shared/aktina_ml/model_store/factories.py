"""The configured model store, built from the settings (AWS clients, signing)."""

from __future__ import annotations

from typing import Any

from aktina_ml.config import Settings
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger


def open_store(
    settings: Settings,
    s3_client: Any = None,
    kms_client: Any = None,
    budget: float | None = None,
) -> ModelStore:
    """The model store of ``AKTINA_MODEL_STORE`` with bounded-time AWS clients, created on
    first use when none is given (a function that never reads the store builds none);
    ``budget``: one attempt per call, with timeouts inside it (see :func:`aws.client_config`).

    With ``AKTINA_MODEL_SIGNING_KEY`` the store signs what it saves and loads only
    manifests whose signature verifies with that key.
    """
    from aktina_ml.model_store import aws

    location = settings.store_location
    if location.bucket is not None and s3_client is None:
        s3_client = aws.Lazy(lambda: aws.s3_client(settings, budget=budget))
    store = ModelStore.from_location(location, s3_client)
    store.max_artifact_bytes = settings.model_max_bytes
    if not settings.model_signing_key and location.bucket is not None:
        logger.warning(
            "AKTINA_MODEL_SIGNING_KEY is not set: manifests are neither signed nor verified "
            "(sha256 and the unpickling allow-list still apply)",
            extra={"model_store": settings.model_store},
        )
    if settings.model_signing_key:
        from aktina_ml.model_store.signing import KmsSigner, KmsVerifier

        kms = kms_client or aws.Lazy(lambda: aws.kms_client(settings, budget=budget))
        store.signer = KmsSigner(kms, settings.model_signing_key)
        store.verifier = KmsVerifier(kms, settings.model_signing_key)
    return store
