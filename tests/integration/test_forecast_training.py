"""Scheduled training from the Laravel database (real MariaDB) into S3 (moto)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from aktina_ml.api.forecast_answers import forecast_response
from aktina_ml.api.model_cache import ModelCache
from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.forecasting import backtest
from aktina_ml.forecasting.artifact import ForecastArtifact
from aktina_ml.forecasting.training import MODEL_NAME, train_forecast
from aktina_ml.model_store.backends import S3Backend
from aktina_ml.model_store.store import ModelStore
from tests.conftest import MODEL_BUCKET
from tests.support.series import synthetic_sales

TODAY = date(2025, 6, 1)


def _user(user_id: int, company: str | None, role: str) -> dict:
    return {
        "id": user_id,
        "name": f"user {user_id}",
        "email": f"user{user_id}@example.com",
        "password": "x",
        "company_name": company,
        "role": role,
    }


def seed_orders(db, days: int, last_day: date) -> np.ndarray:
    """Aktina's daily sales over ``days`` days up to ``last_day``, as orders; returns them."""
    db.insert(
        "users",
        [
            _user(1, "Aktina", "admin"),
            _user(2, "Aktina", "vendor"),  # a second Aktina seller: its orders count too
            _user(3, "Shop One", "retailer"),
            _user(4, "Other Supplier", "vendor"),
        ],
    )
    db.insert("retailers", [{"id": 1, "user_id": 3}])
    amounts = synthetic_sales(days, seed=11).observed["amount"].to_numpy().round(2)
    first = last_day - timedelta(days=days - 1)
    rows = []
    for offset, amount in enumerate(amounts):
        day = first + timedelta(days=offset)
        half = round(amount / 2, 2)
        for hour, seller, price, status in (
            (9, 1, half, "delivered"),
            (15, 2, round(amount - half, 2), "pending"),
            (11, 1, 999.0, "cancelled"),  # not a sale
            (12, 4, 777.0, "delivered"),  # another seller's sale
        ):
            rows.append(
                {
                    "price": price,
                    "items": json.dumps([{"product_id": 1, "quantity": 1}]),
                    "buyer_id": 3,
                    "seller_id": seller,
                    "status": status,
                    "created_at": datetime.combine(day, time(hour)),
                }
            )
    # today's orders are incomplete and must not be trained on
    rows.append({**rows[0], "price": 1.0, "created_at": datetime.combine(TODAY, time(8))})
    db.insert("orders", rows)
    return amounts


@pytest.fixture
def s3_store(s3) -> ModelStore:
    return ModelStore(S3Backend(s3, MODEL_BUCKET, "models"))


def settings(**overrides):
    return load_settings(model_store=f"s3://{MODEL_BUCKET}/models", **overrides)


def test_training_from_mariadb_promotes_a_backtested_forecast(laravel_db, s3_store, s3) -> None:
    # Given 200 days of Aktina orders (two sellers, plus orders that are not Aktina sales)
    amounts = seed_orders(laravel_db, 200, TODAY - timedelta(days=1))
    source = MySqlSource.from_settings(laravel_db.connection, settings())
    # When training runs
    result = train_forecast(source, s3_store, settings(), today=TODAY)
    # Then a new version is promoted, with metrics and data window in the manifest
    assert result.promoted, result.reason
    current = s3_store.current(MODEL_NAME)
    assert current.version == result.manifest.version
    meta = current.metadata
    assert meta["data_window"] == {
        "first_day": str(TODAY - timedelta(days=200)),
        "last_day": str(TODAY - timedelta(days=1)),
        "days": 200,
        "zero_days": int((amounts == 0).sum()),
    }
    # (200 days: the choice's folds that keep 28 training days, 91 days ahead, 14 apart)
    assert meta["metrics"]["folds"] == len(backtest.origins(200, backtest.Protocol())[1]) == 6
    assert set(meta["metrics"]["candidates"]) == {
        "prophet",
        "ets",
        "theta",
        "combination",
        "seasonal_naive",
    }
    # And the training result and the manifest (what GET /models lists) say which members are
    # served with which weights, per granularity
    members = meta["metrics"]["served"]["members"]
    assert result.metrics["served"]["members"] == members
    assert set(members) == {"day", "week", "month"}
    for weights in members.values():
        assert set(weights) <= {"prophet", "ets", "theta", "seasonal_naive"}
        assert sum(weights.values()) == pytest.approx(1.0, abs=1e-3)
    if meta["metrics"]["served"]["model"] == "combination":
        assert set(members["day"]) == {"prophet", "ets", "theta"}
    assert meta["metrics"]["mase"] < meta["metrics"]["mase_seasonal_naive"]
    assert meta["config"]["yearly"] is False  # under two years of history
    listed = s3.list_objects_v2(Bucket=MODEL_BUCKET, Prefix="models/forecast/versions/")
    assert {o["Key"].rsplit("/", 1)[1] for o in listed["Contents"]} == {
        "model.joblib",
        "manifest.json",
    }
    # And the stored artifact serves from the day after the last complete day
    artifact = s3_store.load(current, ForecastArtifact)
    assert isinstance(artifact, ForecastArtifact)
    assert artifact.days[0] == str(TODAY)
    history = artifact.history["day"]
    np.testing.assert_allclose(history.values, amounts[-len(history.values) :], atol=0.011)


def test_too_little_history_is_not_promoted_and_the_last_good_model_keeps_serving(
    laravel_db, s3_store
) -> None:
    # Given a promoted model trained on 200 days
    seed_orders(laravel_db, 200, TODAY - timedelta(days=1))
    source = MySqlSource.from_settings(laravel_db.connection, settings())
    good = train_forecast(source, s3_store, settings(), today=TODAY)
    assert good.promoted
    cache = ModelCache(s3_store, MODEL_NAME, ForecastArtifact, refresh_seconds=0)
    assert cache.get().manifest.version == good.manifest.version
    # When training again as of a date when only 60 days of orders existed
    short = train_forecast(source, s3_store, settings(), today=TODAY - timedelta(days=140))
    # Then it is not promoted, says why, and the good model still serves
    assert not short.promoted
    assert short.manifest is None
    assert "not enough history: 60 days of sales; at least 90 needed" in short.reason
    assert s3_store.current(MODEL_NAME).version == good.manifest.version
    served = cache.get()
    assert served.manifest.version == good.manifest.version
    assert len(forecast_response(served.model, served.manifest.version, 30, "week")["dates"]) >= 5


def test_a_failing_fit_is_reported_and_not_promoted(laravel_db, s3_store) -> None:
    # Given enough orders but a holidays country the holidays library does not know
    seed_orders(laravel_db, 120, TODAY - timedelta(days=1))
    source = MySqlSource.from_settings(laravel_db.connection, settings())
    # When training
    result = train_forecast(source, s3_store, settings(forecast_holidays_country="XX"), today=TODAY)
    # Then nothing is saved or promoted and the reason names the setting
    assert not result.promoted
    assert "AKTINA_FORECAST_HOLIDAYS_COUNTRY" in result.reason
    assert s3_store.current(MODEL_NAME) is None
