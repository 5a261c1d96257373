"""boto3 clients with bounded time: every call to S3 or KMS ends well inside the caller's
timeout (API functions 29 s), so a hung endpoint turns into an error, not a hung request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from aktina_ml.config import Settings


def client_config(settings: Settings, budget: float | None = None) -> Any:
    """Connect/read timeouts and a bounded number of attempts ("standard" retry mode).

    With a ``budget`` (seconds, /health's), one attempt whose timeouts fit inside it.
    """
    from botocore.config import Config

    connect, read = settings.s3_connect_timeout_seconds, settings.s3_read_timeout_seconds
    attempts = settings.s3_max_attempts
    if budget is not None:
        connect, read, attempts = min(connect, budget / 3), min(read, budget / 3), 1
    return Config(
        connect_timeout=connect,
        read_timeout=read,
        retries={"total_max_attempts": attempts, "mode": "standard"},
    )


def worst_case_seconds(settings: Settings) -> float:
    """How long one call can take against an endpoint that accepts and never answers
    (each attempt waits out both timeouts; standard mode backs off ≤ 2^(n-1) s between)."""
    attempts = settings.s3_max_attempts
    per_attempt = settings.s3_connect_timeout_seconds + settings.s3_read_timeout_seconds
    return float(attempts * per_attempt + sum(2**n for n in range(attempts - 1)))


def s3_client(
    settings: Settings, endpoint_url: str | None = None, budget: float | None = None
) -> Any:
    import boto3

    config = client_config(settings, budget)
    return boto3.client("s3", config=config, endpoint_url=endpoint_url)


def kms_client(
    settings: Settings, endpoint_url: str | None = None, budget: float | None = None
) -> Any:
    import boto3

    config = client_config(settings, budget)
    return boto3.client("kms", config=config, endpoint_url=endpoint_url)


class Lazy:
    """A boto3 client created on first use (its creation costs tens of milliseconds of a
    cold start that may never need it)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._client: Any = None
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Build the client again on next use, with the same factory (its timeouts)."""
        with self._lock:
            self._client = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._factory()
        return getattr(self._client, name)
