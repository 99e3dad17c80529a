"""What every HTTP function does around its one library call.

`serve` gives each request an id (the caller's `X-Request-Id` when it is sane), logs one access
line, turns a DomainError into its JSON error and status, a database outage into 503, anything
unexpected into a 500 without a stack trace, and adds the security headers. The other helpers read
a request safely: body size capped before and while reading, content type checked, caller
authenticated.
"""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote, urlencode

from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from shared.auth import Principal, UserStatusCache, authenticate, require_role
from shared.config import Settings
from shared.errors import DomainError, PayloadTooLarge, RateLimited, Unauthorized
from shared.logs import log_context

log = logging.getLogger(__name__)

REQUEST_ID_HEADER: Final = "X-Request-Id"
_REQUEST_ID_RE: Final = re.compile(r"[A-Za-z0-9._:-]{8,128}")
READ_CHUNK_BYTES: Final = 64 * 1024
_REQUEST_ID_ENVIRON_KEY: Final = "alumusic.request_id"
_RECEIVED_AT_ENVIRON_KEY: Final = "alumusic.received_at"
_CLIENT_ENVIRON_KEY: Final = "alumusic.client"

SECURITY_HEADERS: Final[Mapping[str, str]] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cache-Control": "no-store",
}


class UnsupportedMediaType(DomainError, code="unsupported_media_type", status=415): ...


# --- responses ----------------------------------------------------------------------------------


def json_response(
    payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def next_page_link(path: str, args: Mapping[str, Sequence[str]], cursor: str) -> str:
    """An RFC 8288 `Link` header value naming the next page: the same path and query (filters,
    order, limit) with `cursor` replaced, as a relative URL a client can follow as is."""
    query = [(name, value) for name, values in args.items() if name != "cursor" for value in values]
    query.append(("cursor", cursor))
    return f'<{path}?{urlencode(query, quote_via=quote)}>; rel="next"'


def error_response(error: DomainError) -> Response:
    """`{"error": {"code", "message"[, "details"]}}` with the error's status."""
    payload: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.details is not None:
        payload["details"] = error.details
    headers: dict[str, str] = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if error.status == 503:
        headers["Retry-After"] = "5"
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="alumusic"'
    return json_response({"error": payload}, status=error.status, headers=headers)


def http_error_response(error: HTTPException) -> Response:
    """A routing error (404, 405, ...) in the same JSON shape as every other error."""
    status = error.code or 500
    code = re.sub(r"[^a-z0-9]+", "_", (error.name or "error").lower()).strip("_")
    headers: dict[str, str] = {}
    if status == 405:
        allowed = getattr(error, "valid_methods", None) or []
        headers["Allow"] = ", ".join(sorted(allowed))
    message = error.description or error.name
    return json_response(
        {"error": {"code": code, "message": message}}, status=status, headers=headers
    )


# --- reading requests ---------------------------------------------------------------------------


def request_id_of(request: Request) -> str:
    """The request's id: the one `serve` assigned, else the caller's when sane, else a new one."""
    assigned = request.environ.get(_REQUEST_ID_ENVIRON_KEY)
    if isinstance(assigned, str):
        return assigned
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = given if _REQUEST_ID_RE.fullmatch(given) else uuid.uuid4().hex
    request.environ[_REQUEST_ID_ENVIRON_KEY] = request_id
    return request_id


def received_at(request: Request) -> datetime:
    """When the request arrived (stamped once by `serve`, before the body is read): the time of
    every comment in it that does not bring its own."""
    stamped = request.environ.get(_RECEIVED_AT_ENVIRON_KEY)
    if isinstance(stamped, datetime):
        return stamped
    now = datetime.now(UTC)
    request.environ[_RECEIVED_AT_ENVIRON_KEY] = now
    return now


def client_ip(request: Request, trusted_hops: int = 0) -> str:
    """The caller's address. With no trusted proxy (0) it is the connection's address: any
    X-Forwarded-For is the client's own claim. Behind `trusted_hops` proxies that each append the
    address they saw (API Gateway: 1), it is the entry that many hops from the right; earlier
    entries are whatever the client claimed. A header with fewer entries than that did not come
    through the proxies, and an entry that is no IP address was not written by one: the
    connection's address is used for both, so no client-chosen text becomes a throttling key."""
    connection = (request.remote_addr or "unknown")[:64]
    if trusted_hops <= 0:
        return connection
    # Every X-Forwarded-For line the server received, in order: a proxy appends to the last one.
    lines = request.headers.getlist("X-Forwarded-For")
    hops = [hop.strip() for line in lines for hop in line.split(",") if hop.strip()]
    if len(hops) < trusted_hops:
        return connection
    chosen = hops[-trusted_hops]
    try:
        return str(ipaddress.ip_address(chosen))
    except ValueError:
        return connection


def remember_client(request: Request, trusted_hops: int) -> str:
    """The caller's address (`client_ip`), kept on the request for its access log line."""
    address = client_ip(request, trusted_hops)
    request.environ[_CLIENT_ENVIRON_KEY] = address
    return address


def logged_client(request: Request) -> str:
    """The address the access log names: the one the route resolved behind the trusted proxies,
    else (a request refused before routing) the connection's."""
    remembered = request.environ.get(_CLIENT_ENVIRON_KEY)
    return remembered if isinstance(remembered, str) else client_ip(request, 0)


def _body_too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"request body is larger than {max_bytes} bytes", details={"limit_bytes": max_bytes}
    )


def refuse_announced_body(request: Request, max_bytes: int) -> None:
    """413 when the request announces (Content-Length) a body larger than `max_bytes`; nothing
    of it is read."""
    announced = request.content_length
    if announced is not None and announced > max_bytes:
        raise _body_too_large(max_bytes)


def read_body(
    request: Request, max_bytes: int, watch: Callable[[bytes], None] | None = None
) -> bytes:
    """The raw body, refused with 413 when larger than `max_bytes` (announced or actual).
    `watch` sees each chunk as it arrives and may refuse the body by raising, before the rest
    of it is read."""
    refuse_announced_body(request, max_bytes)
    chunks: list[bytes] = []
    received = 0
    stream = request.stream
    while True:
        chunk = stream.read(min(READ_CHUNK_BYTES, max_bytes + 1 - received))
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
        if received > max_bytes:
            raise _body_too_large(max_bytes)
        if watch is not None:
            watch(chunk)
    return b"".join(chunks)


def leave_unread_body(request: Request) -> None:
    """Keep what the handler did not read of the body (refused by its size, sent with a GET)
    unread. functions-framework reads the whole body after every answer (`get_data()`, which
    would read it from this stream); reading 16 MB to refuse it cost as much CPU as taking it.
    The server drains at most 64 KiB of what is left and then closes the connection after the
    answer."""
    request.stream = io.BytesIO()


def require_media_type(request: Request, allowed: Iterable[str]) -> str:
    """The request's media type when it is one of `allowed`; 415 otherwise."""
    accepted = tuple(allowed)
    media_type = (request.mimetype or "").lower()
    if media_type not in accepted:
        shown = media_type or "none"
        raise UnsupportedMediaType(
            f"Content-Type {shown!r} is not accepted here; send {' or '.join(accepted)}"
        )
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("-", "") != "utf8":
        raise UnsupportedMediaType(f"charset {charset!r} is not accepted; send UTF-8")
    return media_type


def require_principal(
    request: Request, settings: Settings, roles: Iterable[str], statuses: UserStatusCache
) -> Principal:
    # Behind Google API Gateway the caller's header arrives as X-Forwarded-Authorization, because
    # the gateway puts its own identity token in Authorization. The token is verified either way.
    header = request.headers.get("X-Forwarded-Authorization") or request.headers.get(
        "Authorization"
    )
    principal = authenticate(settings, header, statuses)
    require_role(principal, roles)
    return principal


def query_args(request: Request) -> dict[str, list[str]]:
    return {name: request.args.getlist(name) for name in request.args}


# --- serving ------------------------------------------------------------------------------------


def _with_security_headers(response: Response, request_id: str) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


def serve(request: Request, handler: Callable[[Request], Response], *, function: str) -> Response:
    """Run `handler` for `request` with the house rules around it (see the module docstring)."""
    received_at(request)
    request_id = request_id_of(request)
    started = time.perf_counter()
    with log_context(request_id=request_id, function=function):
        try:
            response = handler(request)
        except DomainError as error:
            response = error_response(error)
        except HTTPException as error:
            response = http_error_response(error)
        except DBAPIError as error:
            if error.connection_invalidated or _is_connection_error(error):
                log.warning("database unavailable", exc_info=True)
                response = json_response(
                    {"error": {"code": "unavailable", "message": "database unavailable; retry"}},
                    status=503,
                    headers={"Retry-After": "5"},
                )
            else:
                log.exception("database error")
                response = _internal_error()
        except Exception:
            log.exception("unhandled error")
            response = _internal_error()
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "client": logged_client(request),
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
    leave_unread_body(request)
    return _with_security_headers(response, request_id)


def _is_connection_error(error: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)


def _internal_error() -> Response:
    return json_response(
        {"error": {"code": "internal_error", "message": "internal error; it has been logged"}},
        status=500,
    )
