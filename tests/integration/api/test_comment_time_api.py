"""Comment time through the sync API and the list filters; id conflicts for an admin."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from shared.classifier import Classification
from shared.comments.store import store_classified
from shared.comments.types import CommentIn
from tests.integration.api.conftest import table_snapshot
from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration


def _created(engine: sa.Engine) -> dict[str, datetime]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT id, created_at FROM comments")).all())


# --- sync classify ------------------------------------------------------------------------------


def test_sync_classify_stores_the_clients_time_and_stamps_the_others_with_the_arrival(
    admin, classifier, clean_db
):
    # Given three comments, one with the time the listener wrote it
    body = [
        {"id": "s1", "texto": "amei essa faixa"},
        {"id": "s2", "texto": "som baixo demais", "criado_em": "2026-11-29T22:00:00-03:00"},
        {"id": "s3", "texto": "que tal uma versão ao vivo?"},
    ]
    # When classified now
    before = datetime.now(UTC)
    response = admin.post("/api/comentarios", json=body)
    after = datetime.now(UTC)

    # Then s2 is stored at its own time; s1 and s3 share one instant: the request's arrival
    assert response.status_code in (200, 201)
    created = _created(clean_db)
    assert created["s2"] == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert created["s1"] == created["s3"]
    assert before <= created["s1"] <= after
    # And the answer shows the same times as criado_em (and created_at), plus updated_at
    answered = {item["id"]: item for item in response.get_json()}
    assert answered["s2"]["criado_em"] == "2026-11-30T01:00:00+00:00"
    assert answered["s2"]["created_at"] == answered["s2"]["criado_em"]
    assert datetime.fromisoformat(answered["s1"]["criado_em"]) == created["s1"]
    assert datetime.fromisoformat(answered["s1"]["updated_at"]) >= created["s1"]


@pytest.mark.parametrize(
    ("criado_em", "message"),
    [
        (
            "2026-11-29T22:00:00",
            "item 1: field 'criado_em' '2026-11-29T22:00:00' has no UTC offset",
        ),
        ("2999-01-01T00:00:00+00:00", "item 1: field 'criado_em'"),
        ("1970-01-01T00:00:00Z", "is before 2000-01-01"),
        (1764514800, "must be an ISO 8601 string"),
    ],
)
def test_sync_classify_refuses_a_bad_time_and_stores_nothing(
    admin, classifier, clean_db, criado_em: Any, message: str
):
    response = admin.post(
        "/api/comentarios",
        json=[{"id": "ok", "texto": "boa"}, {"id": "bad", "texto": "boa", "criado_em": criado_em}],
    )
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert table_snapshot(clean_db) == []
    assert classifier.texts == []


def test_a_correction_moves_updated_at_but_never_the_comment_time(analyst, seed, clean_db):
    seed([{"id": "c1", "created_at": datetime(2026, 11, 2, 15, tzinfo=UTC)}])
    with clean_db.connect() as conn:
        before = conn.execute(sa.text("SELECT updated_at FROM comments")).scalar_one()
    response = analyst.patch("/api/comentarios/c1", json={"categoria": "CRÍTICA"})
    assert response.status_code == 200
    item = response.get_json()
    assert item["criado_em"] == item["created_at"] == "2026-11-02T15:00:00+00:00"
    assert datetime.fromisoformat(item["updated_at"]) > before


# --- filters in the product's time zone ---------------------------------------------------------

# São Paulo is UTC-3: 01:00 UTC on the 30th is 22:00 on the 29th there.
LATE_ON_THE_29TH = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
EARLY_ON_THE_30TH = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 00:00 in São Paulo
LAST_INSTANT_OF_THE_30TH = datetime(2026, 12, 1, 2, 59, 59, 999999, tzinfo=UTC)
FIRST_INSTANT_OF_DEC_1ST = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def around_midnight(seed) -> None:
    seed(
        [
            {"id": "late-29", "created_at": LATE_ON_THE_29TH},
            {"id": "start-30", "created_at": EARLY_ON_THE_30TH},
            {"id": "end-30", "created_at": LAST_INSTANT_OF_THE_30TH},
            {"id": "start-01", "created_at": FIRST_INSTANT_OF_DEC_1ST},
        ]
    )


def _listed(caller, query: str) -> set[str]:
    response = caller.get(f"/api/comentarios?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    items = body["items"] if isinstance(body, dict) else body
    return {item["id"] for item in items}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A comment at 01:00 UTC belongs to the previous São Paulo day
        ("desde=2026-11-30", {"start-30", "end-30", "start-01"}),
        ("ate=2026-11-29", {"late-29"}),
        # `ate` covers its whole São Paulo day, to the last microsecond
        ("desde=2026-11-30&ate=2026-11-30", {"start-30", "end-30"}),
        # Datetimes with an offset are the instants given
        ("desde=2026-11-30T00:30:00Z&ate=2026-11-30T03:00:00Z", {"late-29", "start-30"}),
        # Without an offset, a wall-clock time of São Paulo
        ("desde=2026-11-29T22:00:00&ate=2026-11-29T22:00:00", {"late-29"}),
    ],
)
def test_bare_dates_in_filters_are_days_of_the_product_zone(
    analyst, around_midnight, query: str, expected: set[str]
):
    assert _listed(analyst, query) == expected


def test_export_uses_the_same_days(analyst, around_midnight):
    response = analyst.get("/api/comentarios/export?ate=2026-11-29")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["late-29"]


def test_another_product_zone_draws_other_days(analyst, app_with, around_midnight):
    # Given the product configured for UTC / Then the 30th is the UTC day: 01:00 UTC belongs to it,
    # 02:59 UTC on 1 December no longer does
    app_with(product_timezone="UTC")
    assert _listed(analyst, "desde=2026-11-30&ate=2026-11-30") == {"late-29", "start-30"}


# --- id conflicts -------------------------------------------------------------------------------


def _answer() -> Classification:
    return Classification("ELOGIO", (), 0.9, "m", "1")


def _ingest(engine: sa.Engine, comment_id: str, texto: str, request_id: str) -> None:
    store_classified(
        engine,
        [CommentIn(comment_id, texto, datetime(2026, 11, 30, 9, tzinfo=UTC))],
        [_answer()],
        source="ingest",
        review_threshold=0.6,
        message_id=f"msg-{request_id}",
        request_id=request_id,
    )


def test_conflicts_are_listed_for_an_admin_newest_first(admin, analyst, clean_db):
    # Given two ids each ingested again with another text (one of them redelivered)
    _ingest(clean_db, "k1", "primeiro texto", "r1")
    _ingest(clean_db, "k2", "outro primeiro", "r2")
    _ingest(clean_db, "k1", "segundo texto", "r3")
    _ingest(clean_db, "k1", "segundo texto", "r3")
    _ingest(clean_db, "k2", "outro segundo", "r4")

    # When an admin asks
    response = admin.get("/api/comentarios/conflitos")

    # Then both clashes are there once each, newest first, with both hashes and the origin
    assert response.status_code == 200
    assert_conforms(response, "GET /api/comentarios/conflitos")
    body = response.get_json()
    assert body["total"] == 2
    assert [(c["comment_id"], c["request_id"], c["message_id"]) for c in body["items"]] == [
        ("k2", "r4", "msg-r4"),
        ("k1", "r3", "msg-r3"),
    ]
    k1 = body["items"][1]
    assert k1["stored_text_sha256"] == hashlib.sha256(b"primeiro texto").hexdigest()
    assert k1["incoming_text_sha256"] == hashlib.sha256(b"segundo texto").hexdigest()
    assert k1["source"] == "ingest"
    assert datetime.fromisoformat(k1["detected_at"]).tzinfo is not None
    # And limit bounds the list, not the total
    limited = admin.get("/api/comentarios/conflitos?limit=1").get_json()
    assert (len(limited["items"]), limited["total"]) == (1, 2)
    # And the stored texts are the first ones
    with clean_db.connect() as conn:
        assert dict(conn.execute(sa.text("SELECT id, texto FROM comments")).all()) == {
            "k1": "primeiro texto",
            "k2": "outro primeiro",
        }


def test_conflicts_are_for_admins_only_and_refuse_bad_limits(admin, analyst, clean_db):
    forbidden = analyst.get("/api/comentarios/conflitos")
    assert forbidden.status_code == 403
    assert_conforms(forbidden, "GET /api/comentarios/conflitos")
    anonymous = admin.client.get("/api/comentarios/conflitos")
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "GET /api/comentarios/conflitos")
    for query in ("limit=0", "limit=abc", "limit=100000", "desde=2026-01-01"):
        response = admin.get(f"/api/comentarios/conflitos?{query}")
        assert response.status_code == 400, query
        assert_conforms(response, "GET /api/comentarios/conflitos")
        assert response.get_json()["error"]["code"] == "invalid_input"
    assert admin.get("/api/comentarios/conflitos").get_json() == {"items": [], "total": 0}


def test_sync_classify_keeps_its_409_and_records_nothing(admin, classifier, clean_db):
    assert admin.post("/api/comentarios", json={"id": "z", "texto": "um"}).status_code in (200, 201)
    response = admin.post("/api/comentarios", json={"id": "z", "texto": "dois"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "id_conflict"
    assert admin.get("/api/comentarios/conflitos").get_json()["total"] == 0


def test_the_conflicts_command_shows_what_the_endpoint_shows(
    monkeypatch, settings, clean_db, capsys
):
    # Given one recorded conflict, and the CLI pointed at the test database
    from shared.cli import main
    from shared.config import get_settings

    _ingest(clean_db, "k1", "primeiro texto", "r1")
    _ingest(clean_db, "k1", "segundo texto", "r2")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        # When an admin runs `alumusic comments conflicts`
        assert main(["comments", "conflicts", "--limit", "5"]) == 0
        table = capsys.readouterr().out
        assert main(["comments", "conflicts", "--json"]) == 0
        as_json = json.loads(capsys.readouterr().out)
        assert main(["comments", "conflicts", "--limit", "0"]) == 2
    finally:
        get_settings.cache_clear()

    # Then the table names the id, both hashes' prefixes and where it came from
    stored = hashlib.sha256(b"primeiro texto").hexdigest()
    incoming = hashlib.sha256(b"segundo texto").hexdigest()
    [row] = [line for line in table.splitlines() if " k1 " in line]
    assert stored[:7] in row
    assert incoming[:7] in row
    assert "r2 (message msg-r2)" in row
    assert "1 shown of 1 recorded" in table
    assert [(c["comment_id"], c["incoming_text_sha256"]) for c in as_json["items"]] == [
        ("k1", incoming)
    ]
