"""Create the Laravel app's tables (users, retailers, products, orders) in an empty database."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

SCHEMA_SQL = files("aktina_ml.demo").joinpath("laravel_schema.sql").read_text()


def schema_statements() -> list[str]:
    """The CREATE TABLE statements of ``laravel_schema.sql``, comments removed."""
    lines = [line for line in SCHEMA_SQL.splitlines() if not line.lstrip().startswith("--")]
    return [stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip()]


def create_laravel_schema(connection: Any) -> None:
    """Create users, retailers, products and orders with the app's column types and enums."""
    with connection.cursor() as cursor:
        for statement in schema_statements():
            cursor.execute(statement)


_COLUMN = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s+[A-Z]", re.MULTILINE)


def table_columns(table: str) -> tuple[str, ...]:
    """The column names of ``table`` in ``laravel_schema.sql``, in table order."""
    for statement in schema_statements():
        head, _, body = statement.partition("(")
        if head.split()[-1] == table:
            return tuple(_COLUMN.findall(body))
    raise KeyError(f"no table {table!r} in laravel_schema.sql")
