"""Helpers shared by the benchmark suites."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pymysql

from aktina_ml.config import DatabaseSettings
from tests.support.mariadb import fresh_database

LOCAL_SERVER = DatabaseSettings(host="127.0.0.1", port=3306, user="root", database="mysql")


def timed(function: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(median, best) wall seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def machine_pace(steps: int = 10_000_000) -> float:
    """Seconds of a pure-Python loop of ``steps`` additions: how fast this machine runs
    Python right now (absolute seconds of a bench scale with it; its ratios do not)."""
    start = time.perf_counter()
    total = 0
    for i in range(steps):
        total += i
    return time.perf_counter() - start


@contextmanager
def scratch_database(server: DatabaseSettings = LOCAL_SERVER) -> Iterator[pymysql.Connection]:
    """A throw-away database on ``server`` (local_infile enabled), dropped afterwards."""
    with fresh_database(server, "aktina_bench") as (_, connection):
        yield connection
