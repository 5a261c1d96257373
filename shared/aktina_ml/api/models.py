"""One model cache per serving container, built from the settings."""

from __future__ import annotations

from typing import Any

from aktina_ml.config import Settings
from aktina_ml.store import ModelCache, ModelStore


def open_store(settings: Settings, s3_client: Any = None) -> ModelStore:
    """The model store of ``AKTINA_MODEL_STORE``; an S3 client is created when none is given."""
    location = settings.store_location
    if location.is_s3 and s3_client is None:
        import boto3

        s3_client = boto3.client("s3")
    return ModelStore.from_location(location, s3_client)


def model_cache(name: str, settings: Settings, s3_client: Any = None) -> ModelCache[Any]:
    from aktina_ml.model_admin import artifact_type

    return ModelCache(
        open_store(settings, s3_client),
        name,
        artifact_type(name),
        settings.model_refresh_seconds,
    )
