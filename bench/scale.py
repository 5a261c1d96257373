"""Training at scale: 100k retailers with 1M (and 10M) orders in MariaDB, recommended index.

For each size: the demo generator's tables, loaded with LOAD DATA, then the recommended index
(data/mysql.py); then each train function's work in a fresh process, as its Lambda runs it:
extraction (the time spent in the source's queries) and training timed apart, and the
process's peak memory (VmHWM: imports, frames, the fit). Targets for the two train
functions together: ≤ 5 min and ≤ 3 GB.

``AKTINA_BENCH_SCALE_ORDERS=1000000,10000000`` picks the sizes (default: 1M only; 10M takes
several minutes of both cores and ~10 GB of generator memory, and ~2 GB in MariaDB).
Uses a scratch database on 127.0.0.1:3306 (bench/common.py), dropped afterwards.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Light imports only: the train processes import this module too (spawn), and their peak
# memory should be the train function's, not the generator's.
from aktina_ml.config import DatabaseSettings, load_settings
from aktina_ml.data.mysql import RECOMMENDED_INDEX_DDL, MySqlSource, connect
from aktina_ml.model_store.factories import open_store
from aktina_ml.registry import MODEL_NAMES
from bench.common import LOCAL_SERVER
from tests.support.mariadb import fresh_database

RETAILERS = 100_000
DEFAULT_ORDERS = "1000000"
TARGET_SECONDS = 300.0
TARGET_BYTES = 3 * 2**30


@dataclass(frozen=True)
class TrainFigures:
    model: str
    extraction_seconds: float
    training_seconds: float
    peak_bytes: int
    promoted: bool
    queries: tuple[str, ...]


class TimedSource:
    """The source, with the seconds spent in its methods (the extraction) added up."""

    def __init__(self, source: MySqlSource) -> None:
        self._source = source
        self.seconds = 0.0
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._source, name)
        if not callable(attribute):
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return attribute(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls.append(name)

        return timed


def train_in_this_process(
    model: str, database: dict[str, Any], store_dir: str, timezone: str
) -> TrainFigures:
    """One train function's run (what its Lambda does), measured; run in a fresh process."""
    from aktina_ml.training import train_models

    settings = load_settings(model_store=store_dir, timezone=timezone)
    connection = connect(DatabaseSettings(**database))
    try:
        source = TimedSource(MySqlSource.from_settings(connection, settings))
        started = time.perf_counter()
        (result,) = train_models((model,), source, open_store(settings), settings)  # type: ignore[arg-type]
        total = time.perf_counter() - started
    finally:
        connection.close()
    peak = peak_resident_bytes()
    return TrainFigures(
        model, source.seconds, total - source.seconds, peak, result.promoted, tuple(source.calls)
    )


def peak_resident_bytes() -> int:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux carries that over
    from the parent across fork and exec, so a spawned child would report the generator's."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _child(queue: Any, *args: Any) -> None:
    queue.put(train_in_this_process(*args))


def in_fresh_process(function: Callable[..., None], *args: Any) -> TrainFigures:
    """Run ``function(queue, *args)`` in a new interpreter (spawn) and return what it put."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=function, args=(queue, *args))
    process.start()
    figures: TrainFigures = queue.get()
    process.join()
    return figures


def measure(orders: int) -> None:
    from aktina_ml.demo.generator import DemoSpec, generate
    from aktina_ml.demo.loader import load_mysql

    spec = DemoSpec(retailers=RETAILERS, orders=orders, seed=11)
    started = time.perf_counter()
    dataset = generate(spec)
    generated = time.perf_counter() - started
    peak_parent = peak_resident_bytes() / 2**30
    print(
        f"\n{orders:,} orders, {RETAILERS:,} retailers: generated in {generated:.1f} s "
        f"(generator process peak so far {peak_parent:.1f} GiB)"
    )
    with fresh_database(LOCAL_SERVER, "aktina_bench_scale") as (db, connection):
        started = time.perf_counter()
        load_mysql(connection, dataset, create_schema=True)
        loaded = time.perf_counter() - started
        del dataset
        gc.collect()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RECOMMENDED_INDEX_DDL)
            cursor.execute("ANALYZE TABLE orders, users, retailers")
            cursor.fetchall()
            cursor.execute(
                "SELECT SUM(data_length), SUM(index_length) FROM information_schema.tables"
                " WHERE table_schema = %s",
                (db.database,),
            )
            data_bytes, index_bytes = cursor.fetchone()
        indexed = time.perf_counter() - started
        print(
            f"LOAD DATA {loaded:.1f} s, recommended index + ANALYZE {indexed:.1f} s; "
            f"MariaDB: {int(data_bytes) / 2**20:,.0f} MiB data + "
            f"{int(index_bytes) / 2**20:,.0f} MiB indexes"
        )
        database = {
            "host": db.host,
            "port": db.port,
            "user": db.user,
            "password": db.password.get_secret_value(),
            "database": db.database,
        }
        print(
            f"{'train function':<22} {'extraction s':>12} {'training s':>11} {'total s':>8} "
            f"{'peak MiB':>9} {'promoted':>9}  queries"
        )
        total_seconds = 0.0
        total_bytes = 0
        with tempfile.TemporaryDirectory(prefix="aktina-scale-") as store_dir:
            for model in MODEL_NAMES:
                figures = in_fresh_process(_child, model, database, store_dir, spec.timezone)
                seconds = figures.extraction_seconds + figures.training_seconds
                total_seconds += seconds
                total_bytes += figures.peak_bytes
                print(
                    f"{model:<22} {figures.extraction_seconds:>12.2f} "
                    f"{figures.training_seconds:>11.2f} {seconds:>8.2f} "
                    f"{figures.peak_bytes / 2**20:>9.0f} {figures.promoted!s:>9}  "
                    f"{', '.join(figures.queries)}"
                )
        verdict = (
            "within" if total_seconds <= TARGET_SECONDS and total_bytes <= TARGET_BYTES else "OVER"
        )
        print(
            f"{'both':<22} {'':>12} {'':>11} {total_seconds:>8.2f} "
            f"{total_bytes / 2**20:>9.0f}  {verdict} the target (≤ {TARGET_SECONDS:.0f} s, "
            f"≤ {TARGET_BYTES / 2**30:.0f} GiB)"
        )


def main() -> None:
    sizes = os.environ.get("AKTINA_BENCH_SCALE_ORDERS", DEFAULT_ORDERS)
    for orders in (int(size) for size in sizes.split(",")):
        measure(orders)
