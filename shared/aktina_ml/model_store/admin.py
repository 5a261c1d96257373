"""Operating the model store: list saved versions, roll a model back to one of them.

The same operations answer ``aktina-ml models list|rollback`` and the train function's
events ``{"action": "list", "model": ...}`` / ``{"action": "rollback", "model": ...,
"version": ...}``. A rollback checks the version like serving would (signature, sha256,
allow-listed unpickling, kind) before it moves the pointer, by compare-and-swap.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from aktina_ml.model_store.manifest import Manifest, ModelStoreError
from aktina_ml.model_store.promotion import DATA_AS_OF

if TYPE_CHECKING:  # the store (and the settings) load when a command runs, not for --help
    from aktina_ml.model_store.store import ModelStore

LIST_LIMIT = 20


def artifact_type(name: str) -> type[Any]:
    """The class serving loads for model ``name``."""
    from aktina_ml.registry import KINDS, MODEL_NAMES

    if name not in KINDS:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")
    return KINDS[name].artifact()


def list_versions(store: ModelStore, name: str, limit: int = LIST_LIMIT) -> dict[str, Any]:
    """The newest ``limit`` saved versions of ``name``, the promoted one marked."""
    current = store.current(name)
    versions = store.versions(name)
    rows = []
    for version in reversed(versions[-limit:]):
        try:
            rows.append(_summary(store.manifest(name, version), current))
        except ModelStoreError as exc:
            rows.append({"version": version, "error": str(exc)})
    return {
        "model": name,
        "promoted": current.version if current else None,
        "saved": len(versions),
        "versions": rows,
    }


def rollback(store: ModelStore, name: str, version: str) -> dict[str, Any]:
    """Promote saved ``version`` of ``name`` again; say what it replaced."""
    previous = store.current(name)
    manifest = store.rollback(name, version, artifact_type(name))
    return {
        "model": name,
        "promoted": manifest.version,
        "replaced": previous.version if previous else None,
    }


def handle_event(
    event: dict[str, Any], store: ModelStore, served: tuple[str, ...]
) -> dict[str, Any]:
    """Answer a train-function event ``{"action": "list"|"rollback", "model": ..., ...}``.

    ``served`` are the models this function may touch (its IAM role covers only those).
    """
    action, name = event.get("action"), event.get("model")
    if name not in served:
        raise ValueError(
            f"this function operates {', '.join(served)}; got model {name!r} "
            "(invoke the train function of that model)"
        )
    if action == "list":
        return list_versions(store, name, int(event.get("limit") or LIST_LIMIT))
    if action == "rollback":
        version = event.get("version")
        if not isinstance(version, str) or not version:
            raise ValueError("a rollback event needs 'version' (see action 'list')")
        return rollback(store, name, version)
    raise ValueError(f"unknown action {action!r}; use train (default), list or rollback")


def model_age_hours(store: ModelStore, name: str) -> float | None:
    """Age of the promoted ``name`` model (None: none promoted or its pointer is unreadable)."""
    from aktina_ml.model_store.readiness import age_hours

    try:
        manifest = store.current(name)
    except ModelStoreError:
        return None
    return age_hours(manifest) if manifest else None


def find_model(store: ModelStore, version: str, names: tuple[str, ...]) -> str:
    """The one model name among ``names`` that has a saved ``version``."""
    owners = [name for name in names if version in store.versions(name)]
    if len(owners) != 1:
        found = "no model has" if not owners else f"{', '.join(owners)} all have"
        raise ValueError(f"{found} a saved version {version!r}; name the model with --model")
    return owners[0]


def _summary(manifest: Manifest, current: Manifest | None) -> dict[str, Any]:
    meta = manifest.metadata
    return {
        "version": manifest.version,
        "promoted": current is not None and manifest.version == current.version,
        "created_at": manifest.created_at,
        "data_as_of": meta.get(DATA_AS_OF),
        "gate": meta.get("gate"),
        "signed": manifest.signature is not None,
    }


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list saved model versions or roll back to one",
        description="Inspect and operate AKTINA_MODEL_STORE.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser(
        "list", help="saved versions as JSON, newest first, the promoted one marked"
    )
    listing.add_argument("--model", help="segmentation or forecast (default: both)")
    listing.add_argument("--limit", type=int, default=LIST_LIMIT)
    listing.set_defaults(handler=run_list)
    back = actions.add_parser(
        "rollback", help="promote an earlier saved version again (checked before it serves)"
    )
    back.add_argument("version", metavar="VERSION")
    back.add_argument("--model", help="segmentation or forecast (default: the one that has it)")
    back.set_defaults(handler=run_rollback)


def run_list(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store
    from aktina_ml.registry import MODEL_NAMES

    store = open_store(load_settings())
    names = (args.model,) if args.model else MODEL_NAMES
    for name in names:
        artifact_type(name)  # an unknown name is refused before any S3 call
    answer = [list_versions(store, name, args.limit) for name in names]
    print(json.dumps(answer, indent=2))
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store
    from aktina_ml.registry import MODEL_NAMES

    store = open_store(load_settings())
    name = args.model or find_model(store, args.version, MODEL_NAMES)
    try:
        answer = rollback(store, name, args.version)
    except ModelStoreError as exc:
        raise ValueError(f"not rolled back: {exc}") from exc
    print(json.dumps(answer, indent=2))
    return 0
