"""Load a :class:`~aktina_ml.demo.generator.DemoDataset` into a MySQL/MariaDB database.

The database must have the Laravel tables, empty (or pass ``create_schema=True`` for an
empty database). The fast path is ``LOAD DATA LOCAL INFILE`` on the dataset's CSV files
(the connection needs ``local_infile=True``, e.g. ``aktina_ml.data.mysql.connect(db,
local_infile=True)``, and the server ``local_infile=ON``); when either side refuses it, the
rows go in with ``executemany`` batches instead.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pymysql

from aktina_ml.demo.generator import DemoDataset, timestamp_text, write_table_csv
from aktina_ml.demo.schema import create_laravel_schema, table_columns

TABLES = ("users", "retailers", "products", "orders")  # in foreign-key order
# Server or client refuses LOAD DATA LOCAL: MySQL 1148 / 3948, client 2068, MariaDB 4166.
INFILE_REFUSED_CODES = frozenset({1148, 2068, 3948, 4166})
BATCH_ROWS = 5000
_NO_SUCH_TABLE, _TABLE_EXISTS = 1146, 1050

Method = Literal["auto", "load_data", "executemany"]


class DemoLoadError(RuntimeError):
    """The target database is not ready for the demo data, or the load went wrong."""


@dataclass(frozen=True)
class LoadResult:
    method: Literal["load_data", "executemany"]
    rows: dict[str, int]
    seconds: float


def load_mysql(
    connection: pymysql.Connection,
    dataset: DemoDataset,
    *,
    create_schema: bool = False,
    method: Method = "auto",
    csv_directory: str | Path | None = None,
) -> LoadResult:
    """Insert the dataset's users, retailers, products and orders, all or nothing: one
    transaction, rolled back on any failure (a failed load leaves the tables as empty as it
    found them).

    ``method="auto"`` tries ``LOAD DATA LOCAL INFILE`` and falls back to ``executemany``
    when local infile is refused. ``csv_directory`` may name where ``dataset.write_csv``
    already wrote the files (saves writing them again); otherwise a temporary copy is used.
    """
    if create_schema:
        try:
            create_laravel_schema(connection)
        except pymysql.err.MySQLError as exc:
            if exc.args and exc.args[0] == _TABLE_EXISTS:
                raise DemoLoadError(
                    f"{exc.args[1]}: load into the existing (empty) tables without "
                    "create_schema / --create-schema, or use an empty database"
                ) from None
            raise
    _require_empty_tables(connection)
    started = time.perf_counter()
    used: Literal["load_data", "executemany"]
    with _bulk_session(connection):
        connection.begin()
        try:
            if method == "executemany":
                used, rows = "executemany", _insert_batches(connection, dataset)
            else:
                try:
                    used, rows = "load_data", _load_data(connection, dataset, csv_directory)
                except pymysql.err.MySQLError as exc:
                    if method == "load_data" or not _infile_refused(exc):
                        raise
                    connection.rollback()
                    connection.begin()
                    used, rows = "executemany", _insert_batches(connection, dataset)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
    return LoadResult(used, rows, time.perf_counter() - started)


def _infile_refused(exc: pymysql.err.MySQLError) -> bool:
    return bool(exc.args) and exc.args[0] in INFILE_REFUSED_CODES


def _require_empty_tables(connection: pymysql.Connection) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            try:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM `{table}`)")  # noqa: S608 (constant)
            except pymysql.err.ProgrammingError as exc:
                if exc.args and exc.args[0] == _NO_SUCH_TABLE:
                    raise DemoLoadError(
                        f"{exc.args[1]}: the database needs the Laravel tables; "
                        "pass create_schema=True (--create-schema) for an empty database"
                    ) from None
                raise
            row = cursor.fetchone()  # EXISTS always returns one row
            if row and row[0]:
                raise DemoLoadError(
                    f"table {table} already holds rows: demo data only goes into empty tables"
                )


@contextmanager
def _bulk_session(connection: pymysql.Connection) -> Iterator[None]:
    """Skip per-row foreign-key and unique checks while loading (the generator keeps them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION foreign_key_checks = 1, unique_checks = 1")


def _load_data(
    connection: pymysql.Connection, dataset: DemoDataset, csv_directory: str | Path | None
) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="aktina-demo-") as tmp:
        folder = Path(csv_directory) if csv_directory is not None else Path(tmp)
        rows = {}
        for table in TABLES:
            path = folder / f"{table}.csv"
            if csv_directory is None:
                write_table_csv(getattr(dataset, table), path)
            rows[table] = _load_file(connection, table, path)
            expected = len(getattr(dataset, table))
            if rows[table] != expected:
                raise DemoLoadError(
                    f"{path}: loaded {rows[table]} rows into {table}, expected {expected}"
                )
        return rows


def _load_file(connection: pymysql.Connection, table: str, path: Path) -> int:
    columns = table_columns(table)
    variables = ", ".join(f"@{c}" for c in columns)
    assignments = ", ".join(f"`{c}` = NULLIF(@{c}, '')" for c in columns)  # empty field = NULL
    sql = (
        f"LOAD DATA LOCAL INFILE %s INTO TABLE `{table}` CHARACTER SET utf8mb4 "
        "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' "
        "LINES TERMINATED BY '\\n' IGNORE 1 LINES "
        f"({variables}) SET {assignments}"
    )
    with connection.cursor() as cursor:
        loaded = cursor.execute(sql, (str(path),))
        cursor.execute("SHOW WARNINGS LIMIT 3")
        warnings = cursor.fetchall()
    if warnings:
        raise DemoLoadError(f"loading {table} from {path} gave warnings: {warnings}")
    return loaded


def _insert_batches(connection: pymysql.Connection, dataset: DemoDataset) -> dict[str, int]:
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            frame = getattr(dataset, table)
            columns = table_columns(table)
            sql = (
                f"INSERT INTO `{table}` ({', '.join(f'`{c}`' for c in columns)}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            for start in range(0, len(frame), BATCH_ROWS):
                chunk = frame.iloc[start : start + BATCH_ROWS]
                cursor.executemany(sql, python_rows(chunk[list(columns)]))
            rows[table] = len(frame)
    return rows


def python_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples of plain Python values, NULL as None, timestamps as text."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if series.dtype.kind == "M":
            values = timestamp_text(series.to_numpy())
        else:
            values = series.astype(object).to_numpy()
            values[series.isna().to_numpy()] = None
        columns.append(values.tolist())
    return list(zip(*columns, strict=True))
