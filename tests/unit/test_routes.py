"""One source of truth for routes: every function's route table against the OpenAPI document.

Each HTTP function of infra/stack.json declares its routes (shared.routing.Router in its main.py);
API Gateway serves only the operations of infra/terraform/openapi.yaml.tftpl, each sent to the
function its backend names. A route missing from the document would work on a laptop through a
lax gateway and 404 in production; a documented operation no table serves would 404 everywhere.
Here both directions are checked, and the local gateway is shown to route exactly the document.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from shared.config import group_fields
from shared.routing import Route, Router
from tooling.devstack.gateway import Gateway
from tooling.devstack.openapi import Operation, load_operations, parse_openapi_template
from tooling.devstack.openapi import operations as read_operations
from tooling.devstack.stack import FunctionSpec, load_stack

ROOT = Path(__file__).resolve().parents[2]
STACK_FILE = ROOT / "infra" / "stack.json"
OPENAPI_TEMPLATE = ROOT / "infra" / "terraform" / "openapi.yaml.tftpl"


def router_of(function: dict[str, Any]) -> Router:
    """The Router a stack.json function's main.py declares under the function's name."""
    module = importlib.import_module(function["source"].replace("/", ".") + ".main")
    found = [
        r for r in vars(module).values() if isinstance(r, Router) and r.function == function["name"]
    ]
    assert len(found) == 1, (
        f"{function['source']}/main.py: {len(found)} Routers named {function['name']!r}"
    )
    return found[0]


def gateway_routes(router: Router) -> list[Route]:
    """The routes of a table reachable through the gateway (and documented in the OpenAPI one)."""
    return [route for route in router.routes if route.gateway]


def route_tables() -> dict[str, Router]:
    stack = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    return {
        f["name"]: router_of(f) for f in stack["functions"] if f.get("signature", "http") == "http"
    }


def disagreements(tables: dict[str, Router], operations: list[Operation]) -> list[str]:
    """Every way the route tables and the document differ (empty when they agree)."""
    declared = {
        (route.method, route.path): name
        for name, router in tables.items()
        for route in gateway_routes(router)
    }
    problems = []
    for (method, path), name in sorted(declared.items()):
        owners = [o.function for o in operations if (o.method, o.path) == (method, path)]
        if not owners:
            problems.append(f"{method} {path} ({name}) is not in the OpenAPI document")
        elif owners != [name]:
            problems.append(f"{method} {path} is served by {name} but documented for {owners}")
    for operation in operations:
        key = (operation.method, operation.path)
        servers = [
            name
            for name, router in tables.items()
            for route in gateway_routes(router)
            if (route.method, route.path) == key
        ]
        if len(servers) != 1:
            problems.append(
                f"{operation.method} {operation.path} is documented but served by {servers or 'no function'}"
            )
    return problems


@pytest.fixture(scope="module")
def tables() -> dict[str, Router]:
    return route_tables()


@pytest.fixture(scope="module")
def operations() -> list[Operation]:
    return load_operations(OPENAPI_TEMPLATE)


def test_every_declared_route_is_documented_and_every_documented_path_is_served(tables, operations):
    # Given every HTTP function's route table and the operations of the OpenAPI document
    assert "classify-api" in tables
    assert len(operations) >= 8
    # Then they name the same (method, path) pairs, each served by the function documented for it
    assert disagreements(tables, operations) == []


def test_public_functions_are_exactly_those_the_document_routes_to(tables, operations):
    stack = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    public = {f["name"] for f in stack["functions"] if f.get("public")}
    assert {o.function for o in operations} == public
    # A function nobody reaches through the gateway has nothing for it in its table
    for name, router in tables.items():
        if name not in public:
            assert gateway_routes(router) == [], name


def test_a_route_missing_from_the_document_or_a_document_without_a_server_is_reported(
    tables, operations
):
    # Given a table with one more route, and a document with one more operation
    classify = tables["classify-api"]
    handler = classify.routes[0].handler
    extra = Router(
        [*classify.routes, Route("/api/comentarios/stats", "GET", None, handler)],
        function="classify-api",
    )
    ghost = Operation("DELETE", "/api/comentarios/{id}", "classify-api")
    # Then each is named, with what is wrong about it
    assert disagreements({**tables, "classify-api": extra}, operations) == [
        "GET /api/comentarios/stats (classify-api) is not in the OpenAPI document"
    ]
    assert disagreements(tables, [*operations, ghost]) == [
        "DELETE /api/comentarios/{id} is documented but served by no function"
    ]
    moved = [
        Operation(o.method, o.path, "charts-api") if o.path == "/api/auth/login" else o
        for o in operations
    ]
    assert "POST /api/auth/login is served by classify-api but documented for ['charts-api']" in (
        disagreements(tables, moved)
    )


def test_each_operations_body_limit_is_its_routes(tables, operations):
    # Given every gateway route and the operation documenting it
    documented = {(o.method, o.path): o for o in operations}
    for router in tables.values():
        for route in gateway_routes(router):
            operation = documented[(route.method, route.path)]
            where = f"{route.method} {route.path}"
            # Then a route taking no body is an operation without a body parameter
            assert operation.takes_body == (route.max_body is not None), where
            # And a limit in bytes is the operation's x-max-body-bytes; a setting's (the
            # batches' MAX_BODY_BYTES) is the default the document leaves unnamed
            if isinstance(route.max_body, int):
                assert operation.max_body_bytes == route.max_body, where
            else:
                assert route.max_body in (None, "max_body_bytes"), where
                assert operation.max_body_bytes is None, where


def test_a_body_limit_on_an_operation_without_a_body_is_refused():
    text = OPENAPI_TEMPLATE.read_text(encoding="utf-8")
    document = parse_openapi_template(text)
    document["paths"]["/api/tags"]["get"]["x-max-body-bytes"] = 100
    with pytest.raises(ValueError, match="x-max-body-bytes"):
        read_operations(document)


def test_the_document_names_a_backend_for_every_operation():
    # A backend given any other way cannot be routed locally, so it is refused
    text = OPENAPI_TEMPLATE.read_text(encoding="utf-8")
    broken = text.replace('address: ${backends["classify-api"]}', "address: https://x", 1)
    document = parse_openapi_template(broken)
    with pytest.raises(ValueError, match=r"must be \$\{backends"):
        read_operations(document)


def _concrete(path: str) -> str:
    return (
        path.replace("{id}", "abc-1")
        .replace("{semana}", "2026-W01")
        .replace("{asset=**}", "js/app.js")
    )


def test_the_local_gateway_routes_exactly_the_documented_operations(tables, operations):
    # Given the local gateway built from the repository's stack and document
    spec = load_stack(STACK_FILE, env={})
    gateway = Gateway(spec, operations)
    # Then each route a table declares goes to its function
    for name, router in tables.items():
        for route in gateway_routes(router):
            routed = gateway.route(route.method, _concrete(route.path))
            assert isinstance(routed, FunctionSpec), (route.method, route.path, routed)
            assert routed.name == name
    # And what the document lacks is refused as API Gateway would: health probes, deeper paths,
    # trailing slashes and undocumented methods
    assert gateway.route("GET", "/healthz") == []
    assert gateway.route("GET", "/api/comentarios/a/b") == []
    assert gateway.route("GET", "/api/comentarios/") == []
    assert gateway.route("GET", "/api/auth") == []
    assert gateway.route("DELETE", "/api/comentarios/abc") == ["GET", "PATCH"]
    # A `{name=**}` operation takes any rest of the path, the empty one included
    for path in ("/painel", "/painel/", "/painel/app.js", "/painel/js/app.js"):
        routed = gateway.route("GET", path)
        assert isinstance(routed, FunctionSpec), path
        assert routed.name == "charts-api", path
    assert gateway.route("GET", "/painelx") == []
    client = Client(gateway)
    response = client.delete("/api/comentarios/abc")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PATCH"
    assert response.json == {
        "error": {
            "code": "method_not_allowed",
            "message": "DELETE is not allowed on /api/comentarios/abc",
        }
    }


def test_rate_limited_routes_name_a_setting_of_their_function_and_document_429():
    # Given every route with a per-user limit
    document = parse_openapi_template(OPENAPI_TEMPLATE.read_text(encoding="utf-8"))
    stack = {f["name"]: f for f in json.loads(STACK_FILE.read_text(encoding="utf-8"))["functions"]}
    limited = [
        (name, route)
        for name, router in route_tables().items()
        for route in router.routes
        if route.per_user_limit is not None
    ]
    # Then insights and sync classify are among them (they cost the most)
    assert {(route.method, route.path) for _, route in limited} >= {
        ("POST", "/api/insights/perguntar"),
        ("POST", "/api/comentarios"),
    }
    for name, route in limited:
        # And the limit is a setting of a group the function declares
        groups = stack[name]["settings"]
        assert "ratelimits" in groups, name
        assert route.per_user_limit in group_fields("ratelimits"), route.per_user_limit
        # And the document tells clients about the 429 and its Retry-After
        responses = document["paths"][route.path][route.method.lower()]["responses"]
        assert "429" in responses, f"{route.method} {route.path} does not document 429"


def test_a_function_whose_routes_take_a_body_reads_the_limits_group() -> None:
    # Given each HTTP function of infra/stack.json and the settings groups it declares
    stack = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    groups = {f["name"]: set(f["settings"]) for f in stack["functions"]}
    # Then a route with a body limit (capped by MAX_BODY_BYTES, group limits) has that group
    missing = [
        f"{name}: {route.method} {route.path}"
        for name, router in route_tables().items()
        for route in router.routes
        if route.max_body is not None and "limits" not in groups[name]
    ]
    assert missing == []
