"""The one guarded decoder: hostile JSON and numeric query parameters are a 400 naming the field."""

from __future__ import annotations

import pytest

from shared.decoding import (
    MAX_DEPTH,
    MAX_INTEGER_DIGITS,
    decode_json,
    decode_json_object,
    query_integer,
)
from shared.errors import InvalidInput


def refusal(body: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        decode_json(body)
    return caught.value.message


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_nesting_up_to_the_limit_decodes_and_one_level_more_is_refused_where_it_starts():
    assert decode_json(nested(MAX_DEPTH)) is not None
    assert refusal(nested(MAX_DEPTH + 1)) == (
        f"item 0: field '{'[0]' * (MAX_DEPTH - 1)}' is nested deeper than {MAX_DEPTH} levels"
    )
    assert refusal(b'{"a": {"b": ' + nested(MAX_DEPTH) + b"}}") == (
        f"field 'a.b{'[0]' * (MAX_DEPTH - 2)}' is nested deeper than {MAX_DEPTH} levels"
    )


def test_nesting_past_what_the_parser_can_recurse_is_a_400_not_a_recursion_error():
    # 16,000 unclosed brackets, as sent to insights, and as many closed ones
    assert refusal(b"[" * 16_000) == f"body is nested deeper than {MAX_DEPTH} levels"
    assert refusal(nested(16_000)) == f"body is nested deeper than {MAX_DEPTH} levels"


def test_integers_of_up_to_twenty_digits_decode_and_longer_ones_are_refused_by_field():
    largest = int("9" * MAX_INTEGER_DIGITS)
    assert decode_json(b'{"n": -%d}' % largest) == {"n": -largest}
    assert refusal(b'{"username": ' + b"1" * 5000 + b"}") == (
        "field 'username' is an integer of 5000 digits; at most 20 are accepted"
    )
    assert refusal(b'[{"id": "a"}, {"id": -' + b"1" * 21 + b"}]") == (
        "item 1: field 'id' is an integer of 21 digits; at most 20 are accepted"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"x": 1e999}', "field 'x' is a number too large to represent"),
        (b'{"x": [NaN]}', "field 'x[0]' is not a number: NaN is not a JSON number"),
        (b"-Infinity", "body is not a number: -Infinity is not a JSON number"),
        (b'{"a\\u0000": 1}', "field 'a\\x00' contains a NUL character"),
        (b'{"a": ["ok", "x\\u0000"]}', "field 'a[1]' contains a NUL character"),
        (b'{"a": "\\ud800"}', "field 'a' contains an unpaired UTF-16 surrogate"),
        (b'{"a": "x\x00"}', "body contains a NUL byte"),
        (b'{"a": "\xc3("}', "body is not UTF-8 (byte 7)"),
        (b" \n\t", "body is empty; a JSON document is expected"),
        (b'{"a": 1} {"b": 2}', "body is not valid JSON: Extra data (line 1, column 10)"),
    ],
)
def test_numbers_strings_and_encodings_a_field_cannot_hold_are_refused_by_name(body, message):
    assert refusal(body) == message


def test_what_json_allows_still_decodes_unchanged():
    # Given line and paragraph separators, NEL and a BOM, which JSON strings may hold
    body = '\ufeff {"texto": "a\u2028b\u2029c\u0085d", "n": 1.5, "ok": [true, null]}\n'
    # Then the document is what the text says
    assert decode_json(body.encode()) == {
        "texto": "a\u2028b\u2029c\u0085d",
        "n": 1.5,
        "ok": [True, None],
    }


def test_an_object_is_required_where_one_is_expected():
    with pytest.raises(InvalidInput, match="body must be a JSON object, got an array"):
        decode_json_object(b"[]")


@pytest.mark.parametrize("value", ["9" * 5000, "0" * 5000, "-1", "1.0", "١٢", "0", "1001"])
def test_a_whole_number_query_parameter_out_of_range_is_refused_and_not_echoed_whole(value):
    with pytest.raises(InvalidInput) as caught:
        query_integer(value, name="limit", low=1, high=1000)
    assert "limit" in caught.value.message
    assert "between 1 and 1000" in caught.value.message
    assert len(caught.value.message) < 120


def test_a_whole_number_query_parameter_in_range_is_read_with_its_leading_zeros():
    assert query_integer("0" * 5000 + "7", name="limit", low=1, high=1000) == 7
    assert query_integer(" 1000 ", name="limit", low=1, high=1000) == 1000
