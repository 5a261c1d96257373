"""Service configuration: one settings model, read from ``AKTINA_*`` environment variables.

Call :func:`load_settings` once at start-up; a bad value raises :class:`ConfigError` naming
the variable and what is allowed. Every variable is documented in docs/configuration.md or
the topic page it links to; tests/unit/test_newcomer_docs.py checks each row and default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from aktina_ml import demand, forecasting, segmentation
from aktina_ml.laravel import ORDER_STATUSES

# The model kinds, by the names their packages give them (aktina_ml.registry lists the kinds).
MODEL_NAMES: tuple[str, ...] = (segmentation.NAME, forecasting.NAME, demand.NAME)

ENV_PREFIX = "AKTINA_"

NON_SALE_STATUSES = frozenset({"rejected", "cancelled", "returned", "fulfillment_failed"})
DEFAULT_SALE_STATUSES = tuple(s for s in ORDER_STATUSES if s not in NON_SALE_STATUSES)


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the variable."""


class DatabaseSettings(BaseModel):
    """Where the Laravel app's MySQL database is."""

    host: str
    port: int = Field(default=3306, ge=1, le=65535)
    user: str
    password: SecretStr = SecretStr("")
    database: str
    # How the client connects (the same for every source of the credentials above).
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    write_timeout: float = 60.0
    ssl_ca: Path | None = None
    ssl_verify_identity: bool = True

    @classmethod
    def from_url(cls, url: str) -> DatabaseSettings:
        """Parse ``mysql://user:password@host:port/database``."""
        parts = urlsplit(url)
        if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql"):
            raise ValueError("must start with mysql:// (mysql://user:password@host:3306/db)")
        database = parts.path.lstrip("/")
        if not parts.hostname or not parts.username or not database:
            raise ValueError("must name user, host and database: mysql://user:password@host/db")
        return cls(
            host=parts.hostname,
            port=parts.port or 3306,
            user=unquote(parts.username),
            password=SecretStr(unquote(parts.password or "")),
            database=database,
        )

    @classmethod
    def from_rds_secret(cls, secret: dict[str, Any]) -> DatabaseSettings:
        """Build from a Secrets Manager secret in the RDS JSON format."""
        return cls(
            host=secret["host"],
            port=int(secret.get("port", 3306)),
            user=secret["username"],
            password=SecretStr(secret.get("password", "")),
            database=secret.get("dbname") or secret["database"],
        )


@dataclass(frozen=True)
class ModelStoreLocation:
    """``s3://bucket/prefix`` or a local directory."""

    bucket: str | None
    prefix: str

    @property
    def is_s3(self) -> bool:
        return self.bucket is not None

    @classmethod
    def parse(cls, value: str) -> ModelStoreLocation:
        if value.startswith("s3://"):
            bucket, _, prefix = value[len("s3://") :].partition("/")
            if not bucket:
                raise ValueError("s3:// location needs a bucket: s3://bucket/prefix")
            return cls(bucket=bucket, prefix=prefix.strip("/"))
        if "://" in value:
            raise ValueError("must be s3://bucket/prefix or a local directory")
        return cls(bucket=None, prefix=value)


class Settings(BaseSettings):
    """Everything the service reads from the environment (prefix ``AKTINA_``)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    database_url: SecretStr | None = None
    db_host: str | None = None
    db_port: int = Field(default=3306, ge=1, le=65535)
    db_user: str | None = None
    db_password: SecretStr = SecretStr("")
    db_name: str | None = None
    db_secret_arn: str | None = None
    # Every wait on the database is bounded, well inside the train functions' 600/900 s.
    db_connect_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    db_read_timeout_seconds: float = Field(default=120.0, gt=0, le=300)
    db_write_timeout_seconds: float = Field(default=60.0, gt=0, le=300)
    # TLS: a PEM CA bundle (RDS: global-bundle.pem) turns it on and verifies the server.
    db_ssl_ca: Path | None = None
    db_ssl_verify_identity: bool = True

    seller_company: str = Field(default="Aktina", min_length=1)
    sale_statuses: Annotated[tuple[str, ...], NoDecode] = DEFAULT_SALE_STATUSES
    timezone: str = "UTC"
    # Zone of the wall-clock times in the database's timestamps: Laravel writes them in its
    # config('app.timezone') (the Aktina app: Africa/Kampala), not necessarily in UTC.
    db_timezone: str = "UTC"
    model_store: str = "var/models"
    model_refresh_seconds: float = Field(default=60.0, ge=0)
    # Model store safety (docs/model-store.md).
    model_signing_key: str | None = None  # asymmetric KMS key (ECC_NIST_P256) signing manifests
    s3_connect_timeout_seconds: float = Field(default=2.0, gt=0, le=10)
    s3_read_timeout_seconds: float = Field(default=3.0, gt=0, le=30)
    s3_max_attempts: int = Field(default=2, ge=1, le=5)
    # The largest artifact the store reads (its manifest's size is checked first).
    model_max_bytes: int = Field(default=256 * 1024 * 1024, ge=1024 * 1024)
    # /health answers within this (its function's timeout is 10 s): both models are checked
    # at once, each S3/KMS call with one attempt and timeouts inside it.
    health_deadline_seconds: float = Field(default=4.0, gt=0, le=9)
    # Quality gate before promotion (docs/model-store.md, "Quality gate").
    force_promote: bool = False
    gate_max_retailer_drop: float = Field(default=0.5, gt=0, le=1)
    gate_recent_zero_days: int = Field(default=7, ge=1, le=365)
    gate_max_level_ratio: float = Field(default=3.0, gt=1)
    train_models: Annotated[tuple[str, ...], NoDecode] = MODEL_NAMES
    # When the scheduled training runs: GET answers are cacheable until it has promoted.
    train_schedule_time: time = time(2, 0)
    train_schedule_timezone: str = "UTC"

    # Local server (docs/local.md).
    local_port: int = Field(default=8000, ge=0, le=65535)
    local_api_key: SecretStr | None = None
    # ISO 4217 code of the sales amounts (the Laravel app's prices); the preview page shows
    # every money figure in it.
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    # Sales forecast (docs/forecasting.md).
    forecast_mode: Literal["auto", "additive", "multiplicative"] = "auto"
    forecast_holidays_country: str | None = Field(default=None, pattern=r"^[A-Z]{2,3}$")
    forecast_changepoint_prior_scale: float = Field(default=0.05, gt=0, le=10)
    forecast_weekly_min_days: int = Field(default=14, ge=14)
    forecast_yearly_min_days: int = Field(default=730, ge=365)
    forecast_min_history_days: int = Field(default=90, ge=28)
    forecast_training_days: int = Field(default=1461, ge=90)
    forecast_history_days: int = Field(default=365, ge=7, le=3660)
    forecast_interval_width: float = Field(default=0.8, gt=0.5, lt=1)
    forecast_interval_samples: int = Field(default=1000, ge=100, le=10000)
    forecast_request_interval_samples: int = Field(default=300, ge=100, le=10000)
    forecast_calibrate_intervals: bool = True
    forecast_seed: int = Field(default=20240101, ge=0, lt=2**32)
    forecast_backtest_horizon_days: int = Field(default=91, ge=7, le=365)
    forecast_backtest_folds: int = Field(default=8, ge=1, le=24)
    forecast_backtest_step_days: int = Field(default=14, ge=1, le=365)
    forecast_choice_margin: float = Field(default=0.2, ge=0, lt=1)
    forecast_max_sales_rows: int = Field(default=3660, ge=14)
    forecast_max_body_bytes: int = Field(default=1_000_000, ge=1024)

    # Segmentation (docs/segmentation.md).
    segment_count: int | None = Field(default=None, ge=2, le=20)
    segment_k_max: int = Field(default=8, ge=2, le=20)
    segment_seed: int = 42
    segment_min_size: float = Field(default=0.02, gt=0, lt=0.5)
    segment_min_stability: float = Field(default=0.8, ge=0, le=1)
    segment_min_level_share: float = Field(default=0.02, gt=0, lt=1)
    segment_business_type: bool = False
    segment_volume_thresholds: Annotated[tuple[float, float] | None, NoDecode] = None
    # The legacy call's limit is its body size (docs/api.md, "Request limits and hostile
    # input"): what fits in Lambda's 6 MB request once API Gateway has escaped the body into
    # the event; the retailer cap only stops bodies of near-empty rows (CPU, and Lambda's 6 MB
    # answer).
    segment_max_retailers: int = Field(default=50_000, ge=1)
    segment_max_body_bytes: int = Field(default=5_500_000, ge=1024)

    # Demand in units per product (docs/demand.md).
    demand_min_history_days: int = Field(default=90, ge=28)
    demand_recent_days: int = Field(default=28, ge=7, le=365)
    demand_phased_out_days: int = Field(default=60, ge=7, le=730)

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            DatabaseSettings.from_url(value.get_secret_value())
        return value

    @field_validator("db_ssl_ca", mode="before")
    @classmethod
    def _check_ca(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        if value is not None and not Path(value).is_file():
            raise ValueError(
                f"{value} is not a file (a PEM CA bundle; RDS: make rds-ca, docs/deploy.md)"
            )
        return value

    @field_validator("sale_statuses", mode="before")
    @classmethod
    def _split_statuses(cls, value: Any) -> tuple[str, ...]:
        return _subset(value, ORDER_STATUSES)

    @field_validator("train_models", mode="before")
    @classmethod
    def _split_models(cls, value: Any) -> tuple[str, ...]:
        return _subset(value, MODEL_NAMES)

    @field_validator("forecast_holidays_country", mode="before")
    @classmethod
    def _blank_country(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().upper() or None
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("segment_volume_thresholds", mode="before")
    @classmethod
    def _split_thresholds(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()] or None
        if value is None:
            return None
        expected = "must be two ascending sales amounts, e.g. 5000,10000"
        try:
            low, high = (float(v) for v in value)
        except ValueError:  # not two values, or not numbers
            raise ValueError(expected) from None
        if low > high:
            raise ValueError(expected)
        return (low, high)

    @field_validator("train_schedule_time", mode="before")
    @classmethod
    def _parse_clock(cls, value: Any) -> Any:
        if isinstance(value, str):  # "2:0" as the template joins its hour and minute
            hour, _, minute = value.partition(":")
            try:
                return time(int(hour), int(minute or 0))
            except ValueError:
                raise ValueError("must be a time of day as HH:MM, e.g. 02:00") from None
        return value

    @field_validator("timezone", "db_timezone", "train_schedule_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                "must be an IANA time zone name such as UTC or Africa/Kampala"
            ) from None
        return value

    @field_validator("model_store")
    @classmethod
    def _check_store(cls, value: str) -> str:
        ModelStoreLocation.parse(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_zone(self) -> ZoneInfo:
        return ZoneInfo(self.db_timezone)

    @property
    def store_location(self) -> ModelStoreLocation:
        return ModelStoreLocation.parse(self.model_store)

    @property
    def has_database(self) -> bool:
        return bool(self.database_url or self.db_host or self.db_secret_arn)

    def database(self) -> DatabaseSettings:
        """The direct connection settings (URL or host/user/name variables).

        A Secrets Manager secret (``AKTINA_DB_SECRET_ARN``) is resolved by
        :func:`aktina_ml.data.mysql.resolve_database`, which needs AWS.
        """
        if self.database_url is not None and self.database_url.get_secret_value():
            url = DatabaseSettings.from_url(self.database_url.get_secret_value())
            return self.with_client_options(url)
        missing = [
            f"{ENV_PREFIX}{name.upper()}"
            for name in ("db_host", "db_user", "db_name")
            if not getattr(self, name)
        ]
        host, user, name = self.db_host, self.db_user, self.db_name
        if missing or not (host and user and name):
            raise ConfigError(
                f"no database configured: set {ENV_PREFIX}DATABASE_URL "
                f"(mysql://user:password@host:3306/db), {ENV_PREFIX}DB_SECRET_ARN, "
                f"or {', '.join(missing)}"
            )
        direct = DatabaseSettings(
            host=host, port=self.db_port, user=user, password=self.db_password, database=name
        )
        return self.with_client_options(direct)

    def with_client_options(self, db: DatabaseSettings) -> DatabaseSettings:
        """``db`` with this configuration's timeouts and TLS settings."""
        return db.model_copy(update=self._client_options())

    def _client_options(self) -> dict[str, Any]:
        return {
            "connect_timeout": self.db_connect_timeout_seconds,
            "read_timeout": self.db_read_timeout_seconds,
            "write_timeout": self.db_write_timeout_seconds,
            "ssl_ca": self.db_ssl_ca,
            "ssl_verify_identity": self.db_ssl_verify_identity,
        }


def _subset(value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A non-empty comma-separated (or listed) subset of ``allowed``."""
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    unknown = sorted(set(value) - set(allowed))
    if unknown or not value:
        shown = f"unknown {unknown}; " if unknown else ""
        raise ValueError(f"{shown}must be a comma-separated subset of {', '.join(allowed)}")
    return tuple(value)


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings; raise :class:`ConfigError` naming the bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{ENV_PREFIX}{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
