"""The declared route table: matching, path parameters, roles before handlers, JSON 404/405."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import functions_framework
import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from shared.auth import ADMIN_ONLY, ANY_ROLE, UserStatus, UserStatusCache, issue_token
from shared.bootstrap import App
from shared.config import Settings
from shared.http import json_response, next_page_link
from shared.routing import Call, Route, Router
from tests.support.db_fixtures import key_settings

SETTINGS = Settings(environment="test", cursor_secret="c" * 40, **key_settings())


def role_in_name(username: str) -> UserStatus:
    # Users are named u-<role> here; every one of them is active.
    return UserStatus(active=True, role=username.removeprefix("u-"), valid_since=0)


APP = App(
    settings=SETTINGS,
    user_statuses_factory=lambda _app: UserStatusCache(ttl_seconds=0, load=role_in_name),
)


def echo(call: Call) -> Response:
    return json_response(
        {
            "path": call.request.path,
            "params": dict(call.params),
            "user": call.principal.username if call.principal else None,
        }
    )


def never(call: Call) -> Response:
    raise AssertionError("the handler ran although the caller may not")


ROUTES = (
    Route("/healthz", "GET", None, echo, gateway=False),
    Route("/api/itens", "GET", ANY_ROLE, echo),
    Route("/api/itens/{id}", "GET", ANY_ROLE, echo),
    Route("/api/itens/{id}", "DELETE", ADMIN_ONLY, never),
    Route("/api/itens/{id}/notas/{nota}", "GET", ANY_ROLE, echo),
)


@pytest.fixture
def client() -> Client:
    router = Router(ROUTES, function="test-api", app=lambda: APP)

    @Request.application
    def wsgi(request: Request) -> Response:
        return router(request)

    return Client(wsgi)


def bearer(role: str) -> dict[str, str]:
    token = issue_token(SETTINGS, username=f"u-{role}", role=role, typ="access")
    return {"Authorization": f"Bearer {token}"}


def test_path_parameters_reach_the_handler_by_their_openapi_names(client):
    response = client.get("/api/itens/a-1/notas/7", headers=bearer("analyst"))
    assert response.status_code == 200
    assert response.json == {
        "path": "/api/itens/a-1/notas/7",
        "params": {"id": "a-1", "nota": "7"},
        "user": "u-analyst",
    }


def test_a_double_wildcard_takes_the_rest_of_the_path_even_empty():
    # Given a route ending in API Gateway's double wildcard, beside the bare prefix
    router = Router(
        [
            Route("/files", "GET", None, echo),
            Route("/files/{rest=**}", "GET", None, echo),
        ],
        function="test-api",
        app=lambda: APP,
    )
    client = Client(Request.application(router))
    # Then any depth reaches the handler as one parameter, the empty rest included
    for path, rest in (("/files/", ""), ("/files/a.js", "a.js"), ("/files/js/a.js", "js/a.js")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json["params"] == {"rest": rest}, path
    # And the bare prefix stays its own route
    assert client.get("/files").json["params"] == {}


def test_public_routes_need_no_token_and_guarded_ones_check_it_before_the_handler(client):
    assert client.get("/healthz").json["user"] is None
    # Without a token, or with a role the route does not allow, the handler never runs
    missing = client.delete("/api/itens/a-1")
    assert missing.status_code == 401
    assert missing.json["error"]["code"] == "unauthorized"
    forbidden = client.delete("/api/itens/a-1", headers=bearer("analyst"))
    assert forbidden.status_code == 403
    assert forbidden.json["error"]["code"] == "forbidden"


def read_length(call: Call) -> Response:
    return json_response({"read": len(call.body())})


def body_client(max_body: int | str, settings: Settings = SETTINGS) -> Client:
    app = App(settings=settings, user_statuses_factory=APP.user_statuses_factory)
    router = Router(
        [
            Route("/api/public", "POST", None, read_length, max_body=max_body),
            Route("/api/guarded", "POST", ADMIN_ONLY, never, max_body=max_body),
        ],
        function="test-api",
        app=lambda: app,
    )
    return Client(Request.application(router))


def chunked(size: int) -> dict[str, object]:
    # No Content-Length: only reading tells how large the body is.
    return {
        "input_stream": io.BytesIO(b"x" * size),
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }


def test_a_body_announced_over_the_route_limit_is_413_before_the_token_is_checked():
    # Given routes taking at most 4 KB, one public and one for admins
    client = body_client(4096)
    # When a caller without a token announces a larger body
    guarded = client.post("/api/guarded", data=b"[" * 4097)
    # Then it is refused as too large, not as unauthenticated: nothing else ran
    assert guarded.status_code == 413
    assert guarded.json["error"] == {
        "code": "payload_too_large",
        "message": "request body is larger than 4096 bytes",
        "details": {"limit_bytes": 4096},
    }
    # And a body at the limit reaches the handler whole
    assert client.post("/api/public", data=b"x" * 4096).json == {"read": 4096}


def test_a_chunked_body_is_cut_at_the_route_limit_while_it_is_read():
    client = body_client(4096)
    assert client.post("/api/public", **chunked(4097)).status_code == 413
    assert client.post("/api/public", **chunked(4096)).json == {"read": 4096}


def test_a_route_limit_named_by_a_setting_follows_it_and_none_exceeds_max_body_bytes():
    # Given MAX_BODY_BYTES of 2 KB
    settings = SETTINGS.model_copy(update={"max_body_bytes": 2048, "max_sync_batch": 3000})
    # Then a route declaring more, by number or by a setting's name, takes 2 KB only
    for declared in (4096, "max_sync_batch"):
        client = body_client(declared, settings)
        assert client.post("/api/public", data=b"x" * 2048).json == {"read": 2048}
        assert client.post("/api/public", data=b"x" * 2049).status_code == 413


def test_a_route_without_a_body_limit_has_no_body_to_read():
    call = Call(request=Request({}), app=APP, params={}, principal=None)
    with pytest.raises(RuntimeError, match="declare max_body"):
        call.body()


def test_unknown_paths_and_methods_are_json_404_and_405(client):
    missing = client.get("/api/nada", headers=bearer("admin"))
    assert missing.status_code == 404
    assert missing.json == {"error": {"code": "not_found", "message": "no such path: /api/nada"}}
    wrong = client.post("/api/itens/a-1", headers=bearer("admin"))
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "DELETE, GET, HEAD"
    assert wrong.json["error"]["code"] == "method_not_allowed"
    # Every answer goes through serve: request id and security headers
    assert wrong.headers["X-Request-Id"]
    assert wrong.headers["X-Content-Type-Options"] == "nosniff"


def test_a_path_with_a_line_break_reaches_the_router_as_deployed(tmp_path: Path):
    # Given a function served as deployed, by functions-framework (Flask's /<path:path> rule)
    source = tmp_path / "main.py"
    source.write_text(
        textwrap.dedent(
            """
            from types import SimpleNamespace

            import functions_framework
            from shared.http import json_response
            from shared.routing import Route, Router

            def show(call):
                return json_response({"id": call.params["id"]})

            router = Router(
                (Route("/api/itens/{id}", "GET", None, show),), function="t",
                app=lambda: SimpleNamespace(settings=SimpleNamespace()),
            )

            @functions_framework.http
            def handle_http(request):
                return router(request)
            """
        )
    )
    app = functions_framework.create_app("handle_http", str(source), "http")  # type: ignore[no-untyped-call]
    client = app.test_client()
    # When a path holds an encoded line break
    found = client.get("/api/itens/a%0Ab")
    missing = client.get("/api/nada/%0A")
    # Then the router answers it (a handler or a JSON 404), never Flask's HTML 404
    assert found.status_code == 200
    assert found.json == {"id": "a\nb"}
    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "method", "roles", "message"),
    [
        ("api/itens", "GET", None, "not an OpenAPI path template"),
        ("/api/itens/<id>", "GET", None, "not an OpenAPI path template"),
        ("/api/itens/{id", "GET", None, "not an OpenAPI path template"),
        ("/api/{rest=**}/itens", "GET", None, "not an OpenAPI path template"),
        ("/api/{rest=*}", "GET", None, "not an OpenAPI path template"),
        ("/api/itens", "get", None, "is not one of"),
        ("/api/itens", "GET", frozenset(), "roles is empty"),
    ],
)
def test_malformed_routes_are_refused_when_declared(path, method, roles, message):
    with pytest.raises(ValueError, match=message):
        Route(path, method, roles, echo)


def test_a_route_body_limit_below_one_byte_is_refused_when_declared():
    with pytest.raises(ValueError, match="max_body must be positive"):
        Route("/api/itens", "POST", None, echo, max_body=0)


def test_a_route_declared_twice_is_refused():
    with pytest.raises(ValueError, match="GET /api/itens is declared twice"):
        Router([*ROUTES, Route("/api/itens", "GET", None, echo)], function="test-api")


def test_the_next_page_link_keeps_path_filters_and_order_and_replaces_the_cursor():
    args = {"categoria": ["CRÍTICA"], "q": ["a&b c"], "cursor": ["old"], "ordem": ["asc"]}
    link = next_page_link("/api/comentarios", args, "new.cursor_-")
    assert link.startswith("</api/comentarios?")
    assert link.endswith('>; rel="next"')
    target = link[1 : link.index(">")]
    url = urlsplit(target)
    assert parse_qs(url.query) == {
        "categoria": ["CRÍTICA"],
        "q": ["a&b c"],
        "ordem": ["asc"],
        "cursor": ["new.cursor_-"],
    }
    # Inside the angle brackets, nothing a client would have to escape again
    assert target.isascii()
    assert " " not in target
