"""The demand state machine's steps, run in-process through the train handler with the events
from events/: prepare on MariaDB, one fit per item of the task list in (moto) S3 as the
Distributed Map reads it, finish; the promoted model is the in-process training's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource
from aktina_ml.demand import NAME
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.demand.training import train_demand
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.conftest import MODEL_BUCKET
from tests.contract.test_train_handler import emf_metrics
from tests.support.demand import product_units
from tests.support.handlers import load_handler
from tests.support.segmentation import STORE_URL, s3_store

N_PRODUCTS = 4  # 1, 2: long history; 3: phased out; 4: launched 40 days ago
AKTINA, BUYERS = 1, (2, 3, 4)


def seed_sales(db, last_day) -> None:
    """Aktina, three retailers, four products and one order per product and day sold."""
    db.insert(
        "users",
        [
            {"id": AKTINA, "name": "a", "email": "a@x.test", "password": "x",
             "company_name": "Aktina", "role": "admin"},
            *(
                {"id": b, "name": f"r{b}", "email": f"r{b}@x.test", "password": "x",
                 "role": "retailer"}
                for b in BUYERS
            ),
        ],
    )  # fmt: skip
    db.insert(
        "products",
        [
            {"id": p, "name": f"Phone {p}", "model": f"Aktina {p}", "sku": f"AK-{p}"}
            for p in range(1, N_PRODUCTS + 1)
        ],
    )
    units = product_units(N_PRODUCTS, 400, last_day)
    rows = [
        (
            10.0 * quantity,
            json.dumps([{"product_id": product, "quantity": quantity, "unit_price": 10,
                         "total": 10 * quantity}]),
            BUYERS[i % len(BUYERS)],
            AKTINA,
            "delivered",
            f"{day.date()} 12:00:00",
        )
        for i, (day, product, quantity) in enumerate(units.itertuples(index=False))
        if quantity > 0
    ]  # fmt: skip
    with db.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO orders (price, items, buyer_id, seller_id, status, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )
    db.connection.commit()


@pytest.fixture
def demand_trainer(laravel_db, s3, monkeypatch):
    """The demand train function against MariaDB and the moto bucket, as the template sets it."""
    seed_sales(laravel_db, datetime.now(UTC).date() - timedelta(days=1))
    db = laravel_db.settings
    url = f"mysql://{db.user}@{db.host}:{db.port}/{db.database}"
    monkeypatch.setenv("AKTINA_DATABASE_URL", url)
    monkeypatch.setenv("AKTINA_MODEL_STORE", STORE_URL)
    monkeypatch.setenv("AKTINA_TRAIN_MODELS", NAME)
    return load_handler("train")


def test_the_fanned_out_steps_promote_the_in_process_model(
    demand_trainer, laravel_db, s3, tmp_path, load_event, lambda_context, capsys
):
    handler = demand_trainer
    # When the state machine's Prepare step runs (its event: the execution's input)
    prepared = handler.lambda_handler(load_event("demand_prepare.json"), lambda_context)
    # Then the task list is in the staging prefix the state machine may read
    assert prepared["tasks_key"].startswith("models/demand/staging/")
    assert prepared["tasks"] == N_PRODUCTS
    # When the Map reads it (ItemReader, JSON) and each item invokes the function
    body = s3.get_object(Bucket=MODEL_BUCKET, Key=prepared["tasks_key"])["Body"].read()
    items = json.loads(body)
    assert len(items) == N_PRODUCTS
    example = load_event("demand_fit.json")
    for item in items:
        assert item.keys() == example.keys()
        assert item["task"].keys() == example["task"].keys()
        answer = handler.lambda_handler(item, lambda_context)
        assert answer == {"product_id": item["task"]["product_id"], "fitted": True}
    # And the Finish step runs on Prepare's answer
    finish = load_event("demand_finish.json") | {"run": prepared["run"]}
    answer = handler.lambda_handler(finish, lambda_context)
    # Then demand is promoted, with no fallback, and its metrics are published
    (result,) = answer["results"]
    assert result["promoted"], result["reason"]
    assert result["metrics"]["fan_out"] == {
        "run": prepared["run"],
        "products": N_PRODUCTS,
        "fallbacks": [],
    }
    figures = emf_metrics(capsys.readouterr().out)
    assert figures["demand_promoted"] == 1
    assert figures["demand_gate_failed"] == 0
    fanned = s3_store(s3).load(s3_store(s3).current(NAME), DemandArtifact)

    # And the in-process training on the same database promotes the same model
    settings = load_settings()
    local = ModelStore(LocalBackend(tmp_path))
    source = MySqlSource.from_settings(laravel_db.connection, settings)
    assert train_demand(source, local, settings).promoted
    in_process = local.load(local.current(NAME), DemandArtifact)
    assert [p.product_id for p in fanned.products] == [p.product_id for p in in_process.products]
    np.testing.assert_allclose(
        fanned.units.cumulative.point, in_process.units.cumulative.point, rtol=1e-6
    )
    for ours, theirs in zip(fanned.products, in_process.products, strict=True):
        assert (ours.method, ours.method_note) == (theirs.method, theirs.method_note)
        np.testing.assert_allclose(ours.cumulative.point, theirs.cumulative.point, rtol=1e-6)
        np.testing.assert_allclose(ours.cumulative.lower, theirs.cumulative.lower, rtol=1e-6)
        np.testing.assert_allclose(ours.cumulative.upper, theirs.cumulative.upper, rtol=1e-6)


def test_a_step_of_another_function_or_run_is_refused(
    demand_trainer, monkeypatch, load_event, lambda_context
):
    from aktina_ml.demand.staged import StagedRunError

    # Given the demand function: a finish for a run never prepared is refused clearly
    with pytest.raises(StagedRunError, match="no staged run"):
        demand_trainer.lambda_handler(load_event("demand_finish.json"), lambda_context)
    with pytest.raises(StagedRunError, match="not a staged run id"):
        demand_trainer.lambda_handler(
            load_event("demand_finish.json") | {"run": "../forecast"}, lambda_context
        )
    # And the forecast function refuses demand steps (its role has no demand prefix)
    monkeypatch.setenv("AKTINA_TRAIN_MODELS", "forecast")
    with pytest.raises(StagedRunError, match="invoke the demand train function"):
        load_handler("train").lambda_handler(load_event("demand_fit.json"), lambda_context)
