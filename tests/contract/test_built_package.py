"""The BUILT package, not the source tree: each function of .aws-sam/build, in a fresh
interpreter with only its own code, its own layers and the runtime's boto3 on sys.path,
answers its events from events/. The training functions run first, against a real MariaDB,
and the serving functions then answer from the models those produced.

Needs `make build` first (CI runs it); skipped when there is no build. Point
AKTINA_SAM_BUILD_DIR at another build directory to check that one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aktina_ml.config import DatabaseSettings
from aktina_ml.demo.schema import create_laravel_schema
from scripts import lambda_sandbox as sandbox
from scripts.lambda_sandbox import link_runtime_packages
from scripts.package_size import BuiltFunction, Route, built_functions
from tests.support.demo import load_into, sales_history
from tests.support.mariadb import fresh_database

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("AKTINA_SAM_BUILD_DIR", ROOT / ".aws-sam" / "build"))
EVENTS = BUILD_DIR.parent.parent / "events"

pytestmark = pytest.mark.skipif(
    not (BUILD_DIR / "template.yaml").exists(), reason="no .aws-sam/build: run `make build`"
)

# Serving answers from numpy-only artifacts: none of these may be imported on a request.
NOT_FOR_SERVING = {"sklearn", "scipy", "pandas", "prophet", "pymysql", "cmdstanpy"}

FUNCTIONS = built_functions(BUILD_DIR) if (BUILD_DIR / "template.yaml").exists() else []
# Every training function, on the schedule's event. The demand function's schedule is its
# state machine's; on this event it trains in-process, with the same per-product code.
TRAINERS = [f for f in FUNCTIONS if "AKTINA_TRAIN_MODELS" in f.environment]
SERVERS = [f for f in FUNCTIONS if f.routes]


def api_events() -> dict[Route, list[Path]]:
    found: dict[Route, list[Path]] = {}
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text())
        if "httpMethod" in event and "resource" in event:
            found.setdefault(Route(event["httpMethod"], event["resource"]), []).append(path)
    return found


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return link_runtime_packages(tmp_path_factory.mktemp("lambda-runtime"))


def invoke(
    function: BuiltFunction, event: Path, runtime_dir: Path, environment: dict[str, str]
) -> dict[str, Any]:
    """The built handler's answer; its package and numpy must come from the build."""
    result = sandbox.invoke(function, event, runtime_dir, environment)
    for name, file in result["files"].items():
        if file is not None:
            assert Path(file).is_relative_to(BUILD_DIR), f"{name} came from {file}, not the build"
    return result


@pytest.fixture(scope="module")
def sales_database(mariadb: DatabaseSettings) -> Iterator[DatabaseSettings]:
    """One seeded Laravel database for the whole module (training takes a while)."""
    with fresh_database(mariadb, "aktina_smoke") as (settings, connection):
        create_laravel_schema(connection)
        load_into(connection, sales_history())
        yield settings


@pytest.fixture(scope="module")
def trained(
    sales_database: DatabaseSettings, runtime_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, dict[str, Any]]]:
    """Run every scheduled (training) function on the schedule event; return store and answers."""
    store = tmp_path_factory.mktemp("models")
    db = sales_database
    url = f"mysql://{db.user}:{db.password.get_secret_value()}@{db.host}:{db.port}/{db.database}"
    answers = {
        function.name: invoke(
            function,
            EVENTS / "train_schedule.json",
            runtime_dir,
            {"AKTINA_MODEL_STORE": str(store), "AKTINA_DATABASE_URL": url},
        )
        for function in TRAINERS
    }
    return store, answers


def test_the_build_has_training_and_serving_functions():
    # Given the built template / Then it has scheduled training and routed serving functions
    assert TRAINERS, "no scheduled function in the build"
    assert SERVERS, "no function with API routes in the build"


@pytest.mark.parametrize("function", SERVERS, ids=lambda f: f.name)
def test_every_route_has_an_event(function: BuiltFunction):
    # Given the events in events/ / Then each route of the function has at least one
    missing = [f"{r.method} {r.path}" for r in function.routes if r not in api_events()]
    assert not missing, f"no event in events/ for {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("function", TRAINERS, ids=lambda f: f.name)
def test_built_training_function_trains_and_promotes(function: BuiltFunction, trained):
    # Given the built training function and a seeded database (fixture `trained`)
    _, answers = trained
    # When it ran on the schedule event / Then it promoted each model it is configured for
    results = answers[function.name]["response"]["results"]
    assert [r["model"] for r in results] == function.environment["AKTINA_TRAIN_MODELS"].split(",")
    assert all(r["promoted"] and r["version"] for r in results), results


@pytest.mark.slow
@pytest.mark.parametrize("function", SERVERS, ids=lambda f: f.name)
def test_built_serving_function_answers_its_events(function: BuiltFunction, runtime_dir, trained):
    # Given the models promoted by the built training functions
    store, _ = trained
    events = [path for route in function.routes for path in api_events().get(route, [])]
    assert events, f"no event for {function.name}"
    for event in events:
        # When the built function answers the event
        result = invoke(function, event, runtime_dir, {"AKTINA_MODEL_STORE": str(store)})
        response = result["response"]
        # Then it answers (no 5xx) with JSON; on the numpy-only serving layer it imports no
        # training library (PredictSalesFunction fits posted series, on its own layer)
        assert response["statusCode"] < 500, f"{event.name}: {response}"
        if response.get("body"):
            json.loads(response["body"])
        if any(layer.name == "ServeDepsLayer" for layer in function.layer_dirs):
            assert not NOT_FOR_SERVING & set(result["modules"]), f"{event.name}: training code"
        # and nothing it imported from its layers is compiled on the way: each came with its
        # .pyc (Lambda's /opt is read-only, so the compiling would repeat every cold start;
        # the first POST /predict-sales imports pandas and Prophet: seconds more without)
        assert not result["uncompiled"], f"{event.name}: no .pyc for {result['uncompiled'][:20]}"


@pytest.mark.slow
def test_the_bytecode_check_sees_modules_compiled_at_import(runtime_dir, tmp_path):
    # Given a built serving function run as if its layers shipped no .pyc
    (function,) = [f for f in SERVERS if Route("GET", "/health") in f.routes]
    # When it answers its event
    result = sandbox.invoke(
        function,
        EVENTS / "health_get.json",
        runtime_dir,
        {"AKTINA_MODEL_STORE": str(tmp_path / "models")},
        ignore_bytecode=True,
    )
    # Then the check above would fail: it reports the layer modules compiled on the way
    assert {"aktina_ml", "aws_lambda_powertools", "pydantic"} <= {
        name.split(".")[0] for name in result["uncompiled"]
    }


@pytest.mark.slow
def test_built_legacy_predict_sales_answers_without_a_promoted_forecast(runtime_dir, tmp_path):
    # Given the built PredictSalesFunction and a model store with no forecast in it (it reads
    # the promoted forecast, when there is one, so that GET and POST agree for one history)
    (function,) = [f for f in SERVERS if Route("POST", "/predict-sales") in f.routes]
    # When it answers the legacy event in a fresh process
    result = invoke(
        function,
        EVENTS / "predict_sales_legacy.json",
        runtime_dir,
        {"AKTINA_MODEL_STORE": str(tmp_path / "models")},
    )
    # Then it answers from a fit of the posted series
    assert result["response"]["statusCode"] == 200
    body = json.loads(result["response"]["body"])
    assert body["precomputed"] is False
    assert len(body["forecast_values"]) == body["horizon_days"]
