"""Train the segmentation from a data source into the model store (used by the train function).

fit → quality gate (:mod:`aktina_ml.segmentation.gate`) → save → validate (reload through the
store's checks, assigns like the pipeline) → promote (compare-and-swap, never over a model
trained on newer data). A degenerate result (no data, fewer than two segments) or one the
gate refuses is never saved or promoted.
"""

from __future__ import annotations

import platform
from datetime import UTC, date, datetime, timedelta
from importlib import metadata as importlib_metadata
from typing import Any

import numpy as np
import pandas as pd

import aktina_ml
from aktina_ml.config import Settings
from aktina_ml.data.source import SalesSource, extend_to, retailers_with_sales
from aktina_ml.model_store.manifest import Manifest, ModelStoreError, PointerError
from aktina_ml.model_store.promotion import DATA_AS_OF
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger
from aktina_ml.quality_gate import LOOKBACK_DAYS
from aktina_ml.segmentation import NAME, gate
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.config import SegmentationConfig
from aktina_ml.segmentation.fit import (
    DegenerateDataError,
    SegmentationFit,
    fit_segmentation,
    raw_columns,
)
from aktina_ml.segmentation.identity import match_segment_ids
from aktina_ml.segmentation.profiles import build_profiles
from aktina_ml.training_result import TrainingResult, data_as_of, promote_saved, refused_by_gate

MODEL_NAME = NAME


def build_model(
    fit: SegmentationFit,
    frame: pd.DataFrame,
    previous: SegmentationModel | None = None,
    trained_at: str | None = None,
) -> SegmentationModel:
    """The serving artifact of ``fit``, with segment ids matched to ``previous``'s.

    New segments are numbered by falling share of high-volume retailers (then average
    sales), so on a first training segment 0 is the strongest.
    """
    sales = frame["total_sales"].to_numpy(dtype=float)
    high_share = np.array([np.mean(fit.volume[fit.labels == c] == 2) for c in range(fit.k)])
    average = np.array([sales[fit.labels == c].mean() for c in range(fit.k)])
    fresh_order = np.lexsort((-average, -high_share))
    old_ids = (
        previous.assign_columns(raw_columns(frame), len(frame))
        if previous is not None
        else np.empty(0, dtype=np.int64)
    )
    ids, next_id = match_segment_ids(
        fit.labels, old_ids, previous.next_segment_id if previous else 0, fresh_order
    )
    free_text = {d.name: d.levels for d in fit.encoding.categorical if d.free_text}
    profiles = build_profiles(
        ids[fit.labels], fit.prepared, fit.volume, sales, fit.weights, free_text
    )
    return fit.serving_model(
        ids,
        profiles,
        frame["retailer_id"].to_numpy(),
        trained_at or datetime.now(UTC).isoformat(timespec="seconds"),
        next_id,
    )


def fit_problems(fit: SegmentationFit) -> list[str]:
    """Why a fit must not become a model (empty when it is fine); training and the
    ``aktina-ml segment`` command both check it."""
    sizes = np.bincount(fit.labels, minlength=fit.k)
    found = int(np.count_nonzero(sizes))
    if found < 2:
        return [f"degenerate: {found} non-empty segment(s); the retailers do not differ"]
    if found < fit.k:
        return [f"{fit.k - found} of {fit.k} segments are empty"]
    return []


def artifact_problems(
    model: SegmentationModel, fit: SegmentationFit, frame: pd.DataFrame
) -> list[str]:
    """Why the serving artifact must not be served (empty when it is fine)."""
    problems = []
    if not np.all(np.isfinite(model.centroids)):
        problems.append("centroids are not finite")
    served = model.assign_columns(raw_columns(frame), len(frame))
    mismatches = int(np.sum(served != model.segment_ids[fit.labels]))
    if mismatches:
        problems.append(f"serving assigns {mismatches} training retailers unlike the pipeline")
    return problems


def train_segmentation(
    source: SalesSource, store: ModelStore, settings: Settings, *, today: date | None = None
) -> TrainingResult:
    """Fit on every retailer of ``source``; save, validate and promote a sound model."""
    as_of = data_as_of()
    today = today or datetime.now(settings.zone).date()
    frame = retailers_with_sales(source)
    try:
        fit = fit_segmentation(frame, SegmentationConfig.from_settings(settings))
    except DegenerateDataError as exc:
        logger.warning("segmentation not trained", extra={"reason": str(exc)})
        return TrainingResult(MODEL_NAME, promoted=False, reason=str(exc))
    quality = fit.quality.summary()
    current = _promoted_manifest(store)
    problems = fit_problems(fit)
    if not problems:
        verdict = gate.check(
            _evidence(frame, fit, source, current, today),
            settings.gate_max_retailer_drop,
            settings.gate_recent_zero_days,
        )
        if not verdict.passed and not settings.force_promote:
            return refused_by_gate(MODEL_NAME, verdict, quality)
        model = build_model(fit, frame, _previous_model(store, current))
        problems = artifact_problems(model, fit, frame)
    if problems:
        reason = "; ".join(problems)
        logger.warning("segmentation not promoted", extra={"reason": reason, **quality})
        return TrainingResult(MODEL_NAME, promoted=False, reason=reason, metrics=quality)

    metadata = _manifest_metadata(model, fit, frame, source, current)
    metadata |= {DATA_AS_OF: as_of, "gate": list(verdict.problems)}
    manifest = store.save(MODEL_NAME, model, metadata)
    reloaded = store.load(manifest, SegmentationModel)  # signature, sha256, kind verified
    if not np.array_equal(
        reloaded.assign_columns(raw_columns(frame), len(frame)), model.retailer_segments
    ):
        reason = f"saved artifact {manifest.version} does not reproduce the assignments"
        return TrainingResult(MODEL_NAME, False, reason, manifest, quality)
    logger.info(
        "segmentation quality",
        extra={
            "version": manifest.version,
            **quality,
            "assessment": fit.quality.assessment_summary,
        },
    )
    return promote_saved(store, manifest, verdict, quality)


def _promoted_manifest(store: ModelStore) -> Manifest | None:
    """The promoted manifest, or None when there is none or its pointer is invalid."""
    try:
        return store.current(MODEL_NAME)
    except PointerError as exc:
        logger.warning("promoted segmentation pointer invalid", extra={"error": str(exc)})
        return None


def _evidence(
    frame: pd.DataFrame,
    fit: SegmentationFit,
    source: SalesSource,
    current: Manifest | None,
    today: date,
) -> gate.SegmentationEvidence:
    sales = frame["total_sales"].to_numpy(dtype=float)
    counts = (current.metadata.get("counts") or {}) if current else {}
    previous, previous_buying = counts.get("retailers"), counts.get("retailers_with_sales")
    return gate.SegmentationEvidence(
        retailers=len(frame),
        retailers_with_sales=int(np.count_nonzero(sales > 0)),
        volume=fit.volume,
        daily_amounts=_recent_daily_sales(source, today),
        previous_retailers=int(previous) if previous else None,
        previous_retailers_with_sales=int(previous_buying) if previous_buying else None,
    )


def _recent_daily_sales(source: SalesSource, today: date) -> np.ndarray | None:
    """Daily sales of the last two years up to yesterday (None: the source has no dates)."""
    if source.sale_days() is None:
        return None
    yesterday = today - timedelta(days=1)
    daily = source.daily_sales(yesterday - timedelta(days=2 * LOOKBACK_DAYS), yesterday)
    return extend_to(daily, yesterday)["amount"].to_numpy(dtype=float)


def _previous_model(store: ModelStore, manifest: Manifest | None) -> SegmentationModel | None:
    """The promoted model (for stable ids), or None when absent or unreadable."""
    if manifest is None:
        return None
    try:
        model = store.load(manifest, SegmentationModel)
    except ModelStoreError as exc:
        logger.warning(
            "previous segmentation unreadable; ids start afresh", extra={"error": str(exc)}
        )
        return None
    return model if isinstance(model, SegmentationModel) else None


def _manifest_metadata(
    model: SegmentationModel,
    fit: SegmentationFit,
    frame: pd.DataFrame,
    source: SalesSource,
    previous: Manifest | None,
) -> dict[str, Any]:
    sales = frame["total_sales"].to_numpy(dtype=float)
    return {
        "format_version": model.format_version,
        "trained_at": model.trained_at,
        "library_versions": library_versions(),
        "data_window": _data_window(source),
        "counts": {
            "retailers": len(frame),
            "retailers_with_sales": int(np.count_nonzero(sales > 0)),
            "segments": {str(sid): p["size"] for sid, p in model.profiles.items()},
        },
        "k": fit.k,
        "quality": fit.quality.summary(),
        "assessment": fit.quality.assessment,
        "dimension_weights": fit.weights,
        "dimension_shares": fit.quality.dimension_shares,
        "volume_cut_points": list(fit.cuts),
        "previous_version": previous.version if previous else None,
    }


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "aktina-ml": aktina_ml.__version__}
    for package in ("numpy", "scikit-learn", "scipy", "pandas", "joblib"):
        try:
            versions[package] = importlib_metadata.version(package)
        except importlib_metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _data_window(source: SalesSource) -> dict[str, str | None]:
    """First and last day with Aktina sales (None when the source has no dated sales)."""
    days = source.sale_days()
    if days is None:
        return {"first_sale_day": None, "last_sale_day": None}
    return {"first_sale_day": days[0].isoformat(), "last_sale_day": days[1].isoformat()}
