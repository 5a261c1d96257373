"""Helpers for segmentation tests: a trained model in a store, from demo retailers."""

from __future__ import annotations

from typing import Any

from aktina_ml.config import ModelStoreLocation, Settings, load_settings
from aktina_ml.data.csv import CsvSource
from aktina_ml.model_store.store import ModelStore
from aktina_ml.segmentation.training import train_segmentation
from aktina_ml.training_result import TrainingResult
from tests.conftest import MODEL_BUCKET
from tests.support.demo import demo_dataset, retailers_frame, write_retailers_csv

STORE_URL = f"s3://{MODEL_BUCKET}/models"


def s3_store(s3: Any) -> ModelStore:
    return ModelStore.from_location(ModelStoreLocation.parse(STORE_URL), s3)


def train_demo(
    store: ModelStore, tmp_path, n: int = 600, seed: int = 4, **settings: Any
) -> TrainingResult:
    """Train on demo retailers written as the app's retailers CSV (id,…,total_sales)."""
    frame = retailers_frame(demo_dataset(n, seed=seed))
    path = write_retailers_csv(frame, tmp_path / f"retailers-{seed}.csv")
    config: Settings = load_settings(model_store=STORE_URL, **settings)
    return train_segmentation(CsvSource(retailers=path), store, config)
