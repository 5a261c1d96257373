"""The local server's route table: API Gateway's matching rules and the SAM template's routes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aktina_ml.local.routes import FUNCTIONS_DIR, ROUTES, Route, RouteTable

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def template_routes() -> set[tuple[str, str, str]]:
    """(method, path, function folder) of every Api event in template.yaml, read line by line."""
    routes = set()
    function = None
    for line in TEMPLATE.read_text().splitlines():
        code = re.search(r"CodeUri:\s*functions/(\w+)/", line)
        if code:
            function = code[1]
        event = re.search(r'Path:\s*(?:"([^"]+)"|([^,\s]+)),\s*Method:\s*(\w+)', line)
        if event:
            routes.add((event[3].upper(), event[1] or event[2], function))
    return routes


def test_route_table_is_the_templates_api():
    # Given the SAM template that deploys the API
    # When its Api events are listed
    deployed = template_routes()
    # Then the local table has exactly the same (method, path, function) rows
    assert deployed
    assert {(r.method, r.resource, r.function) for r in ROUTES} == deployed


@pytest.mark.parametrize(
    ("method", "path", "resource", "params"),
    [
        ("GET", "/segments", "/segments", {}),
        ("GET", "/segments/42", "/segments/{retailer_id}", {"retailer_id": "42"}),
        ("GET", "/segments/assign", "/segments/{retailer_id}", {"retailer_id": "assign"}),
        ("POST", "/segments/assign", "/segments/assign", {}),
        ("GET", "/forecast", "/forecast", {}),
    ],
)
def test_resolve_finds_the_resource_and_path_parameters(method, path, resource, params):
    # Given the full table; when a request is resolved
    route, found = RouteTable(ROUTES).resolve(method, path)
    # Then it is the resource API Gateway would pick, with its path parameters
    assert (route.resource, found) == (resource, params)


def test_literal_resource_wins_over_a_parameter_whatever_the_order():
    # Given a table listing the {parameter} route first
    table = RouteTable(
        [Route("POST", "/segments/{retailer_id}", "a"), Route("POST", "/segments/assign", "b")]
    )
    # Then the literal path still wins, and other values fill the parameter
    assert table.resolve("POST", "/segments/assign")[0].function == "b"
    assert table.resolve("POST", "/segments/7")[0].function == "a"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/forecast"), ("GET", "/nope"), ("GET", "/segments/1/2"), ("GET", "/forecast/")],
)
def test_unknown_method_or_path_matches_nothing(method, path):
    assert RouteTable(ROUTES).resolve(method, path) is None


def test_available_keeps_only_routes_whose_function_exists(tmp_path):
    # Given a functions folder with only the forecast function
    (tmp_path / "forecast").mkdir()
    (tmp_path / "forecast" / "app.py").write_text("")
    # When the available routes are listed
    table = RouteTable.available(tmp_path)
    # Then only the forecast's routes remain
    assert table.functions == ["forecast"]
    assert {r.resource for r in table.routes} == {
        "/forecast",
        "/forecast/segments",
        "/forecast/accuracy",
        "/summary",
        "/predict-sales",
    }


def test_every_function_of_the_table_exists_in_this_checkout():
    assert RouteTable.available(FUNCTIONS_DIR).functions == sorted({r.function for r in ROUTES})
