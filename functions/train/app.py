"""Train function: on schedule (EventBridge) or by hand, fit models from MySQL and promote them.

The event may name the models to train, ``{"models": ["forecast"]}``; otherwise the
function trains ``AKTINA_TRAIN_MODELS``. The answer lists what was promoted and why not.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from aktina_ml.config import load_settings
from aktina_ml.observability import logger, metrics
from aktina_ml.registry import unknown_models
from aktina_ml.training import train_from_database

settings = load_settings()
tracer = Tracer()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    models = event.get("models") or settings.train_models
    unknown = unknown_models(models)
    if unknown:
        raise ValueError(f"unknown model(s) {unknown} in the event's 'models'")
    results = train_from_database(models, settings)
    for result in results:
        metrics.add_metric(
            name=f"{result.model}_promoted", unit=MetricUnit.Count, value=int(result.promoted)
        )
    return {"results": [result.to_dict() for result in results]}
