"""TLS to the database: a private MariaDB with a certificate from a throwaway CA."""

from __future__ import annotations

from collections.abc import Iterator

import pymysql
import pytest

from aktina_ml.config import DatabaseSettings, load_settings
from aktina_ml.data.mysql import connect
from aktina_ml.training import TrainingError, train_from_database
from tests.support.mariadb import private_mariadb
from tests.support.tls import CertificateAuthority

pytestmark = pytest.mark.slow  # starts its own MariaDB server (a few seconds)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return CertificateAuthority(tmp_path_factory.mktemp("tls"), "aktina-test-ca")


@pytest.fixture(scope="module")
def tls_server(authority: CertificateAuthority) -> Iterator[DatabaseSettings]:
    """MariaDB speaking TLS with a certificate for 127.0.0.1 only (no DNS name)."""
    issued = authority.issue("db-server", ips=("127.0.0.1",))
    with private_mariadb(
        [
            f"--ssl-ca={authority.bundle}",
            f"--ssl-cert={issued.cert}",
            f"--ssl-key={issued.key}",
            "--require-secure-transport=ON",
        ]
    ) as server:
        yield server


def cipher(connection: pymysql.Connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        return cursor.fetchone()[1]


def test_with_the_ca_bundle_the_connection_is_tls_and_verified(tls_server, authority):
    # Given AKTINA_DB_SSL_CA naming the CA that signed the server's certificate
    settings = load_settings(db_ssl_ca=str(authority.bundle))
    db = settings.with_client_options(tls_server)
    # When training connects
    connection = connect(db)
    # Then the session is encrypted
    try:
        assert cipher(connection)
    finally:
        connection.close()


def test_a_certificate_from_another_ca_is_refused(tls_server, tmp_path):
    # Given a CA bundle that did not sign the server's certificate (a man in the middle)
    stranger = CertificateAuthority(tmp_path, "someone-else")
    url = f"mysql://root@127.0.0.1:{tls_server.port}/mysql"
    settings = load_settings(
        database_url=url, db_ssl_ca=str(stranger.bundle), model_store=str(tmp_path / "m")
    )
    # When a training run connects, Then it fails naming the certificate, promoting nothing
    with pytest.raises(TrainingError, match=r"cannot connect to the database.*certificate"):
        train_from_database(["segmentation"], settings)


def test_a_host_name_the_certificate_does_not_name_is_refused(tls_server, authority):
    # Given the right CA, but the server reached as "localhost" (its certificate says 127.0.0.1)
    settings = load_settings(db_ssl_ca=str(authority.bundle))
    db = settings.with_client_options(tls_server).model_copy(update={"host": "localhost"})
    # When connecting with identity verification (the default), Then it is refused
    with pytest.raises(pymysql.err.OperationalError, match=r"match|mismatch"):
        connect(db)
    # And with AKTINA_DB_SSL_VERIFY_IDENTITY=false the certificate chain alone is checked
    relaxed = db.model_copy(update={"ssl_verify_identity": False})
    connection = connect(relaxed)
    try:
        assert cipher(connection)
    finally:
        connection.close()


def test_a_missing_ca_file_is_a_configuration_error_naming_the_variable(tmp_path):
    with pytest.raises(ValueError, match=r"AKTINA_DB_SSL_CA: .*is not a file"):
        load_settings(db_ssl_ca=str(tmp_path / "absent.pem"))
