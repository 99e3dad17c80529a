"""Input validation: every refusal names what is wrong and where."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from shared.errors import InvalidInput, PayloadTooLarge
from shared.validation import (
    CommentIn,
    parse_comments,
    parse_correction,
    parse_list_query,
)

LIMITS = {"max_items": 3, "max_text_chars": 20}


def parse(body: bytes | str, content_type: str | None = "application/json", ndjson: bool = False):
    raw = body.encode() if isinstance(body, str) else body
    return parse_comments(raw, content_type, allow_ndjson=ndjson, **LIMITS)


def refusal(body: bytes | str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(body, **kwargs)
    return caught.value.message


# --- comments -----------------------------------------------------------------------------------


def test_one_object_gives_one_comment():
    # Given one comment object / When parsed / Then one comment, text verbatim
    assert parse('{"id": "a1", "texto": "  Amei! "}') == [CommentIn("a1", "  Amei! ")]


def test_array_keeps_order_and_ignores_extra_fields():
    body = '[{"id": "a", "texto": "x", "autor": "z"}, {"id": "b", "texto": "y"}]'
    assert parse(body) == [CommentIn("a", "x"), CommentIn("b", "y")]


def test_integer_id_is_stored_as_its_decimal_string():
    assert parse('{"id": 42, "texto": "x"}') == [CommentIn("42", "x")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"id": true, "texto": "x"}', "field 'id' must be a string or an integer, got a boolean"),
        ('{"id": 1.5, "texto": "x"}', "field 'id' must be a string or an integer, got a number"),
        ('{"id": null, "texto": "x"}', "got null"),
        ('{"id": "a b", "texto": "x"}', "is not a valid comment id"),
        ('{"id": "", "texto": "x"}', "is not a valid comment id"),
        ('{"id": "' + "a" * 129 + '", "texto": "x"}', "is not a valid comment id"),
        ('{"texto": "x"}', "field 'id' is missing"),
        ('{"id": "a"}', "field 'texto' is missing"),
        ('{"id": "a", "texto": 5}', "field 'texto' must be a string, got a number"),
        ('{"id": "a", "texto": "   \\n "}', "field 'texto' is empty"),
        ('{"id": "a", "texto": ""}', "field 'texto' is empty"),
        ('{"id": "a", "texto": "' + "x" * 21 + '"}', "has 21 characters; the limit is 20"),
        ('{"id": "a", "texto": "nul \\u0000 here"}', "contains a NUL character"),
        ('{"id": "a", "texto": "half \\ud800 pair"}', "unpaired UTF-16 surrogate"),
        ("[]", "the list of comments is empty"),
        ('"just text"', "got a string"),
        ("[1]", "item 0: a comment must be a JSON object, got a number"),
        ('{"id": "a", "texto": NaN}', "NaN is not a JSON number"),
        ('{"id": "a", "texto": "x"', "not valid JSON"),
        ("", "body is empty"),
    ],
)
def test_bad_comment_is_refused_with_a_precise_message(body, expected):
    assert expected in refusal(body)


def test_error_in_a_list_names_the_item():
    body = '[{"id": "a", "texto": "ok"}, {"id": "b", "texto": ""}]'
    assert refusal(body) == "item 1: field 'texto' is empty"


def test_text_at_the_limit_is_accepted_counting_characters_not_bytes():
    texto = "ç" * 20  # 40 bytes in UTF-8, 20 characters
    assert parse(json.dumps({"id": "a", "texto": texto})) == [CommentIn("a", texto)]


def test_raw_nul_byte_and_non_utf8_bodies_are_refused():
    assert "NUL byte" in refusal(b'{"id": "a", "texto": "x\x00"}')
    assert "not UTF-8" in refusal(b'{"id": "a", "texto": "\xff"}')


def test_duplicate_ids_in_one_request_are_refused_naming_both_places():
    body = '[{"id": "a", "texto": "x"}, {"id": "b", "texto": "y"}, {"id": "a", "texto": "z"}]'
    assert (
        refusal(body) == "item 2: id 'a' appears more than once in this request (first at item 0)"
    )


def test_too_many_items_is_payload_too_large():
    body = json.dumps([{"id": str(i), "texto": "x"} for i in range(4)])
    with pytest.raises(PayloadTooLarge) as caught:
        parse(body)
    assert caught.value.message == "4 comments in one request; the limit is 3"


def test_sql_and_html_are_just_text():
    texto = "'); DROP TABLE comments; --<script>"
    body = json.dumps({"id": "a", "texto": texto})
    assert parse_comments(
        body.encode(), "application/json", max_items=1, max_text_chars=100, allow_ndjson=False
    ) == [CommentIn("a", texto)]


def test_ndjson_by_content_type_names_the_bad_line():
    body = '{"id": "a", "texto": "x"}\n\n{"id": "b", "texto": "y"}\n'
    assert parse(body, content_type="application/x-ndjson", ndjson=True) == [
        CommentIn("a", "x"),
        CommentIn("b", "y"),
    ]
    bad = '{"id": "a", "texto": "x"}\n{"id": "b", "texto": '
    assert refusal(bad, content_type="application/x-ndjson", ndjson=True).startswith(
        "line 2 is not valid JSON"
    )
    assert (
        refusal(
            '{"id": "a", "texto": "x"}\n{"id": "b"}',
            content_type="application/x-ndjson",
            ndjson=True,
        )
        == "line 2: field 'texto' is missing"
    )


def test_json_lines_sent_as_json_are_ndjson_only_where_allowed():
    body = '{"id": "a", "texto": "x"}\n{"id": "b", "texto": "y"}'
    assert len(parse(body, ndjson=True)) == 2
    assert "Extra data" in refusal(body, ndjson=False)


# --- corrections --------------------------------------------------------------------------------


def test_correction_of_category_and_tags_deduplicates_tags():
    correction = parse_correction(
        b'{"categoria": "CR\xc3\x8dTICA", "tags_funcionalidades": ["fix_volume", "fix_volume"]}'
    )
    assert correction.categoria == "CRÍTICA"
    assert correction.tags == ("fix_volume",)


def test_correction_of_only_tags_leaves_category_alone():
    correction = parse_correction(b'{"tags_funcionalidades": []}')
    assert correction.categoria is None
    assert correction.tags == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{}", "needs categoria and/or tags_funcionalidades"),
        (b"[]", "must be a JSON object"),
        (b'{"categoria": "CRITICA"}', "valid values: ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM"),
        (b'{"categoria": null}', "categoria null is not a category"),
        (b'{"categoria": "SPAM", "nota": 1}', "unknown field(s) 'nota'"),
        (b'{"tags_funcionalidades": "feat_letra"}', "must be an array of tags, got a string"),
        (
            b'{"tags_funcionalidades": ["Feat_Letra"]}',
            "tags_funcionalidades[0] 'Feat_Letra' is not a tag",
        ),
        (b'{"tags_funcionalidades": ["ux_layout"]}', "is not a tag"),
        (b'{"tags_funcionalidades": ["feat_m\xc3\xbasica"]}', "is not a tag"),
        (b'{"tags_funcionalidades": [1]}', "tags_funcionalidades[0] a number is not a tag"),
    ],
)
def test_bad_correction_is_refused(body, expected):
    with pytest.raises(InvalidInput) as caught:
        parse_correction(body)
    assert expected in caught.value.message


def test_too_many_tags_are_refused():
    tags = [f"feat_t{i}" for i in range(21)]
    with pytest.raises(InvalidInput, match="the limit is 20"):
        parse_correction(json.dumps({"tags_funcionalidades": tags}).encode())


# --- list queries -------------------------------------------------------------------------------


def query(max_page_size: int = 500, paginated: bool = True, **params: str | list[str]):
    args = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_list_query(args, max_page_size=max_page_size, paginated=paginated)


def query_refusal(**params: str | list[str]) -> str:
    with pytest.raises(InvalidInput) as caught:
        query(**params)
    return caught.value.message


def test_defaults():
    parsed = query()
    assert (parsed.ordem, parsed.limit, parsed.cursor) == ("recentes", 50, None)
    assert parsed.filters.canonical() == {
        "categoria": None,
        "tag": None,
        "q": None,
        "from": None,
        "before": None,
        "cmin": None,
        "cmax": None,
        "review": None,
    }


def test_every_filter_is_read():
    parsed = query(
        categoria="SUGESTÃO",
        tag="feat_letra",
        q=" 50%_off ",
        desde="2024-05-01",
        ate="2024-05-31",
        confianca_min="0.25",
        confianca_max="1",
        needs_review="true",
        ordem="confianca_desc",
        limit="500",
    )
    f = parsed.filters
    assert (f.categoria, f.tag, f.q) == ("SUGESTÃO", "feat_letra", "50%_off")
    assert f.created_from == datetime(2024, 5, 1, tzinfo=UTC)
    # A bare `ate` date covers that whole day.
    assert f.created_before == datetime(2024, 6, 1, tzinfo=UTC)
    assert (f.confianca_min, f.confianca_max, f.needs_review) == (0.25, 1.0, True)
    assert (parsed.ordem, parsed.limit) == ("confianca_desc", 500)


def test_datetimes_with_offsets_become_utc_and_ate_is_inclusive():
    parsed = query(desde="2024-05-01T10:00:00-03:00", ate="2024-05-01T13:00:00Z")
    assert parsed.filters.created_from == datetime(2024, 5, 1, 13, tzinfo=UTC)
    assert parsed.filters.created_before == datetime(2024, 5, 1, 13, 0, 0, 1, tzinfo=UTC)


def test_naive_datetime_is_utc_and_same_day_range_is_fine():
    parsed = query(desde="2024-05-01T08:00", ate="2024-05-01")
    assert parsed.filters.created_from == datetime(2024, 5, 1, 8, tzinfo=UTC)


def test_empty_values_count_as_not_given():
    assert query(q="", categoria="", limit="").filters.q is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"categria": "SPAM"}, "unknown query parameter(s) 'categria'; known: categoria"),
        ({"categoria": ["SPAM", "ELOGIO"]}, "'categoria' is given 2 times"),
        ({"categoria": "spam"}, "valid values: ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM"),
        ({"categoria": "CRITICA"}, "'CRITICA' is not a category"),
        ({"tag": "feat-letra"}, "'feat-letra' is not a tag"),
        ({"tag": "' OR 1=1 --"}, "is not a tag"),
        ({"tag": "feat_letra\n"}, "is not a tag"),
        ({"tag": "feat_mp3"}, "is not a tag"),
        ({"tag": "feat_" + "a" * 70}, "is not a tag"),
        ({"q": "x" * 201}, "q has 201 characters; the limit is 200"),
        ({"q": "a\x00b"}, "contains a NUL character"),
        ({"desde": "yesterday"}, "desde 'yesterday' is not an ISO date or datetime"),
        ({"ate": "2024-13-01"}, "ate '2024-13-01' is not an ISO date or datetime"),
        ({"desde": "2024-05-02", "ate": "2024-05-01"}, "ate (2024-05-01) is before desde"),
        ({"confianca_min": "abc"}, "is not a number between 0 and 1"),
        ({"confianca_min": "nan"}, "is not a number between 0 and 1"),
        ({"confianca_max": "1.5"}, "is not a number between 0 and 1"),
        ({"confianca_min": "-0.1"}, "is not a number between 0 and 1"),
        ({"confianca_min": "0.9", "confianca_max": "0.1"}, "is greater than confianca_max"),
        ({"needs_review": "maybe"}, "is not a boolean"),
        ({"ordem": "popular"}, "valid values: recentes, antigos, confianca_asc, confianca_desc"),
        ({"limit": "0"}, "between 1 and 500"),
        ({"limit": "501"}, "between 1 and 500"),
        ({"limit": "5.0"}, "between 1 and 500"),
        ({"limit": "-1"}, "between 1 and 500"),
        ({"limit": "١٢"}, "between 1 and 500"),
        ({"cursor": "x" * 1025}, "cursor is not one this API issued"),
    ],
)
def test_bad_query_is_refused(params, expected):
    assert expected in query_refusal(**params)


def test_export_query_takes_filters_but_not_pagination():
    assert query(paginated=False, categoria="SPAM").filters.categoria == "SPAM"
    with pytest.raises(InvalidInput, match="unknown query parameter"):
        query(paginated=False, limit="10")
    with pytest.raises(InvalidInput, match="unknown query parameter"):
        query(paginated=False, cursor="abc")


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "sim"])
def test_needs_review_true_spellings(value):
    assert query(needs_review=value).filters.needs_review is True


@pytest.mark.parametrize("value", ["0", "false", "no", "não"])
def test_needs_review_false_spellings(value):
    assert query(needs_review=value).filters.needs_review is False
