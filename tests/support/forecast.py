"""One forecast artifact built from synthetic sales, shared by the tests that need it."""

from __future__ import annotations

from functools import cache

from aktina_ml.config import Settings, load_settings
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.forecasting.config import ForecastConfig
from tests.support.series import SyntheticSales, synthetic_sales

HISTORY_DAYS = 800  # a bit over 2 years: weekly and yearly seasonality both switch on
FUTURE_DAYS = 365


@cache
def synthetic() -> SyntheticSales:
    return synthetic_sales(HISTORY_DAYS + FUTURE_DAYS)


def forecast_settings(**overrides: object) -> Settings:
    return load_settings(model_store="var/unused", **overrides)


def forecast_config(**overrides: object) -> ForecastConfig:
    """The forecast parameters of the default settings plus ``overrides`` (settings names)."""
    return ForecastConfig.from_settings(forecast_settings(**overrides))


@cache
def synthetic_artifact() -> ForecastArtifact:
    """Backtest + fit + precompute on the synthetic history (about 2 s, built once)."""
    from aktina_ml.forecasting.fit import build_forecast

    history, _ = synthetic().split(HISTORY_DAYS)
    return build_forecast(history, forecast_config())
