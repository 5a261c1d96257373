"""Forecast settings: defaults and validation messages naming the variable."""

from __future__ import annotations

import pytest

from aktina_ml.config import ConfigError, load_settings


def test_forecast_defaults() -> None:
    settings = load_settings()
    assert settings.forecast_mode == "auto"
    assert settings.forecast_holidays_country is None
    assert settings.forecast_interval_width == 0.8
    assert settings.forecast_yearly_min_days == 730


def test_holidays_country_is_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKTINA_FORECAST_HOLIDAYS_COUNTRY", " ug ")
    assert load_settings().forecast_holidays_country == "UG"
    monkeypatch.setenv("AKTINA_FORECAST_HOLIDAYS_COUNTRY", "")
    assert load_settings().forecast_holidays_country is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AKTINA_FORECAST_MODE", "log"),
        ("AKTINA_FORECAST_HOLIDAYS_COUNTRY", "Uganda"),
        ("AKTINA_FORECAST_INTERVAL_WIDTH", "80"),
        ("AKTINA_FORECAST_YEARLY_MIN_DAYS", "100"),
        ("AKTINA_FORECAST_BACKTEST_FOLDS", "0"),
    ],
)
def test_bad_forecast_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()
