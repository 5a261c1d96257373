"""The quality gate on real MariaDB data: what used to be promoted and must not be.

Each case is a real Laravel database (demo generator) with one thing wrong; S3 is moto.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

import aktina_ml.segmentation.training as training
from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.forecasting.training import train_forecast
from aktina_ml.model_store.store import ModelStore
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.training import train_segmentation
from tests.conftest import MODEL_BUCKET
from tests.integration.test_forecast_training import TODAY, seed_orders
from tests.support.crafted import code_running_pickle
from tests.support.demo import day_after, demo_dataset, load_into
from tests.support.segmentation import STORE_URL, s3_store


@pytest.fixture
def demo_db(laravel_db):
    """A Laravel database holding 300 demo retailers and their orders."""
    dataset = demo_dataset(300, seed=8)
    load_into(laravel_db.connection, dataset)
    return laravel_db, dataset


def settings(dataset, **overrides):
    return load_settings(model_store=STORE_URL, timezone=dataset.timezone, **overrides)


def segment(db, dataset, store: ModelStore, **overrides):
    config = settings(dataset, **overrides)
    source = MySqlSource.from_settings(db.connection, config)
    return train_segmentation(source, store, config, today=day_after(dataset))


def execute(db, sql: str, *args: object) -> None:
    with db.connection.cursor() as cursor:
        cursor.execute(sql, args)


def test_an_empty_orders_table_is_not_promoted(demo_db, s3):
    # Given retailers but no orders at all
    db, dataset = demo_db
    execute(db, "DELETE FROM orders")
    store = s3_store(s3)
    # When segmentation is trained
    result = segment(db, dataset, store)
    # Then it is refused before anything is saved, saying what to check
    assert not result.promoted
    assert result.gate_failed
    assert "no retailer has counted sales" in result.reason
    assert store.versions("segmentation") == []
    assert result.to_dict()["gate"]["passed"] is False


def test_a_misspelt_seller_company_is_not_promoted(demo_db, s3):
    db, dataset = demo_db
    store = s3_store(s3)
    result = segment(db, dataset, store, seller_company="Aktinna")
    assert not result.promoted
    assert "AKTINA_SELLER_COMPANY" in result.reason
    assert store.current("segmentation") is None


def test_the_last_45_days_missing_is_not_promoted(demo_db, s3):
    # Given the last 45 days of orders lost (an import that stopped)
    db, dataset = demo_db
    cutoff = day_after(dataset) - timedelta(days=46)
    execute(db, "DELETE FROM orders WHERE created_at >= %s", cutoff)
    store = s3_store(s3)
    # When segmentation is trained
    result = segment(db, dataset, store)
    # Then the gate names the gap
    assert not result.promoted
    assert "days have no sales although" in result.reason


def test_a_retailer_collapse_is_not_promoted_unless_forced(demo_db, s3):
    # Given a promoted segmentation of 300 retailers
    db, dataset = demo_db
    store = s3_store(s3)
    first = segment(db, dataset, store)
    assert first.promoted, first.reason
    # When two thirds of the retailers vanish from the table
    execute(db, "DELETE FROM retailers WHERE id > 100")
    result = segment(db, dataset, store)
    # Then the new model is refused and the promoted one stays
    assert not result.promoted
    assert "retailer count collapsed: 100 retailers, the promoted model has 300" in result.reason
    assert store.current("segmentation").version == first.manifest.version
    # And AKTINA_FORCE_PROMOTE promotes it anyway, still reporting why the gate objected
    forced = segment(db, dataset, store, force_promote=True)
    assert forced.promoted
    assert forced.forced
    assert not forced.gate_failed
    assert "promoted despite the quality gate" in forced.reason
    assert store.current("segmentation").metadata["gate"] == list(forced.gate)


def test_training_reads_a_crafted_promoted_model_without_running_it(demo_db, s3, tmp_path):
    # Given an attacker's code-running pickle promoted as the segmentation (sha256 matching)
    db, dataset = demo_db
    marker = tmp_path / "marker"
    data = code_running_pickle(marker)
    key = "models/segmentation/versions/evil/model.joblib"
    s3.put_object(Bucket=MODEL_BUCKET, Key=key, Body=data)
    pointer = {
        "name": "segmentation",
        "version": "evil",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
        "created_at": "2026-12-01T00:00:00+00:00",
        "metadata": {},
    }
    s3.put_object(
        Bucket=MODEL_BUCKET, Key="models/segmentation/current.json", Body=json.dumps(pointer)
    )
    # When the next training run reads the promoted model (for stable segment ids)
    store = s3_store(s3)
    result = segment(db, dataset, store)
    # Then it refused the pickle, ran nothing, and promoted its own sound model
    assert not marker.exists()
    assert result.promoted, result.reason
    served = store.load(store.current("segmentation"), SegmentationModel)
    assert isinstance(served, SegmentationModel)


def test_an_older_data_run_never_replaces_a_newer_model(demo_db, s3, monkeypatch):
    # Given two overlapping runs: A read its data at 02:00, B at 02:05; B finishes first
    db, dataset = demo_db
    store = s3_store(s3)
    monkeypatch.setattr(training, "data_as_of", lambda: "2026-11-01T02:05:00.000000+00:00")
    b = segment(db, dataset, store)
    assert b.promoted
    # When A finishes and tries to promote
    monkeypatch.setattr(training, "data_as_of", lambda: "2026-11-01T02:00:00.000000+00:00")
    a = segment(db, dataset, store)
    # Then A is saved but not promoted, and B's newer model stays
    assert not a.promoted
    assert "the newer model stays" in a.reason
    assert store.current("segmentation").version == b.manifest.version


def test_forecast_with_the_last_45_days_missing_is_not_promoted(laravel_db, s3):
    # Given 200 days of Aktina orders that stop 45 days before the training day
    seed_orders(laravel_db, 200, TODAY - timedelta(days=46))
    config = load_settings(model_store=STORE_URL)
    source = MySqlSource.from_settings(laravel_db.connection, config)
    store = s3_store(s3)
    # When the forecast is trained
    result = train_forecast(source, store, config, today=TODAY)
    # Then the gate refuses it (it used to be promoted, its mean down 94 %)
    assert not result.promoted
    assert "the last 45 days have no sales although 100%" in result.reason
    assert store.current("forecast") is None


@pytest.mark.parametrize("company", ["Aktina", "Aktinna"])
def test_forecast_without_sales_is_not_promoted(laravel_db, s3, company):
    # Given no Aktina orders (an empty table, or a misspelt company)
    seed_orders(laravel_db, 200, TODAY - timedelta(days=1))
    if company == "Aktina":
        execute(laravel_db, "DELETE FROM orders")
    config = load_settings(model_store=STORE_URL, seller_company=company)
    source = MySqlSource.from_settings(laravel_db.connection, config)
    result = train_forecast(source, s3_store(s3), config, today=TODAY)
    assert not result.promoted
    assert "no sales at all" in result.reason


def test_a_price_unit_change_in_the_last_30_days_is_not_promoted(laravel_db, s3):
    # Given 400 days of Aktina orders, whose prices were written ×1000 over the last 30 days
    # (a currency-unit change): the forecast follows them
    seed_orders(laravel_db, 400, TODAY - timedelta(days=1))
    execute(
        laravel_db,
        "UPDATE orders SET price = price * 1000 WHERE created_at >= %s",
        TODAY - timedelta(days=30),
    )
    config = load_settings(model_store=STORE_URL)
    source = MySqlSource.from_settings(laravel_db.connection, config)
    store = s3_store(s3)
    # When the forecast is trained
    result = train_forecast(source, store, config, today=TODAY)
    # Then the gate compares the last month with the year before it (not with a year that
    # already holds the bad month) and refuses it
    assert not result.promoted
    assert "the last 30 days' sales level" in result.reason
    assert "far outside the 30-day levels of the year before them" in result.reason
    assert store.current("forecast") is None


def test_every_order_on_one_buyer_is_not_promoted(demo_db, s3):
    # Given a promoted segmentation where most retailers buy
    db, dataset = demo_db
    store = s3_store(s3)
    first = segment(db, dataset, store)
    assert first.promoted, first.reason
    buying = first.manifest.metadata["counts"]["retailers_with_sales"]
    # When every order is put on one buyer
    execute(db, "UPDATE orders SET buyer_id = (SELECT MIN(user_id) FROM retailers)")
    result = segment(db, dataset, store)
    # Then the collapse in buying retailers is refused and the promoted model stays
    assert not result.promoted
    collapsed = "buying retailers collapsed: 1 of 300 retailers have sales"
    assert f"{collapsed}, the promoted model has {buying}" in result.reason
    assert store.current("segmentation").version == first.manifest.version
