"""GET /api/comentarios and /api/comentarios/<id>: filters, keyset pages, total count, errors."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

import shared.comments.listing as listing
import shared.rollups as rollups
from shared.comments.types import CommentFilters
from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CATEGORIES = ["ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM"]
TAGS = [[], ["feat_letra"], ["fix_volume", "feat_letra"], ["ui_layout"]]


def many_rows(count: int = 57) -> list[dict]:
    """Rows with many ties: 5 distinct creation times and 4 distinct confidences."""
    return [
        {
            "id": f"c{i:03d}",
            "texto": f"comentário número {i}",
            "categoria": CATEGORIES[i % 5],
            "tags": TAGS[i % 4],
            "confianca": [0.25, 0.5, 0.8, 0.95][i % 4],
            "created_at": T0 + timedelta(days=i % 5),
        }
        for i in range(count)
    ]


def walk(caller, **params) -> tuple[list[str], list[int]]:
    """Follow X-Next-Cursor to the end; the ids seen and each page's X-Total-Count."""
    ids: list[str] = []
    totals: list[int] = []
    cursor = None
    for _ in range(1000):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = caller.get(f"/api/comentarios?{urlencode(query)}")
        assert response.status_code == 200, response.get_json()
        assert_conforms(response, "GET /api/comentarios")
        ids.extend(item["id"] for item in response.get_json())
        totals.append(int(response.headers["X-Total-Count"]))
        cursor = response.headers.get("X-Next-Cursor")
        if cursor is None:
            return ids, totals
    raise AssertionError("pagination did not end")


def expected_order(rows: list[dict], ordem: str) -> list[str]:
    key = {
        "recentes": lambda r: (r["created_at"], r["id"]),
        "antigos": lambda r: (r["created_at"], r["id"]),
        "confianca_asc": lambda r: (r["confianca"], r["id"]),
        "confianca_desc": lambda r: (r["confianca"], r["id"]),
        "asc": lambda r: (r["confianca"], r["id"]),
        "desc": lambda r: (r["confianca"], r["id"]),
    }[ordem]
    reverse = ordem in ("recentes", "confianca_desc", "desc")
    return [r["id"] for r in sorted(rows, key=key, reverse=reverse)]


@pytest.mark.parametrize(
    "ordem", ["recentes", "antigos", "confianca_asc", "confianca_desc", "asc", "desc"]
)
@pytest.mark.parametrize("limit", [1, 7, 57, 500])
def test_keyset_pages_visit_every_row_exactly_once_in_order(analyst, seed, ordem, limit):
    # Given rows whose order keys tie a lot
    rows = many_rows()
    seed(rows)
    # When every page is followed
    ids, totals = walk(analyst, ordem=ordem, limit=limit)
    # Then each row came exactly once, in the promised order, and every page told the same total
    assert ids == expected_order(rows, ordem)
    assert set(totals) == {len(rows)}


def test_pages_of_a_filtered_query_stay_within_the_filter(analyst, seed):
    rows = many_rows()
    seed(rows)
    ids, totals = walk(analyst, categoria="SPAM", ordem="confianca_desc", limit=3)
    expected = expected_order([r for r in rows if r["categoria"] == "SPAM"], "confianca_desc")
    assert ids == expected
    assert set(totals) == {len(expected)}


def test_a_row_inserted_between_pages_neither_repeats_nor_shifts_rows(analyst, seed):
    rows = many_rows(10)
    seed(rows)
    first = analyst.get("/api/comentarios?limit=4")
    # A newer comment arrives before the second page is read
    seed([{"id": "z-new", "created_at": T0 + timedelta(days=30)}])
    rest, _ = walk(analyst, limit=4, cursor=first.headers["X-Next-Cursor"])
    seen = [item["id"] for item in first.get_json()] + rest[: len(rows) - 4]
    assert seen == expected_order(rows, "recentes")


FILTER_CASES = [
    ({"categoria": "CRÍTICA"}, lambda r: r["categoria"] == "CRÍTICA"),
    ({"tag": "feat_letra"}, lambda r: "feat_letra" in r["tags"]),
    ({"confianca_min": "0.8"}, lambda r: r["confianca"] >= 0.8),
    ({"confianca_max": "0.5"}, lambda r: r["confianca"] <= 0.5),
    ({"confianca_min": "0.5", "confianca_max": "0.8"}, lambda r: 0.5 <= r["confianca"] <= 0.8),
    ({"needs_review": "true"}, lambda r: r["confianca"] < 0.6),
    ({"needs_review": "false"}, lambda r: r["confianca"] >= 0.6),
    ({"desde": "2024-05-03"}, lambda r: r["created_at"] >= datetime(2024, 5, 3, tzinfo=UTC)),
    ({"ate": "2024-05-02"}, lambda r: r["created_at"] < datetime(2024, 5, 3, tzinfo=UTC)),
    (
        {"desde": "2024-05-02T12:00:00Z", "ate": "2024-05-03T12:00:00Z"},
        lambda r: (
            datetime(2024, 5, 2, 12, tzinfo=UTC)
            <= r["created_at"]
            <= datetime(2024, 5, 3, 12, tzinfo=UTC)
        ),
    ),
    (
        {"desde": "2024-05-02T09:00:00-03:00", "ate": "2024-05-02"},
        lambda r: r["created_at"].day == 2,
    ),
    ({"q": "NÚMERO 1"}, lambda r: "número 1" in r["texto"]),
    (
        {"categoria": "ELOGIO", "tag": "feat_letra", "needs_review": "false"},
        lambda r: (
            r["categoria"] == "ELOGIO" and "feat_letra" in r["tags"] and r["confianca"] >= 0.6
        ),
    ),
]


@pytest.mark.parametrize(
    ("params", "predicate"), FILTER_CASES, ids=[str(c[0]) for c in FILTER_CASES]
)
def test_filters_select_exactly_the_matching_rows_and_count_them(analyst, seed, params, predicate):
    rows = many_rows()
    seed(rows)
    ids, totals = walk(analyst, limit=10, **params)
    expected = [r["id"] for r in rows if predicate(r)]
    assert expected, "the case must select something"
    assert sorted(ids) == sorted(expected)
    assert set(totals) == {len(expected)}


def test_like_wildcards_in_q_are_literal(analyst, seed):
    seed(
        [
            {"id": "pct", "texto": "desconto de 100% hoje"},
            {"id": "num", "texto": "desconto de 1000 hoje"},
            {"id": "und", "texto": "nome_de_usuario"},
            {"id": "sp", "texto": "nome de usuario"},
            {"id": "bs", "texto": "barra \\ invertida"},
        ]
    )
    for q, expected in (("100%", ["pct"]), ("_de_", ["und"]), ("\\", ["bs"]), ("%", ["pct"])):
        ids, _ = walk(analyst, q=q)
        assert ids == expected, q


def test_sql_and_html_in_filters_are_just_data(analyst, seed):
    seed(
        [
            {"id": "a", "texto": "texto com ' OR 1=1 -- dentro"},
            {"id": "b", "texto": "<b>negrito</b>"},
        ]
    )
    assert walk(analyst, q="' OR 1=1 --")[0] == ["a"]
    assert walk(analyst, q="'; DROP TABLE comments; --")[0] == []
    assert walk(analyst, q="<b>")[0] == ["b"]
    assert walk(analyst)[0] == ["b", "a"]


def test_categoria_filter_uses_the_corrected_category(analyst, seed):
    seed([{"id": "a", "categoria": "ELOGIO"}, {"id": "b", "categoria": "ELOGIO"}])
    analyst.patch(
        "/api/comentarios/a", json={"categoria": "SPAM", "tags_funcionalidades": ["sec_golpe"]}
    )
    assert walk(analyst, categoria="SPAM")[0] == ["a"]
    assert walk(analyst, categoria="ELOGIO")[0] == ["b"]
    assert walk(analyst, tag="sec_golpe")[0] == ["a"]


def test_item_shape(analyst, seed):
    seed(
        [
            {
                "id": "a",
                "texto": "amei",
                "categoria": "ELOGIO",
                "tags": ["feat_letra"],
                "confianca": 0.8,
                "created_at": T0,
                "classified_at": T0 + timedelta(seconds=1),
                "updated_at": T0 + timedelta(seconds=1),
                "model_name": "local",
                "model_version": "7",
                "fallback_reason": "llm: timeout",
            }
        ]
    )
    response = analyst.get("/api/comentarios")
    assert_conforms(response, "GET /api/comentarios")
    item = response.get_json()[0]
    assert item == {
        "id": "a",
        "texto": "amei",
        "categoria": "ELOGIO",
        "tags_funcionalidades": ["feat_letra"],
        "confianca": 0.8,
        "needs_review": False,
        "model_name": "local",
        "model_version": "7",
        "fallback_reason": "llm: timeout",
        "correction": None,
        "model": {"categoria": "ELOGIO", "tags": ["feat_letra"]},
        "criado_em": "2024-05-01T12:00:00+00:00",
        "created_at": "2024-05-01T12:00:00+00:00",
        "updated_at": "2024-05-01T12:00:01+00:00",
    }


def test_empty_result(analyst, clean_db):
    response = analyst.get("/api/comentarios")
    assert response.get_json() == []
    assert response.headers["X-Total-Count"] == "0"
    assert "X-Next-Cursor" not in response.headers
    assert "Link" not in response.headers


def test_altered_cursor_is_400(analyst, seed):
    seed(many_rows(5))
    cursor = analyst.get("/api/comentarios?limit=2").headers["X-Next-Cursor"]
    for altered in (
        cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),
        cursor[1:],
        "garbage",
        cursor + "x",
    ):
        response = analyst.get(f"/api/comentarios?{urlencode({'limit': 2, 'cursor': altered})}")
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "invalid_input"


def test_cursor_reused_with_other_filters_is_400(analyst, seed):
    seed(many_rows(5))
    cursor = analyst.get("/api/comentarios?limit=2").headers["X-Next-Cursor"]
    for other in ({"categoria": "SPAM"}, {"ordem": "antigos"}, {"q": "x"}):
        response = analyst.get(
            f"/api/comentarios?{urlencode({'limit': 2, 'cursor': cursor, **other})}"
        )
        assert response.status_code == 400
        assert "other filters" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("categoria=spam", "valid values: ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM"),
        ("categoria=ELOGIO&categoria=SPAM", "given 2 times"),
        ("categria=SPAM", "unknown query parameter(s) 'categria'"),
        ("page=2", "unknown query parameter(s) 'page'"),
        ("tag=Feat_Letra", "is not a tag"),
        ("desde=ontem", "is not an ISO date"),
        ("ate=2024-02-30", "is not an ISO date"),
        ("desde=2024-05-10&ate=2024-05-01", "is before desde"),
        ("confianca_min=2", "between 0 and 1"),
        ("confianca_min=0.9&confianca_max=0.1", "greater than confianca_max"),
        ("needs_review=talvez", "not a boolean"),
        ("ordem=melhores", "not an order"),
        ("limit=0", "between 1 and 500"),
        ("limit=501", "between 1 and 500"),
        ("limit=" + "9" * 5000, "between 1 and 500"),
        ("confianca_min=" + "9" * 5000, "between 0 and 1"),
        ("q=" + "x" * 201, "the limit is 200"),
        ("q=a%00b", "NUL"),
    ],
)
def test_bad_query_is_400_with_a_clear_message(analyst, clean_db, query, message):
    response = analyst.get(f"/api/comentarios?{query}")
    assert response.status_code == 400
    assert_conforms(response, "GET /api/comentarios")
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert message in error["message"]


def test_detail_of_one_comment(analyst, seed):
    seed([{"id": "a:1@x.y-z_", "texto": "amei", "created_at": T0}])
    response = analyst.get("/api/comentarios/a:1@x.y-z_")
    assert response.status_code == 200
    assert_conforms(response, "GET /api/comentarios/{id}")
    assert response.get_json()["id"] == "a:1@x.y-z_"


def test_detail_of_unknown_or_malformed_id(analyst, clean_db):
    missing = analyst.get("/api/comentarios/nao-existe")
    assert missing.status_code == 404
    assert_conforms(missing, "GET /api/comentarios/{id}")
    assert missing.get_json()["error"] == {
        "code": "not_found",
        "message": "no comment with id 'nao-existe'",
    }
    malformed = analyst.get("/api/comentarios/a%20b")
    assert malformed.status_code == 400
    assert_conforms(malformed, "GET /api/comentarios/{id}")


def test_unknown_path_and_method_are_json(analyst, clean_db):
    assert analyst.get("/api/nada").get_json()["error"]["code"] == "not_found"
    response = analyst.client.delete(
        "/api/comentarios/a", headers={"Authorization": f"Bearer {analyst.token}"}
    )
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_many_pages_agree_with_the_count(analyst, seed):
    rows = many_rows(230)
    seed(rows)
    for limit in (50, 229, 230, 231):
        ids, totals = walk(analyst, limit=limit)
        assert len(ids) == len(set(ids)) == 230
        assert set(totals) == {230}
        # No trailing empty page: the last page is the one that says there is no next.
        assert len(totals) == math.ceil(230 / limit)


def test_total_is_exact_and_says_so(analyst, seed):
    seed(many_rows(12))
    response = analyst.get("/api/comentarios?limit=5")
    assert response.headers["X-Total-Count"] == "12"
    assert response.headers["X-Total-Count-Exact"] == "true"


def test_total_beyond_the_exact_limit_is_an_estimate_and_says_so(analyst, seed, monkeypatch):
    # Given more matches than the exact-count limit, and a sample smaller than the table
    monkeypatch.setattr(listing, "PLAIN_COUNT", listing.CountPlan(exact_limit=5, sample_pages=0))
    seed(many_rows(30))
    # When the list is read
    response = analyst.get("/api/comentarios?limit=5")
    # Then the total is flagged as estimated, and never below what the count reached
    assert response.headers["X-Total-Count-Exact"] == "false"
    assert int(response.headers["X-Total-Count"]) >= 6


def test_a_sample_that_covers_the_table_is_an_exact_count(analyst, seed, monkeypatch):
    # Given a limit far below the matches, on a table smaller than the estimate's sample
    monkeypatch.setattr(listing, "PLAIN_COUNT", replace(listing.PLAIN_COUNT, exact_limit=5))
    seed(many_rows(30))
    # When the list is read
    response = analyst.get("/api/comentarios?limit=5")
    # Then the "sample" was every row, so the total is exact and says so
    assert response.headers["X-Total-Count"] == "30"
    assert response.headers["X-Total-Count-Exact"] == "true"


def test_text_search_has_its_own_lower_exact_limit(analyst, seed, monkeypatch):
    monkeypatch.setattr(
        listing, "TEXT_SEARCH_COUNT", listing.CountPlan(exact_limit=3, sample_pages=0)
    )
    monkeypatch.setattr(listing, "PLAIN_COUNT", replace(listing.PLAIN_COUNT, sample_pages=0))
    seed(many_rows(10))
    # (pages of 2, so the total is counted rather than read off a single page)
    searched = analyst.get("/api/comentarios?q=coment&limit=2")
    assert searched.headers["X-Total-Count-Exact"] == "false"
    assert analyst.get("/api/comentarios?limit=2").headers["X-Total-Count-Exact"] == "true"


def test_estimate_from_a_sample_is_close_and_never_below_the_limit(seed, clean_db, monkeypatch):
    # Given 3,000 comments, half of them SPAM, with fresh planner statistics
    seed([{"id": f"s{i:04d}", "categoria": "SPAM" if i % 2 else "ELOGIO"} for i in range(3000)])
    with clean_db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE comments"))
        pages = conn.execute(
            sa.text("SELECT pg_relation_size('comments') / current_setting('block_size')::int")
        ).scalar_one()
    # When totals over a tiny exact limit are estimated from a sample of about a third
    plan = listing.CountPlan(exact_limit=10, sample_pages=max(1, pages // 3))
    monkeypatch.setattr(listing, "PLAIN_COUNT", plan)
    monkeypatch.setattr(listing, "TEXT_SEARCH_COUNT", plan)
    with clean_db.connect() as conn:
        everything = listing.count_comments(conn, CommentFilters())
        spam = listing.count_comments(conn, CommentFilters(categoria="SPAM"))
        few = listing.count_comments(conn, CommentFilters(q="texto s00"))
    # Then they are flagged, close to the truth, and never below the limit
    assert not everything.exact
    assert 2400 <= everything.value <= 3600
    assert not spam.exact
    assert 1050 <= spam.value <= 1950
    assert not few.exact
    assert few.value >= 11


def test_a_count_over_its_budget_is_cancelled_and_the_connection_stays_usable(clean_db):
    # Given a connection in its transaction and a "count" that takes far longer than the budget
    slow = sa.select(sa.func.count()).select_from(
        sa.select(sa.func.pg_sleep(2 * listing.EXACT_COUNT_BUDGET_MS / 1000)).subquery()
    )
    with clean_db.connect() as conn:
        before = conn.execute(sa.text("SHOW statement_timeout")).scalar_one()
        # When it runs within the budget
        counted = listing._within_budget(conn, slow)
        # Then the server cancelled it, the transaction goes on, and the timeout is as it was
        assert counted is None
        assert conn.execute(sa.text("SELECT 41 + 1")).scalar_one() == 42
        assert conn.execute(sa.text("SHOW statement_timeout")).scalar_one() == before
        # ...while a count inside the budget answers
        quick = sa.select(sa.func.count()).select_from(sa.select(sa.literal(1)).subquery())
        assert listing._within_budget(conn, quick) == 1


def test_a_total_too_costly_to_count_is_an_estimate_never_below_what_the_page_shows(
    analyst, seed, monkeypatch
):
    # Given 30 comments, a sample that sees none of them, and counts always over their budget
    seed(many_rows(30))
    monkeypatch.setattr(listing, "PLAIN_COUNT", replace(listing.PLAIN_COUNT, sample_pages=0))
    monkeypatch.setattr(listing, "_within_budget", lambda conn, statement: None)
    # When a first page of 5 is read
    response = analyst.get("/api/comentarios?limit=5")
    # Then the total is an estimate, says so, and is at least the rows already in hand (5 shown
    # and the one that proved a next page)
    assert response.headers["X-Total-Count-Exact"] == "false"
    assert response.headers["X-Total-Count"] == "6"


def test_a_single_page_is_its_own_exact_count_and_later_pages_carry_the_first_total(
    analyst, seed, clean_db
):
    # Given 12 comments
    seed(many_rows(12))
    # When a walk starts, then 3 more comments arrive before its second page
    first = analyst.get("/api/comentarios?limit=5")
    seed([{**row, "id": f"late{i}"} for i, row in enumerate(many_rows(3))])
    second = analyst.get(
        f"/api/comentarios?{urlencode({'limit': 5, 'cursor': first.headers['X-Next-Cursor']})}"
    )
    # Then the second page reports the total its walk started with
    assert first.headers["X-Total-Count"] == second.headers["X-Total-Count"] == "12"
    assert second.headers["X-Total-Count-Exact"] == "true"
    # ...and a new walk that fits in one page counts what it shows
    whole = analyst.get("/api/comentarios?limit=100")
    assert whole.headers["X-Total-Count"] == str(len(whole.get_json())) == "15"


@pytest.fixture
def windows(monkeypatch) -> list[object]:
    """Each window start the listing got from the rollups, in order."""
    seen: list[object] = []
    found = listing.tag_window_start

    def spy(*args, **kwargs):
        seen.append(found(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(listing, "tag_window_start", spy)
    return seen


def tag_rows() -> list[dict]:
    """60 comments an hour apart, every third one with `doc_raro` (alternating categories)."""
    newest = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    return [
        {
            "id": f"t{i:03d}",
            "categoria": ["ELOGIO", "CRÍTICA"][i % 2],
            "tags": ["doc_raro"] if i % 3 == 0 else ["feat_letra"],
            "created_at": newest - timedelta(hours=i),
        }
        for i in range(60)
    ]


@pytest.mark.parametrize(
    "params", [{"tag": "doc_raro"}, {"tag": "doc_raro", "categoria": "ELOGIO"}]
)
def test_a_tag_page_read_from_the_rollups_window_is_the_same_page(
    analyst, seed, clean_db, monkeypatch, windows, params
):
    # Given comments with a tag over 60 hours, counted in the rollups (a window is worth reading
    # from 10 comments on here)
    monkeypatch.setattr(rollups, "TAG_WINDOW_MIN_COMMENTS", 10)
    rows = tag_rows()
    seed(rows)
    rollups.rebuild(clean_db)
    # When the tag's pages are walked newest first, 4 at a time
    ids, _totals = walk(analyst, limit=4, **params)
    # Then they are the matching comments in order, and the first pages read a bounded window
    matching = [
        r
        for r in rows
        if "doc_raro" in r["tags"] and r["categoria"] == params.get("categoria", r["categoria"])
    ]
    assert ids == expected_order(matching, "recentes")
    assert windows[0] is not None
    assert windows[0] > rows[-1]["created_at"]


def test_a_tag_window_the_rollups_overstate_falls_back_to_the_whole_table(
    analyst, seed, clean_db, monkeypatch, windows
):
    # Given rollups claiming 1,000 recent `doc_raro` comments that the table does not hold
    monkeypatch.setattr(rollups, "TAG_WINDOW_MIN_COMMENTS", 10)
    rows = tag_rows()
    seed(rows)
    with clean_db.begin() as conn:
        conn.execute(sa.text("TRUNCATE tag_rollups, category_rollups"))
        conn.execute(
            sa.text(
                "INSERT INTO category_rollups (bucket, categoria, slot, comments, confianca_sum, "
                "awaiting_review, corrected) "
                "VALUES ('2026-11-30T12:00:00Z', 'ELOGIO', 0, 1000, 900, 0, 0)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO tag_rollups (bucket, categoria, tag, slot, comments) "
                "VALUES ('2026-11-30T12:00:00Z', 'ELOGIO', 'doc_raro', 0, 1000)"
            )
        )
    # When the tag's first page is read
    response = analyst.get("/api/comentarios?tag=doc_raro&limit=5")
    # Then the window was tried, and the page holds the five newest matching comments all the same
    assert windows == [datetime(2026, 11, 30, 12, 0, tzinfo=UTC)]
    assert response.status_code == 200
    newest = expected_order([r for r in rows if "doc_raro" in r["tags"]], "recentes")[:5]
    assert [item["id"] for item in response.get_json()] == newest


def test_a_common_tag_reads_no_window(analyst, seed, clean_db, monkeypatch):
    # Given a tag on two comments in three, counted in the rollups
    monkeypatch.setattr(rollups, "TAG_WINDOW_MIN_COMMENTS", 10)
    rows = tag_rows()
    seed(rows)
    rollups.rebuild(clean_db)
    # When its first page of 4 is read
    with clean_db.connect() as conn:
        window = rollups.tag_window_start(conn, "feat_letra", categoria=None, before=None, wanted=5)
    response = analyst.get("/api/comentarios?tag=feat_letra&limit=4")
    # Then no window is chosen (its 5 matches lie within fewer than 10 comments), and the page
    # is the newest four
    assert window is None
    newest = expected_order([r for r in rows if "feat_letra" in r["tags"]], "recentes")[:4]
    assert [item["id"] for item in response.get_json()] == newest


@pytest.fixture
def days_read(monkeypatch) -> list[datetime | None]:
    """The day each page statement read, in order (None: a statement not bounded to a day)."""
    seen: list[datetime | None] = []
    build = listing.page_statement

    def spy(*args, day=None, **kwargs):
        seen.append(day)
        return build(*args, day=day, **kwargs)

    monkeypatch.setattr(listing, "page_statement", spy)
    return seen


def text_rows() -> list[dict]:
    """120 comments over 15 days, two every 6 hours (ties), every fifth one with `xylofone`."""
    newest = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    return [
        {
            "id": f"x{i:03d}",
            "texto": f"som {i} xylofone" if i % 5 == 0 else f"som {i} letra",
            "categoria": ["ELOGIO", "CRÍTICA"][i % 2],
            "created_at": newest - timedelta(hours=6 * (i // 2)),
        }
        for i in range(120)
    ]


def analyze(engine: sa.Engine) -> None:
    # Days are read on tables of a size, known from the row estimate ANALYZE makes.
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE comments"))


@pytest.mark.parametrize(
    "params",
    [
        {"q": "xylofone"},
        {"q": "XYLOFONE", "categoria": "ELOGIO"},
        {"q": "xylofone", "desde": "2026-11-20", "ate": "2026-11-29"},
        {"q": "som"},
    ],
)
def test_a_text_search_read_day_by_day_is_the_same_walk(
    analyst, seed, clean_db, monkeypatch, days_read, params
):
    # Given 120 comments over 15 days (8 a day), in a table big enough for reading days (here
    # from 0 rows)
    monkeypatch.setattr(listing, "TEXT_WINDOW_MIN_TABLE_ROWS", 0)
    rows = text_rows()
    seed(rows)
    analyze(clean_db)
    # When the search's pages are walked newest first, 3 at a time, by days and unbounded
    ids, totals = walk(analyst, limit=3, **params)
    by_days = list(days_read)
    monkeypatch.setattr(listing, "TEXT_WINDOW_MIN_TABLE_ROWS", 10**9)
    plain_ids, plain_totals = walk(analyst, limit=3, **params)
    # Then both walks saw the same matching comments in the same order, each once
    word = params["q"].lower()
    matching = [r for r in rows if word in r["texto"]]
    assert len(plain_ids) > 3
    assert ids == plain_ids
    assert totals == plain_totals
    assert set(ids) <= {r["id"] for r in matching}
    assert len(set(ids)) == len(ids)
    if params.keys() == {"q"}:
        assert ids == expected_order(matching, "recentes")
    # ...and days were read, a rare word's several for one page, newest first
    days = [day for day in by_days if day is not None]
    assert days
    if word == "xylofone":
        assert any(later < earlier for earlier, later in itertools.pairwise(days))


def test_a_text_match_older_than_the_days_read_is_found(
    analyst, seed, clean_db, monkeypatch, days_read
):
    # Given one match 60 days older than 119 comments without it
    monkeypatch.setattr(listing, "TEXT_WINDOW_MIN_TABLE_ROWS", 0)
    rows = [{**row, "texto": f"som {row['id']}"} for row in text_rows()[:119]]
    old = {
        "id": "old",
        "texto": "um xylofone antigo",
        "created_at": datetime(2026, 10, 1, tzinfo=UTC),
    }
    seed([*rows, old])
    analyze(clean_db)
    # When the word is searched
    response = analyst.get("/api/comentarios?q=xylofone&limit=5")
    # Then the one old match is the page: the newest day and the one before held nothing, so the
    # rest was read in one statement
    assert [item["id"] for item in response.get_json()] == ["old"]
    assert response.headers["X-Total-Count"] == "1"
    newest_day = datetime(2026, 11, 30, tzinfo=UTC)
    assert days_read == [newest_day, newest_day - timedelta(days=1), None]


def test_a_text_search_without_matches_is_empty_after_its_days(
    analyst, seed, clean_db, monkeypatch, days_read
):
    monkeypatch.setattr(listing, "TEXT_WINDOW_MIN_TABLE_ROWS", 0)
    seed(text_rows())
    analyze(clean_db)
    response = analyst.get("/api/comentarios?q=marimba")
    assert response.status_code == 200
    assert response.get_json() == []
    assert response.headers["X-Total-Count"] == "0"
    assert "X-Next-Cursor" not in response.headers
    assert days_read[-1] is None


def test_a_text_search_on_a_small_table_reads_no_day(analyst, seed, clean_db, days_read):
    # Given 120 comments, far below the table size where reading days pays
    rows = text_rows()
    seed(rows)
    analyze(clean_db)
    # When the word's first page is read
    response = analyst.get("/api/comentarios?q=xylofone&limit=5")
    # Then one unbounded statement read it
    assert days_read == [None]
    newest = expected_order([r for r in rows if "xylofone" in r["texto"]], "recentes")[:5]
    assert [item["id"] for item in response.get_json()] == newest


def test_a_tag_page_reads_at_most_its_days_then_the_older_rest(
    analyst, seed, clean_db, monkeypatch, days_read
):
    # Given a tag's comments over 60 hours, counted in the rollups, and pages that may read at
    # most 2 days one by one
    monkeypatch.setattr(rollups, "TAG_WINDOW_MIN_COMMENTS", 10)
    monkeypatch.setattr(listing, "DAYS_AT_MOST", 2)
    rows = tag_rows()
    seed(rows)
    rollups.rebuild(clean_db)
    # When the tag's pages are walked newest first, 8 at a time
    ids, totals = walk(analyst, limit=8, tag="doc_raro")
    # Then they are the matching comments in order, counted alike on every page
    matching = [r for r in rows if "doc_raro" in r["tags"]]
    assert ids == expected_order(matching, "recentes")
    assert set(totals) == {len(matching)}
    # ...and no page read more than two days before reading the rest in one statement
    triples = list(zip(days_read, days_read[1:], days_read[2:], strict=False))
    assert not any(a and b and c and a > b > c for a, b, c in triples)
    assert any(a and b and c is None and a > b for a, b, c in triples)
