"""A database that never greets, or stops mid-result: training fails in bounded time, clearly,
and promotes nothing (real MariaDB behind a stalling proxy; a black-hole TCP port)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import pytest

from aktina_ml.config import DatabaseSettings, Settings, load_settings
from aktina_ml.model_store.factories import open_store
from aktina_ml.training import TrainingError, train_from_database
from tests.support.demo import demo_dataset, load_into
from tests.support.faults import black_hole, stalling_proxy

TIMEOUT = 1.0  # seconds, for every wait; the defaults are 10 s connect, 120 s per read


def settings_for(db: DatabaseSettings, host: str, port: int, store: Path) -> Settings:
    password = quote(db.password.get_secret_value(), safe="")
    return load_settings(
        database_url=f"mysql://{quote(db.user)}:{password}@{host}:{port}/{db.database}",
        model_store=str(store),
        db_connect_timeout_seconds=TIMEOUT,
        db_read_timeout_seconds=TIMEOUT,
        db_write_timeout_seconds=TIMEOUT,
    )


def timed_failure(settings: Settings, model: str) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(TrainingError) as failure:
        train_from_database([model], settings)
    return time.monotonic() - started, str(failure.value)


def test_a_server_that_accepts_and_never_greets_fails_within_the_timeout(tmp_path: Path):
    # Given a database address that accepts TCP connections and never sends a byte
    db = DatabaseSettings(host="127.0.0.1", user="aktina", database="aktina")
    with black_hole() as (host, port):
        settings = settings_for(db, host, port, tmp_path / "models")
        # When a training run connects to it
        seconds, message = timed_failure(settings, "segmentation")
    # Then it fails after about the timeout (not at the function's 600 s) saying why
    assert seconds < TIMEOUT + 3
    assert message.startswith("cannot connect to the database")
    assert "timed out" in message
    # And nothing was promoted
    assert open_store(settings).current("segmentation") is None


@pytest.mark.parametrize(
    ("model", "table"), [("segmentation", b"retailers"), ("forecast", b"orders")]
)
def test_a_server_that_stops_mid_result_fails_within_the_timeout(
    laravel_db, tmp_path: Path, model: str, table: bytes
):
    # Given the app's database with data, behind a proxy that passes the login and then
    # only the first bytes of the answer to the training query
    load_into(laravel_db.connection, demo_dataset(60, seed=5, days=200, orders=3000))
    upstream = (laravel_db.settings.host, laravel_db.settings.port)

    def training_query(packet: bytes) -> bool:  # COM_QUERY (0x03) naming the table
        return len(packet) > 4 and packet[4] == 0x03 and table in packet

    with stalling_proxy(upstream, training_query) as (host, port):
        settings = settings_for(laravel_db.settings, host, port, tmp_path / "models")
        # When a training run reads through it
        seconds, message = timed_failure(settings, model)
    # Then the read times out: a clear error within the bound, nothing promoted
    assert seconds < TIMEOUT + 3
    assert message.startswith("database error while reading training data")
    assert "timed out" in message
    assert open_store(settings).current(model) is None


def test_the_same_data_through_a_faithful_proxy_trains(laravel_db, tmp_path: Path):
    # Given the same proxy that never trips (so the stall above is what failed the runs)
    load_into(laravel_db.connection, demo_dataset(60, seed=5, days=200, orders=3000))
    upstream = (laravel_db.settings.host, laravel_db.settings.port)
    with stalling_proxy(upstream, lambda packet: False) as (host, port):
        settings = settings_for(laravel_db.settings, host, port, tmp_path / "models")
        (result,) = train_from_database(["segmentation"], settings)
    assert result.model == "segmentation"
