"""Forecast API: GET /forecast and GET /summary (precomputed, numpy only) and the app's
POST /predict-sales."""

from __future__ import annotations

import gc
from typing import Annotated

# No garbage collection while init builds its long-lived objects (imports, pydantic schemas):
# they are frozen out of collections and the collector turned on at the end of this module.
gc.disable()

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths

from aktina_ml.api import forecast
from aktina_ml.api.caching import conditional_get, current_model, until_next_training
from aktina_ml.api.collector import freeze_init_objects
from aktina_ml.api.model_cache import NoModelError, model_cache
from aktina_ml.api.resolver import json_resolver, with_row_cap
from aktina_ml.api.snapstart import prepare_for_snapshot
from aktina_ml.api.summary import SummarySources, summary_json, summary_models
from aktina_ml.api.summary_contract import SummaryResponse
from aktina_ml.config import load_settings
from aktina_ml.demand.kind import DEMAND
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.contracts import (
    ForecastResponse,
    Granularity,
    HorizonDays,
    LeadDays,
    PredictSalesRequest,
    PredictSalesResponse,
)
from aktina_ml.forecasting.kind import FORECAST
from aktina_ml.model_store.manifest import ModelStoreError
from aktina_ml.observability import logger

settings = load_settings()
config = ForecastConfig.from_settings(settings)
app = json_resolver(settings.forecast_max_body_bytes, "AKTINA_FORECAST_MAX_BODY_BYTES")
# The promoted forecast, loaded on first use and refreshed when training promotes another.
forecasts = model_cache(FORECAST, settings)
JSON = content_types.APPLICATION_JSON
cacheable = conditional_get(forecasts, until_next_training(settings))
# GET /summary also reads the promoted demand model (optional: the rest answers without it).
summary_sources = SummarySources(
    forecasts, model_cache(DEMAND, settings, store=forecasts.store), settings.zone
)
# At most AKTINA_FORECAST_MAX_SALES_ROWS rows, counted before any row is validated (413 above).
PredictSalesBody = with_row_cap(PredictSalesRequest, "sales", config.max_sales_rows)


def _json(body: str) -> Response:
    return Response(status_code=200, content_type=JSON, body=body)


@app.get(
    "/forecast",
    middlewares=[cacheable],
    responses={200: {"description": "Forecast", "content": {JSON: {"model": ForecastResponse}}}},
)
def get_forecast(
    horizon_days: Annotated[HorizonDays, Query()] = 90,
    granularity: Annotated[Granularity, Query()] = "day",
):  # answers JSON rendered once per model version, horizon and granularity (Response)
    loaded = current_model(app)
    return _json(
        forecast.forecast_json(loaded.model, loaded.manifest.version, horizon_days, granularity)
    )


@app.get(
    "/forecast/segments",
    summary="Each segment's forecast, reconciled with the total forecast",
    middlewares=[cacheable],
)
def get_segment_forecasts(
    horizon_days: Annotated[HorizonDays, Query()] = 90,
    granularity: Annotated[Granularity, Query()] = "day",
):  # pre-rendered JSON (Response)
    loaded = current_model(app)
    return _json(
        forecast.segment_forecast_json(
            loaded.model, loaded.manifest.version, horizon_days, granularity
        )
    )


@app.get(
    "/forecast/accuracy",
    summary="How the earlier forecasts did: actual sales against the forecast made N days before",
    middlewares=[cacheable],
)
def get_forecast_accuracy(lead_days: Annotated[LeadDays, Query()] = 7):  # (Response)
    loaded = current_model(app)
    return _json(forecast.accuracy_json(loaded.model, loaded.manifest.version, lead_days))


@app.get(
    "/summary",
    summary="The admin page's figures: revenue, demand, risk, trends, recommendations, chart",
    middlewares=[summary_sources.middleware(until_next_training(settings))],
    responses={200: {"description": "Page summary", "content": {JSON: {"model": SummaryResponse}}}},
)
def get_summary():  # rendered once per (forecast, demand, day) (Response)
    return _json(summary_json(summary_models(app)))


@app.post("/predict-sales")
def predict_sales(request: PredictSalesBody) -> PredictSalesResponse:
    return forecast.predict_sales(
        [row.date for row in request.sales],
        [row.amount for row in request.sales],
        request.horizon_days,
        config,
        promoted_forecast(),
    )


def promoted_forecast() -> ForecastArtifact | None:
    """The promoted forecast if one can be loaded: the POST works without it too."""
    try:
        return forecasts.get().model
    except (NoModelError, ModelStoreError) as exc:
        logger.info("predict-sales without a promoted forecast", extra={"reason": str(exc)})
        return None


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)


# SnapStart: load before the snapshot, refresh after restore.
prepare_for_snapshot(forecasts, summary_sources.demands)
freeze_init_objects()
