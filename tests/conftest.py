"""Fixtures shared by every test layer: a real MariaDB, S3 through moto, Lambda events."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pymysql
import pytest
from moto import mock_aws

from aktina_ml.config import DatabaseSettings
from aktina_ml.demo.schema import create_laravel_schema
from tests.support.mariadb import NoServerError, fresh_database, mariadb_server

# Powertools as the template's Globals set it; tracing off outside Lambda.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "aktina-ml")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "AktinaML")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
MODEL_BUCKET = "aktina-ml-models-test"


@pytest.fixture(scope="session")
def mariadb() -> Iterator[DatabaseSettings]:
    """The MariaDB server (never skipped: without one the run stops and says what to do)."""
    try:
        with mariadb_server() as server:
            yield server
    except NoServerError as exc:
        pytest.exit(str(exc), returncode=3)


@dataclass
class LaravelDatabase:
    """A fresh database with the Laravel schema, dropped after the test."""

    settings: DatabaseSettings
    connection: pymysql.Connection

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows given as column → value dicts; omitted columns take their defaults."""
        with self.connection.cursor() as cursor:
            for row in rows:
                columns = ", ".join(row)
                values = ", ".join(["%s"] * len(row))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES ({values})", tuple(row.values())
                )


@contextmanager
def laravel_database(server: DatabaseSettings) -> Iterator[LaravelDatabase]:
    """A fresh database with the Laravel schema on ``server``, dropped afterwards."""
    with fresh_database(server) as (settings, connection):
        create_laravel_schema(connection)
        yield LaravelDatabase(settings, connection)


@pytest.fixture
def laravel_db(mariadb: DatabaseSettings) -> Iterator[LaravelDatabase]:
    with laravel_database(mariadb) as database:
        yield database


@pytest.fixture(scope="module")
def module_laravel_db(mariadb: DatabaseSettings) -> Iterator[LaravelDatabase]:
    """:func:`laravel_db` shared by a module's tests (for models trained once, then read)."""
    with laravel_database(mariadb) as database:
        yield database


FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials so nothing can ever reach a real AWS account."""
    for key, value in FAKE_AWS_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)


@contextmanager
def model_bucket() -> Iterator[Any]:
    """moto's AWS with an empty versioned model bucket; yields an S3 client."""
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket=MODEL_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        client.put_bucket_versioning(
            Bucket=MODEL_BUCKET, VersioningConfiguration={"Status": "Enabled"}
        )
        yield client


@pytest.fixture
def s3(aws_credentials: None) -> Iterator[Any]:
    """A moto S3 client with an empty versioned model bucket."""
    with model_bucket() as client:
        yield client


@pytest.fixture(scope="module")
def module_s3() -> Iterator[Any]:
    """:func:`s3` shared by a module's tests, fake credentials included (do not mix the two
    in one module: the inner mock would end the outer one's state)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in FAKE_AWS_ENVIRONMENT.items():
            patch.setenv(key, value)
        with model_bucket() as client:
            yield client


@pytest.fixture
def load_event():
    """Read an event from events/ (the same files `sam local invoke -e` uses)."""

    def load(name: str) -> dict[str, Any]:
        return json.loads((EVENTS / name).read_text())

    return load


@dataclass
class FakeLambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()
