"""Scheduled training: sales from the source → backtested forecast → store → promote.

Gate, save, validate, promote: the quality gate (:mod:`aktina_ml.forecasting.gate`) compares
the forecast with its history first; a new version is then written, read back through the
store's checks and sliced like the API would; only then does the pointer move (compare-and-
swap, never over a model trained on newer data). With too little history, a failed fit, a
failed gate or check, nothing is promoted and the last good model keeps serving.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from aktina_ml.api.forecast_answers import forecast_response  # validation renders the answer
from aktina_ml.config import Settings
from aktina_ml.data.source import SalesSource, extend_to
from aktina_ml.forecasting import gate
from aktina_ml.forecasting.artifact import (
    GRANULARITIES,
    MODEL_NAME,
    ForecastArtifact,
)
from aktina_ml.forecasting.choice import Method
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.monitoring import monitoring_summary, with_monitoring
from aktina_ml.forecasting.segments import with_segments
from aktina_ml.model_store.promotion import DATA_AS_OF
from aktina_ml.model_store.store import ModelStore
from aktina_ml.observability import logger
from aktina_ml.segmentation import NAME as SEGMENTATION
from aktina_ml.training_result import TrainingResult, data_as_of, promote_saved, refused_by_gate

NO_SEGMENTATION = "no segmentation promoted yet: per-segment forecasts follow the first one"


def train_forecast(
    source: SalesSource, store: ModelStore, settings: Settings, *, today: date | None = None
) -> TrainingResult:
    """Train on the last ``AKTINA_FORECAST_TRAINING_DAYS`` complete days and promote if sound."""
    from aktina_ml.forecasting.fit import NotEnoughHistoryError, build_forecast, prepare

    started = time.perf_counter()
    as_of = data_as_of()
    config = ForecastConfig.from_settings(settings)
    today = today or datetime.now(settings.zone).date()
    yesterday = today - timedelta(days=1)  # today is not over yet
    window_start = yesterday - timedelta(days=config.training_days - 1)
    daily = extend_to(source.daily_sales(window_start, yesterday), yesterday)
    try:
        artifact = build_forecast(daily, config)
    except NotEnoughHistoryError as exc:
        return _rejected(f"not enough history: {exc}")
    except Exception as exc:  # a fit can fail in many ways (Stan, data); none may stop serving
        logger.exception("forecast fit failed")
        return _rejected(f"fit failed: {type(exc).__name__}: {exc}")

    verdict = gate.check(
        gate.ForecastEvidence(
            history=prepare(daily)["amount"].to_numpy(dtype=float),
            forecast=artifact.totals["day"].point,
            backtest=artifact.metrics,
        ),
        settings.gate_max_level_ratio,
        settings.gate_recent_zero_days,
    )
    if not verdict.passed and not settings.force_promote:
        return refused_by_gate(MODEL_NAME, verdict, artifact.metrics)
    artifact = _with_follow_ups(artifact, daily, source, store, config, window_start)
    metadata = {
        "metrics": artifact.metrics,
        "data_window": artifact.data_window,
        "config": artifact.config,
        "trained_at": artifact.trained_at,
        "training_seconds": round(time.perf_counter() - started, 2),
        DATA_AS_OF: as_of,
        "gate": list(verdict.problems),
        "monitoring": monitoring_summary(artifact.accuracy),
        "segments": artifact.segments_summary,
    }
    manifest = store.save(MODEL_NAME, artifact, metadata)
    problem = validate(store.load(manifest, ForecastArtifact))
    if problem:
        return TrainingResult(
            MODEL_NAME, False, f"saved but not promoted: {problem}", manifest, artifact.metrics
        )
    logger.info("forecast model validated", extra={"version": manifest.version, **metadata})
    return promote_saved(store, manifest, verdict, artifact.metrics)


def _with_follow_ups(
    artifact: ForecastArtifact,
    daily: pd.DataFrame,
    source: SalesSource,
    store: ModelStore,
    config: ForecastConfig,
    window_start: date,
) -> ForecastArtifact:
    """The forecast with how the earlier ones did and with each segment's forecast.

    Neither may stop the total forecast from being promoted: a failure is logged and named
    in the artifact instead.
    """
    try:
        artifact = _with_monitoring(artifact, daily, store)
    except Exception as exc:  # an unreadable or older-format previous forecast
        logger.warning("forecast monitoring skipped", extra={"error": repr(exc)})
        artifact = replace(artifact, accuracy={"error": f"{type(exc).__name__}: {exc}"})
    try:
        return _with_segment_forecasts(artifact, daily, source, store, config, window_start)
    except Exception as exc:  # a fit or the segmentation artifact failed: total still serves
        logger.warning("per-segment forecasts skipped", extra={"error": repr(exc)})
        reason = f"{type(exc).__name__}: {exc}"
        return replace(artifact, segments_summary={"segments": 0, "reason": reason})


def _with_monitoring(
    artifact: ForecastArtifact, daily: pd.DataFrame, store: ModelStore
) -> ForecastArtifact:
    """The promoted forecast joins the archive; every archived one is scored on ``daily``."""
    previous = store.current(MODEL_NAME)
    return with_monitoring(
        artifact,
        store.load(previous, ForecastArtifact) if previous else None,
        previous.version if previous else None,
        str(daily["date"].iloc[0].date()),
        daily["amount"].to_numpy(),
    )


def _with_segment_forecasts(
    artifact: ForecastArtifact,
    daily: pd.DataFrame,
    source: SalesSource,
    store: ModelStore,
    config: ForecastConfig,
    window_start: date,
) -> ForecastArtifact:
    """Each segment of the promoted segmentation forecast with the total's method (its served
    candidate and Prophet variant, checked on fewer folds, so the segments cost a fraction of
    the total's backtest) and reconciled with the total."""
    from aktina_ml.forecasting.fit import build_forecast
    from aktina_ml.segmentation.artifact import SegmentationModel

    segmentation = store.current(SEGMENTATION)
    if segmentation is None:
        return replace(artifact, segments_summary={"segments": 0, "reason": NO_SEGMENTATION})
    model = store.load(segmentation, SegmentationModel)
    ids, segments = model.retailer_ids.tolist(), model.retailer_segments.tolist()
    last_day = daily["date"].iloc[-1].date()
    per_segment = source.segment_daily_sales(
        dict(zip(ids, segments, strict=True)), window_start, last_day
    )
    served = artifact.metrics["served"]
    method = Method(served=served["model"], variant=served["prophet_mode"])
    segment_config = replace(config, backtest_folds=ForecastConfig.SEGMENT_BACKTEST_FOLDS)
    artifact = with_segments(
        artifact,
        {segment: extend_to(frame, last_day) for segment, frame in per_segment.items()},
        {int(i): str(p["name"]) for i, p in model.profiles.items()},
        lambda frame: build_forecast(frame, segment_config, method=method),
    )
    summary = dict(artifact.segments_summary or {})
    summary["segmentation_version"] = segmentation.version
    return replace(artifact, segments_summary=summary)


def validate(artifact: object) -> str | None:
    """What is wrong with a loaded artifact, or None when every slice serves finite numbers."""
    if not isinstance(artifact, ForecastArtifact):
        return f"not a forecast artifact: {type(artifact).__name__}"
    for granularity in GRANULARITIES:
        answer = forecast_response(artifact, "check", artifact.horizon_days, granularity)
        numbers = np.array(answer["values"] + answer["lower"] + answer["upper"])
        if not np.isfinite(numbers).all() or (numbers < 0).any():
            return f"{granularity} forecast has non-finite or negative values"
        if not (np.array(answer["lower"]) <= np.array(answer["upper"])).all():
            return f"{granularity} forecast has lower bounds above upper bounds"
    return None


def _rejected(reason: str) -> TrainingResult:
    logger.warning("forecast model not promoted", extra={"reason": reason})
    return TrainingResult(MODEL_NAME, False, reason)
