"""Input validation: every refusal names what is wrong and where."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from shared.comments.types import CommentIn
from shared.errors import InvalidInput, PayloadTooLarge
from shared.validation import (
    NdjsonItemCounter,
    ParsedComments,
    parse_comment_time,
    parse_comments,
    parse_conflicts_query,
    parse_correction,
    parse_list_query,
)

LIMITS = {"max_items": 3, "max_text_chars": 20}
# When the request under test arrived: the time of every comment that brings none.
ARRIVED = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def stamped(comment_id: str, texto: str, criado_em: datetime = ARRIVED) -> CommentIn:
    return CommentIn(comment_id, texto, criado_em)


def parsed(
    body: bytes | str, content_type: str | None = "application/json", ndjson: bool = False
) -> ParsedComments:
    raw = body.encode() if isinstance(body, str) else body
    return parse_comments(raw, content_type, allow_ndjson=ndjson, received_at=ARRIVED, **LIMITS)


def parse(body: bytes | str, **kwargs) -> list[CommentIn]:
    return parsed(body, **kwargs).comments


def refusal(body: bytes | str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(body, **kwargs)
    return caught.value.message


# --- comments -----------------------------------------------------------------------------------


def test_one_object_gives_one_comment():
    # Given one comment object / When parsed / Then one comment, text verbatim
    assert parse('{"id": "a1", "texto": "  Amei! "}') == [stamped("a1", "  Amei! ")]


def test_array_keeps_order_and_ignores_extra_fields():
    body = '[{"id": "a", "texto": "x", "autor": "z"}, {"id": "b", "texto": "y"}]'
    assert parse(body) == [stamped("a", "x"), stamped("b", "y")]


def test_integer_id_is_stored_as_its_decimal_string():
    assert parse('{"id": 42, "texto": "x"}') == [stamped("42", "x")]


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


# --- comment time (criado_em) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-11-30T11:05:00-03:00", datetime(2026, 11, 30, 14, 5, tzinfo=UTC)),
        ("2026-11-30T14:05:00Z", datetime(2026, 11, 30, 14, 5, tzinfo=UTC)),
        ("2026-11-30T14:05:00.123456+00:00", datetime(2026, 11, 30, 14, 5, 0, 123456, tzinfo=UTC)),
        ("2026-12-01T00:30:00+09:30", datetime(2026, 11, 30, 15, 0, tzinfo=UTC)),
        ("2000-01-01T00:00:00Z", datetime(2000, 1, 1, tzinfo=UTC)),
    ],
)
def test_comment_time_with_an_offset_becomes_utc(given, expected):
    assert parse_comment_time(given, now=ARRIVED) == expected


def test_comment_time_a_little_ahead_of_the_request_is_clock_skew_and_accepted():
    # Given a client clock 4 min 59 s ahead / Then the time is kept as sent
    ahead = ARRIVED + timedelta(minutes=4, seconds=59)
    assert parse_comment_time(ahead.isoformat(), now=ARRIVED) == ahead


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-11-30T15:00:00", "has no UTC offset"),
        ("2026-11-30", "has no UTC offset"),
        ("2026-11-30T15:05:01Z", "is in the future"),
        ("2027-01-01T00:00:00Z", "is in the future"),
        ("1999-12-31T23:59:59Z", "is before 2000-01-01"),
        ("1970-01-01T00:00:00Z", "is before 2000-01-01"),
        ("0001-01-01T00:00:00+01:00", "out of range"),
        ("yesterday", "is not an ISO 8601 date-time"),
        ("2026-13-01T00:00:00Z", "is not an ISO 8601 date-time"),
        ("2026-11-30T25:00:00Z", "is not an ISO 8601 date-time"),
        ("", "is not an ISO 8601 date-time"),
        ("2026-11-30T15:00:00Z" + " " * 60, "is not an ISO 8601 date-time"),
        (1764514800, "must be an ISO 8601 string with a UTC offset, got a number"),
        (True, "got a boolean"),
        ({"at": "x"}, "got an object"),
    ],
)
def test_bad_comment_time_is_refused_saying_why(given, expected):
    with pytest.raises(InvalidInput) as caught:
        parse_comment_time(given, now=ARRIVED)
    assert expected in caught.value.message
    assert caught.value.message.startswith("field 'criado_em'")


def test_comments_without_a_time_get_the_request_arrival_and_with_one_keep_theirs():
    body = json.dumps(
        [
            {"id": "a", "texto": "x", "criado_em": "2026-11-29T21:00:00-03:00"},
            {"id": "b", "texto": "y"},
            {"id": "c", "texto": "z", "criado_em": None},
        ]
    )
    assert parse(body) == [
        stamped("a", "x", datetime(2026, 11, 30, 0, 0, tzinfo=UTC)),
        stamped("b", "y"),
        stamped("c", "z"),
    ]


def test_a_bad_comment_time_names_the_item_or_line():
    body = json.dumps(
        [{"id": "a", "texto": "x"}, {"id": "b", "texto": "y", "criado_em": "2026-11-30 10:00"}]
    )
    assert refusal(body).startswith("item 1: field 'criado_em' '2026-11-30 10:00' has no UTC")
    ndjson = '{"id": "a", "texto": "x"}\n{"id": "b", "texto": "y", "criado_em": "2099-01-01Z"}'
    message = refusal(ndjson, content_type="application/x-ndjson", ndjson=True)
    assert message.startswith("line 2: field 'criado_em'")


def test_a_future_comment_time_says_when_the_request_arrived():
    message = refusal('{"id": "a", "texto": "x", "criado_em": "2026-11-30T16:00:00Z"}')
    assert message == (
        "field 'criado_em' '2026-11-30T16:00:00Z' is in the future (more than 5 minutes "
        "after 2026-11-30T15:00:00+00:00, when the request arrived)"
    )


def test_text_at_the_limit_is_accepted_counting_characters_not_bytes():
    texto = "ç" * 20  # 40 bytes in UTF-8, 20 characters
    assert parse(json.dumps({"id": "a", "texto": texto})) == [stamped("a", texto)]


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
    assert caught.value.message == "more than 3 comments in one request; the limit is 3"
    assert caught.value.details == {"limit": 3}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[" + '{"id": "a", "texto": "x"},' * 3 + "{}," * 100 + " not JSON at all", "json"),
        ('{"id": "a", "texto": "x"}\n' * 3 + "{}\n" * 100 + "not JSON at all", "x-ndjson"),
        ('{"id": "a", "texto": "x"}\n' * 3 + "{}\n" * 100 + "not JSON at all", "json"),
    ],
)
def test_decoding_stops_at_the_first_item_past_the_limit(body, content_type):
    # Given three items, then more, then text that is not JSON
    # When the body is parsed with an item limit of 3
    with pytest.raises(PayloadTooLarge, match="more than 3 comments"):
        parse(body, content_type=f"application/{content_type}", ndjson=True)
    # Then it is refused as too large: nothing past the fourth item was decoded


def test_ndjson_lines_end_at_line_feeds_only():
    # Given comments whose texts hold the characters str.splitlines() would break at
    texts = ["a\u2028b", "c\u0085d", "e\u2029f\x1cg"]
    body = "".join(
        json.dumps({"id": str(i), "texto": t}, ensure_ascii=False) + "\r\n"
        for i, t in enumerate(texts)
    )
    # When they are sent as NDJSON
    comments = parse(body, content_type="application/x-ndjson", ndjson=True)
    # Then each line is one comment, its text intact
    assert comments == [stamped(str(i), t) for i, t in enumerate(texts)]
    # And a bad line after them is named by its number among line feeds
    first = json.dumps({"id": "0", "texto": texts[0]}, ensure_ascii=False)
    bad = first + "\r\n\n\u2028 \n{"
    assert refusal(bad, content_type="application/x-ndjson", ndjson=True).startswith(
        "line 4 is not valid JSON"
    )


def test_sql_and_html_are_just_text():
    texto = "'); DROP TABLE comments; --<script>"
    body = json.dumps({"id": "a", "texto": texto})
    assert parse_comments(
        body.encode(),
        "application/json",
        max_items=1,
        max_text_chars=100,
        allow_ndjson=False,
        received_at=ARRIVED,
    ).comments == [stamped("a", texto)]


def test_ndjson_by_content_type_names_the_bad_line():
    body = '{"id": "a", "texto": "x"}\n\n{"id": "b", "texto": "y"}\n'
    assert parse(body, content_type="application/x-ndjson", ndjson=True) == [
        stamped("a", "x"),
        stamped("b", "y"),
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


@pytest.mark.parametrize(
    ("body", "content_type", "ids", "single"),
    [
        ('{"id": "a", "texto": "x"}', "application/json", ["a"], True),
        ('\ufeff \n {"id": "a", "texto": "x"}', "application/json", ["a"], True),
        ('[{"id": "a", "texto": "x"}]', "application/json", ["a"], False),
        ('{"id": "a", "texto": "x"}\n', "application/x-ndjson", ["a"], False),
        (
            '{"id": "a", "texto": "x"}\n{"id": "b", "texto": "y"}',
            "application/json",
            ["a", "b"],
            False,
        ),
    ],
)
def test_the_parse_says_whether_the_body_was_one_comment_object(body, content_type, ids, single):
    # Given a body: one object (also after a byte order mark and blanks), an array of one, NDJSON
    # When it is parsed where NDJSON is allowed
    result = parsed(body, content_type=content_type, ndjson=True)
    # Then its comments are read, and only the lone object is single
    assert [comment.id for comment in result.comments] == ids
    assert result.single is single


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


SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def query(
    max_page_size: int = 500,
    paginated: bool = True,
    zone: tzinfo = SAO_PAULO,
    **params: str | list[str],
):
    args = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return parse_list_query(args, max_page_size=max_page_size, paginated=paginated, zone=zone)


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
    # Bare dates are days of the product's zone (São Paulo: UTC-3); `ate` covers its whole day.
    assert f.created_from == datetime(2024, 5, 1, 3, tzinfo=UTC)
    assert f.created_before == datetime(2024, 6, 1, 3, tzinfo=UTC)
    assert (f.confianca_min, f.confianca_max, f.needs_review) == (0.25, 1.0, True)
    assert (parsed.ordem, parsed.limit) == ("confianca_desc", 500)


def test_confidence_bounds_are_the_reals_the_column_is_compared_as():
    # Given bounds a REAL cannot hold (PostgreSQL refuses the cast: "value out of range: underflow")
    tiny = query(confianca_min="5e-324", confianca_max="3.2e-86").filters
    # Then they are the nearest REAL, zero, and the query is valid
    assert (tiny.confianca_min, tiny.confianca_max) == (0.0, 0.0)
    # And an ordinary bound is the REAL PostgreSQL would have cast it to
    assert query(confianca_min="0.3").filters.confianca_min == pytest.approx(0.3, abs=1e-7)


def test_datetimes_with_offsets_become_utc_and_ate_is_inclusive():
    parsed = query(desde="2024-05-01T10:00:00-03:00", ate="2024-05-01T13:00:00Z")
    assert parsed.filters.created_from == datetime(2024, 5, 1, 13, tzinfo=UTC)
    assert parsed.filters.created_before == datetime(2024, 5, 1, 13, 0, 0, 1, tzinfo=UTC)


def test_naive_datetime_is_a_wall_clock_time_of_the_product_zone():
    parsed = query(desde="2024-05-01T08:00", ate="2024-05-01")
    assert parsed.filters.created_from == datetime(2024, 5, 1, 11, tzinfo=UTC)
    assert parsed.filters.created_before == datetime(2024, 5, 2, 3, tzinfo=UTC)


def test_bare_dates_follow_the_configured_zone():
    # Given another product zone (Tokyo, UTC+9) / When a day is filtered
    parsed = query(zone=ZoneInfo("Asia/Tokyo"), desde="2024-05-01", ate="2024-05-01")
    # Then the day runs from Tokyo's midnight to the next
    assert parsed.filters.created_from == datetime(2024, 4, 30, 15, tzinfo=UTC)
    assert parsed.filters.created_before == datetime(2024, 5, 1, 15, tzinfo=UTC)


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
        ({"limit": "9" * 5000}, "between 1 and 500"),
        ({"limit": "0" * 5000}, "between 1 and 500"),
        ({"cursor": "x" * 1025}, "cursor is not one this API issued"),
    ],
)
def test_bad_query_is_refused(params, expected):
    assert expected in query_refusal(**params)


def test_a_page_size_may_have_leading_zeros_but_not_more_digits_than_the_limit():
    # Given limits written with leading zeros, and one of thousands of digits
    # When the list and the conflicts queries read them
    # Then the zeros are only zeros, and the long one is refused as out of range, not a crash
    assert query(limit="0050").limit == 50
    assert parse_conflicts_query({"limit": ["007"]}, max_page_size=500) == 7
    with pytest.raises(InvalidInput, match="between 1 and 500"):
        parse_conflicts_query({"limit": ["1" + "0" * 5000]}, max_page_size=500)


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


# --- NDJSON counted while it arrives ---


def _count_in_chunks(body: bytes, size: int, max_items: int = 1000) -> int:
    counter = NdjsonItemCounter(max_items)
    for start in range(0, len(body), size):
        counter(body[start : start + size])
    return counter.items


NDJSON_BODIES = [
    b'{"id": "a", "texto": "x"}\n{"id": "b", "texto": "y"}\n',
    b'\n\n  {"id": "a", "texto": "x"}\r\n\t\n{"id": "b", "texto": "y"}',
    '{"id": "a", "texto": "trava\u2028sempre"}\n\u2028\n{"id": "b", "texto": "a\u0085b"}\n'.encode(),
    b"   \n" * 50 + b"{}\n" * 7,
]


@pytest.mark.parametrize("body", NDJSON_BODIES)
def test_ndjson_counted_in_chunks_of_any_size_matches_the_decoder(body):
    # Given an NDJSON body the decoder reads as N items (blank and whitespace lines skipped)
    expected = len(parse_comments_or_items(body))
    # When it arrives in chunks of every size, split anywhere in a line
    # Then the running count is N each time
    for size in range(1, len(body) + 1):
        assert _count_in_chunks(body, size) == expected, size


def parse_comments_or_items(body: bytes) -> list[object]:
    from shared.validation import _ndjson_items

    return _ndjson_items(body.decode(), max_items=1000)[0]


def test_an_ndjson_flood_is_refused_at_the_first_item_past_the_limit():
    # Given a counter for 3 items
    counter = NdjsonItemCounter(3)
    # When the lines of a flood arrive
    counter(b"{}\n{}\n{}\n")
    # Then the fourth is refused with 413, whatever follows
    with pytest.raises(PayloadTooLarge, match="more than 3 comments"):
        counter(b"{}\n" + b"{}\n" * 1000)
