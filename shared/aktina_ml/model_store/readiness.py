"""Is a model ready to serve? What /health reports per model (cheap: no artifact download).

Ready means: a promoted pointer that is a valid manifest, whose signature verifies (when
the store has a verifier), and whose artifact exists (HEAD). The answer names the problem
in words for the operator; store details go to the log, not to the client.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactMissingError,
    Manifest,
    ModelStoreError,
    PointerError,
)
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger

NOT_TRAINED = "not trained yet: run training"
PROBLEMS: tuple[tuple[type[ModelStoreError], str], ...] = (
    (PointerError, "the promoted pointer is not a valid manifest"),
    (ArtifactIntegrityError, "the promoted manifest's signature does not verify"),
    (ArtifactMissingError, "the promoted artifact is missing"),
    (ModelStoreError, "the model store could not be read"),
)


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
