"""``GET /summary``: the page summary, rendered once per (forecast version, demand version,
day) and kept; cacheable like the other GET answers (its ETag names the same three).

The forecast is required (503 without one, like ``GET /forecast``); the demand model is
not: without one, or with one that cannot be loaded, ``demand.status`` is "unavailable" with
the reason and the rest answers. The day matters because a model's age is a risk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from aktina_ml.api.caching import conditional_get_of
from aktina_ml.api.forecast import rendered_once
from aktina_ml.api.model_cache import LoadedModel, ModelCache, NoModelError
from aktina_ml.insights.facts import ModelState
from aktina_ml.insights.summary import DemandModel, NoDemand, page_summary
from aktina_ml.model_store.manifest import (
    ArtifactIntegrityError,
    ArtifactKindError,
    ArtifactMissingError,
    ModelStoreError,
)
from aktina_ml.model_store.readiness import NOT_TRAINED, PROBLEMS
from aktina_ml.observability import logger

NO_DEMAND = "no-demand"  # the ETag's part when no demand model serves


@dataclass(frozen=True)
class SummaryModels:
    """What one summary is built from."""

    forecast: LoadedModel[Any]
    demand: LoadedModel[Any] | NoDemand
    today: date

    @property
    def versions(self) -> tuple[str, ...]:
        demand = self.demand.manifest.version if isinstance(self.demand, LoadedModel) else NO_DEMAND
        return self.forecast.manifest.version, demand, self.today.isoformat()


class SummarySources:
    """The forecast and demand caches of the serving function, and today's date there."""

    def __init__(
        self,
        forecasts: ModelCache[Any],
        demands: ModelCache[Any],
        zone: ZoneInfo,
        clock: Callable[[ZoneInfo], datetime] = datetime.now,
    ) -> None:
        self.forecasts = forecasts
        self.demands = demands
        self.zone = zone
        self.clock = clock

    def today(self) -> date:
        return self.clock(self.zone).date()

    def versions(self) -> tuple[str, ...]:
        """The promoted versions and the day (manifests only: what a 304 needs). The
        forecast first: without it the answer is a 503 whatever the demand model."""
        forecast = self.forecasts.manifest().version
        try:
            demand = self.demands.manifest().version
        except (NoModelError, ModelStoreError):
            demand = NO_DEMAND
        return forecast, demand, self.today().isoformat()

    def load(self) -> tuple[tuple[str, ...], SummaryModels]:
        models = SummaryModels(self.forecasts.get(), self.demand(), self.today())
        return models.versions, models

    def demand(self) -> LoadedModel[Any] | NoDemand:
        """The promoted demand model, or why there is none to use."""
        try:
            return self.demands.get()
        except NoModelError:
            return NoDemand(f"demand: {NOT_TRAINED}")
        except ModelStoreError as exc:
            logger.warning("summary without the demand model", extra={"error": str(exc)})
            problem = next(text for kind, text in PROBLEMS if isinstance(exc, kind))
            refused = isinstance(
                exc, ArtifactIntegrityError | ArtifactKindError | ArtifactMissingError
            )
            return NoDemand(f"demand: {problem}", refused=refused)

    def middleware(
        self, max_age: Callable[[], int]
    ) -> Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]:
        """The route's caching middleware (:func:`conditional_get_of`)."""
        return conditional_get_of(self.versions, self.load, max_age)


def summary_models(app: APIGatewayRestResolver) -> SummaryModels:
    """What the middleware loaded for this request."""
    models: SummaryModels = app.context["model"]
    return models


def summary_json(models: SummaryModels) -> str:
    """The page summary as JSON, rendered once per (forecast, demand, day)."""
    return rendered_once(("summary", *models.versions), lambda: summary_response(models))


def summary_response(models: SummaryModels) -> dict[str, Any]:
    forecast = models.forecast
    demand = models.demand
    return page_summary(
        forecast.model,
        ModelState.from_manifest(forecast.manifest),
        DemandModel(demand.model, ModelState.from_manifest(demand.manifest))
        if isinstance(demand, LoadedModel)
        else demand,
        models.today,
    )
