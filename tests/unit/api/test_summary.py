"""GET /summary's sources: the versions an answer is built from (forecast, demand, day), and
what stands in for a demand model that is missing or refused; the Laravel kit's sample answer
holds to the response model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from aktina_ml.api.model_cache import ModelCache
from aktina_ml.api.summary import NO_DEMAND, SummarySources, summary_json
from aktina_ml.api.summary_contract import SummaryResponse
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.insights.summary import NoDemand
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.demand_artifacts import demand_artifact, forecast_artifact, product

# The kit's view models' fixed input: a sample answer of the real GET /summary on demo data.
KIT_SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "clients"
    / "laravel"
    / "tests"
    / "Fixtures"
    / "summary-sample.json"
)
KAMPALA = ZoneInfo("Africa/Kampala")
# 22:00 UTC on the 6th is already the 7th in Kampala (UTC+3)
LATE = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(LocalBackend(tmp_path))


def sources(store: ModelStore, when: datetime = LATE) -> SummarySources:
    return SummarySources(
        ModelCache(store, "forecast", ForecastArtifact),
        ModelCache(store, "demand", DemandArtifact),
        KAMPALA,
        clock=lambda zone: when.astimezone(zone),
    )


def promote(store: ModelStore, name: str, artifact: object) -> str:
    manifest = store.save(name, artifact, {})
    store.promote(manifest)
    return manifest.version


def test_the_versions_are_both_models_and_the_business_day(store):
    forecast = promote(store, "forecast", forecast_artifact(np.full(365, 10.0), np.full(90, 11.0)))
    demand = promote(store, "demand", demand_artifact([product(1, np.ones(365), np.ones(90))]))
    assert sources(store).versions() == (forecast, demand, "2026-12-07")
    versions, loaded = sources(store).load()
    assert versions == (forecast, demand, "2026-12-07")
    assert loaded.today.isoformat() == "2026-12-07"


def test_without_a_demand_model_the_versions_say_so_and_the_demand_is_a_reason(store):
    forecast = promote(store, "forecast", forecast_artifact(np.full(365, 10.0), np.full(90, 11.0)))
    assert sources(store).versions() == (forecast, NO_DEMAND, "2026-12-07")
    versions, loaded = sources(store).load()
    assert versions == (forecast, NO_DEMAND, "2026-12-07")
    assert loaded.demand == NoDemand("demand: not trained yet: run training")


def test_the_answer_is_rendered_once_per_versions_and_day(store):
    promote(store, "forecast", forecast_artifact(np.full(365, 10.0), np.full(90, 11.0)))
    _, today = sources(store).load()
    _, tomorrow = sources(store, datetime(2026, 12, 7, 22, 0, tzinfo=UTC)).load()
    assert summary_json(today) is summary_json(today)
    assert summary_json(tomorrow) is not summary_json(today)


def test_the_kits_sample_answer_is_a_summary_response_to_the_letter():
    # Given the Laravel kit's sample answer (its view models' unit tests read it)
    sample = json.loads(KIT_SAMPLE.read_text())
    # When the API's response model reads it
    parsed = SummaryResponse.model_validate(sample, strict=True)
    # Then it holds every field the model requires, with its types, and none it does not know
    assert parsed.model_dump(exclude_unset=True) == sample
