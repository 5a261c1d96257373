"""The forecasting setup on the demo generator's data, read as training reads it."""

from __future__ import annotations

import numpy as np

from aktina_ml.config import load_settings
from aktina_ml.data.csv import CsvSource
from aktina_ml.forecasting import prophet_config, prophet_model
from aktina_ml.forecasting.baseline import seasonal_naive
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.fit import evaluate, metrics, prepare
from tests.support.demo import demo_dataset


def test_the_served_forecast_beats_seasonal_naive_on_three_years_of_demo_sales(tmp_path):
    # Given three years of generated orders, read back as Aktina's daily sales in the
    # generator's business timezone (trend, weekly and yearly pattern, holidays, noise)
    dataset = demo_dataset(300, seed=5, days=1095, orders=60_000)
    dataset.write_csv(tmp_path)
    settings = load_settings(timezone=dataset.timezone)
    daily = CsvSource.from_directory(tmp_path, zone=settings.zone).daily_sales()
    history = prepare(daily)
    assert len(history) >= 1090
    # When the training backtest runs (rolling origin over every candidate) and chooses
    forecast_config = ForecastConfig.from_settings(settings)
    chosen = evaluate(history, forecast_config)
    figures = metrics(chosen, forecast_config.interval_width)
    # Then the served forecast's MASE is clearly below seasonal naive's, and the raw 80 %
    # interval covers a sensible share of the held-out days
    assert figures["mase"] < 0.9 * figures["mase_seasonal_naive"]
    assert 0.5 <= figures["coverage"] <= 0.95
    # And no weekday that had sales every week of the last quarter is forecast as 0 over the
    # whole year ahead (positivity comes from the model, not from clipping)
    served = chosen.forecasts[chosen.served].point
    recent = history.tail(91)
    never_zero = recent.groupby(recent["date"].dt.weekday)["amount"].min() > 0
    future_weekday = (history["date"].iloc[-1].weekday() + 1 + np.arange(len(served))) % 7
    for weekday in np.flatnonzero(never_zero.reindex(range(7), fill_value=False).to_numpy()):
        assert served[future_weekday == weekday].min() > 0, weekday

    # When the last 90 days are held out and forecast from the rest
    horizon = 90
    config = prophet_config.config_for(
        len(history) - horizon, ForecastConfig.from_settings(settings), "additive"
    )
    point, lower, upper = prophet_model.fit_predict(history.iloc[:-horizon], horizon, config)
    # Then the forecast is closer to the generator's noise-free expected sales than seasonal
    # naive is (the signal is recovered, not the noise)
    held_out = history["date"].iloc[-horizon:]
    truth = dataset.expected_daily_sales.reindex(held_out).to_numpy()
    naive = seasonal_naive(history["amount"].to_numpy()[:-horizon], horizon)
    assert np.abs(point - truth).mean() < np.abs(naive - truth).mean()
    assert (lower <= point).all()
    assert (point <= upper).all()
