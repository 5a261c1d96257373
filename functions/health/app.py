"""Health function: GET /health (each model's readiness) and GET /models (the manifests).

Reads only the promoted manifests (``<name>/current.json``), never an artifact, so it stays
cheap enough for the Laravel app to call before every chart.
"""

from __future__ import annotations

import hashlib
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from aktina_ml.api.errors import install_error_handlers
from aktina_ml.api.models import open_store
from aktina_ml.config import MODEL_NAMES, load_settings
from aktina_ml.observability import logger
from aktina_ml.store import Manifest

settings = load_settings()
store = open_store(settings)
app = APIGatewayRestResolver(enable_validation=True)
install_error_handlers(app)


def promoted() -> dict[str, Manifest | None]:
    return {name: store.current(name) for name in MODEL_NAMES}


@app.get("/health")
def health():
    manifests = promoted()
    models = {
        name: {
            "ready": manifest is not None,
            "version": manifest.version if manifest else None,
            "trained_at": manifest.created_at if manifest else None,
        }
        for name, manifest in manifests.items()
    }
    status = "ok" if all(m["ready"] for m in models.values()) else "degraded"
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body={"status": status, "models": models},
        headers={"Cache-Control": "no-store"},
    )


@app.get("/models")
def models():
    manifests = promoted()
    versions = ",".join(f"{name}={m.version if m else ''}" for name, m in manifests.items())
    etag = f'"{hashlib.sha256(versions.encode()).hexdigest()[:32]}"'
    # A new model can be promoted by any training run; clients re-check after the same
    # interval at which serving containers look for a new model.
    headers = {"ETag": etag, "Cache-Control": f"max-age={int(settings.model_refresh_seconds)}"}
    if etag_matches(app.current_event.headers.get("If-None-Match"), etag):
        return Response(status_code=304, headers=headers)
    body = {"models": {name: m.to_dict() if m else None for name, m in manifests.items()}}
    return Response(
        status_code=200, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against ``etag``."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
