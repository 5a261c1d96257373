"""HTTP caching for GET answers: an ETag from the model version, Cache-Control until the
next scheduled training (at most 24 h), and 304 for a matching If-None-Match."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

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
    version: Callable[[], str], max_age: Callable[[], int]
) -> Callable[[APIGatewayRestResolver, NextMiddleware], Response]:
    """A route middleware: ETag = model version + path + query; 304 when the client has it."""

    def middleware(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response:
        event = app.current_event
        query = sorted((event.query_string_parameters or {}).items())
        etag = etag_for(version(), event.path, repr(query))
        headers = {"ETag": etag, "Cache-Control": f"private, max-age={max_age()}"}
        if etag_matches(event.headers.get("If-None-Match"), etag):
            return Response(status_code=304, headers=headers)
        response = next_middleware(app)
        if response.status_code == 200:
            response.headers.update(headers)
        return response

    return middleware
