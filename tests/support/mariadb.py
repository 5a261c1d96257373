"""Find or start the MariaDB server the integration tests use.

In order: ``AKTINA_TEST_DATABASE_URL`` (a server where the user may create databases);
the server on 127.0.0.1:3306 as root without a password (this project's machines and CI);
a private server started from the installed ``mariadbd`` in a temporary directory.
Otherwise the test run stops with a message saying what to install or set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pymysql

from aktina_ml.config import DatabaseSettings
from aktina_ml.data.mysql import connect

URL_VARIABLE = "AKTINA_TEST_DATABASE_URL"
DEFAULT_SERVER = DatabaseSettings(host="127.0.0.1", port=3306, user="root", database="mysql")

HOW_TO_FIX = (
    "The integration tests need a MariaDB or MySQL server. Either install MariaDB "
    "(Debian/Ubuntu: `apt-get install mariadb-server`; the tests then start a private server), "
    f"run one on 127.0.0.1:3306 with user root and no password, or set {URL_VARIABLE}="
    "mysql://user:password@host:3306/mysql for a user that may create databases."
)


class NoServerError(RuntimeError):
    pass


def _reachable(server: DatabaseSettings) -> bool:
    try:
        pymysql.connect(
            host=server.host,
            port=server.port,
            user=server.user,
            password=server.password.get_secret_value(),
            connect_timeout=2,
        ).close()
        return True
    except pymysql.err.OperationalError:
        return False


def _binary(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _private_server(
    mariadbd: str, install_db: str, extra_args: Sequence[str] = ()
) -> Iterator[DatabaseSettings]:
    with tempfile.TemporaryDirectory(prefix="aktina-mariadb-") as tmp:
        datadir = Path(tmp) / "data"
        subprocess.run(
            [
                install_db,
                "--no-defaults",  # the system my.cnf may name another user or data directory
                f"--datadir={datadir}",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
        )
        port = _free_port()
        process = subprocess.Popen(
            [
                mariadbd,
                "--no-defaults",
                "--user=root",
                f"--datadir={datadir}",
                f"--socket={tmp}/mariadb.sock",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                "--skip-log-bin",
                "--local-infile=1",
                *extra_args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = DEFAULT_SERVER.model_copy(update={"port": port})
        try:
            deadline = time.monotonic() + 30
            while not _reachable(server):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise NoServerError(f"the private MariaDB server did not start. {HOW_TO_FIX}")
                time.sleep(0.1)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def private_mariadb(extra_args: Sequence[str] = ()) -> Iterator[DatabaseSettings]:
    """A private server started from the installed ``mariadbd`` with ``extra_args``."""
    mariadbd, install_db = _binary("mariadbd"), _binary("mariadb-install-db")
    if not (mariadbd and install_db):
        raise NoServerError(HOW_TO_FIX)
    with _private_server(mariadbd, install_db, extra_args) as server:
        yield server


@contextmanager
def mariadb_server() -> Iterator[DatabaseSettings]:
    """The server to create test databases on (see module docstring)."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        server = DatabaseSettings.from_url(url)
        if not _reachable(server):
            raise NoServerError(f"{URL_VARIABLE} points at a server that does not answer.")
        yield server
        return
    if _reachable(DEFAULT_SERVER):
        yield DEFAULT_SERVER
        return
    mariadbd, install_db = _binary("mariadbd"), _binary("mariadb-install-db")
    if not (mariadbd and install_db):
        raise NoServerError(HOW_TO_FIX)
    with _private_server(mariadbd, install_db) as server:
        yield server


@contextmanager
def fresh_database(
    server: DatabaseSettings, prefix: str = "aktina_test"
) -> Iterator[tuple[DatabaseSettings, pymysql.Connection]]:
    """A new empty database on ``server`` (connection with local_infile), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = connect(server)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    settings = server.model_copy(update={"database": name})
    connection = connect(settings, local_infile=True)
    try:
        yield settings, connection
    finally:
        connection.close()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
