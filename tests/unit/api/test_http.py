"""Request helpers shared by every HTTP function, on hand-built WSGI requests (no server)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy.exc import OperationalError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from shared.errors import InvalidInput, PayloadTooLarge, RateLimited, TransientFailure
from shared.http import (
    SECURITY_HEADERS,
    UnsupportedMediaType,
    client_ip,
    read_body,
    remember_client,
    request_id_of,
    require_media_type,
    serve,
)


def request(data: bytes = b"", headers: dict[str, str] | None = None, **kwargs) -> Request:
    return Request(
        EnvironBuilder(method="POST", data=data, headers=headers, **kwargs).get_environ()
    )


def test_body_within_the_limit_is_read_whole():
    assert read_body(request(b"x" * 1000), 1000) == b"x" * 1000


def test_a_watch_refuses_the_body_before_the_rest_is_read():
    # Given a body of 20 chunks and a watch that refuses at the second chunk
    seen: list[int] = []

    def watch(chunk: bytes) -> None:
        seen.append(len(chunk))
        if len(seen) == 2:
            raise PayloadTooLarge("enough")

    body = b"x" * (20 * 64 * 1024)
    # When the body is read under the watch
    with pytest.raises(PayloadTooLarge):
        read_body(request(body), len(body), watch)
    # Then reading stopped at the chunk the watch refused
    assert len(seen) == 2


def test_a_body_the_handler_left_unread_stays_unread_after_the_answer():
    # Given a 5 MB body whose handler refuses it without reading, on a stream that records reads
    reads: list[int] = []

    class Recording(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    body = b"x" * 5_000_000
    environ = EnvironBuilder(method="POST", data=body).get_environ()
    stream = Recording(body)
    environ["wsgi.input"] = stream

    def refuse(_: Request) -> Response:
        raise PayloadTooLarge("too large")

    # When it is served, and the framework then asks for the body as functions-framework does
    # after every answer
    served = Request(environ)
    response = serve(served, refuse, function="t")
    leftover = served.get_data()
    # Then the answer stands and not a byte of the body was read (the server closes the
    # connection rather than drain it)
    assert response.status_code == 413
    assert leftover == b""
    assert reads == []
    assert stream.tell() == 0


def test_a_body_the_handler_read_is_still_the_handlers():
    # Given a handler that reads its body
    environ = EnvironBuilder(method="POST", data=b'{"a": 1}').get_environ()

    def echo(request: Request) -> Response:
        return Response(read_body(request, 100))

    # When it is served
    response = serve(Request(environ), echo, function="t")
    # Then it answered with what it read
    assert response.get_data() == b'{"a": 1}'


def test_announced_oversize_body_is_refused_before_reading():
    # Given a Content-Length over the limit and a stream that must not be touched
    environ = EnvironBuilder(method="POST", data=b"x" * 10).get_environ()
    environ["CONTENT_LENGTH"] = "2000"

    class Untouchable(io.BytesIO):
        def read(self, *args):  # pragma: no cover - reaching it fails the test
            raise AssertionError("body read despite Content-Length over the limit")

    environ["wsgi.input"] = Untouchable()
    # Then 413 without reading
    with pytest.raises(PayloadTooLarge, match="larger than 1000 bytes"):
        read_body(Request(environ), 1000)


def test_unannounced_oversize_body_is_refused_while_reading():
    # Given a chunked body (no Content-Length) larger than the limit
    environ = EnvironBuilder(method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input_terminated"] = True
    stream = io.BytesIO(b"y" * 5000)
    environ["wsgi.input"] = stream
    with pytest.raises(PayloadTooLarge):
        read_body(Request(environ), 1000)
    # Then no more than limit + one chunk was pulled from the socket
    assert stream.tell() <= 1001


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_media_types_are_accepted(content_type):
    assert require_media_type(request(content_type=content_type), ["application/json"]) == (
        "application/json"
    )


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_other_media_types_are_refused(content_type):
    with pytest.raises(UnsupportedMediaType) as caught:
        require_media_type(request(content_type=content_type), ["application/json"])
    assert caught.value.status == 415


def test_request_id_is_the_callers_when_sane():
    assert request_id_of(request(headers={"X-Request-Id": "abc-123-def"})) == "abc-123-def"
    generated = request_id_of(request(headers={"X-Request-Id": "<script>"}))
    assert len(generated) == 32
    assert generated.isalnum()


def forwarded(chain: str, remote: str = "192.0.2.7") -> Request:
    return request(headers={"X-Forwarded-For": chain}, environ_base={"REMOTE_ADDR": remote})


def test_client_ip_with_no_trusted_proxy_is_the_connection_address():
    # Given a caller that claims an address in X-Forwarded-For, and no trusted proxy
    # Then the header is ignored: the connection's address is the caller
    assert client_ip(forwarded("6.6.6.6")) == "192.0.2.7"
    assert client_ip(request(environ_base={"REMOTE_ADDR": "192.0.2.8"})) == "192.0.2.8"


def test_client_ip_behind_one_trusted_proxy_is_the_entry_that_proxy_appended():
    # Given a client's forged entry followed by the one the gateway appended
    # Then the gateway's entry is the caller, whatever the client wrote before it
    assert client_ip(forwarded("6.6.6.6, 203.0.113.9"), trusted_hops=1) == "203.0.113.9"


def test_client_ip_behind_two_trusted_proxies_skips_the_inner_proxy():
    chain = "6.6.6.6, 203.0.113.9, 10.0.0.1"
    assert client_ip(forwarded(chain), trusted_hops=2) == "203.0.113.9"


def test_client_ip_with_fewer_entries_than_trusted_hops_is_the_connection_address():
    # Given a request that did not come through the expected proxies (too short a chain)
    # Then no header entry is trusted
    assert client_ip(forwarded("6.6.6.6"), trusted_hops=2) == "192.0.2.7"
    assert client_ip(request(environ_base={"REMOTE_ADDR": "192.0.2.7"}), trusted_hops=1) == (
        "192.0.2.7"
    )


@pytest.mark.parametrize(
    ("chain", "why"),
    [
        ("6.6.6.6", "the client's own claim only: the gateway's entry comes after it"),
        ("6.6.6.6, 7.7.7.7, 8.8.8.8", "many forged entries before the gateway's"),
        ("203.0.113.9, 6.6.6.6", "the real address forged first, then another"),
        ("6.6.6.6,,, ", "empty entries padding the chain"),
    ],
)
def test_client_ip_behind_one_proxy_never_takes_an_entry_the_client_wrote(chain, why):
    # Given a client that forges X-Forwarded-For, and the gateway appending what it saw
    gateway_saw = "198.51.100.23"
    spoofed = forwarded(f"{chain}, {gateway_saw}", remote="10.0.0.2")
    # When the address is resolved behind one trusted proxy
    # Then it is the gateway's entry, whatever the client wrote
    assert client_ip(spoofed, trusted_hops=1) == gateway_saw, why


@pytest.mark.parametrize(
    "entry",
    ["unknown", "<script>", "1.2.3.4:80", "999.1.1.1", "x" * 500, "' OR 1=1 --", "::1%eth0/64"],
)
def test_client_ip_that_is_no_address_falls_back_to_the_connection(entry):
    # Given a trusted position holding text no proxy writes (the chain did not come through one)
    # Then the connection's address is used: a client cannot choose its throttling key
    assert client_ip(forwarded(f"6.6.6.6, {entry}"), trusted_hops=1) == "192.0.2.7"


def test_client_ip_is_written_the_one_way_whatever_its_spelling():
    # Given the same IPv6 address spelled two ways by the proxy
    # Then both resolve to one key, so a spelling cannot dodge the per-address limit
    long_form = client_ip(forwarded("2001:0db8:0000:0000:0000:0000:0000:0001"), trusted_hops=1)
    assert long_form == client_ip(forwarded("2001:db8::1"), trusted_hops=1) == "2001:db8::1"


def test_client_ip_with_zero_hops_ignores_every_forwarding_header():
    # Given every header a client could use to claim another address
    headers = {
        "X-Forwarded-For": "6.6.6.6",
        "X-Real-Ip": "6.6.6.7",
        "Forwarded": "for=6.6.6.8",
        "True-Client-Ip": "6.6.6.9",
    }
    spoofed = request(headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    # Then only the connection's address counts
    assert client_ip(spoofed, trusted_hops=0) == "192.0.2.7"


def test_access_log_names_the_client_resolved_behind_the_proxy(caplog):
    # Given a request through one trusted proxy with a forged first entry
    spoofed = forwarded("6.6.6.6, 198.51.100.23", remote="10.0.0.2")

    def handler(req: Request) -> Response:
        remember_client(req, 1)
        return Response("ok")

    # When it is served
    with caplog.at_level("INFO", logger="shared.http"):
        serve(spoofed, handler, function="t")
    # Then its access line names the proxy's entry, never the forged one
    [line] = [r for r in caplog.records if r.getMessage() == "request"]
    assert line.client == "198.51.100.23"


def test_access_log_of_a_request_refused_before_routing_names_the_connection(caplog):
    def handler(_: Request) -> Response:
        raise InvalidInput("refused")

    with caplog.at_level("INFO", logger="shared.http"):
        serve(forwarded("6.6.6.6"), handler, function="t")
    [line] = [r for r in caplog.records if r.getMessage() == "request"]
    assert line.client == "192.0.2.7"


def test_domain_error_becomes_its_json_and_status_with_security_headers():
    def handler(_: Request) -> Response:
        raise InvalidInput("texto is empty", details={"index": 3})

    response = serve(request(headers={"X-Request-Id": "req-00000001"}), handler, function="t")
    assert response.status_code == 400
    assert json.loads(response.get_data()) == {
        "error": {"code": "invalid_input", "message": "texto is empty", "details": {"index": 3}}
    }
    assert response.headers["X-Request-Id"] == "req-00000001"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_rate_limit_and_unavailable_carry_retry_after():
    def limited(_: Request) -> Response:
        raise RateLimited("slow down", retry_after=42)

    def unavailable(_: Request) -> Response:
        raise TransientFailure("pubsub is down")

    assert serve(request(), limited, function="t").headers["Retry-After"] == "42"
    response = serve(request(), unavailable, function="t")
    assert (response.status_code, response.headers["Retry-After"]) == (503, "5")


def test_unexpected_error_is_a_500_without_internals():
    def broken(_: Request) -> Response:
        raise KeyError("secret internal detail")

    response = serve(request(), broken, function="t")
    assert response.status_code == 500
    assert b"secret internal detail" not in response.get_data()
    assert json.loads(response.get_data())["error"]["code"] == "internal_error"


def test_lost_database_connection_is_a_503():
    def db_down(_: Request) -> Response:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    response = serve(request(), db_down, function="t")
    assert response.status_code == 503
    assert json.loads(response.get_data())["error"]["code"] == "unavailable"


def test_request_id_is_stable_within_one_request():
    # Given a request without an id of its own
    incoming = request()
    # Then every part of the handling sees the same generated id, and the response carries it
    seen: list[str] = []

    def handler(req: Request) -> Response:
        seen.extend([request_id_of(req), request_id_of(req)])
        return Response("ok")

    response = serve(incoming, handler, function="t")
    assert seen[0] == seen[1] == response.headers["X-Request-Id"]
