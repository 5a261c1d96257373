"""Training on every CPU: the backtest's folds in forked processes, Prophet's fits in threads
beside ETS and Theta, with every number a one-thread run gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from aktina_ml.forecasting import choice, parallel
from aktina_ml.forecasting.config import ForecastConfig
from tests.support.real_series import real_series

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no fork, or other threads run")


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_items_are_dealt_to_children_and_come_back_in_order() -> None:
    # Given seven items and two processes, in a fresh interpreter (forking needs no other
    # thread alive, and a long test session may have left one)
    code = (
        "import json, os\n"
        "from aktina_ml.forecasting import parallel\n"
        "def square_and_pid(n): return n * n, os.getpid()\n"
        "print(json.dumps([os.getpid(), parallel.ordered_map(square_and_pid, list(range(7)), 2)]))"
    )
    # When they are mapped
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here, results = json.loads(run.stdout)
    # Then the results are in the items' order, and a child computed every other one
    assert [r for r, _ in results] == [n * n for n in range(7)]
    assert {pid for _, pid in results[0::2]} == {here}
    assert here not in {pid for _, pid in results[1::2]}


def test_one_process_or_one_item_forks_nothing() -> None:
    # Given one process allowed, or one item
    # When they are mapped
    # Then every result is computed here
    assert parallel.ordered_map(square_and_pid, [1, 2, 3], 1) == [
        (1, os.getpid()),
        (4, os.getpid()),
        (9, os.getpid()),
    ]
    assert parallel.ordered_map(square_and_pid, [5], 4) == [(25, os.getpid())]


def test_other_threads_running_forks_nothing() -> None:
    # Given another thread running in this process (a fork would copy its locks, not it)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        # When items are mapped on two processes
        results = parallel.ordered_map(square_and_pid, [1, 2], 2)
    finally:
        release.set()
        other.join()
    # Then none was forked
    assert results == [(1, os.getpid()), (4, os.getpid())]


def fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


@needs_fork
def test_a_childs_error_is_raised_here() -> None:
    # Given an item that fails in the child's share (items 1 and 3 go to the child)
    # When the items are mapped on two processes
    # Then the child's failure shows as the error of a plain loop
    with pytest.raises(ValueError, match="three"):
        parallel.ordered_map(fails_on_three, [0, 1, 2, 3], 2)


def test_beside_runs_the_background_in_threads() -> None:
    # Given two functions for the background and one for this thread
    here = threading.get_ident()
    # When they run beside each other
    (first, second), mine = parallel.beside(
        [threading.get_ident, threading.get_ident], threading.get_ident
    )
    # Then the background ran in threads of its own and the foreground here
    assert mine == here
    assert here not in {first, second}


def test_disabled_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given parallel work turned off (the bench's previous code path)
    monkeypatch.setattr(parallel, "ENABLED", False)
    here = threading.get_ident()
    # When work is mapped and run beside
    # Then everything ran in this thread
    assert parallel.ordered_map(square_and_pid, [1, 2], 2) == [(1, os.getpid()), (4, os.getpid())]
    assert parallel.beside([threading.get_ident], threading.get_ident) == ([here], here)


@needs_fork
@pytest.mark.parametrize("name", ["app_sample", "bike_sharing"])
def test_training_on_every_cpu_equals_one_thread(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a real series, the automatic forecast and two CPUs
    history, config = real_series()[name], ForecastConfig()
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    # When it trains with folds in processes and fits in threads, then in one thread
    spread = choice.fit_and_choose(history, 90, config)
    monkeypatch.setattr(parallel, "ENABLED", False)
    single = choice.fit_and_choose(history, 90, config)
    # Then the choice, the backtest table, the scales and every forecast are identical
    assert (spread.served, spread.reason, spread.scales) == (
        single.served,
        single.reason,
        single.scales,
    )
    assert spread.table == single.table
    assert spread.forecasts.keys() == single.forecasts.keys()
    for key, forecast in spread.forecasts.items():
        assert np.array_equal(forecast.point, single.forecasts[key].point)
        assert np.array_equal(forecast.paths, single.forecasts[key].paths)
