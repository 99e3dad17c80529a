"""POST /api/insights/perguntar as deployed: functions-framework, real PostgreSQL, real digests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.config import SettingsGroupMissing, load_settings
from shared.digest.store import recent_digests
from tests.integration.insights.conftest import Caller
from tests.support.openapi_schema import assert_conforms

STACK_FILE = Path(__file__).resolve().parents[3] / "infra" / "stack.json"

pytestmark = pytest.mark.integration


def test_answers_from_the_stored_digests(analyst: Caller, store_digests, eval_digest_rows):
    # Given the nine evaluation digests stored
    store_digests(eval_digest_rows)
    # When an analyst asks about one week
    response = analyst.ask({"pergunta": "Quais foram as principais críticas da 2026-W45?"})
    # Then the answer rests on that week's digest, with its passages
    assert response.status_code == 200
    assert_conforms(response, "POST /api/insights/perguntar")
    body = response.get_json()
    assert body["suportada"] is True
    assert body["semanas"] == ["2026-W45"]
    assert "falhas de áudio" in body["resposta"]
    assert "fix_audio" not in body["resposta"]
    assert "27" in body["resposta"]
    assert body["fontes"]
    assert all(f["semana"] == "2026-W45" and f["trecho"] for f in body["fontes"])
    assert any("c-" in i for f in body["fontes"] for i in f.get("comentarios", []))
    assert len(body["resposta"].split()) <= 150


def test_answers_in_english_when_asked_in_english(analyst: Caller, store_digests, eval_digest_rows):
    store_digests(eval_digest_rows)
    response = analyst.ask({"pergunta": "How many comments did we get in week 2026-W43?"})
    assert_conforms(response, "POST /api/insights/perguntar")
    body = response.get_json()
    assert body["idioma"] == "en"
    assert "933 comments" in body["resposta"]
    assert body["semanas"] == ["2026-W43"]


def test_a_question_the_digests_cannot_answer_is_a_200_unsupported(
    analyst: Caller, store_digests, eval_digest_rows
):
    store_digests(eval_digest_rows)
    response = analyst.ask({"pergunta": "Qual foi a receita em novembro?"})
    assert_conforms(response, "POST /api/insights/perguntar")
    body = response.get_json()
    assert body["suportada"] is False
    assert body["fontes"] == []
    assert "não medem" in body["resposta"]


def test_reads_only_the_last_eight_digests(store_digests, eval_digest_rows, digests_table):
    store_digests(eval_digest_rows)
    loaded = recent_digests(digests_table, 8)
    assert [d.semana for d in loaded] == [f"2026-W{n}" for n in range(41, 49)]
    assert loaded[0].stats["total"] == eval_digest_rows[1]["stats"]["total"]


def test_a_when_question_reads_every_stored_week(analyst: Caller, store_digests, eval_digest_rows):
    # Given nine digests stored, app errors at their peak in the oldest (W40: 36 mentions)
    store_digests(eval_digest_rows)
    # When an analyst asks when they peaked
    response = analyst.ask({"pergunta": "Quando os erros no app tiveram o pico?"})
    # Then the week found is W40, outside the latest eight, named with its dates
    assert_conforms(response, "POST /api/insights/perguntar")
    body = response.get_json()
    assert body["suportada"] is True
    assert body["semanas"] == ["2026-W40"]
    assert "36" in body["resposta"]
    assert "28/09/2026" in body["resposta"]


def test_semanas_restricts_the_weeks(analyst: Caller, store_digests, eval_digest_rows):
    store_digests(eval_digest_rows)
    body = analyst.ask(
        {"pergunta": "Quais foram as principais críticas?", "semanas": ["2026-W42"]}
    ).get_json()
    assert body["semanas"] == ["2026-W42"]
    assert "layout (34 comentários" in body["resposta"]
    # A week outside the last eight but stored can still be asked for by name
    older = analyst.ask({"pergunta": "Resumo", "semanas": ["2026-W40"]}).get_json()
    assert older["suportada"] is True
    assert older["semanas"] == ["2026-W40"]


@pytest.mark.parametrize("stored", [0, 2])
def test_fewer_than_three_digests_is_a_409(
    analyst: Caller, store_digests, eval_digest_rows, stored
):
    store_digests(eval_digest_rows[:stored])
    response = analyst.ask({"pergunta": "O que subiu?"})
    assert response.status_code == 409
    assert_conforms(response, "POST /api/insights/perguntar")
    assert response.get_json()["error"]["code"] == "not_enough_digests"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b'{"pergunta": ""}', 400),
        (b'{"pergunta": "' + b"x" * 501 + b'"}', 400),
        (b'{"pergunta": "o que\\u0000 subiu"}', 400),
        (b'{"pergunta": 12}', 400),
        (b'{"pergunta": "ok", "semanas": "3"}', 400),
        (b'{"pergunta": "ok", "semanas": ["W47"]}', 400),
        (b'{"pergunta": ', 400),
        (b'["o que subiu?"]', 400),
        (b'{"pergunta": "' + b"x" * 20_000 + b'"}', 413),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    analyst: Caller, store_digests, eval_digest_rows, digests_table, raw, status
):
    store_digests(eval_digest_rows[:3])
    before = _snapshot(digests_table)
    response = analyst.ask(None, raw=raw)
    assert response.status_code == status
    assert_conforms(response, "POST /api/insights/perguntar")
    assert set(response.get_json()["error"]) >= {"code", "message"}
    assert _snapshot(digests_table) == before


def test_needs_a_token_json_and_post(client, analyst: Caller, store_digests, eval_digest_rows):
    store_digests(eval_digest_rows)
    anonymous = client.post("/api/insights/perguntar", json={"pergunta": "oi"})
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "POST /api/insights/perguntar")
    not_json = analyst.ask(None, raw=b"pergunta=oi", content_type="text/plain")
    assert not_json.status_code == 415
    assert_conforms(not_json, "POST /api/insights/perguntar")
    assert client.get("/api/insights/perguntar").status_code == 405


def test_admins_may_ask_too(client, token_for, store_digests, eval_digest_rows):
    store_digests(eval_digest_rows)
    admin = Caller(client, token_for("root", "admin"))
    assert admin.ask({"pergunta": "Resumo da 2026-W47"}).status_code == 200


def _snapshot(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text("SELECT semana, stats::text FROM weekly_digests ORDER BY 1")
            )
        ]


def test_answers_with_only_the_settings_groups_the_stack_declares(
    client, settings, token_for, store_digests, eval_digest_rows
):
    # Given the function wired as deployed: only the groups infra/stack.json declares for it
    stack = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    (function,) = [f for f in stack["functions"] if f["name"] == "insights-api"]
    declared = load_settings(
        function["settings"],
        environment="test",
        database_url=settings.database_url,
        jwt_public_keys=settings.jwt_public_keys,
        cursor_secret=settings.cursor_secret,
        user_status_cache_seconds=0,
    )
    application = App(settings=declared)
    set_app(application)
    try:
        store_digests(eval_digest_rows)
        # When an analyst asks a question
        caller = Caller(client, token_for("ana", "analyst"))
        response = caller.ask({"pergunta": "Quais foram as principais críticas da 2026-W45?"})
        # Then it answers, reading nothing of a group it does not declare
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["semanas"] == ["2026-W45"]
        with pytest.raises(SettingsGroupMissing):
            _ = declared.pubsub_project_id
        # And it holds no signing key: the token it accepted was verified with public keys only
        with pytest.raises(SettingsGroupMissing, match="issuer"):
            _ = declared.jwt_private_keys
    finally:
        set_app(None)
        application.close()
