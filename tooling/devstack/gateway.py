"""The local gateway: one base URL that routes each documented operation to its function.

It plays the part API Gateway plays in production, from the same description: the operations of
the OpenAPI document (infra/terraform/openapi.yaml.tftpl, see tooling.devstack.openapi), each
naming the function of infra/stack.json that serves it. A request goes to a function only when
its method and path match a documented operation exactly (`{id}` is one path segment), so an
endpoint a function serves but the document lacks fails here as it would in production.
Bodies are streamed back as they come (a CSV export is not buffered), headers pass through
(Authorization, X-Total-Count, ...), an undocumented path is a JSON 404, a documented path with an
undocumented method a JSON 405 (with `Allow`) and an unreachable function a JSON 502. `GET /healthz` is 200 only when PostgreSQL, the Pub/Sub emulator (topics and
subscriptions in place), the S3 emulator (buckets in place) and every function answer.

Request bodies are judged by the operation's declared limit (`x-max-body-bytes`, else
MAX_BODY_BYTES), as API Gateway and Cloud Run refuse oversized bodies in front of the functions:
a larger `Content-Length` is a JSON 413 before a byte of the body is read or forwarded, and a
chunked body is read only up to the limit. A body on an operation that takes none is neither read
nor forwarded. A body left unread is not read away: the server drains at most 64 KiB of it and
then closes the connection after the answer. Bodies over STREAM_BODY_BYTES are streamed to the function as they arrive, so a function
that refuses one early (an NDJSON flood past its item limit) stops the gateway reading it too.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import logging
import re
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import TYPE_CHECKING, Any

import urllib3
from urllib3.connection import HTTPConnection
from urllib3.exceptions import (
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.wait import wait_for_read
from werkzeug.wsgi import get_input_stream

from tooling.devstack.openapi import Operation, load_operations
from tooling.devstack.stack import FunctionSpec, StackSpec

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shared.config import Settings

log = logging.getLogger("tooling.devstack.gateway")  # also when run as __main__

# Hop-by-hop headers describe one connection, not the message; a proxy never forwards them.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
STREAM_CHUNK_BYTES = 64 * 1024
# Request bodies up to this size are read whole and forwarded with retries; larger ones are
# streamed to the function, STREAM_PIECE_BYTES at a time.
STREAM_BODY_BYTES = 1024 * 1024
STREAM_PIECE_BYTES = 256 * 1024
CHECK_TIMEOUT_SECONDS = 2.0


def _json_body(status: int, payload: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    reasons = {
        200: "OK",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    return f"{status} {reasons.get(status, '')}".strip(), headers, body


def _error(status: int, code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    return _json_body(status, {"error": {"code": code, "message": message}})


# --- health -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    ms: float

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.ms, 1)}


class HealthChecks:
    """Readiness of every part of the local stack, each check bounded by a short timeout."""

    def __init__(
        self,
        spec: StackSpec,
        *,
        database_url: str | None,
        pubsub_emulator_host: str | None,
        s3_endpoint_url: str | None,
        aws_region: str = "us-east-1",
        http: urllib3.PoolManager | None = None,
    ) -> None:
        self.spec = spec
        self.database_url = database_url
        self.pubsub_emulator_host = pubsub_emulator_host
        self.s3_endpoint_url = s3_endpoint_url
        self.aws_region = aws_region
        self.http = http or urllib3.PoolManager(maxsize=8)
        self._s3: Any = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, spec: StackSpec, settings: Settings) -> HealthChecks:
        return cls(
            spec,
            database_url=settings.database_url,
            pubsub_emulator_host=settings.pubsub_emulator_host,
            s3_endpoint_url=settings.aws_endpoint_url,
            aws_region=settings.aws_region,
        )

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        # Created on first use: gunicorn forks after the app is built and threads do not survive.
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=8, thread_name_prefix="healthz"
                )
            return self._executor

    def checks(self) -> dict[str, Callable[[], str]]:
        named: dict[str, Callable[[], str]] = {
            "postgres": self.check_postgres,
            "pubsub": self.check_pubsub,
            "s3": self.check_s3,
        }
        for function in self.spec.functions:
            named[f"function:{function.name}"] = self._function_check(function)
        return named

    def run(self) -> tuple[bool, dict[str, dict[str, Any]]]:
        """(all ready, per-part detail)."""
        pool = self._pool()
        futures = {name: pool.submit(self._timed, check) for name, check in self.checks().items()}
        results: dict[str, dict[str, Any]] = {}
        for name, future in futures.items():
            try:
                result = future.result(timeout=CHECK_TIMEOUT_SECONDS * 2)
            except concurrent.futures.TimeoutError:
                result = CheckResult(False, "timed out", CHECK_TIMEOUT_SECONDS * 2000)
            results[name] = result.as_dict()
        return all(r["ok"] for r in results.values()), results

    @staticmethod
    def _timed(check: Callable[[], str]) -> CheckResult:
        started = time.perf_counter()
        try:
            detail = check()
            ok = True
        except Exception as error:
            detail = f"{type(error).__name__}: {error}"[:300]
            ok = False
        return CheckResult(ok, detail, (time.perf_counter() - started) * 1000)

    def check_postgres(self) -> str:
        import psycopg
        from sqlalchemy.engine import make_url

        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set")
        url = make_url(self.database_url)
        conn = psycopg.connect(
            user=url.username or "postgres",
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            dbname=url.database,
            password=url.password,
            connect_timeout=max(1, round(CHECK_TIMEOUT_SECONDS)),
        )
        try:
            conn.execute("SELECT 1")
        finally:
            conn.close()
        return f"{url.host}:{url.port or 5432}/{url.database}"

    def check_pubsub(self) -> str:
        if not self.pubsub_emulator_host:
            raise RuntimeError("PUBSUB_EMULATOR_HOST is not set")
        base = f"http://{self.pubsub_emulator_host}/v1/projects/{self.spec.project_id}"
        paths = [f"topics/{t}" for t in self.spec.topics]
        paths += [f"subscriptions/{s.name}" for s in self.spec.subscriptions]
        for path in paths:
            response = self.http.request(
                "GET", f"{base}/{path}", timeout=CHECK_TIMEOUT_SECONDS, retries=False
            )
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        return f"{self.pubsub_emulator_host}: {len(paths)} topics and subscriptions"

    def check_s3(self) -> str:
        if not self.s3_endpoint_url:
            raise RuntimeError("AWS_ENDPOINT_URL is not set")
        if self._s3 is None:
            from tooling.devstack.bootstrap import s3_client

            self._s3 = s3_client(
                self.s3_endpoint_url, self.aws_region, timeout=CHECK_TIMEOUT_SECONDS
            )
        for bucket in self.spec.buckets:
            self._s3.head_bucket(Bucket=bucket)
        return f"{self.s3_endpoint_url}: {len(self.spec.buckets)} buckets"

    def _function_check(self, function: FunctionSpec) -> Callable[[], str]:
        def check() -> str:
            # Any answer below 500 means the server is up; an HTTP function's /healthz also
            # answers 503 when its own dependencies are down.
            response = self.http.request(
                "GET", f"{function.base_url}/healthz", timeout=CHECK_TIMEOUT_SECONDS, retries=False
            )
            if response.status >= 500:
                raise RuntimeError(f"HTTP {response.status}")
            return f"{function.base_url}: HTTP {response.status}"

        return check


# --- the proxy ----------------------------------------------------------------------------------


class _StreamedBody:
    """The upstream body as a WSGI iterable; closing it returns the connection to the pool, or
    closes the request's own connection."""

    def __init__(
        self,
        response: urllib3.BaseHTTPResponse,
        connection: HTTPConnection | None = None,
    ) -> None:
        self.response = response
        self.connection = connection

    def __iter__(self) -> Iterator[bytes]:
        yield from self.response.stream(STREAM_CHUNK_BYTES, decode_content=False)

    def close(self) -> None:
        self.response.release_conn()
        if self.connection is not None:
            self.connection.close()


class _TooLarge(Exception):
    """A body without Content-Length (chunked) went past the operation's limit."""


def _read_at_most(stream: Any, limit: int) -> bytes:
    """The whole body of a request that announces no length, refused past `limit` bytes
    (read in pieces, never more than limit + 1 bytes)."""
    chunks: list[bytes] = []
    received = 0
    while received <= limit:
        chunk = stream.read(min(STREAM_BODY_BYTES, limit + 1 - received))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        received += len(chunk)
    raise _TooLarge


def _pieces(stream: Any, length: int, connection: HTTPConnection) -> Iterator[bytes]:
    """`length` bytes of the request body in pieces, until the function answers: one that
    refuses a body early (an NDJSON flood past its item limit) is not sent the rest of it, and
    the rest is not read from the client."""
    left = length
    while left > 0:
        sock = connection.sock
        if sock is not None and wait_for_read(sock, timeout=0):
            return
        chunk = stream.read(min(STREAM_PIECE_BYTES, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


class Gateway:
    """WSGI application: route documented operations, proxy with pooled keep-alive connections."""

    def __init__(
        self,
        spec: StackSpec,
        operations: Iterable[Operation],
        health: HealthChecks | None = None,
        *,
        max_body_bytes: int | None = None,
        connect_timeout: float = 2.0,
        read_timeout: float = 300.0,
        pool_size: int = 32,
    ) -> None:
        self.spec = spec
        self.health = health
        self.max_body_bytes = max_body_bytes
        # Literal segments before path parameters, as API Gateway matches: GET /x/export goes to
        # the operation of that path, not to the one of /x/{id}.
        self.operations = [
            (operation.pattern, operation.method, spec.function(operation.function), operation)
            for operation in sorted(operations, key=lambda o: o.specificity)
        ]
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        # A pooled connection the function closed while idle fails on reuse; one retry covers
        # it. Replaying a request is harmless: every write of the API is idempotent by id.
        self.retries = urllib3.Retry(
            total=2,
            connect=2,
            read=1,
            status=0,
            other=0,
            redirect=False,
            allowed_methods=None,
            # A 429 or 503 with Retry-After is the function's answer to pass on, not a retry.
            respect_retry_after_header=False,
        )
        self.http = urllib3.PoolManager(maxsize=pool_size, block=False)

    def route(self, method: str, path: str) -> FunctionSpec | list[str]:
        """The function serving (method, path), else the methods documented for the path
        (empty when the path is not documented at all)."""
        matched = self.operation(method, path)
        return matched[0] if isinstance(matched, tuple) else matched

    def operation(self, method: str, path: str) -> tuple[FunctionSpec, Operation] | list[str]:
        """The function and documented operation serving (method, path), else the methods
        documented for the path (empty when the path is not documented at all).

        Only the most specific template matching the path counts, as for routing: the methods
        of /x/export are its own, not those of /x/{id} as well."""
        allowed: list[str] = []
        matched: re.Pattern[str] | None = None
        for pattern, documented_method, function, operation in self.operations:
            if matched is not None and pattern.pattern != matched.pattern:
                continue
            if pattern.match(path):
                if documented_method == method:
                    return function, operation
                matched = pattern
                allowed.append(documented_method)
        return sorted(set(allowed))

    def body_limit(self, operation: Operation) -> int | None:
        """The largest body `operation` takes (None: no limit at all; 0: it takes none)."""
        if not operation.takes_body:
            return 0
        limits = [
            limit for limit in (operation.max_body_bytes, self.max_body_bytes) if limit is not None
        ]
        return min(limits) if limits else None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self._healthz(start_response, head=method == "HEAD")
        routed = self.operation(method, path)
        if isinstance(routed, tuple):
            return self._proxy(*routed, environ, start_response)
        if routed:
            status, headers, body = _error(
                405, "method_not_allowed", f"{method} is not allowed on {path}"
            )
            headers.append(("Allow", ", ".join(routed)))
        else:
            status, headers, body = _error(404, "not_found", f"no service handles {path}")
        start_response(status, headers)
        return [body]

    def _healthz(self, start_response: StartResponse, *, head: bool) -> Iterable[bytes]:
        checks: dict[str, dict[str, Any]] = {}
        ok = True
        if self.health is not None:
            ok, checks = self.health.run()
        status, headers, body = _json_body(
            200 if ok else 503, {"status": "ok" if ok else "unavailable", "checks": checks}
        )
        headers.append(("Cache-Control", "no-store"))
        start_response(status, headers)
        return [] if head else [body]

    def _request_headers(self, environ: WSGIEnvironment, function: FunctionSpec) -> dict[str, str]:
        headers: dict[str, str] = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").title()
                if name.lower() not in HOP_BY_HOP and name.lower() != "host":
                    headers[name] = value
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        client = environ.get("REMOTE_ADDR", "")
        forwarded = headers.get("X-Forwarded-For")
        if client:
            headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
        headers["X-Forwarded-Host"] = environ.get("HTTP_HOST", "")
        headers["X-Forwarded-Proto"] = environ.get("wsgi.url_scheme", "http")
        headers.setdefault("X-Request-Id", uuid.uuid4().hex)
        headers["Host"] = f"{function.host}:{function.port}"
        return headers

    def _proxy(
        self,
        function: FunctionSpec,
        operation: Operation,
        environ: WSGIEnvironment,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        declared = environ.get("CONTENT_LENGTH") or ""
        length = int(declared) if declared.isdigit() else None
        limit = self.body_limit(operation)
        payload: bytes | None = None
        if limit == 0:
            # The operation takes no body (a GET): whatever was sent stays unread and unsent.
            pass
        elif length is not None and limit is not None and length > limit:
            return self._too_large(start_response, limit, length)
        elif length is not None and length > STREAM_BODY_BYTES:
            return self._proxy_streamed(function, environ, length, start_response)
        elif length is not None:
            payload = get_input_stream(environ).read(length) if length else None
        else:
            try:
                payload = _read_at_most(get_input_stream(environ), limit or sys.maxsize) or None
            except _TooLarge:
                assert limit is not None
                return self._too_large(start_response, limit, None)
        try:
            upstream = self.http.urlopen(
                environ.get("REQUEST_METHOD", "GET"),
                function.base_url + _target(environ),
                body=payload,
                headers=self._request_headers(environ, function),
                preload_content=False,
                decode_content=False,
                redirect=False,
                retries=self.retries,
                timeout=self.timeout,
            )
        except MaxRetryError as error:
            return self._upstream_failed(function, error.reason, start_response)
        except (NewConnectionError, ProtocolError, ReadTimeoutError, HTTPError) as error:
            return self._upstream_failed(function, error, start_response)
        return self._answer(upstream, start_response)

    def _proxy_streamed(
        self,
        function: FunctionSpec,
        environ: WSGIEnvironment,
        length: int,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """A large body streamed to the function on a connection of its own: a pooled one the
        function closed while idle would fail after part of the body was taken, and a streamed
        body cannot be sent twice."""
        headers = self._request_headers(environ, function)
        headers["Content-Length"] = str(length)
        connection = HTTPConnection(function.host, function.port, timeout=self.connect_timeout)
        try:
            connection.connect()
            connection.timeout = self.read_timeout
            assert connection.sock is not None
            # A small send buffer keeps the bytes in flight few, so a function that refuses
            # the body early has been sent little of it (loopback buffers grow to megabytes).
            connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, STREAM_PIECE_BYTES)
            # The function may answer and close before taking the whole body: its answer is
            # then waiting to be read.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.request(
                    environ.get("REQUEST_METHOD", "GET"),
                    _target(environ),
                    body=_pieces(get_input_stream(environ), length, connection),
                    headers=headers,
                    chunked=False,
                    preload_content=False,
                    decode_content=False,
                )
            upstream = connection.getresponse()
        except (TimeoutError, ReadTimeoutError) as error:
            connection.close()
            return self._upstream_failed(function, error, start_response)
        except (OSError, HTTPError, HTTPException) as error:
            connection.close()
            return self._upstream_failed(function, error, start_response)
        return self._answer(upstream, start_response, connection)

    @staticmethod
    def _answer(
        upstream: urllib3.BaseHTTPResponse,
        start_response: StartResponse,
        connection: HTTPConnection | None = None,
    ) -> Iterable[bytes]:
        headers = [
            (name, value)
            for name, value in upstream.headers.items()
            if name.lower() not in HOP_BY_HOP
        ]
        start_response(f"{upstream.status} {upstream.reason or ''}".strip(), headers)
        return _StreamedBody(upstream, connection)

    @staticmethod
    def _too_large(
        start_response: StartResponse, limit: int, length: int | None
    ) -> Iterable[bytes]:
        """413, the body unread (the server closes the connection rather than drain much)."""
        size = f"of {length} bytes " if length is not None else ""
        status, headers, body = _error(
            413,
            "payload_too_large",
            f"request body {size}exceeds the {limit}-byte limit",
        )
        start_response(status, headers)
        return [body]

    def _upstream_failed(
        self, function: FunctionSpec, error: object, start_response: StartResponse
    ) -> Iterable[bytes]:
        if isinstance(error, ReadTimeoutError | TimeoutError):
            status, headers, body = _error(
                504, "gateway_timeout", f"{function.name} did not answer in time"
            )
        else:
            log.warning(
                "function unreachable", extra={"function": function.name, "error": str(error)}
            )
            status, headers, body = _error(
                502, "bad_gateway", f"{function.name} is not reachable; is it running?"
            )
        start_response(status, headers)
        return [body]


def _target(environ: WSGIEnvironment) -> str:
    """The request target to send on: the path and query as the client wrote them."""
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    return target if target.startswith("/") else _path_and_query(environ)


def _path_and_query(environ: WSGIEnvironment) -> str:
    from urllib.parse import quote

    path = quote(
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        safe="/:@!$&'()*+,;=-._~%",
    )
    query = environ.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


# --- serving ------------------------------------------------------------------------------------


def serve(
    app: Gateway, *, host: str, port: int, server: str = "gunicorn", threads: int = 16
) -> None:
    """Run the gateway in the foreground until SIGINT/SIGTERM."""
    if server == "werkzeug":
        from werkzeug.serving import make_server

        make_server(host, port, app, threaded=True).serve_forever()
        return
    if server != "gunicorn":
        raise ValueError(f"unknown server {server!r}; use gunicorn or werkzeug")
    from gunicorn.app.base import BaseApplication

    class _Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": 1,
                "worker_class": "gthread",
                "threads": threads,
                # Long exports stream for minutes; the worker heartbeat is not tied to requests.
                "timeout": 0,
                "keepalive": 75,
                "accesslog": None,
                "loglevel": "warning",
                "limit_request_line": 0,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Gateway:
            return app

    _Application().run()


def run_gateway(
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    server: str = "gunicorn",
    threads: int = 16,
    stack_file: Path | None = None,
    openapi_file: Path | None = None,
) -> None:
    """Build the gateway from the settings, infra/stack.json and the OpenAPI document and serve
    it (foreground)."""
    from shared.config import get_settings
    from shared.logs import configure_logging
    from tooling.devstack.stack import load_stack

    settings = get_settings()
    configure_logging("gateway", settings.log_level)
    spec = load_stack(stack_file, project_id=settings.pubsub_project_id)
    app = Gateway(
        spec,
        load_operations(openapi_file),
        HealthChecks.from_settings(spec, settings),
        max_body_bytes=settings.max_body_bytes,
    )
    port = port or settings.gateway_port
    log.info("gateway listening", extra={"url": f"http://{host}:{port}", "server": server})
    serve(app, host=host, port=port, server=server, threads=threads)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default GATEWAY_PORT (8080)")
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--threads", type=int, default=16, help="request threads")
    parser.add_argument(
        "--stack", type=Path, default=None, help="stack description (infra/stack.json)"
    )
    parser.add_argument(
        "--openapi",
        type=Path,
        default=None,
        help="OpenAPI document whose operations are routed (infra/terraform/openapi.yaml.tftpl)",
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m tooling.devstack.gateway`: what `alumusic dev gateway` runs."""
    parser = argparse.ArgumentParser(prog="alumusic dev gateway", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    run_gateway(
        host=args.host,
        port=args.port,
        server=args.server,
        threads=args.threads,
        stack_file=args.stack,
        openapi_file=args.openapi,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
