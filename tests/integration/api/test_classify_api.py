"""POST /api/comentarios: classify now, store, answer; retries are harmless; bad input changes nothing."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from shared.bootstrap import get_app
from shared.classifier import CATEGORIES
from shared.comments.store import IdConflict, SyncOutcome, classify_and_store
from shared.comments.types import CommentIn
from tests.integration.api.conftest import table_snapshot
from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration

SYNC_FIELDS = {
    "id",
    "texto",
    "categoria",
    "tags_funcionalidades",
    "confianca",
    "needs_review",
    "model_name",
    "model_version",
    "fallback_reason",
    "criado_em",
    "created_at",
    "updated_at",
}


def stored(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT id, texto, categoria, source FROM comments ORDER BY id")
        ).all()


def test_one_comment_in_one_answer_out_and_stored(admin, classifier, clean_db):
    # Given one comment
    # When it is classified now
    response = admin.post(
        "/api/comentarios", json={"id": "c1", "texto": "Qual é o nome dessa música?"}
    )
    # Then the answer is one object with the model's provenance, and it is stored as "sync"
    assert response.status_code == 201
    assert_conforms(response, "POST /api/comentarios")
    body = response.get_json()
    assert set(body) == SYNC_FIELDS
    assert body["id"] == "c1"
    assert body["categoria"] in CATEGORIES
    assert 0.0 <= body["confianca"] <= 1.0
    assert (body["model_name"], body["model_version"]) == (classifier.name, classifier.version)
    assert stored(clean_db) == [("c1", "Qual é o nome dessa música?", body["categoria"], "sync")]


def test_a_list_in_gives_a_list_out_in_order(admin, classifier, clean_db):
    batch = [{"id": f"c{i}", "texto": f"comentário {i}"} for i in (3, 1, 2)]
    response = admin.post("/api/comentarios", json=batch)
    assert response.status_code == 201
    assert_conforms(response, "POST /api/comentarios")
    assert [item["id"] for item in response.get_json()] == ["c3", "c1", "c2"]
    assert len(stored(clean_db)) == 3


def test_a_list_of_one_gives_a_list_of_one(admin, classifier):
    response = admin.post("/api/comentarios", json=[{"id": "c1", "texto": "x"}])
    assert isinstance(response.get_json(), list)


def test_low_confidence_is_flagged_for_review(admin, classifier):
    body = admin.post("/api/comentarios", json={"id": "c1", "texto": "hmm"}).get_json()
    assert body["needs_review"] is (body["confianca"] < 0.6)


def test_a_retry_returns_the_stored_answer_without_classifying_again(admin, classifier, clean_db):
    # Given a batch already classified
    batch = [{"id": "a", "texto": "amei a letra"}, {"id": "b", "texto": "vai ter turnê?"}]
    first = admin.post("/api/comentarios", json=batch).get_json()
    asked = len(classifier.texts)
    before = table_snapshot(clean_db)
    # When the client retries the very same request
    second = admin.post("/api/comentarios", json=batch)
    # Then it gets the same answers with 200 (nothing new stored), nothing classified again
    assert second.status_code == 200
    assert_conforms(second, "POST /api/comentarios")
    assert second.get_json() == first
    assert len(classifier.texts) == asked
    assert table_snapshot(clean_db) == before


def test_a_retry_mixing_known_and_new_ids_classifies_only_the_new(admin, classifier, clean_db):
    admin.post("/api/comentarios", json={"id": "a", "texto": "amei"})
    classifier.texts.clear()
    response = admin.post(
        "/api/comentarios", json=[{"id": "a", "texto": "amei"}, {"id": "b", "texto": "odiei"}]
    )
    assert response.status_code == 201
    assert classifier.texts == ["odiei"]
    assert [row[0] for row in stored(clean_db)] == ["a", "b"]


def test_an_id_reused_with_another_text_is_a_409_and_nothing_is_stored(admin, classifier, clean_db):
    # Given a stored comment
    admin.post("/api/comentarios", json={"id": "a", "texto": "amei"})
    before = table_snapshot(clean_db)
    # When a request reuses its id with another text, beside a new comment
    response = admin.post(
        "/api/comentarios",
        json=[{"id": "new", "texto": "novo"}, {"id": "a", "texto": "outro texto"}],
    )
    # Then 409 id_conflict names the id, and not even the new comment was stored
    assert response.status_code == 409
    assert_conforms(response, "POST /api/comentarios")
    error = response.get_json()["error"]
    assert error["code"] == "id_conflict"
    assert error["details"] == {"ids": ["a"]}
    assert "'a'" in error["message"]
    assert table_snapshot(clean_db) == before


def test_a_corrected_comment_retried_answers_with_the_correction(admin, classifier):
    admin.post("/api/comentarios", json={"id": "a", "texto": "amei"})
    admin.patch("/api/comentarios/a", json={"categoria": "SPAM"})
    again = admin.post("/api/comentarios", json={"id": "a", "texto": "amei"}).get_json()
    assert again["categoria"] == "SPAM"


def test_sql_and_html_are_stored_verbatim(admin, classifier, clean_db):
    texto = '<script>alert(1)</script>\'); DROP TABLE comments; -- é "citação"'
    response = admin.post("/api/comentarios", json={"id": "x'; --", "texto": texto})
    assert response.status_code == 400  # the id has characters ids may not have
    response = admin.post("/api/comentarios", json={"id": "x1", "texto": texto})
    assert response.status_code == 201
    assert response.get_json()["texto"] == texto
    assert stored(clean_db)[0][1] == texto


def test_integer_ids_come_back_as_strings(admin, classifier):
    assert admin.post("/api/comentarios", json={"id": 7, "texto": "x"}).get_json()["id"] == "7"


BAD_BODIES = [
    ("malformed JSON", b'{"id": "a", "texto": ', 400, "not valid JSON"),
    ("wrong type", b'{"id": "a", "texto": 12}', 400, "must be a string"),
    ("missing id", b'{"texto": "x"}', 400, "'id' is missing"),
    ("missing texto", b'{"id": "a"}', 400, "'texto' is missing"),
    ("empty texto", b'{"id": "a", "texto": "  "}', 400, "is empty"),
    ("escaped NUL", b'{"id": "a", "texto": "a\\u0000b"}', 400, "NUL"),
    ("raw NUL", b'{"id": "a", "texto": "a\x00b"}', 400, "NUL"),
    ("not UTF-8", b'{"id": "a", "texto": "\xe9"}', 400, "not UTF-8"),
    ("empty list", b"[]", 400, "empty"),
    ("scalar", b"42", 400, "got a number"),
    ("empty body", b"", 400, "empty"),
    (
        "duplicate ids",
        b'[{"id": "a", "texto": "x"}, {"id": "a", "texto": "y"}]',
        400,
        "more than once",
    ),
    ("bad item in list", b'[{"id": "a", "texto": "x"}, {"id": "b", "texto": ""}]', 400, "item 1"),
    ("NDJSON", b'{"id": "a", "texto": "x"}\n{"id": "b", "texto": "y"}', 400, "Extra data"),
]


@pytest.mark.parametrize(
    ("case", "body", "status", "message"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    admin, classifier, clean_db, case, body, status, message
):
    admin.post("/api/comentarios", json={"id": "kept", "texto": "já estava"})
    before = table_snapshot(clean_db)
    response = admin.post("/api/comentarios", data=body, content_type="application/json")
    assert response.status_code == status
    assert_conforms(response, "POST /api/comentarios")
    error = response.get_json()["error"]
    assert message in error["message"]
    assert table_snapshot(clean_db) == before


def test_over_long_text_is_refused(admin, app_with, classifier, clean_db):
    settings = app_with(classifier_factory=lambda _s: classifier, max_text_chars=100).settings
    assert settings.max_text_chars == 100
    ok = admin.post("/api/comentarios", json={"id": "a", "texto": "x" * 100})
    assert ok.status_code == 201
    before = table_snapshot(clean_db)
    response = admin.post("/api/comentarios", json={"id": "b", "texto": "x" * 101})
    assert response.status_code == 400
    assert "101 characters; the limit is 100" in response.get_json()["error"]["message"]
    assert table_snapshot(clean_db) == before


def test_too_many_items_is_413(admin, app_with, classifier, clean_db):
    app_with(classifier_factory=lambda _s: classifier, max_sync_batch=3)
    batch = [{"id": str(i), "texto": "x"} for i in range(4)]
    response = admin.post("/api/comentarios", json=batch)
    assert response.status_code == 413
    assert_conforms(response, "POST /api/comentarios")
    assert response.get_json()["error"]["message"] == (
        "more than 3 comments in one request; the limit is 3"
    )
    assert table_snapshot(clean_db) == []


def test_oversized_body_is_413_before_parsing(admin, app_with, classifier, clean_db):
    app_with(classifier_factory=lambda _s: classifier, max_body_bytes=1024)
    body = json.dumps({"id": "a", "texto": "x" * 2000}).encode()
    response = admin.post("/api/comentarios", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert table_snapshot(clean_db) == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-ndjson", "multipart/form-data"]
)
def test_wrong_content_type_is_415(admin, classifier, clean_db, content_type):
    response = admin.post(
        "/api/comentarios", data=b'{"id": "a", "texto": "x"}', content_type=content_type
    )
    assert response.status_code == 415
    assert_conforms(response, "POST /api/comentarios")
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    assert table_snapshot(clean_db) == []


def test_concurrent_requests_for_one_id_store_one_row(app, classifier, clean_db):
    # Given two requests racing, each with an id of its own and one shared id with another text
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def submit(name: str, texto: str) -> None:
        batch = [CommentIn(f"only-{name}", "x"), CommentIn("shared", texto)]
        barrier.wait()
        try:
            outcomes[name] = classify_and_store(get_app(), batch)
        except IdConflict as error:
            outcomes[name] = error

    # When both run at once
    threads = [
        threading.Thread(target=submit, args=("a", "primeiro texto")),
        threading.Thread(target=submit, args=("b", "segundo texto")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then exactly one request won; the loser got id_conflict and stored nothing at all
    winners = [name for name, outcome in outcomes.items() if isinstance(outcome, SyncOutcome)]
    losers = [name for name, outcome in outcomes.items() if isinstance(outcome, IdConflict)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert [row[0] for row in stored(clean_db)] == sorted(["shared", f"only-{winners[0]}"])
