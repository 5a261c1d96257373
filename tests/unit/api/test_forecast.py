"""GET /forecast bodies: rendered once per (version, horizon, granularity), bounded."""

from __future__ import annotations

import json

from aktina_ml.api import forecast as forecast_api
from aktina_ml.api.forecast import forecast_json
from aktina_ml.api.forecast_answers import forecast_response
from aktina_ml.forecasting.contracts import ForecastResponse
from tests.unit.test_forecast_artifact import artifact_from_paths


def test_forecast_json_is_the_response_contract_rendered_once_per_version() -> None:
    # Given an artifact served as version v1
    artifact = artifact_from_paths()
    # When the body is rendered, then asked for again
    body = forecast_json(artifact, "v1", 12, "week")
    # Then it is the sliced answer, valid against the documented response model
    answer = json.loads(body)
    assert answer == forecast_response(artifact, "v1", 12, "week")
    ForecastResponse.model_validate(answer)
    assert forecast_json(artifact, "v1", 12, "week") is body  # reused, not re-rendered
    # And another version or horizon is rendered on its own
    assert json.loads(forecast_json(artifact, "v2", 12, "week"))["model_version"] == "v2"
    assert json.loads(forecast_json(artifact, "v1", 13, "week"))["horizon_days"] == 13


def test_forecast_json_keeps_a_bounded_number_of_bodies() -> None:
    artifact = artifact_from_paths()
    for horizon in range(1, forecast_api.MAX_RENDERED + 11):
        forecast_json(artifact, "v1", min(horizon, artifact.horizon_days), "day")
        forecast_json(artifact, f"v{horizon}", 1, "month")
    assert len(forecast_api._rendered) == forecast_api.MAX_RENDERED
