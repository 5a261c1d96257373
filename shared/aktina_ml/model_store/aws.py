"""boto3 clients with bounded time: every call to S3 or KMS ends well inside the caller's
timeout (API functions 29 s), so a hung endpoint turns into an error, not a hung request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from aktina_ml.config import Settings


def client_config(settings: Settings) -> Any:
    """Connect/read timeouts and a bounded number of attempts ("standard" retry mode)."""
    from botocore.config import Config

    return Config(
        connect_timeout=settings.s3_connect_timeout_seconds,
        read_timeout=settings.s3_read_timeout_seconds,
        retries={"total_max_attempts": settings.s3_max_attempts, "mode": "standard"},
    )


def worst_case_seconds(settings: Settings) -> float:
    """How long one call can take against an endpoint that accepts and never answers
    (each attempt waits out both timeouts; standard mode backs off ≤ 2^(n-1) s between)."""
    attempts = settings.s3_max_attempts
    per_attempt = settings.s3_connect_timeout_seconds + settings.s3_read_timeout_seconds
    return float(attempts * per_attempt + sum(2**n for n in range(attempts - 1)))


def s3_client(settings: Settings, endpoint_url: str | None = None) -> Any:
    import boto3

    return boto3.client("s3", config=client_config(settings), endpoint_url=endpoint_url)


def kms_client(settings: Settings, endpoint_url: str | None = None) -> Any:
    import boto3

    return boto3.client("kms", config=client_config(settings), endpoint_url=endpoint_url)


class Lazy:
    """A boto3 client created on first use (its creation costs tens of milliseconds of a
    cold start that may never need it)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._client: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._factory()
        return getattr(self._client, name)
