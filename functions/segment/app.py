"""Segment function: serves the trained segmentation (model loaded once per container).

Routes: GET /segments, GET /segments/{retailer_id}, POST /segments/assign and the Laravel
app's legacy POST /segment-customers. Answers are shaped in aktina_ml.api.segments.
"""

from __future__ import annotations

import gc
from typing import Any

# No garbage collection while init builds its long-lived objects (imports, pydantic schemas):
# they are frozen out of collections and the collector turned on at the end of this module.
gc.disable()

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from aktina_ml.api import segments
from aktina_ml.api.caching import conditional_get, current_model, until_next_training
from aktina_ml.api.collector import freeze_init_objects, without_collector_pauses
from aktina_ml.api.model_cache import model_cache
from aktina_ml.api.resolver import json_resolver, with_row_cap
from aktina_ml.api.snapstart import prepare_for_snapshot
from aktina_ml.config import load_settings
from aktina_ml.observability import logger
from aktina_ml.segmentation.contracts import (
    AssignRequest,
    AssignResponse,
    LegacyRequest,
    LegacyResponse,
    RetailerSegment,
)
from aktina_ml.segmentation.kind import SEGMENTATION

settings = load_settings()
app = json_resolver(settings.segment_max_body_bytes, "AKTINA_SEGMENT_MAX_BODY_BYTES")
# The promoted segmentation, loaded on first use and refreshed when training promotes another.
models = model_cache(SEGMENTATION, settings)
cacheable = conditional_get(models, until_next_training(settings))
# At most AKTINA_SEGMENT_MAX_RETAILERS rows, counted before any row is validated (413 above).
AssignBody = with_row_cap(AssignRequest, "retailers", settings.segment_max_retailers)
LegacyBody = with_row_cap(LegacyRequest, "retailers", settings.segment_max_retailers)


def _json(body: str) -> Response:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=body)


@app.get(
    "/segments",
    summary="Every segment with its profile, every retailer's segment, and chart data",
    middlewares=[cacheable],
)
def list_segments():  # answers pre-rendered JSON (Response)
    return _json(segments.overview_json(current_model(app)))


@app.get(
    "/segments/<retailer_id>",
    summary="The segment of one known retailer",
    middlewares=[cacheable],
)
def get_segment(retailer_id: int) -> RetailerSegment:
    return segments.retailer_segment(current_model(app), retailer_id)


@app.post("/segments/assign", summary="Assign retailers by their demographics")
def assign(request: AssignBody) -> AssignResponse:
    segments.check_unique_ids([r.id for r in request.retailers])
    return segments.assignments(models.get(), [r.model_dump() for r in request.retailers])


@app.post(
    "/segment-customers",
    summary="Legacy: the Laravel app's segmentation call",
    responses={
        200: {"description": "Segments", "content": {"application/json": {"model": LegacyResponse}}}
    },
)
def segment_customers(request: LegacyBody):  # answers JSON rendered here (Response)
    segments.check_unique_ids([r["id"] for r in request.retailers])
    answer = segments.legacy_answer(models.get().model, request.retailers)
    return _json(segments.dumps(answer))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@without_collector_pauses
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


prepare_for_snapshot(models)  # SnapStart: load before the snapshot, refresh after restore
freeze_init_objects()
