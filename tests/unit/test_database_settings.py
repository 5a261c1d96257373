"""Database client settings: bounded waits and TLS, whichever way the credentials come."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from aktina_ml.config import ConfigError, load_settings
from aktina_ml.data.mysql import resolve_database


def test_defaults_bound_every_wait_well_inside_the_train_functions_timeout():
    settings = load_settings()
    # segmentation training runs two queries, forecast one; the functions allow 600/900 s
    worst = settings.db_connect_timeout_seconds + 2 * settings.db_read_timeout_seconds
    assert worst <= 600 / 2
    assert settings.db_ssl_ca is None
    assert settings.db_ssl_verify_identity is True


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("db_read_timeout_seconds", "0"),
        ("db_connect_timeout_seconds", "600"),
        ("db_write_timeout_seconds", "-1"),
    ],
)
def test_a_timeout_out_of_range_names_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(f"AKTINA_{variable.upper()}", value)
    with pytest.raises(ConfigError, match=f"AKTINA_{variable.upper()}"):
        load_settings()


def test_url_and_separate_variables_carry_the_timeouts_and_tls(tmp_path: Path):
    bundle = tmp_path / "global-bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    options = {
        "db_read_timeout_seconds": 30,
        "db_ssl_ca": str(bundle),
        "db_ssl_verify_identity": False,
    }
    from_url = load_settings(database_url="mysql://u:p@db:3307/app", **options).database()
    from_vars = load_settings(db_host="db", db_user="u", db_name="app", **options).database()
    for db in (from_url, from_vars):
        assert (db.read_timeout, db.ssl_ca, db.ssl_verify_identity) == (30, bundle, False)
        assert db.connect_timeout == 10


def test_the_secrets_manager_secret_gets_the_same_options(aws_credentials, tmp_path: Path):
    bundle = tmp_path / "global-bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    secret = {"host": "db.rds", "port": 3306, "username": "ml", "password": "pw", "dbname": "app"}
    with mock_aws():
        arn = boto3.client("secretsmanager", region_name="eu-west-1").create_secret(
            Name="aktina/db", SecretString=json.dumps(secret)
        )["ARN"]
        settings = load_settings(db_secret_arn=arn, db_ssl_ca=str(bundle))
        db = resolve_database(settings)
    assert (db.host, db.user, db.database) == ("db.rds", "ml", "app")
    assert (db.ssl_ca, db.ssl_verify_identity, db.read_timeout) == (bundle, True, 120)
