"""Health function: GET /health (each model's readiness) and GET /models (the manifests).

Reads the promoted manifests (``<name>/current.json``), verifies their signatures (once per
version) and HEADs their artifacts, never downloads a signed one, so it stays cheap enough for
the Laravel app to call before every chart. Both models are checked at once and /health
answers within AKTINA_HEALTH_DEADLINE_SECONDS (4 s; the function's timeout is 10 s), its S3
and KMS calls each one attempt with timeouts inside that budget.
"""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# No garbage collection while init builds its long-lived objects (imports, pydantic schemas):
# they are frozen out of collections and the collector turned on at the end of this module.
gc.disable()

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from aktina_ml.api.caching import etag_for, etag_matches, until_next_training
from aktina_ml.api.collector import freeze_init_objects
from aktina_ml.api.errors import install_error_handlers
from aktina_ml.api.snapstart import prepare_for_snapshot
from aktina_ml.config import load_settings
from aktina_ml.model_store.factories import open_store
from aktina_ml.model_store.manifest import Manifest
from aktina_ml.model_store.readiness import readiness_within
from aktina_ml.observability import logger
from aktina_ml.registry import MODEL_NAMES

settings = load_settings()
deadline = settings.health_deadline_seconds
store = open_store(settings, budget=deadline)
# Checks of a hung store finish in the background (bounded by the clients' timeouts), so a
# few spare workers keep the next requests' checks from queueing behind them.
checks = ThreadPoolExecutor(max_workers=4 * len(MODEL_NAMES), thread_name_prefix="health")
max_age = until_next_training(settings)
app = APIGatewayRestResolver(enable_validation=True)
install_error_handlers(app)


def promoted() -> dict[str, Manifest | None]:
    return {name: store.current(name) for name in MODEL_NAMES}


@app.get("/health")
def health() -> Response[Any]:
    """200 when every model is ready to serve, else 503; the same per-model body either way."""
    models = readiness_within(store, MODEL_NAMES, deadline, checks)
    ready = all(m["ready"] for m in models.values())
    return Response(
        status_code=200 if ready else 503,
        content_type=content_types.APPLICATION_JSON,
        body={"status": "ok" if ready else "degraded", "models": models},
        headers={"Cache-Control": "no-store"},
    )


@app.get("/models")
def models() -> Response[Any]:
    manifests = promoted()
    etag = etag_for(*(f"{name}={m.version if m else ''}" for name, m in manifests.items()))
    headers = {"ETag": etag, "Cache-Control": f"private, max-age={max_age()}"}
    if etag_matches(app.current_event.headers.get("If-None-Match"), etag):
        return Response(status_code=304, headers=headers)
    body = {"models": {name: m.to_dict() if m else None for name, m in manifests.items()}}
    return Response(
        status_code=200, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


prepare_for_snapshot(stores=(store,))  # SnapStart: a new S3 client after each restore
freeze_init_objects()
