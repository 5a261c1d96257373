"""Prophet building each feature frame once: the same fits and forecasts as Prophet's own class."""

from __future__ import annotations

import numpy as np
import pytest
from prophet import Prophet

from aktina_ml.forecasting import choice
from aktina_ml.forecasting import prophet_model as model
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import config_for
from tests.support.real_series import real_series

SERIES = real_series()


def fold_forecasts(name: str, mode: model.Mode) -> list[tuple[np.ndarray, np.ndarray]]:
    """Point and paths of Prophet on three backtest-like prefixes of ``name``, twice each
    (the second time every frame comes from the cache)."""
    history = SERIES[name]
    results = []
    for _ in range(2):
        for end in (len(history) - 120, len(history) - 106, len(history)):
            config = config_for(end, ForecastConfig(), mode)
            fitted = model.fit(history.iloc[:end], config)
            results.append(model.sample(fitted, 91, config.seed))
    return results


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("bike_sharing", "additive"),
        ("wiki_strasbourg", "multiplicative"),
        ("app_sample", "additive"),
    ],
)
def test_folds_equal_prophets_own_class(
    name: str, mode: model.Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a real series fitted on successive prefixes, as the backtest's folds do
    cached = fold_forecasts(name, mode)
    # When Prophet's own class fits the same prefixes
    with monkeypatch.context() as patched:
        patched.setattr(model, "CachedProphet", Prophet)
        stock = fold_forecasts(name, mode)
    # Then every point forecast and sample path is identical
    for (point, paths), (stock_point, stock_paths) in zip(cached, stock, strict=True):
        assert np.array_equal(point, stock_point)
        assert np.array_equal(paths, stock_paths)


def test_training_serves_the_same_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the app's sample and the automatic forecast (backtest, choice, calibration)
    history, config = SERIES["app_sample"], ForecastConfig()
    # When it trains with the cached frames and with Prophet's own class
    cached = choice.fit_and_choose(history, 90, config)
    with monkeypatch.context() as patched:
        patched.setattr(model, "CachedProphet", Prophet)
        stock = choice.fit_and_choose(history, 90, config)
    # Then the served candidate, its forecast, paths and interval scales are the same
    assert cached.served == stock.served
    assert cached.scales == stock.scales
    assert cached.table == stock.table
    served, stock_served = cached.forecasts[cached.served], stock.forecasts[stock.served]
    assert np.array_equal(served.point, stock_served.point)
    assert np.array_equal(served.paths, stock_served.paths)
