"""The gateway: routing by documented operation, pass-through, streaming, JSON errors, health.

Upstream functions are tiny WSGI apps served on loopback threads; no service is involved.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from tooling.devstack.gateway import STREAM_BODY_BYTES, Gateway, HealthChecks
from tooling.devstack.openapi import Operation
from tooling.devstack.services import free_port
from tooling.devstack.stack import parse_stack


def _upstream(name: str) -> Any:
    @Request.application
    def app(request: Request) -> Response:
        if request.path.endswith("/stream"):

            def chunks() -> Iterator[bytes]:
                for i in range(3):
                    yield f"row-{i}\n".encode()

            return Response(chunks(), mimetype="text/csv")
        if request.path.endswith("/refuse"):
            # Refuses the body after its first piece, as the ingest does past its item limit.
            request.stream.read(64 * 1024)
            return Response(
                json.dumps({"error": {"code": "payload_too_large", "message": "items"}}),
                status=413,
                mimetype="application/json",
            )
        if request.path.endswith("/busy"):
            status = 429 if request.method == "POST" else 503
            return Response(
                json.dumps({"error": {"code": "busy", "message": "retry later"}}),
                status=status,
                mimetype="application/json",
                headers={"Retry-After": "30"},
            )
        payload = {
            "upstream": name,
            "path": request.full_path,
            "method": request.method,
            "authorization": request.headers.get("Authorization"),
            "forwarded_for": request.headers.get("X-Forwarded-For"),
            "body": request.get_data(as_text=True)[:100],
            "body_bytes": request.content_length or 0,
            "body_read": len(request.get_data()),
        }
        return Response(
            json.dumps(payload),
            status=201 if request.method == "POST" else 200,
            mimetype="application/json",
            headers={"X-Total-Count": "42"},
        )

    return app


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, int]]:
    ports: dict[str, int] = {}
    servers = []
    for name in ("api", "charts"):
        port = free_port()
        server = make_server("127.0.0.1", port, _upstream(name), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        ports[name] = port
    yield ports
    for server in servers:
        server.shutdown()


def _spec(ports: dict[str, int]) -> Any:
    return parse_stack(
        {
            "functions": [
                {
                    "name": "api",
                    "source": "-",
                    "target": "-",
                    "port": ports["api"],
                },
                {
                    "name": "charts",
                    "source": "-",
                    "target": "-",
                    "port": ports["charts"],
                },
                {
                    "name": "down",
                    "source": "-",
                    "target": "-",
                    "port": ports.get("down", free_port()),
                },
            ]
        }
    )


# What the OpenAPI document would say: each operation and the function serving it.
OPERATIONS = [
    Operation("GET", "/api/comentarios", "api"),
    Operation("POST", "/api/comentarios", "api"),
    Operation("GET", "/api/comentarios/stream", "api"),
    Operation("GET", "/api/comentarios/{id}", "api"),
    Operation("PATCH", "/api/comentarios/{id}", "api"),
    Operation("GET", "/api/comentarios/busy", "api"),
    Operation("POST", "/api/comentarios/busy", "api"),
    Operation("GET", "/api/comentarios/export", "charts"),
    Operation("GET", "/api/relatorio/semana", "charts", takes_body=False),
    Operation("POST", "/api/insights/perguntar", "down"),
    Operation("POST", "/api/auth/login", "api", max_body_bytes=100),
    Operation("POST", "/api/comentarios/refuse", "api"),
    Operation("POST", "/api/comentarios/large", "api"),
]


@pytest.fixture
def client(upstreams: dict[str, int]) -> Client:
    return Client(Gateway(_spec(upstreams), OPERATIONS, max_body_bytes=1000))


def test_requests_go_to_the_function_documented_for_the_operation(client: Client) -> None:
    assert client.get("/api/comentarios?limit=5").json["upstream"] == "api"  # type: ignore[index]
    assert client.get("/api/comentarios/abc").json["upstream"] == "api"  # type: ignore[index]
    assert client.get("/api/relatorio/semana").json["upstream"] == "charts"  # type: ignore[index]
    # a literal path of another function wins over a path parameter, as in API Gateway
    assert client.get("/api/comentarios/export").json["upstream"] == "charts"  # type: ignore[index]


def test_only_documented_paths_and_methods_reach_a_function(client: Client) -> None:
    # Given paths a prefix would have matched, but no documented operation does
    for path in ("/api/comentarios/abc/extra", "/api/relatorio", "/api/relatorio/outra"):
        response = client.get(path)
        # Then they are a JSON 404, as behind API Gateway
        assert response.status_code == 404, path
        assert response.json["error"]["code"] == "not_found"  # type: ignore[index]
    # And a documented path with another method is a JSON 405 naming the allowed ones
    response = client.delete("/api/comentarios")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.json["error"]["code"] == "method_not_allowed"  # type: ignore[index]


def test_allow_names_the_methods_of_the_most_specific_documented_path(client: Client) -> None:
    # Given /api/comentarios/export (GET) beside /api/comentarios/{id} (GET, PATCH)
    # When a method neither documents is used on each
    on_literal = client.delete("/api/comentarios/export")
    on_template = client.delete("/api/comentarios/abc")
    # Then the literal path's 405 names only its own methods, as routing uses only its own
    assert on_literal.status_code == on_template.status_code == 405
    assert on_literal.headers["Allow"] == "GET"
    assert on_template.headers["Allow"] == "GET, PATCH"
    # And a method only the template documents is refused on the literal path
    assert client.patch("/api/comentarios/export").status_code == 405


def test_a_429_or_503_with_retry_after_is_the_functions_answer(client: Client) -> None:
    # Given a function answering "retry later" with Retry-After
    for send, status in ((client.post, 429), (client.get, 503)):
        # When a request reaches it through the gateway
        response = send("/api/comentarios/busy")
        # Then the caller gets that answer, not a 502 from the gateway retrying on its own
        assert response.status_code == status
        assert response.headers["Retry-After"] == "30"
        assert response.json["error"]["code"] == "busy"  # type: ignore[index]


def test_method_path_query_body_and_headers_pass_through(client: Client) -> None:
    # When a POST with a token and a body goes through
    response = client.post(
        "/api/comentarios?a=1&b=%C3%A9",
        data=b'{"id": "1"}',
        headers={"Authorization": "Bearer t0k", "Content-Type": "application/json"},
        environ_overrides={"REMOTE_ADDR": "10.0.0.5"},
    )

    # Then the function sees them unchanged, and its status and headers come back
    assert response.status_code == 201
    assert response.headers["X-Total-Count"] == "42"
    seen = response.json
    assert seen is not None
    assert seen["method"] == "POST"
    assert seen["path"] == "/api/comentarios?a=1&b=%C3%A9"
    assert seen["authorization"] == "Bearer t0k"
    assert seen["body"] == '{"id": "1"}'
    assert seen["forwarded_for"] == "10.0.0.5"


def test_responses_are_streamed_through(client: Client) -> None:
    response = client.get("/api/comentarios/stream", buffered=False)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert b"".join(response.iter_encoded()) == b"row-0\nrow-1\nrow-2\n"


def test_unknown_paths_are_a_json_404(client: Client) -> None:
    response = client.get("/api/comentariosX")
    assert response.status_code == 404
    assert response.json == {
        "error": {"code": "not_found", "message": "no service handles /api/comentariosX"}
    }


def test_a_function_that_is_down_is_a_json_502(client: Client) -> None:
    response = client.post("/api/insights/perguntar")
    assert response.status_code == 502
    error = response.json["error"]  # type: ignore[index]
    assert error["code"] == "bad_gateway"
    assert "down" in error["message"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: Client) -> None:
    response = client.post("/api/comentarios", data=b"x" * 1001)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"  # type: ignore[index]


class _CountingInput(io.BytesIO):
    """A request body that records how much of it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readinto(self, buffer: Any) -> int:
        count = super().readinto(buffer)
        self.taken += count
        return count


def _post(client: Client, path: str, body: _CountingInput, length: int | None) -> Any:
    """POST `body` as its input stream, announcing `length` (None: chunked, no length)."""
    overrides: dict[str, Any] = {"wsgi.input": body}
    if length is None:
        overrides["wsgi.input_terminated"] = True
        headers = {"Transfer-Encoding": "chunked"}
    else:
        overrides["CONTENT_LENGTH"] = str(length)
        headers = {}
    return client.post(path, headers=headers, environ_overrides=overrides)


def test_a_body_over_its_operations_declared_limit_is_refused_unread(client: Client) -> None:
    # Given the login, which declares 100 bytes, and a 16 MB body announced as such
    body = _CountingInput(b"[" * 16_000_000)
    # When it is posted through the gateway
    response = _post(client, "/api/auth/login", body, 16_000_000)
    # Then it is a JSON 413 naming the operation's limit, and not a byte was read
    assert response.status_code == 413
    assert "100-byte limit" in response.json["error"]["message"]  # type: ignore[index]
    assert body.taken == 0


def test_a_chunked_body_past_the_limit_is_refused_having_read_just_past_it(
    client: Client,
) -> None:
    # Given a body sent without a length, far larger than the login's 100 bytes
    body = _CountingInput(b"x" * 1_000_000)
    # When it is posted through the gateway
    response = _post(client, "/api/auth/login", body, None)
    # Then it is a JSON 413, read no further than one byte past the limit
    assert response.status_code == 413
    assert body.taken == 101
    # And a chunked body within the limit reaches the function whole
    small = _post(client, "/api/auth/login", _CountingInput(b'{"u": 1}'), None)
    assert small.json["body"] == '{"u": 1}'  # type: ignore[index]


def test_a_body_sent_to_an_operation_that_takes_none_is_neither_read_nor_forwarded(
    client: Client,
) -> None:
    # Given a GET of the weekly report carrying a 5 MB body
    body = _CountingInput(b"x" * 5_000_000)
    overrides = {"wsgi.input": body, "CONTENT_LENGTH": "5000000"}
    # When it goes through the gateway
    response = client.get("/api/relatorio/semana", environ_overrides=overrides)
    # Then the function answers as to any GET, having been sent no body, and none was read
    assert response.status_code == 200
    assert response.json["body_bytes"] == 0  # type: ignore[index]
    assert body.taken == 0


@pytest.fixture
def roomy_client(upstreams: dict[str, int]) -> Client:
    """A gateway whose body limit (128 MiB) leaves large bodies to the functions."""
    return Client(Gateway(_spec(upstreams), OPERATIONS, max_body_bytes=128 * 1024 * 1024))


def test_a_large_body_is_streamed_to_the_function_whole(roomy_client: Client) -> None:
    # Given a body larger than what the gateway forwards in one piece
    data = bytes(range(256)) * (3 * STREAM_BODY_BYTES // 256 + 7)
    # When it is posted through the gateway
    response = _post(roomy_client, "/api/comentarios/large", _CountingInput(data), len(data))
    # Then the function received all of it
    assert response.status_code == 201
    assert response.json["body_read"] == len(data)  # type: ignore[index]


def test_a_large_body_the_function_refuses_early_is_not_read_to_its_end(
    roomy_client: Client,
) -> None:
    # Given a 64 MB body to an operation whose function refuses it after its first 64 KiB
    data = b"{}\n" * (64 * 1024 * 1024 // 3)
    body = _CountingInput(data)
    # When it is posted through the gateway
    response = _post(roomy_client, "/api/comentarios/refuse", body, len(data))
    # Then the function's 413 is the answer, and the gateway stopped reading long before the end
    assert response.status_code == 413
    assert response.json["error"]["message"] == "items"  # type: ignore[index]
    assert body.taken < len(data) // 4


class _Checks(HealthChecks):
    def __init__(self, spec: Any, failing: set[str]) -> None:
        super().__init__(spec, database_url=None, pubsub_emulator_host=None, s3_endpoint_url=None)
        self.failing = failing

    def check_postgres(self) -> str:
        return self._maybe("postgres")

    def check_pubsub(self) -> str:
        return self._maybe("pubsub")

    def check_s3(self) -> str:
        return self._maybe("s3")

    def _maybe(self, name: str) -> str:
        if name in self.failing:
            raise RuntimeError(f"{name} refused")
        return "fine"


def test_healthz_is_200_only_when_every_part_is_ready(upstreams: dict[str, int]) -> None:
    # Given every emulator answering and both upstream functions up (the third one is not)
    spec = _spec(upstreams)
    healthy_spec = parse_stack(
        {"functions": [f for f in json.loads(json.dumps(_raw(spec))) if f["name"] != "down"]}
    )

    # When the gateway is asked, with and without the missing function
    ok = Client(Gateway(healthy_spec, [], _Checks(healthy_spec, set()))).get("/healthz")
    partial = Client(Gateway(spec, [], _Checks(spec, {"s3"}))).get("/healthz")

    # Then it is 200 only when all parts answer, with a detail per part either way
    assert ok.status_code == 200
    assert ok.json["status"] == "ok"  # type: ignore[index]
    assert set(ok.json["checks"]) == {"postgres", "pubsub", "s3", "function:api", "function:charts"}  # type: ignore[index]
    assert partial.status_code == 503
    checks = partial.json["checks"]  # type: ignore[index]
    assert checks["s3"] == {
        "ok": False,
        "detail": "RuntimeError: s3 refused",
        "ms": checks["s3"]["ms"],
    }
    assert checks["function:down"]["ok"] is False
    assert checks["function:api"]["ok"] is True


def _raw(spec: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": f.name,
            "source": f.source,
            "target": f.target,
            "port": f.port,
        }
        for f in spec.functions
    ]
