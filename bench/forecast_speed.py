"""The automatic forecast's training time: this code against the previous code path, in one run.

"Training" is :func:`aktina_ml.forecasting.choice.fit_and_choose`, everything the scheduled
forecast training does between reading the sales and saving the artifact: the backtest of
every candidate on its folds, the choice, interval calibration and the final fits. Three
paths, interleaved run by run so all see the same load:

- ``previous``: statsmodels' ``ETSModel`` (tests/support/statsmodels_ets.py), Prophet's own
  backend (stanio's pure-Python JSON writer) and Prophet's own class, one fold and one fit
  after the other, as the code was;
- ``one CPU``: this code with :mod:`aktina_ml.forecasting.parallel` off: the numpy ETS
  (:mod:`aktina_ml.forecasting.ets`), Prophet's CmdStan files written in one ``json.dumps``
  call (:mod:`aktina_ml.forecasting.stan_data`) and each seasonal feature frame built once
  (:class:`aktina_ml.forecasting.prophet_model.CachedProphet`);
- ``new``: this code as training runs it: the backtest's folds dealt to a forked process per
  CPU, and Prophet's fits (CmdStan processes) in threads beside ETS and Theta.

The speedup is previous over new: the median of the per-run ratios (runs are paired, so a
load spike hits both sides of a pair) and the ratio of the best runs. All paths must serve
the same candidate; the served forecasts of previous and new are compared: the maximum
difference over the horizon, relative to the series' mean level, of the daily point forecast
(``point diff``) and of the served interval bounds of days, weeks and months (``bound diff``).
``one CPU`` and ``new`` must be identical (``same``). Series: the app's sample and three
real public series (tests/support/real_series.py). The machine may be shared: the load
average is printed; read the ratios, not the seconds.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import numpy as np
from prophet import Prophet
from prophet.models import CmdStanPyBackend

from aktina_ml.forecasting import choice, ets, parallel, prophet_model, stan_backend, stan_data
from aktina_ml.forecasting.config import ForecastConfig
from tests.support.real_series import real_series
from tests.support.statsmodels_ets import reference_forecast

RUNS = 5  # per path and series, interleaved
DAYS = 90
SERIES = ("app_sample", "bike_sharing", "wiki_strasbourg")
CACHED = prophet_model.CachedProphet


@contextmanager
def previous_path() -> Iterator[None]:
    """statsmodels' ETS, stanio's writer and Prophet's own class, as the code was before."""
    saved = ets.forecast, stan_backend.Backend, prophet_model.CachedProphet
    ets.forecast, stan_backend.Backend = reference_forecast, CmdStanPyBackend  # type: ignore[misc]
    prophet_model.CachedProphet = Prophet  # type: ignore[misc]
    parallel.ENABLED = False  # one fold, one fit after the other
    try:
        yield
    finally:
        ets.forecast, stan_backend.Backend, prophet_model.CachedProphet = saved  # type: ignore[misc]
        parallel.ENABLED = True


def forget() -> None:
    """Empty this code's caches of feature frames and CmdStan row texts: every run is timed
    as a fresh training (a training only reuses what it built itself)."""
    CACHED._features.clear()
    CACHED._components.clear()
    stan_data._ROWS.clear()


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (CmdStan, forked folds)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def train(history, config) -> tuple[float, float, choice.Choice]:
    """Wall seconds, CPU seconds and the result of one training."""
    forget()
    started, cpu = time.perf_counter(), cpu_seconds()
    chosen = choice.fit_and_choose(history, DAYS, config)
    return time.perf_counter() - started, cpu_seconds() - cpu, chosen


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


def identical(a: choice.Choice, b: choice.Choice) -> bool:
    """The same choice, table, scales and forecasts, bit for bit."""
    return (
        (a.served, a.scales, a.table) == (b.served, b.scales, b.table)
        and a.forecasts.keys() == b.forecasts.keys()
        and all(
            np.array_equal(f.point, b.forecasts[k].point)
            and np.array_equal(f.paths, b.forecasts[k].paths)
            for k, f in a.forecasts.items()
        )
    )


@contextmanager
def one_cpu() -> Iterator[None]:
    parallel.ENABLED = False
    try:
        yield
    finally:
        parallel.ENABLED = True


PATHS = {"previous": previous_path, "one CPU": one_cpu, "new": nullcontext}


def training_speedup(runs: int = RUNS) -> float:
    """Print every series' figures; return the geometric mean of the median paired ratios."""
    config = ForecastConfig()  # the automatic forecast: every Prophet mode, every candidate
    print(
        f"fit_and_choose (backtest, choice, calibration, final fits), {DAYS} days ahead; "
        f"{runs} run(s) per path, interleaved; {parallel.cpus()} CPU(s); "
        f"load average {os.getloadavg()[0]:.2f} at the start"
    )
    print(
        f"{'series':<16} {'days':>4} {'previous s':>10} {'one CPU s':>9} {'new s':>6} "
        f"{'speedup median (best)':>21} {'one CPU':>7} {'CPU s prev/one/new':>18} "
        f"{'served (prev/new)':>26} {'point diff':>10} {'bound diff':>10} {'same':>4}"
    )
    for context in PATHS.values():  # imports and first calls, untimed
        with context():
            train(real_series()[SERIES[0]], config)
    ratios = []
    for name in SERIES:
        history = real_series()[name]
        times: dict[str, list[float]] = {path: [] for path in PATHS}
        cpu: dict[str, list[float]] = {path: [] for path in PATHS}
        chosen: dict[str, choice.Choice] = {}
        for _ in range(runs):
            for path, context in PATHS.items():
                with context():
                    seconds, used, chosen[path] = train(history, config)
                times[path].append(seconds)
                cpu[path].append(used)
        old, new = chosen["previous"], chosen["new"]
        level = float(np.mean(np.abs(history["amount"])))
        diff = float(
            np.max(np.abs(old.forecasts[old.served].point - new.forecasts[new.served].point))
        )
        bounds = bound_difference(old, new, history) / level
        paired = statistics.median(
            p / n for p, n in zip(times["previous"], times["new"], strict=True)
        )
        best = min(times["previous"]) / min(times["new"])
        alone = statistics.median(
            p / n for p, n in zip(times["previous"], times["one CPU"], strict=True)
        )
        ratios.append(paired)
        print(
            f"{name:<16} {len(history):>4} {statistics.median(times['previous']):>10.2f} "
            f"{statistics.median(times['one CPU']):>9.2f} {statistics.median(times['new']):>6.2f} "
            f"{paired:>12.2f}x ({best:.2f}x) {alone:>6.2f}x "
            f"{'/'.join(f'{statistics.median(cpu[p]):.1f}' for p in PATHS):>18} "
            f"{old.served + ' / ' + new.served:>26} "
            f"{diff / level:>10.1e} {bounds:>10.1e} "
            f"{'yes' if identical(chosen['one CPU'], new) else 'NO':>4}"
        )
    mean = float(np.exp(np.mean(np.log(ratios))))
    print(
        f"training: new path {mean:.2f}x faster than the previous path (geometric mean of the "
        f"median paired ratios; target ≥ 1.5x); load average {os.getloadavg()[0]:.2f} at the end"
    )
    return mean


def main() -> None:
    training_speedup()
