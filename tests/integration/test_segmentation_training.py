"""Training from the Laravel database (real MariaDB) into the model store (moto S3)."""

import json

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.metrics import adjusted_rand_score

from aktina_ml.api.model_cache import ModelCache
from aktina_ml.config import NON_SALE_STATUSES, load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.model_store.manifest import ArtifactIntegrityError
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.training import MODEL_NAME, train_segmentation
from tests.conftest import MODEL_BUCKET
from tests.support.demo import day_after, demo_dataset, load_into, planted, retailers_frame
from tests.support.segmentation import STORE_URL, s3_store, train_demo


def expected_sale_days(dataset) -> pd.Series:
    """Business-timezone days of counted Aktina sales, from the generated frames."""
    users, orders = dataset.users, dataset.orders
    aktina = users.loc[users["company_name"] == "Aktina", "id"]
    sales = orders[orders["seller_id"].isin(aktina) & ~orders["status"].isin(NON_SALE_STATUSES)]
    local = sales["created_at"].dt.tz_localize("UTC").dt.tz_convert(dataset.timezone)
    return local.dt.tz_localize(None).dt.normalize()


@pytest.fixture
def settings():
    return load_settings(model_store=STORE_URL)


def test_trains_from_mariadb_and_promotes_a_verified_model(laravel_db, s3):
    # Given the app's tables holding demo retailers from planted segments and their orders
    dataset = demo_dataset(500, seed=8)
    load_into(laravel_db.connection, dataset)
    expected = retailers_frame(dataset)  # counted Aktina sales, via the CSV source
    settings = load_settings(model_store=STORE_URL, timezone=dataset.timezone)
    source = MySqlSource.from_settings(laravel_db.connection, settings)
    store = s3_store(s3)
    # When segmentation is trained the day after the data ends
    result = train_segmentation(source, store, settings, today=day_after(dataset))
    # Then it is promoted with a complete manifest
    assert result.promoted, result.reason
    manifest = store.current(MODEL_NAME)
    assert manifest.version == result.manifest.version
    meta = manifest.metadata
    assert meta["counts"]["retailers"] == 500
    assert meta["counts"]["retailers_with_sales"] == (expected["total_sales"] > 0).sum() < 500
    assert meta["k"] == 4
    assert set(meta["quality"]) >= {"silhouette", "volume_nmi", "heldout_accuracy"}
    assert meta["library_versions"]["scikit-learn"] == sklearn.__version__
    sale_days = expected_sale_days(dataset)
    assert meta["data_window"]["first_sale_day"] == sale_days.min().date().isoformat()
    assert meta["data_window"]["last_sale_day"] == sale_days.max().date().isoformat()
    assert meta["previous_version"] is None
    # And the stored artifact verifies, recovers the plant, and saw the right sales
    model = store.load(manifest, SegmentationModel)
    assert isinstance(model, SegmentationModel)
    truth = planted(dataset, model.retailer_ids)
    assert adjusted_rand_score(truth, model.retailer_segments) >= 0.8
    totals = sum(p["total_sales"] for p in model.profiles.values())
    assert totals == pytest.approx(expected["total_sales"].sum(), rel=1e-9)  # no cancelled
    key = f"models/{MODEL_NAME}/versions/{manifest.version}/manifest.json"
    stored = json.loads(s3.get_object(Bucket=MODEL_BUCKET, Key=key)["Body"].read())
    assert stored["sha256"] == manifest.sha256


def test_retraining_moves_the_pointer_and_keeps_segment_ids(s3, tmp_path):
    store = s3_store(s3)
    # Given a promoted model
    first = train_demo(store, tmp_path, seed=4)
    old = store.load(first.manifest, SegmentationModel)
    # When trained again (same retailers, another k-means seed: slightly different centroids)
    second = train_demo(store, tmp_path, seed=4, segment_seed=7)
    # Then the pointer moves, the manifest names its predecessor, and ids are kept
    assert second.promoted
    current = store.current(MODEL_NAME)
    assert current.version == second.manifest.version != first.manifest.version
    assert current.metadata["previous_version"] == first.manifest.version
    new = store.load(current, SegmentationModel)
    assert np.mean(new.retailer_segments == old.retailer_segments) >= 0.95


def test_degenerate_data_is_not_promoted(laravel_db, s3, settings):
    store = s3_store(s3)
    # Given an empty database
    source = MySqlSource.from_settings(laravel_db.connection, settings)
    # When trained / Then nothing is saved or promoted
    result = train_segmentation(source, store, settings)
    assert not result.promoted
    assert "at least 10 retailers" in result.reason
    # Given retailers who all look the same
    dataset = demo_dataset(40, seed=1)
    frame = dataset.retailers
    for column in (
        "urban_rural_classification",
        "customer_age_class",
        "customer_income_bracket",
        "customer_education_level",
    ):
        frame[column] = "low" if column.endswith(("bracket", "level")) else None
    frame["male_female_ratio"] = 1.0
    frame["city"] = "Kampala"  # city is a demographic too (issue 11)
    frame[["employee_count", "annual_revenue"]] = None
    frame["years_in_business"] = pd.NA
    load_into(laravel_db.connection, dataset)
    result = train_segmentation(source, store, settings)
    # Then the one-segment result is refused
    assert not result.promoted
    assert "degenerate" in result.reason
    assert store.current(MODEL_NAME) is None
    assert s3.list_objects_v2(Bucket=MODEL_BUCKET).get("KeyCount", 0) == 0


def test_a_tampered_artifact_is_refused(s3, tmp_path):
    store = s3_store(s3)
    result = train_demo(store, tmp_path)
    # Given the promoted artifact altered in the bucket
    key = f"models/{MODEL_NAME}/versions/{result.manifest.version}/model.joblib"
    body = s3.get_object(Bucket=MODEL_BUCKET, Key=key)["Body"].read()
    s3.put_object(Bucket=MODEL_BUCKET, Key=key, Body=body[:-1] + bytes([body[-1] ^ 1]))
    # When serving tries to load it / Then it is refused
    with pytest.raises(ArtifactIntegrityError):
        ModelCache(store, MODEL_NAME, SegmentationModel).get()
    # And the next training starts ids afresh and promotes a sound model
    again = train_demo(store, tmp_path, seed=5)
    assert again.promoted
    assert store.current(MODEL_NAME).metadata["previous_version"] == result.manifest.version
    assert isinstance(
        ModelCache(store, MODEL_NAME, SegmentationModel).get().model, SegmentationModel
    )
