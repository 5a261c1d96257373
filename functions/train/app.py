"""Train function: on schedule (EventBridge) or by hand, fit models from MySQL and promote them.

Events:

* the schedule's event, or ``{"models": ["forecast"]}``: train (default ``AKTINA_TRAIN_MODELS``);
  ``"force_promote": true`` promotes even when the quality gate fails;
* ``{"action": "list", "model": "forecast"}``: the saved versions, newest first;
* ``{"action": "rollback", "model": "forecast", "version": "..."}``: promote that version again;
* ``{"action": "demand_prepare" | "demand_fit" | "demand_finish", ...}``: one step of the demand
  training state machine (:mod:`aktina_ml.demand.staged`; events/demand_*.json).

Each training run publishes ``<model>_promoted``, ``<model>_gate_failed`` and
``<model>_model_age_hours`` (the promoted model's age after the run; the template alarms on it).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from aktina_ml.config import load_settings
from aktina_ml.demand.staged import ACTIONS as DEMAND_STEPS
from aktina_ml.demand.staged import run_step
from aktina_ml.model_store.admin import handle_event
from aktina_ml.model_store.factories import open_store
from aktina_ml.observability import logger, metrics
from aktina_ml.registry import unknown_models
from aktina_ml.training import run_metrics, train_from_database
from aktina_ml.training_result import TrainingResult

settings = load_settings()
tracer = Tracer()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("action") in DEMAND_STEPS:
        answer, finished = run_step(event, open_store(settings), settings)
        publish(finished)
        return answer
    if event.get("action", "train") != "train":
        return handle_event(event, open_store(settings), settings.train_models)
    models = event.get("models") or settings.train_models
    unknown = unknown_models(models)
    if unknown:
        raise ValueError(f"unknown model(s) {unknown} in the event's 'models'")
    run = settings
    if event.get("force_promote"):
        run = settings.model_copy(update={"force_promote": True})
    results = train_from_database(models, run)
    publish(results)
    return {"results": [result.to_dict() for result in results]}


def publish(results: list[TrainingResult]) -> None:
    for name, unit, value in run_metrics(results, open_store(settings)):
        metrics.add_metric(name=name, unit=unit, value=value)
