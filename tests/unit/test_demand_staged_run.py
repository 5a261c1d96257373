"""Demand training staged for the fan-out (prepare → one fit per product → finish), on the
model store's local twin: the same model as in-process, and failed fits fall back, named."""

from __future__ import annotations

import json
import shutil
from datetime import date

import numpy as np
import pytest

from aktina_ml.config import load_settings
from aktina_ml.data.order_items import PROBLEMS
from aktina_ml.demand import NAME
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.demand.fit import RECENT_AVERAGE
from aktina_ml.demand.staged import (
    FIT,
    StagedRunError,
    finish_run,
    fit_item,
    prepare_run,
    staging_area,
)
from aktina_ml.demand.training import train_demand
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.demand import UnitsSource, product_units, products_frame

TODAY = date(2026, 12, 7)
N_PRODUCTS = 4  # 1, 2: long history; 3: phased out; 4: launched 40 days ago


def source() -> UnitsSource:
    units = product_units(N_PRODUCTS, 400, date(2026, 12, 6))
    return UnitsSource(units, products_frame(N_PRODUCTS), dict.fromkeys(PROBLEMS, 0))


def store_at(root) -> tuple[ModelStore, object]:
    return ModelStore(LocalBackend(root)), load_settings(model_store=str(root))


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    store, settings = store_at(tmp_path_factory.mktemp("in-process"))
    result = train_demand(source(), store, settings, today=TODAY)
    assert result.promoted, result.reason
    return store.load(store.current(NAME), DemandArtifact)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A staged run prepared and every product fitted, not finished: (root, prepare's answer)."""
    root = tmp_path_factory.mktemp("staged")
    store, settings = store_at(root)
    answer = prepare_run(source(), store, settings, {}, today=TODAY)
    items = json.loads((root / answer["tasks_key"]).read_text())
    assert [item["action"] for item in items] == [FIT] * N_PRODUCTS
    for item in items:
        assert fit_item(json.loads(json.dumps(item)), store, settings)["fitted"]
    return root, answer


def finished_copy(fitted, tmp_path, break_fits=None):
    root, answer = fitted
    copy = tmp_path / "store"
    shutil.copytree(root, copy)
    if break_fits:
        break_fits(copy / "demand" / "staging" / answer["run"] / "fits")
    store, settings = store_at(copy)
    return finish_run(answer["run"], store, settings), store


def test_the_staged_run_promotes_the_in_process_model(fitted, in_process, tmp_path):
    # When the staged run finishes from its files
    result, store = finished_copy(fitted, tmp_path)
    # Then it promotes, with no fallback, the model the in-process run promoted
    assert result.promoted, result.reason
    assert result.metrics["fan_out"]["fallbacks"] == []
    staged = store.load(store.current(NAME), DemandArtifact)
    np.testing.assert_allclose(
        staged.units.cumulative.point, in_process.units.cumulative.point, rtol=1e-9
    )
    assert [p.product_id for p in staged.products] == [p.product_id for p in in_process.products]
    for ours, theirs in zip(staged.products, in_process.products, strict=True):
        assert (ours.method, ours.method_note) == (theirs.method, theirs.method_note)
        for granularity, running in ours.totals.items():
            np.testing.assert_allclose(running.point, theirs.totals[granularity].point, rtol=1e-9)
            np.testing.assert_allclose(running.upper, theirs.totals[granularity].upper, rtol=1e-9)
    assert staged.facts == in_process.facts


def test_products_whose_fit_is_missing_or_unreadable_fall_back_and_are_named(fitted, tmp_path):
    # Given the staged run with product 1's fit missing (its Map item failed) and product 2's
    # file garbage (tasks are in product order)
    def break_two(folder):
        (folder / "0000000.npz").unlink()
        (folder / "0000001.npz").write_bytes(b"not a fit")

    # When the run finishes
    result, store = finished_copy(fitted, tmp_path, break_two)
    # Then it still promotes; the two products get the simple method, named with the reason
    assert result.promoted, result.reason
    fallbacks = {f["product_id"]: f["reason"] for f in result.metrics["fan_out"]["fallbacks"]}
    assert set(fallbacks) == {1, 2}
    assert "no fit was stored" in fallbacks[1]
    assert "unreadable" in fallbacks[2]
    artifact = store.load(store.current(NAME), DemandArtifact)
    by_id = {p.product_id: p for p in artifact.products}
    for product in (1, 2):
        assert by_id[product].method == RECENT_AVERAGE
        assert "fan-out failed" in by_id[product].method_note
        assert by_id[product].metrics["fallback"] == fallbacks[product]
    assert "fan-out" not in by_id[3].method_note


def test_a_fit_event_must_name_a_prepared_run_and_one_of_its_tasks(fitted, tmp_path):
    root, answer = fitted
    store, settings = store_at(root)
    item = json.loads((root / answer["tasks_key"]).read_text())[0]
    for run in ("../../segmentation", "20261207T020000Z-0a1b2c3d", None):
        with pytest.raises(StagedRunError, match="staged run"):
            fit_item(item | {"run": run}, store, settings)
    for index in (-1, N_PRODUCTS, "0", True):
        with pytest.raises(StagedRunError, match="'index'"):
            fit_item(item | {"index": index}, store, settings)
    with pytest.raises(StagedRunError, match="not a product task"):
        fit_item(item | {"task": {"product_id": 1}}, store, settings)


def test_a_staging_area_is_only_ever_under_the_demand_staging_prefix(fitted):
    store, settings = store_at(fitted[0])
    area = staging_area(store, settings, fitted[1]["run"])
    assert area.key("plan.npz") == f"demand/staging/{area.run}/plan.npz"
    assert area.fit_key(12) == f"demand/staging/{area.run}/fits/0000012.npz"


def test_the_example_fit_event_holds_a_task_fit_product_fits(load_event):
    from aktina_ml.demand.config import DemandConfig
    from aktina_ml.demand.fit import ProductTask, fit_product

    event = load_event("demand_fit.json")
    task = ProductTask.from_dict(event["task"])
    fit = fit_product(task, DemandConfig.from_settings(load_settings()))
    assert fit.product_id == event["task"]["product_id"]
    assert fit.method == RECENT_AVERAGE  # 36 days since launch: said so


def test_a_run_with_nothing_to_fit_stages_no_task_and_finishes_unpromoted(tmp_path):
    # Given ten days of sales: too little history for the total units
    units = product_units(2, 10, date(2026, 12, 6))
    store, settings = store_at(tmp_path)
    few = UnitsSource(units, products_frame(2), dict.fromkeys(PROBLEMS, 0))
    # When the run is prepared / Then the Map gets an empty task list
    answer = prepare_run(few, store, settings, {}, today=TODAY)
    assert answer["tasks"] == 0
    assert json.loads((tmp_path / answer["tasks_key"]).read_text()) == []
    # And the finish step says why nothing was promoted
    result = finish_run(answer["run"], store, settings)
    assert not result.promoted
    assert "not enough history" in result.reason
    assert store.current(NAME) is None


def test_force_promote_in_the_executions_input_reaches_prepare_and_finish(tmp_path, monkeypatch):
    from aktina_ml.demand import training

    seen = {}
    real_prepare, real_finish = training.prepare_demand, training.finish_demand

    def prepare(source, settings, today=None):
        seen["prepare"] = settings.force_promote
        return real_prepare(source, settings, today)

    def finish(plan, fits, store, settings):
        seen["finish"] = settings.force_promote
        return real_finish(plan, fits, store, settings)

    monkeypatch.setattr(training, "prepare_demand", prepare)
    monkeypatch.setattr(training, "finish_demand", finish)
    store, settings = store_at(tmp_path)
    few = UnitsSource(product_units(2, 10, date(2026, 12, 6)), products_frame(2))
    # Given an execution started with {"force_promote": true}
    answer = prepare_run(few, store, settings, {"force_promote": True}, today=TODAY)
    finish_run(answer["run"], store, settings)
    # Then both steps ran with it, though the function's own settings do not force
    assert not settings.force_promote
    assert seen == {"prepare": True, "finish": True}
