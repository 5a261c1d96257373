"""Demo data at scale: generate 1M orders, write the CSVs, load them with LOAD DATA vs executemany.

Uses a scratch database on the MariaDB at 127.0.0.1:3306 (root, no password), created and
dropped here. Target: 1M orders load in well under a minute.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from aktina_ml.config import DatabaseSettings
from aktina_ml.data.mysql import connect
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.demo.loader import load_mysql
from aktina_ml.demo.schema import create_laravel_schema

SERVER = DatabaseSettings(host="127.0.0.1", port=3306, user="root", database="mysql")


def main(orders: int = 1_000_000) -> None:
    spec = DemoSpec(orders=orders)
    started = time.perf_counter()
    dataset = generate(spec)
    print(f"generate {orders:,} orders, {spec.retailers} retailers: {_since(started):.2f} s")

    admin = connect(SERVER)
    scratch = SERVER.model_copy(update={"database": f"aktina_bench_demo_{uuid.uuid4().hex[:8]}"})
    try:
        with tempfile.TemporaryDirectory(prefix="aktina-bench-") as tmp:
            started = time.perf_counter()
            dataset.write_csv(tmp)
            size = (Path(tmp) / "orders.csv").stat().st_size / 1e6
            print(f"write CSV files (orders.csv {size:.0f} MB): {_since(started):.2f} s")
            for method in ("load_data", "executemany"):
                _fresh_database(admin, scratch.database)
                connection = connect(scratch, local_infile=True)
                try:
                    create_laravel_schema(connection)
                    result = load_mysql(connection, dataset, method=method, csv_directory=tmp)
                finally:
                    connection.close()
                print(f"load with {result.method:<11}: {result.seconds:.2f} s ({result.rows})")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {scratch.database}")
        admin.close()


def _fresh_database(admin, name: str) -> None:
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")


def _since(started: float) -> float:
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
