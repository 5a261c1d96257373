"""Demand training in-process: reconciled products, life cycles, counted item problems, and
the same result when the tasks travel as JSON (a fan-out)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from aktina_ml.config import load_settings
from aktina_ml.data.order_items import PROBLEMS
from aktina_ml.demand import NAME, training
from aktina_ml.demand.artifact import DemandArtifact
from aktina_ml.demand.config import DemandConfig
from aktina_ml.demand.facts import concentration, recent_units
from aktina_ml.demand.fit import PHASED_OUT, RECENT_AVERAGE, ProductTask, fit_product
from aktina_ml.demand.training import finish_demand, prepare_demand, train_demand
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore
from tests.support.demand import UnitsSource, product_units, products_frame

TODAY = date(2026, 12, 7)
LAST_DAY = date(2026, 12, 6)
N_PRODUCTS = 4  # 1, 2: long history; 3: phased out; 4: launched 40 days ago
BAD = {"malformed": 3, "bad_line": 5, "unknown_product": 2, "price_mismatch": 1}


def source(**changes) -> UnitsSource:
    problems = dict.fromkeys(PROBLEMS, 0) | BAD
    base = UnitsSource(
        product_units(N_PRODUCTS, 400, LAST_DAY), products_frame(N_PRODUCTS), problems
    )
    return replace(base, **changes)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    store = ModelStore(LocalBackend(root))
    settings = load_settings(model_store=str(root))
    result = train_demand(source(), store, settings, today=TODAY)
    return result, store.load(store.current(NAME), DemandArtifact), store, settings


def test_training_promotes_and_counts_the_item_problems(trained):
    result, artifact, _, _ = trained
    # Then the model is promoted, and the unreadable lines are in the result and artifact
    assert result.promoted, result.reason
    assert result.metrics["item_quality"]["problems"] == dict.fromkeys(PROBLEMS, 0) | BAD
    assert artifact.item_quality["problems"]["malformed"] == 3
    assert artifact.days[0] == str(TODAY)
    assert result.metrics["units"]["mase"] is not None


def test_each_product_gets_the_method_of_its_life_cycle(trained):
    _, artifact, _, _ = trained
    methods = {p.product_id: p.method for p in artifact.products}
    assert methods[3] == PHASED_OUT
    assert methods[4] == RECENT_AVERAGE
    assert methods[1] == methods[2] == artifact.units.metrics["served"]["model"]
    launch = next(p for p in artifact.products if p.product_id == 4)
    assert launch.method_note.startswith("40 days of sales since launch")
    assert launch.name == "Phone 4"
    assert launch.model == "Aktina 4"


def test_products_add_up_to_the_total_units(trained):
    _, artifact, _, _ = trained
    # Then per granularity and for the running total from the first forecast day
    for granularity, total in artifact.units.totals.items():
        summed = np.sum([p.totals[granularity].point for p in artifact.products], axis=0)
        np.testing.assert_allclose(summed, total.point, rtol=1e-9)
    summed = np.sum([p.cumulative.point for p in artifact.products], axis=0)
    np.testing.assert_allclose(summed, artifact.units.cumulative.point, rtol=1e-9)
    # And the phased-out product stays at zero after reconciliation
    phased = next(p for p in artifact.products if p.method == PHASED_OUT)
    assert not phased.cumulative.upper.any()
    assert artifact.summary["methods"][PHASED_OUT] == 1


def test_facts_measure_concentration_and_recent_units(trained):
    _, artifact, _, _ = trained
    current = artifact.facts["retailer_concentration"]["current"]
    assert current["top5_share"] == pytest.approx(0.98)
    assert current["buyers"] == 6
    figures = artifact.facts["products"]["3"]
    assert figures["last_30"] == 0  # phased out
    assert figures["previous_90"] > 0


def test_tasks_and_config_that_travel_as_json_give_the_same_products(trained):
    _, artifact, store, settings = trained
    # Given the plan's tasks and config sent as JSON (a Distributed Map's items)
    plan = prepare_demand(source(), settings, TODAY)
    config = DemandConfig.from_dict(json.loads(json.dumps(plan.config.to_dict())))
    tasks = [ProductTask.from_dict(json.loads(json.dumps(t.to_dict()))) for t in plan.tasks]
    # When each is fit on its own and the plan finished
    result = finish_demand(plan, [fit_product(t, config) for t in tasks], store, settings)
    # Then the promoted products are the in-process ones
    assert result.promoted, result.reason
    again = store.load(store.current(NAME), DemandArtifact)
    for before, after in zip(artifact.products, again.products, strict=True):
        np.testing.assert_allclose(before.cumulative.point, after.cumulative.point)
        assert before.method_note == after.method_note


def test_a_missing_fit_is_named_and_the_rest_promoted(trained):
    _, _, store, settings = trained
    plan = prepare_demand(source(), settings, TODAY)
    fits = [fit_product(t, plan.config) for t in plan.tasks if t.product_id != 2]
    result = finish_demand(plan, fits, store, settings)
    assert result.promoted
    artifact = store.load(store.current(NAME), DemandArtifact)
    assert artifact.summary["missing"] == [2]


def test_without_any_units_nothing_is_promoted_and_the_problems_are_reported(tmp_path):
    # Given orders whose items could not be read at all
    empty = source(units=product_units(1, 1, LAST_DAY).iloc[:0])
    store = ModelStore(LocalBackend(tmp_path))
    # When training runs
    result = train_demand(empty, store, load_settings(model_store=str(tmp_path)), today=TODAY)
    # Then nothing is promoted, the reason says why, the problems are still counted
    assert not result.promoted
    assert "not enough history of units" in result.reason
    assert result.metrics["item_quality"]["problems"]["malformed"] == 3
    assert store.current(NAME) is None


def test_concentration_of_known_totals():
    figures = concentration(np.array([60.0, 20.0, 10.0, 5.0, 3.0, 2.0, 0.0]))
    assert figures == {
        "top5_share": 0.98,
        "buyers": 6,
        "hhi": pytest.approx(0.36 + 0.04 + 0.01 + 0.0025 + 0.0009 + 0.0004),
        "sales": 100.0,
    }
    assert concentration(np.zeros(3))["top5_share"] is None


def test_recent_units_per_span():
    units = product_units(1, 200, LAST_DAY, life_cycles=False)
    figures = recent_units(units, LAST_DAY)["1"]
    values = units["units"].to_numpy()
    assert figures["last_30"] == values[-30:].sum()
    assert figures["previous_30"] == values[-60:-30].sum()
    assert figures["previous_90"] == values[-180:-90].sum()


def test_a_fit_that_raises_costs_only_its_product(tmp_path, monkeypatch):
    # Given a fit that raises for product 2 (a bug, or a worker that died)
    real = training.fit_product

    def flaky(task, config):
        if task.product_id == 2:
            raise RuntimeError("boom")
        return real(task, config)

    monkeypatch.setattr(training, "fit_product", flaky)
    store = ModelStore(LocalBackend(tmp_path))
    # When demand trains in-process
    result = train_demand(source(), store, load_settings(model_store=str(tmp_path)), today=TODAY)
    # Then every product is promoted, the failed one with the recent average saying why
    assert result.promoted, result.reason
    artifact = store.load(store.current(NAME), DemandArtifact)
    failed = next(p for p in artifact.products if p.product_id == 2)
    assert failed.method == RECENT_AVERAGE
    assert failed.method_note.startswith("its fit failed (RuntimeError: boom): the daily average")
    assert artifact.summary["missing"] == []


def test_a_product_interval_is_never_narrower_than_count_noise():
    from aktina_ml.forecasting.artifact import RunningTotals

    # Given running totals of 100 units whose interval is only ± 1, and one already wide
    point = np.array([100.0, 100.0])
    totals = RunningTotals(
        keys=np.zeros(2, dtype="int64"),
        point=point,
        lower=np.array([99.0, 50.0]),
        upper=np.array([101.0, 160.0]),
    )
    # When the count floor applies at 80 %
    floored = training.counted(totals, 0.8)
    # Then the narrow one widens to ± 1.28·√100 and the wide one is kept
    assert floored.lower[0] == pytest.approx(100 - 12.8155, abs=1e-3)
    assert floored.upper[0] == pytest.approx(100 + 12.8155, abs=1e-3)
    assert (floored.lower[1], floored.upper[1]) == (50.0, 160.0)
    # And the points are untouched, so the products still add up to the total
    assert (floored.point == point).all()
