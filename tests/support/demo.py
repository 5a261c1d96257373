"""The demo generator's data in the shapes tests need: the retailers-with-sales frame
segmentation trains on, the app's retailers CSV (id,…,total_sales), or a Laravel database."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from aktina_ml.data.csv import CsvSource
from aktina_ml.data.source import retailers_with_sales
from aktina_ml.demo.generator import DemoDataset, DemoSpec, generate
from aktina_ml.demo.loader import load_mysql

ORDERS_PER_RETAILER = 20  # keeps every size small: 1,200 retailers → 24,000 orders


def demo_dataset(
    retailers: int, seed: int = 3, days: int = 365, orders: int | None = None
) -> DemoDataset:
    """A small generated dataset (four planted segments) of ``retailers`` retailers."""
    if orders is None:
        orders = ORDERS_PER_RETAILER * retailers
    return generate(DemoSpec(retailers=retailers, orders=orders, days=days, seed=seed))


def sales_history(seed: int = 7) -> DemoDataset:
    """Enough for both trainers, still small: 60 retailers, 18 months of daily orders up to
    yesterday (a history whose last weeks are missing fails the quality gate)."""
    end = date.today() - timedelta(days=1)
    return generate(DemoSpec(retailers=60, orders=6000, days=540, seed=seed, end=end))


def retailers_frame(dataset: DemoDataset) -> pd.DataFrame:
    """Demographics and counted Aktina sales per retailer, read back through the CSV source
    from the dataset's table files (the frame ``retailers_with_sales`` gives training)."""
    with tempfile.TemporaryDirectory(prefix="aktina-demo-") as folder:
        dataset.write_csv(folder)
        return retailers_with_sales(CsvSource.from_directory(folder))


def day_after(dataset: DemoDataset) -> date:
    """The business day after the dataset's last order: train "today" and its data is current
    (the quality gate refuses a history whose last weeks are missing)."""
    last = dataset.orders["created_at"].max().tz_localize("UTC").tz_convert(dataset.timezone)
    return last.date() + timedelta(days=1)


def planted(dataset: DemoDataset, retailer_ids) -> pd.Series:
    """The planted segment of each of ``retailer_ids`` (in that order)."""
    return dataset.planted_segments.loc[list(retailer_ids)].reset_index(drop=True)


def write_retailers_csv(frame: pd.DataFrame, path: Path) -> Path:
    """A retailers frame as the app's sample file: ``id`` first, ``total_sales`` included."""
    frame.drop(columns=["order_count"], errors="ignore").rename(
        columns={"retailer_id": "id"}
    ).to_csv(path, index=False)
    return path


def train_forecast_only(trained_store: Path, timezone: str) -> Path:
    """Beside a store trained from demo exports (``<base>/models``, ``<base>/demo``): the
    forecast alone, trained from the same exports. Then GET /summary has no demand model
    and no segments, so no rule has a fact to recommend from."""
    from aktina_ml.config import load_settings
    from aktina_ml.training import train_from_csv

    store = trained_store.parent / "forecast-only"
    settings = load_settings(model_store=str(store), timezone=timezone)
    results = train_from_csv(["forecast"], trained_store.parent / "demo", settings)
    assert all(r.promoted for r in results), [r.reason for r in results]
    return store


def load_into(connection, dataset: DemoDataset) -> None:
    """Fill empty Laravel tables with the dataset (LOAD DATA LOCAL INFILE when allowed)."""
    load_mysql(connection, dataset)
