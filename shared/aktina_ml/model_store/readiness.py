"""Is a model ready to serve? What /health reports per model (cheap: no artifact download
where manifests are signed).

Ready means what serving checks before it unpickles: a promoted pointer that is a valid
manifest of that model, whose signature verifies (when the store has a verifier), whose
artifact has the declared size within the store's limit (HEAD) and, on an unsigned store, the
declared sha256. :func:`readiness_within` checks every model at once and answers within a
deadline whatever the store does. The answer names the problem in words for the operator;
store details go to the log, not to the client.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor, Future, wait
from datetime import UTC, datetime
from typing import Any

from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactKindError,
    ArtifactMissingError,
    Manifest,
    ModelStoreError,
    NotRegularFileError,
    OversizeError,
    PointerError,
    SignatureMismatchError,
)
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger

NOT_TRAINED = "not trained yet: run training"
PROBLEMS: tuple[tuple[type[ModelStoreError], str], ...] = (
    (PointerError, "the promoted pointer is not a valid manifest"),
    (ArtifactKindError, "the promoted pointer holds another model's manifest"),
    (SignatureMismatchError, "the promoted manifest's signature does not verify"),
    (OversizeError, "the promoted artifact is larger than the store reads"),
    (ArtifactIntegrityError, "the promoted artifact does not match its manifest"),
    (ArtifactMissingError, "the promoted artifact is missing"),
    (NotRegularFileError, "the model store holds a non-regular file where a model should be"),
    (ModelStoreError, "the model store could not be read"),
)
# The last answer per model: what a check that misses the deadline reports, as not ready.
_last_known: dict[str, dict[str, Any]] = {}


def readiness_within(
    store: ModelStore, names: Iterable[str], deadline: float, executor: Executor
) -> dict[str, dict[str, Any]]:
    """:func:`readiness` of every model, checked at once; a check still running after
    ``deadline`` seconds is reported not ready (with the last known version), so the answer
    comes in time however the store behaves (its calls are bounded too, and finish later)."""
    futures: dict[str, Future[dict[str, Any]]] = {
        name: executor.submit(readiness, store, name) for name in names
    }
    wait(futures.values(), timeout=deadline)
    answers = {}
    for name, future in futures.items():
        if future.done() and future.exception() is None:
            answers[name] = _last_known[name] = future.result()
        else:
            logger.warning("model check missed the deadline", extra={"model": name})
            answers[name] = {
                **_last_known.get(name, UNKNOWN),
                "ready": False,
                "problem": f"the model store did not answer within {deadline:g} s",
            }
    return answers


UNKNOWN: dict[str, Any] = {"version": None, "trained_at": None, "age_hours": None}


def readiness(store: ModelStore, name: str, now: datetime | None = None) -> dict[str, Any]:
    """``ready``, ``version``, ``trained_at``, ``age_hours``, ``problem`` (and ``drift`` for
    a model that monitors it) of model ``name``."""
    manifest: Manifest | None = None
    problem: str | None = None
    try:
        manifest = store.current(name)
        if manifest is None:
            problem = NOT_TRAINED
        else:
            store.check(manifest)
    except ModelStoreError as exc:
        problem = next(text for kind, text in PROBLEMS if isinstance(exc, kind))
        logger.warning("model not ready", extra={"model": name, "error": str(exc)})
    answer: dict[str, Any] = {
        "ready": problem is None,
        "version": manifest.version if manifest else None,
        "trained_at": manifest.created_at if manifest else None,
        "age_hours": age_hours(manifest, now) if manifest else None,
        "problem": problem,
    }
    # Forecast monitoring: have the served forecasts left their backtest's range?
    drift = (manifest.metadata.get("monitoring") or {}).get("drift") if manifest else None
    if drift is not None:
        answer["drift"] = drift
    return answer


def age_hours(manifest: Manifest, now: datetime | None = None) -> float | None:
    """Hours since ``manifest`` was created (None when its date is unreadable)."""
    try:
        created = datetime.fromisoformat(manifest.created_at)
    except ValueError:
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return round(((now or datetime.now(UTC)) - created).total_seconds() / 3600, 2)
