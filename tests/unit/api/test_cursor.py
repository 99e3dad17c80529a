"""Keyset cursors: opaque, signed, bound to their query; anything altered is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from shared.comments.cursors import (
    _signature,
    cursor_secret_from,
    decode_cursor,
    encode_cursor,
    filters_fingerprint,
)
from shared.comments.listing import escape_like
from shared.comments.types import CommentFilters, Position, Total
from shared.errors import InvalidInput

SECRET = cursor_secret_from("a-test-secret-that-is-long-enough-0123456789")
FINGERPRINT = filters_fingerprint(CommentFilters(categoria="SPAM"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: dict) -> str:
    raw = json.dumps(payload).encode()
    return f"{b64(raw)}.{b64(_signature(raw, SECRET))}"


def test_time_position_round_trips_to_the_microsecond():
    # Given the last row of a page ordered by time
    position = Position(datetime(2024, 5, 1, 12, 30, 45, 123456, tzinfo=UTC), "id-9")
    # When it becomes a cursor and back
    token = encode_cursor(position, ordem="recentes", fingerprint=FINGERPRINT, secret=SECRET)
    # Then it names exactly the same place
    assert decode_cursor(token, secret=SECRET, ordem="recentes", fingerprint=FINGERPRINT) == (
        position,
        None,
    )


def test_confidence_position_round_trips():
    position = Position(0.8, "abc")
    token = encode_cursor(position, ordem="confianca_asc", fingerprint=FINGERPRINT, secret=SECRET)
    assert decode_cursor(token, secret=SECRET, ordem="confianca_asc", fingerprint=FINGERPRINT) == (
        position,
        None,
    )


@pytest.mark.parametrize("total", [Total(0, True), Total(9_999, True), Total(1_230_000, False)])
def test_the_walk_total_rides_along_signed(total):
    # Given the total counted on a walk's first page
    token = encode_cursor(
        Position(0.8, "abc"), ordem="confianca_asc", fingerprint="f", secret=SECRET, total=total
    )
    # When the next page's cursor is read
    _, carried = decode_cursor(token, secret=SECRET, ordem="confianca_asc", fingerprint="f")
    # Then the same total comes back, exactness included
    assert carried == total


@pytest.mark.parametrize("carried", [[-1, True], [1.5, True], [True, True], [3, "yes"], [3], "3"])
def test_signed_but_malformed_totals_are_refused(carried):
    token = signed({"v": 1, "o": "confianca_asc", "f": "f", "k": [0.5, "a"], "t": carried})
    with pytest.raises(InvalidInput):
        decode_cursor(token, secret=SECRET, ordem="confianca_asc", fingerprint="f")


def test_cursor_is_url_safe():
    token = encode_cursor(Position(0.5, "x" * 128), ordem="antigos", fingerprint="f", secret=SECRET)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def test_any_altered_character_is_refused():
    token = encode_cursor(
        Position(datetime(2024, 5, 1, tzinfo=UTC), "id-1"),
        ordem="recentes",
        fingerprint=FINGERPRINT,
        secret=SECRET,
    )
    for index in range(len(token)):
        replacement = "A" if token[index] != "A" else "B"
        altered = token[:index] + replacement + token[index + 1 :]
        with pytest.raises(InvalidInput):
            decode_cursor(altered, secret=SECRET, ordem="recentes", fingerprint=FINGERPRINT)


def test_payload_rewritten_without_the_key_is_refused():
    token = encode_cursor(Position(0.5, "a"), ordem="confianca_asc", fingerprint="f", secret=SECRET)
    payload, _, signature = token.partition(".")
    forged = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged["k"] = [0.1, "a"]
    with pytest.raises(InvalidInput, match="not one this API issued"):
        decode_cursor(
            f"{b64(json.dumps(forged).encode())}.{signature}",
            secret=SECRET,
            ordem="confianca_asc",
            fingerprint="f",
        )


def test_cursor_signed_with_another_key_is_refused():
    other = cursor_secret_from("another-secret-also-long-enough-0123456789")
    token = encode_cursor(Position(0.5, "a"), ordem="confianca_asc", fingerprint="f", secret=other)
    with pytest.raises(InvalidInput):
        decode_cursor(token, secret=SECRET, ordem="confianca_asc", fingerprint="f")


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.def", "!!!.???", "é.é", "a.b.c"])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidInput):
        decode_cursor(garbage, secret=SECRET, ordem="recentes", fingerprint=FINGERPRINT)


def test_cursor_of_another_query_is_refused_with_a_clear_message():
    token = encode_cursor(
        Position(0.5, "a"), ordem="confianca_asc", fingerprint=FINGERPRINT, secret=SECRET
    )
    with pytest.raises(InvalidInput, match="other filters or another ordem"):
        decode_cursor(token, secret=SECRET, ordem="confianca_desc", fingerprint=FINGERPRINT)
    with pytest.raises(InvalidInput, match="other filters or another ordem"):
        decode_cursor(token, secret=SECRET, ordem="confianca_asc", fingerprint="different")


@pytest.mark.parametrize(
    ("ordem", "key_and_id"),
    [
        ("confianca_asc", [1.5, "a"]),
        ("confianca_asc", [True, "a"]),
        ("confianca_asc", ["0.5", "a"]),
        ("recentes", ["2024-05-01T00:00:00", "a"]),  # no offset
        ("recentes", ["not a time", "a"]),
        ("recentes", [0.5, "a"]),
        ("antigos", ["2024-05-01T00:00:00+00:00", "bad id"]),
        ("antigos", ["2024-05-01T00:00:00+00:00"]),
    ],
)
def test_signed_but_malformed_positions_are_refused(ordem, key_and_id):
    token = signed({"v": 1, "o": ordem, "f": FINGERPRINT, "k": key_and_id})
    with pytest.raises(InvalidInput):
        decode_cursor(token, secret=SECRET, ordem=ordem, fingerprint=FINGERPRINT)


def test_fingerprint_follows_the_filters():
    assert filters_fingerprint(CommentFilters(q="a")) == filters_fingerprint(CommentFilters(q="a"))
    assert filters_fingerprint(CommentFilters(q="a")) != filters_fingerprint(CommentFilters(q="b"))
    assert filters_fingerprint(CommentFilters()) != filters_fingerprint(
        CommentFilters(needs_review=False)
    )


def test_like_wildcards_are_escaped():
    assert escape_like(r"50%_off\now") == r"50\%\_off\\now"


def test_spare_base64_bits_cannot_be_flipped():
    # Given a cursor whose signature ends in a character carrying unused bits ("A" = 000000)
    token = next(
        t
        for t in (
            encode_cursor(
                Position(0.5, f"id{i}"), ordem="confianca_asc", fingerprint="f", secret=SECRET
            )
            for i in range(10_000)
        )
        if t.endswith("A")
    )
    # When only those unused bits change ("B" = 000001), the bytes decode the same
    altered = token[:-1] + "B"
    # Then the cursor is still refused: only the exact issued spelling is accepted
    with pytest.raises(InvalidInput):
        decode_cursor(altered, secret=SECRET, ordem="confianca_asc", fingerprint="f")
