"""One model cache per serving container, built from the settings."""

from __future__ import annotations

from typing import Any

from aktina_ml.config import Settings
from aktina_ml.store import ModelCache, ModelStore


def open_store(settings: Settings, s3_client: Any = None, kms_client: Any = None) -> ModelStore:
    """The model store of ``AKTINA_MODEL_STORE``, with bounded-time AWS clients.

    With ``AKTINA_MODEL_SIGNING_KEY`` the store signs what it saves and loads only manifests
    whose signature verifies.
    """
    from aktina_ml.aws import kms_client as new_kms_client
    from aktina_ml.aws import s3_client as new_s3_client

    location = settings.store_location
    if location.is_s3 and s3_client is None:
        s3_client = new_s3_client(settings)
    store = ModelStore.from_location(location, s3_client)
    if settings.model_signing_key:
        from aktina_ml.signing import KmsSigner, KmsVerifier

        kms = kms_client or new_kms_client(settings)
        store.signer = KmsSigner(kms, settings.model_signing_key)
        store.verifier = KmsVerifier(kms, settings.model_signing_key)
    return store


def model_cache(
    name: str, settings: Settings, s3_client: Any = None, kms_client: Any = None
) -> ModelCache[Any]:
    from aktina_ml.model_admin import artifact_type

    return ModelCache(
        open_store(settings, s3_client, kms_client),
        name,
        artifact_type(name),
        settings.model_refresh_seconds,
    )
