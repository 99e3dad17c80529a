"""The one guarded decoder: hostile JSON and numeric query parameters are a 400 naming the field."""

from __future__ import annotations

import json

import pytest

from shared.decoding import (
    MAX_DEPTH,
    MAX_INTEGER_DIGITS,
    array_items,
    decode_json,
    decode_json_object,
    loads,
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


# Most bodies skip the node-by-node check: what lets them skip it must not let a refused value by.


def test_brackets_inside_strings_do_not_count_as_nesting():
    # Given texts full of brackets in an array of many comments (more brackets than MAX_DEPTH)
    texto = "[{" * (MAX_DEPTH * 2)
    body = json.dumps([{"id": str(i), "texto": texto} for i in range(50)]).encode()
    # Then it decodes: only real nesting counts
    assert decode_json(body)[49] == {"id": "49", "texto": texto}


def test_one_deep_item_among_many_shallow_ones_is_refused_where_it_starts():
    # Given 40 shallow comments and one nested one level past the limit, as a whole document
    body = b"[" + b'{"id": "a"}, ' * 40 + b'{"x": ' + nested(MAX_DEPTH - 1) + b"}]"
    # Then the deep one is refused, named by its item and field
    assert refusal(body) == (
        f"item 40: field 'x{'[0]' * (MAX_DEPTH - 2)}' is nested deeper than {MAX_DEPTH} levels"
    )


def test_an_array_decoded_item_by_item_refuses_a_number_by_item_and_field():
    # Given an array whose second item holds a number past float's range, after a plain item
    items = array_items('[{"id": "a", "texto": "ok"}, {"id": "b", "n": 1e999}]')
    assert items is not None
    # Then the first item comes out and the second is refused by name
    assert next(items) == {"id": "a", "texto": "ok"}
    with pytest.raises(InvalidInput, match=r"^item 1: field 'n' is a number too large"):
        next(items)


def test_a_refusal_does_not_leak_into_the_next_document():
    # Given a refused document, then a plain one, then a refused one again
    assert refusal(b'{"n": NaN}') == "field 'n' is not a number: NaN is not a JSON number"
    assert decode_json(b'{"n": 1.5}') == {"n": 1.5}
    # Then each is judged on its own
    assert refusal(b'{"m": 1e999}') == "field 'm' is a number too large to represent"


def test_text_not_decoded_from_bytes_is_still_checked_for_raw_surrogates():
    # Given text a caller built itself, with a lone surrogate no UTF-8 body could carry
    with pytest.raises(InvalidInput, match="field 'a' contains an unpaired UTF-16 surrogate"):
        loads('{"a": "x\ud800"}', what="body")


def test_an_escaped_surrogate_pair_is_one_character_and_decodes():
    assert decode_json(b'{"a": "\\ud83c\\udfb5 \\u00e9"}') == {"a": "\U0001f3b5 \u00e9"}
