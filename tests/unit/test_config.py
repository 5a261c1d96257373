"""Settings: read from AKTINA_* variables, validated at start, errors name the variable."""

from __future__ import annotations

import pytest

from aktina_ml.config import DEFAULT_SALE_STATUSES, ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("AKTINA_"):
            monkeypatch.delenv(name)


def test_defaults_describe_aktina_sales_in_utc():
    # When nothing is set
    settings = load_settings()
    # Then the documented defaults apply
    assert settings.seller_company == "Aktina"
    assert settings.sale_statuses == DEFAULT_SALE_STATUSES
    assert {"rejected", "cancelled", "returned", "fulfillment_failed"}.isdisjoint(
        settings.sale_statuses
    )
    assert settings.timezone == "UTC"
    assert settings.db_timezone == "UTC"
    assert not settings.store_location.is_s3
    assert not settings.has_database


def test_database_url_is_parsed_and_password_kept_secret(monkeypatch):
    # Given a URL with an escaped password
    monkeypatch.setenv("AKTINA_DATABASE_URL", "mysql://ml:p%40ss@db.internal:3307/aktina")
    # When settings load
    settings = load_settings()
    db = settings.database()
    # Then each part is read and the password never shows in a repr
    assert (db.host, db.port, db.user, db.database) == ("db.internal", 3307, "ml", "aktina")
    assert db.password.get_secret_value() == "p@ss"
    assert "p@ss" not in repr(settings)
    assert "p@ss" not in repr(db)


def test_separate_database_variables(monkeypatch):
    # Given host/user/name variables
    for key, value in {"HOST": "h", "USER": "u", "NAME": "n", "PASSWORD": "pw"}.items():
        monkeypatch.setenv(f"AKTINA_DB_{key}", value)
    # When the database settings are asked for
    db = load_settings().database()
    # Then they are used with the default port
    assert (db.host, db.port, db.user, db.database) == ("h", 3306, "u", "n")


def test_missing_database_names_the_variables():
    # When no database is configured but one is needed
    with pytest.raises(ConfigError, match="AKTINA_DATABASE_URL") as caught:
        load_settings().database()
    # Then the message lists what to set
    assert "AKTINA_DB_HOST" in str(caught.value)


def test_statuses_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("AKTINA_SALE_STATUSES", "delivered, complete")
    assert load_settings().sale_statuses == ("delivered", "complete")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AKTINA_SALE_STATUSES", "delivered,shipped-ish", "unknown ['shipped-ish']"),
        ("AKTINA_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("AKTINA_MODEL_STORE", "gs://bucket/models", "s3://bucket/prefix"),
        ("AKTINA_MODEL_STORE", "s3:///models", "needs a bucket"),
        ("AKTINA_DATABASE_URL", "postgres://u:p@h/db", "mysql://"),
        ("AKTINA_DB_PORT", "70000", "less than or equal"),
        ("AKTINA_TRAIN_MODELS", "segmentation,churn", "subset of"),
        ("AKTINA_TRAIN_SCHEDULE_TIME", "25:00", "HH:MM"),
        ("AKTINA_TRAIN_SCHEDULE_TIMEZONE", "Nowhere/City", "IANA time zone"),
    ],
)
def test_bad_values_fail_fast_naming_the_variable(monkeypatch, variable, value, message):
    # Given one bad variable
    monkeypatch.setenv(variable, value)
    # When settings load
    with pytest.raises(ConfigError) as caught:
        load_settings()
    # Then the error names the variable and what is allowed
    assert variable in str(caught.value)
    assert message in str(caught.value)


def test_s3_model_store_location(monkeypatch):
    monkeypatch.setenv("AKTINA_MODEL_STORE", "s3://aktina-models/prod/models/")
    location = load_settings().store_location
    assert (location.bucket, location.prefix) == ("aktina-models", "prod/models")


def test_schedule_time_as_the_template_joins_it(monkeypatch):
    monkeypatch.setenv("AKTINA_TRAIN_SCHEDULE_TIME", "2:5")
    assert load_settings().train_schedule_time.isoformat() == "02:05:00"


def test_database_timestamp_zone_is_separate_from_the_business_day(monkeypatch):
    # Given the Aktina app's timestamps in Kampala time, and UTC business days
    monkeypatch.setenv("AKTINA_DB_TIMEZONE", "Africa/Kampala")
    # When settings load
    settings = load_settings()
    # Then the two zones are kept apart
    assert settings.db_zone.key == "Africa/Kampala"
    assert settings.zone.key == "UTC"


def test_bad_database_timestamp_zone_names_the_variable(monkeypatch):
    monkeypatch.setenv("AKTINA_DB_TIMEZONE", "Kampala")
    with pytest.raises(ConfigError, match="AKTINA_DB_TIMEZONE"):
        load_settings()


def test_currency_is_an_iso_code_shown_on_every_money_figure(monkeypatch):
    # By default amounts are US dollars (the demo data's); AKTINA_CURRENCY names another
    assert load_settings().currency == "USD"
    monkeypatch.setenv("AKTINA_CURRENCY", " ugx ")
    assert load_settings().currency == "UGX"
    # Anything but a three-letter code is refused, naming the variable
    monkeypatch.setenv("AKTINA_CURRENCY", "shillings")
    with pytest.raises(ConfigError, match="AKTINA_CURRENCY"):
        load_settings()
