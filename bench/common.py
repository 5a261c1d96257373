"""Helpers shared by the benchmark suites."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pymysql

from aktina_ml.config import DatabaseSettings
from aktina_ml.data.mysql import connect

LOCAL_SERVER = DatabaseSettings(host="127.0.0.1", port=3306, user="root", database="mysql")


def timed(function: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """(median, best) wall seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


@contextmanager
def scratch_database(server: DatabaseSettings = LOCAL_SERVER) -> Iterator[pymysql.Connection]:
    """A throw-away database on ``server`` (local_infile enabled), dropped afterwards."""
    name = f"aktina_bench_{uuid.uuid4().hex[:8]}"
    admin = connect(server)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    connection = connect(server.model_copy(update={"database": name}), local_infile=True)
    try:
        yield connection
    finally:
        connection.close()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
