"""Schemathesis against the OpenAPI document Powertools generates from the real resolvers,
sent over HTTP to the local server (real handlers, models trained from demo data).

Every generated request, valid or not (schemathesis' positive and negative modes), must get
an answer below 500 whose body is strict JSON (no NaN/Infinity), a 4xx of a few kilobytes.
Bounded: a fixed number of examples per operation, derandomized so a run is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from aktina_ml.local.openapi import openapi_document
from aktina_ml.local.routes import RouteTable
from aktina_ml.local.server import LocalApi, LocalServer
from tests.support.fuzz import TIMEZONE, strict_json, train_every_model
from tests.support.handlers import load_handler
from tests.support.local_server import running

KEY = "fuzz-key"
EXAMPLES = 25  # per operation and phase: the whole module stays within a few tens of seconds


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_every_model(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def server(trained_store: Path) -> Iterator[LocalServer]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKTINA_MODEL_STORE", str(trained_store))
        env.setenv("AKTINA_TIMEZONE", TIMEZONE)
        api = LocalApi(KEY, log=lambda message: None)
    with running(api) as server:
        yield server


# Built at collection from freshly imported handlers (their models load lazily, so the store
# does not matter here); schemathesis' fixture-based loader does not support pytest 9.
_routes = RouteTable.available()
schema = schemathesis.openapi.from_dict(
    openapi_document({name: load_handler(name) for name in _routes.functions}, _routes, "1")
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_5xx_or_invalid_json(case: Any, server: LocalServer) -> None:
    response = case.call(base_url=server.url, headers={"x-api-key": KEY}, timeout=30)
    assert response.status_code < 500, (response.status_code, response.text[:500])
    if response.status_code != 304:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (response.status_code, content_type)
        body = strict_json(response.content)
        if response.status_code >= 400:
            assert isinstance(body.get("message"), str)
            assert body["message"]
            assert len(response.content) < 8_000  # the first problems, never one per row
