"""Demand training in steps, for the state machine that fans the per-product fits out.

The daily state machine (template.yaml, ``DemandTrainingStateMachine``) runs the same three
functions as the in-process :func:`~aktina_ml.demand.training.train_demand`, one Lambda
invocation each, and hands what one step made to the next through a staging area of the
model store, ``demand/staging/<run>/``:

* ``demand_prepare``: :func:`~aktina_ml.demand.training.prepare_demand`; writes ``run.json``
  (the run's options), ``plan.npz`` (the plan) and ``tasks.json``, the Distributed Map's
  item list (its ItemReader reads it): one ``demand_fit`` event per product, task inline;
* ``demand_fit``: :func:`~aktina_ml.demand.fit.fit_product` of one task; writes
  ``fits/<index>.npz`` (a fit, or why it failed);
* ``demand_finish``: reads the plan and every fit back and calls
  :func:`~aktina_ml.demand.training.finish_demand`. A product without a usable fit (its fit
  raised, or its Map item failed or timed out) gets the simple method instead
  (:func:`fallback_fit`) and is named in the result's ``fan_out``.

Nothing read back can run code: ``.npz`` files through :mod:`.staged_codec` (no pickle,
allow-listed dataclasses), JSON documents bounded by the store's document limit, every file
by a size cap. The staging area lives in the model bucket, under the model's prefix; a bucket
lifecycle rule removes old runs.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aktina_ml.demand import NAME
from aktina_ml.demand.staged_codec import StagedFileError, decode, encode
from aktina_ml.model_store.backends import Backend

if TYPE_CHECKING:
    from aktina_ml.config import Settings
    from aktina_ml.data.source import SalesSource
    from aktina_ml.demand.config import DemandConfig
    from aktina_ml.demand.fit import ProductFit, ProductTask
    from aktina_ml.demand.training import DemandPlan
    from aktina_ml.model_store.store import ModelStore
    from aktina_ml.training_result import TrainingResult

PREPARE, FIT, FINISH = "demand_prepare", "demand_fit", "demand_finish"
ACTIONS = (PREPARE, FIT, FINISH)
STAGING = f"{NAME}/staging"  # under the model store's prefix
RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$")
MAX_PLAN_BYTES = 256 * 1024 * 1024
MAX_FIT_BYTES = 16 * 1024 * 1024
# Unpacked, in memory: a plan holds every product's daily units; a fit its forecast.
MAX_PLAN_UNPACKED = 1024 * 1024 * 1024
MAX_FIT_UNPACKED = 256 * 1024 * 1024
# Step Functions passes at most 256 KiB to one Map item; the rest is the event's envelope.
MAX_ITEM_BYTES = 200_000
MAX_TASKS = 1_000_000
READERS = 16  # fits read back at once by the finish step
NPZ, JSON = "application/octet-stream", "application/json"


class StagedRunError(ValueError):
    """A staged step's event or files are not what the run wrote."""


@dataclass(frozen=True)
class StagingArea:
    """One staged run's files, by key under the model store's backend (S3 or a directory).

    ``object_prefix`` is the store's S3 prefix: the Map's ItemReader needs the full key.
    """

    backend: Backend
    run: str
    object_prefix: str = ""

    def key(self, name: str) -> str:
        return f"{STAGING}/{self.run}/{name}"

    def object_key(self, name: str) -> str:
        """The bucket's key of ``name`` (what the state machine reads)."""
        key = self.key(name)
        return f"{self.object_prefix}/{key}" if self.object_prefix else key

    def fit_key(self, index: int) -> str:
        return self.key(f"fits/{index:07d}.npz")

    def read(self, name: str, limit: int) -> bytes | None:
        return self.backend.get_artifact(self.key(name), limit)


def staging_area(store: ModelStore, settings: Settings, run: object) -> StagingArea:
    """The staged run ``run`` in the configured model store (checked: no path in a run id)."""
    if not isinstance(run, str) or not RUN_ID.fullmatch(run):
        raise StagedRunError(f"not a staged run id: {str(run)[:40]!r}")
    location = settings.store_location
    return StagingArea(store.backend, run, location.prefix if location.is_s3 else "")


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def plan_types() -> tuple[type[Any], ...]:
    """The dataclasses a plan file may hold."""
    from aktina_ml.demand.config import DemandConfig
    from aktina_ml.demand.fit import ProductTask
    from aktina_ml.demand.training import DemandPlan
    from aktina_ml.forecasting.artifact import ForecastArtifact
    from aktina_ml.forecasting.config import ForecastConfig
    from aktina_ml.quality_gate import GateVerdict

    return (
        DemandPlan,
        DemandConfig,
        ForecastConfig,
        GateVerdict,
        ProductTask,
        ForecastArtifact,
        *ForecastArtifact.pickled_classes(),
    )


def fit_types() -> tuple[type[Any], ...]:
    """The dataclasses a fit file may hold."""
    from aktina_ml.demand.fit import ProductFit
    from aktina_ml.forecasting.artifact import ForecastArtifact

    return (ProductFit, *ForecastArtifact.pickled_classes())


# --- the three steps -------------------------------------------------------------------------


def run_step(
    event: dict[str, Any], store: ModelStore, settings: Settings
) -> tuple[dict[str, Any], list[TrainingResult]]:
    """Answer one state machine step's event (``action`` in :data:`ACTIONS`); the results to
    publish as metrics (the finish step's)."""
    from aktina_ml.training import database_source

    if NAME not in settings.train_models:
        raise StagedRunError(
            f"this function trains {', '.join(settings.train_models)}, not {NAME}: "
            "invoke the demand train function"
        )
    action = event.get("action")
    if action == PREPARE:
        options = event.get("input")
        if options is not None and not isinstance(options, dict):
            raise StagedRunError("'input' must be the execution's input object")
        with database_source(settings) as source:
            return prepare_run(source, store, settings, options), []
    if action == FIT:
        return fit_item(event, store, settings), []
    if action == FINISH:
        result = finish_run(event.get("run"), store, settings)
        return {"results": [result.to_dict()]}, [result]
    raise StagedRunError(f"unknown step {action!r}; use one of {', '.join(ACTIONS)}")


def prepare_run(
    source: SalesSource,
    store: ModelStore,
    settings: Settings,
    options: dict[str, Any] | None = None,
    today: Any = None,
) -> dict[str, Any]:
    """Plan the run and stage it; answer what the Map reads (``tasks_key``) and ``run``."""
    from aktina_ml.demand.training import prepare_demand

    force = bool((options or {}).get("force_promote"))
    run_settings = settings.model_copy(update={"force_promote": True}) if force else settings
    plan = prepare_demand(source, run_settings, today)
    area = staging_area(store, settings, new_run_id())
    items: list[dict[str, Any]] = [
        {"action": FIT, "run": area.run, "index": index, "task": task.to_dict()}
        for index, task in enumerate(plan.tasks)
    ]
    for item in items:
        if len(json.dumps(item)) > MAX_ITEM_BYTES:
            raise StagedRunError(
                f"product {item['task']['product_id']}'s task exceeds a Map item's "
                f"{MAX_ITEM_BYTES:,} bytes (AKTINA_FORECAST_TRAINING_DAYS too long?)"
            )
    run = {
        "run": area.run,
        "tasks": len(items),
        "force_promote": force,
        "prepared_at": time.time(),
        "prepare_seconds": round(time.perf_counter() - plan.started, 3),
        "rejected": plan.rejected,
    }
    area.backend.put(area.key("plan.npz"), encode(plan, plan_types()), NPZ)
    area.backend.put(area.key("tasks.json"), json.dumps(items).encode(), JSON)
    area.backend.put(area.key("run.json"), json.dumps(run).encode(), JSON)
    return {"run": area.run, "tasks": len(items), "tasks_key": area.object_key("tasks.json")}


def fit_item(event: dict[str, Any], store: ModelStore, settings: Settings) -> dict[str, Any]:
    """Fit one product of a staged run and stage its fit (or why it failed)."""
    from aktina_ml.demand.config import DemandConfig
    from aktina_ml.demand.fit import ProductTask, fit_product
    from aktina_ml.observability import logger

    area = staging_area(store, settings, event.get("run"))
    index, count = event.get("index"), _run(area)["tasks"]
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < count:
        raise StagedRunError(f"'index' must be a task number below {count}, got {index!r}")
    try:
        task = ProductTask.from_dict(event["task"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StagedRunError(f"task {index} is not a product task: {exc}") from exc
    record: dict[str, Any] = {"product_id": task.product_id, "fit": None, "error": None}
    try:
        # The function's own settings: the same environment the run was prepared in.
        record["fit"] = fit_product(task, DemandConfig.from_settings(settings))
    except Exception as exc:  # its fallback is decided when the run finishes
        logger.exception("product fit failed", extra={"product_id": task.product_id})
        record["error"] = f"{type(exc).__name__}: {exc}"
    area.backend.put(area.fit_key(index), encode(record, fit_types()), NPZ)
    return {"product_id": task.product_id, "fitted": record["error"] is None}


def finish_run(run: Any, store: ModelStore, settings: Settings) -> TrainingResult:
    """Read the staged plan and fits back; reconcile, gate, save, validate and promote."""
    from aktina_ml.demand.training import finish_demand

    area = staging_area(store, settings, run)
    options = _run(area)
    plan = _plan(area)
    if len(plan.tasks) != options["tasks"]:
        raise StagedRunError(f"run {area.run}: the plan's tasks differ from run.json's")
    # The run's time: from the prepare step's start, however long the fan-out took.
    elapsed = time.time() - float(options["prepared_at"]) + float(options["prepare_seconds"])
    plan = replace(plan, started=time.perf_counter() - elapsed)
    config: DemandConfig = plan.config
    fits, fallbacks = [], []
    # S3 answers each read in tens of milliseconds: a few at a time, not thousands in a row.
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        staged = pool.map(
            lambda pair: _staged_fit(area, *pair),
            [(index, task.product_id) for index, task in enumerate(plan.tasks)],
        )
        read = list(staged)
    for task, (fit, problem) in zip(plan.tasks, read, strict=True):
        if fit is None:
            fit = fallback_fit(task, config, problem or "no fit")
            fallbacks.append({"product_id": task.product_id, "reason": problem})
        fits.append(fit)
    run_settings = settings.model_copy(update={"force_promote": True})
    result = finish_demand(
        plan, fits, store, run_settings if options["force_promote"] else settings
    )
    fan_out = {"run": area.run, "products": len(plan.tasks), "fallbacks": fallbacks}
    return replace(result, metrics={**result.metrics, "fan_out": fan_out})


def fallback_fit(task: ProductTask, config: DemandConfig, why: str) -> ProductFit:
    """The simple method (recent daily average), its note naming why the fit is missing."""
    from aktina_ml.demand import fit

    fallback = fit.fallback_fit(task, config, f"its fit in the fan-out failed ({why})")
    return replace(fallback, metrics={**fallback.metrics, "fallback": why})


# --- reading back ----------------------------------------------------------------------------


def _run(area: StagingArea) -> dict[str, Any]:
    data = area.backend.get(area.key("run.json"))
    if data is None:
        raise StagedRunError(f"no staged run {area.run} (expired, or never prepared)")
    try:
        run = json.loads(data)
        tasks = run["tasks"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StagedRunError(f"run {area.run}: unreadable run.json ({exc})") from exc
    if not isinstance(tasks, int) or not 0 <= tasks <= MAX_TASKS:
        raise StagedRunError(f"run {area.run}: run.json's task count is {tasks!r}")
    return dict(run)


def _plan(area: StagingArea) -> DemandPlan:
    from aktina_ml.demand.training import DemandPlan

    data = area.read("plan.npz", MAX_PLAN_BYTES)
    if data is None:
        raise StagedRunError(f"run {area.run} has no plan")
    try:
        plan = decode(data, plan_types(), MAX_PLAN_UNPACKED)
    except StagedFileError as exc:
        raise StagedRunError(f"run {area.run}: unreadable plan ({exc})") from exc
    if not isinstance(plan, DemandPlan):
        raise StagedRunError(f"run {area.run}: the plan file holds {type(plan).__name__}")
    return plan


def _staged_fit(area: StagingArea, index: int, product_id: int) -> tuple[Any, str | None]:
    """The staged fit of task ``index``, or None and why there is none."""
    from aktina_ml.demand.fit import ProductFit

    try:
        data = area.backend.get_artifact(area.fit_key(index), MAX_FIT_BYTES)
    except Exception as exc:  # an oversize or unreadable file: this product falls back
        return None, f"its fit could not be read: {exc}"
    if data is None:
        return None, "no fit was stored (its Map item failed or timed out)"
    try:
        record = decode(data, fit_types(), MAX_FIT_UNPACKED)
    except StagedFileError as exc:
        return None, f"its fit file is unreadable: {exc}"
    if not isinstance(record, dict) or record.get("product_id") != product_id:
        return None, "its fit file belongs to another product"
    if record.get("error"):
        return None, str(record["error"])
    fit = record.get("fit")
    if not isinstance(fit, ProductFit) or fit.product_id != product_id:
        return None, "its fit file holds no fit of this product"
    return fit, None
