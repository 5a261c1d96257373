"""HTTP caching for GET answers: an ETag from the model version, Cache-Control until the
next scheduled training (at most 24 h), and 304 for a matching If-None-Match.

A 304 is answered from the promoted manifest alone (no artifact loaded); otherwise the
middleware loads the model once and hands that same model to the route
(:func:`current_model`), so the ETag and the body always name one version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from aktina_ml.api.model_cache import LoadedModel, ModelCache
from aktina_ml.config import Settings

MAX_AGE_CAP = 24 * 3600
# A scheduled run needs a few minutes to train and promote; answers stay fresh until then.
TRAINING_MARGIN = timedelta(minutes=15)


def seconds_until_next_training(now: datetime, at: time, zone: ZoneInfo) -> int:
    """Seconds from ``now`` until the daily training at ``at`` (in ``zone``) has promoted."""
    local_now = now.astimezone(zone)
    ready = datetime.combine(local_now.date(), at, zone) + TRAINING_MARGIN
    if ready <= local_now:
        ready = datetime.combine(local_now.date() + timedelta(days=1), at, zone) + TRAINING_MARGIN
    # Subtract in UTC: same-zone datetime arithmetic ignores a daylight-saving change.
    return min(MAX_AGE_CAP, int((ready.astimezone(UTC) - now.astimezone(UTC)).total_seconds()))


def until_next_training(settings: Settings) -> Callable[[], int]:
    """Cache-Control max-age for answers of the models that the scheduled training replaces."""
    zone = ZoneInfo(settings.train_schedule_timezone)
    return lambda: seconds_until_next_training(
        datetime.now(UTC), settings.train_schedule_time, zone
    )


def etag_for(*parts: str) -> str:
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against ``etag``."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def conditional_get(
    models: ModelCache[Any], max_age: Callable[[], int]
) -> Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]:
    """A route middleware: ETag = model version + path + query; 304 when the client has it."""

    def load() -> tuple[tuple[str, ...], LoadedModel[Any]]:
        loaded = models.get()
        return (loaded.manifest.version,), loaded

    return conditional_get_of(lambda: (models.manifest().version,), load, max_age)


def conditional_get_of(
    versions: Callable[[], tuple[str, ...]],
    load: Callable[[], tuple[tuple[str, ...], Any]],
    max_age: Callable[[], int],
) -> Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]:
    """:func:`conditional_get` for an answer built from what ``versions`` names (read cheaply:
    manifests only); ``load`` loads it and returns the versions it loaded with what the
    route reads (``app.context["model"]``), so the ETag always names what the body was built
    from."""

    def middleware(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        event = app.current_event
        query = repr(sorted((event.query_string_parameters or {}).items()))

        def headers(names: tuple[str, ...]) -> dict[str, str]:
            etag = etag_for(*names, event.path, query)
            return {"ETag": etag, "Cache-Control": f"private, max-age={max_age()}"}

        promoted = headers(versions())
        if etag_matches(event.headers.get("If-None-Match"), promoted["ETag"]):
            return Response(status_code=304, headers=promoted)
        loaded_versions, loaded = load()
        app.append_context(model=loaded)
        response = next_middleware(app)
        if response.status_code == 200:
            response.headers.update(headers(loaded_versions))
        return response

    return middleware


def current_model(app: APIGatewayRestResolver) -> LoadedModel[Any]:
    """The model that :func:`conditional_get` loaded for this request."""
    loaded: LoadedModel[Any] = app.context["model"]
    return loaded
