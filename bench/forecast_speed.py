"""The automatic forecast's training time: this code against the previous code path, in one run.

"Training" is :func:`aktina_ml.forecasting.choice.fit_and_choose`, everything the scheduled
forecast training does between reading the sales and saving the artifact: the backtest of
every candidate on its folds, the choice, interval calibration and the final fits. Two paths,
alternated so both see the same load:

- ``new``: the numpy ETS (:mod:`aktina_ml.forecasting.ets`), Prophet's CmdStan files written
  in one ``json.dumps`` call (:mod:`aktina_ml.forecasting.stan_data`) and Prophet building
  each seasonal feature frame and component matrix once
  (:class:`aktina_ml.forecasting.prophet_model.CachedProphet`);
- ``previous``: statsmodels' ``ETSModel`` (tests/support/statsmodels_ets.py), Prophet's own
  backend (stanio's pure-Python JSON writer) and Prophet's own class, swapped in here only.

Both must serve the same candidate; their served forecasts are compared: the maximum
difference over the horizon, relative to the series' mean level, of the daily point forecast
(``point diff``) and of the served interval bounds of days, weeks and months (``bound diff``).
Series: the app's sample and three real public series (tests/support/real_series.py). The
machine is shared: read the ratio of the same run, not the seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from prophet import Prophet
from prophet.models import CmdStanPyBackend

from aktina_ml.forecasting import choice, ets, parallel, prophet_model, stan_data
from aktina_ml.forecasting.config import ForecastConfig
from tests.support.real_series import real_series
from tests.support.statsmodels_ets import reference_forecast

RUNS = 3
DAYS = 90
SERIES = ("app_sample", "bike_sharing", "wiki_strasbourg")


@contextmanager
def previous_path() -> Iterator[None]:
    """statsmodels' ETS, stanio's writer and Prophet's own class, as the code was before."""
    saved = ets.forecast, stan_data.Backend, prophet_model.CachedProphet
    ets.forecast, stan_data.Backend = reference_forecast, CmdStanPyBackend  # type: ignore[misc]
    prophet_model.CachedProphet = Prophet  # type: ignore[misc]
    parallel.ENABLED = False  # one fold, one fit after the other
    try:
        yield
    finally:
        ets.forecast, stan_data.Backend, prophet_model.CachedProphet = saved  # type: ignore[misc]
        parallel.ENABLED = True


def train(history, config) -> tuple[float, choice.Choice]:
    started = time.perf_counter()
    chosen = choice.fit_and_choose(history, DAYS, config)
    return time.perf_counter() - started, chosen


def bound_difference(old: choice.Choice, new: choice.Choice, history) -> float:
    """Largest difference of the served interval bounds (every granularity)."""
    first_day = np.datetime64(history["date"].iloc[-1].date(), "D") + np.timedelta64(1, "D")
    width = ForecastConfig().interval_width
    old_totals, new_totals = old.totals(first_day, width), new.totals(first_day, width)
    return max(
        float(np.max(np.abs(getattr(old_totals[g], b) - getattr(new_totals[g], b))))
        for g in old_totals
        for b in ("lower", "upper")
    )


def main() -> None:
    config = ForecastConfig()  # the automatic forecast: every Prophet mode, every candidate
    print(
        f"fit_and_choose (backtest, choice, calibration, final fits), {DAYS} days ahead; "
        f"best of {RUNS} run(s) per path, paths alternated"
    )
    print(
        f"{'series':<18} {'days':>5} {'previous s':>11} {'new s':>7} {'speedup':>8} "
        f"{'served (prev/new)':>26} {'point diff':>10} {'bound diff':>10}"
    )
    ratios = []
    for name in SERIES:
        history = real_series()[name]
        new_times, old_times = [], []
        for _ in range(RUNS):
            with previous_path():
                seconds, old = train(history, config)
            old_times.append(seconds)
            seconds, new = train(history, config)
            new_times.append(seconds)
        level = float(np.mean(np.abs(history["amount"])))
        old_point = old.forecasts[old.served].point
        new_point = new.forecasts[new.served].point
        diff = float(np.max(np.abs(old_point - new_point))) / level
        bounds = bound_difference(old, new, history) / level
        ratio = min(old_times) / min(new_times)
        ratios.append(ratio)
        print(
            f"{name:<18} {len(history):>5} {min(old_times):>11.2f} {min(new_times):>7.2f} "
            f"{ratio:>7.2f}x {old.served + ' / ' + new.served:>26} {diff:>10.1e} {bounds:>10.1e}"
        )
    print(f"geometric mean speedup {float(np.exp(np.mean(np.log(ratios)))):.2f}x")
