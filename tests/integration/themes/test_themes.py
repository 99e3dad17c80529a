"""New themes end to end on the real database: the run, the list, promotion and dismissal."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.classifier.tags import extract_tags
from shared.cli import main
from shared.rollups import rebuild
from tests.integration.themes.conftest import Seeder
from tests.support.openapi_schema import assert_conforms
from tests.support.themes_data import OTHER, rumour_comments

pytestmark = pytest.mark.integration

# 2026-12-05 14:00 in São Paulo; the day the run covers is that local day.
DAY = "2026-12-05"
NOON = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
DAY_BEFORE = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
RUMOUR_WORDS = {"boato", "separacao", "banda", "separar"}


def themes_of(client: Any, headers: dict[str, str], query: str = "periodo=dia") -> Any:
    response = client.get(f"/api/temas?{query}", headers=headers)
    assert_conforms(response, "GET /api/temas")
    assert response.status_code == 200, response.data
    return response.get_json()


@pytest.fixture
def rumour(seed: Seeder) -> list[str]:
    """150 comments about a rumour no tag covers on DAY, 30 the day before, and other comments
    (tagged ones, praise) that must not join it."""
    texts = rumour_comments(150)
    assert extract_tags(texts) == [()] * len(texts)  # the taxonomy has no tag for it
    ids = seed(texts, NOON)
    seed(rumour_comments(30), DAY_BEFORE)
    seed(list(OTHER) * 3, NOON, categoria="CRÍTICA", tags=extract_tags(list(OTHER) * 3))
    seed(["que hino, banda perfeita"] * 20, NOON, categoria="ELOGIO")
    return ids


def test_the_run_finds_the_rumour_and_the_list_names_it(
    cli_env: None,
    client: Any,
    analyst_headers: dict[str, str],
    rumour: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # When the day's run is made from the command line
    assert main(["themes", "run", "--period", "dia", "--date", DAY]) == 0
    assert f"themes dia {DAY}" in capsys.readouterr().out
    # Then the list has a theme named by the rumour's words, of about 150 comments
    body = themes_of(client, analyst_headers)
    top = body["temas"][0]
    assert set(top["palavras"]) & RUMOUR_WORDS, top["nome"]
    assert any(word in top["nome"] for word in RUMOUR_WORDS)
    assert 135 <= top["tamanho"] <= 165
    # with the day before's 30 as its previous size, and samples from its comments
    assert top["anterior"] == 30
    assert top["crescimento"] == pytest.approx((top["tamanho"] - 30) / 30, abs=1e-4)
    assert set(top["amostras"]) <= set(rumour)
    assert {s["id"] for s in top["amostras_texto"]} == set(top["amostras"])
    # and no praise and no tagged comment is a member
    assert all("hino" not in s["texto"] for t in body["temas"] for s in t["amostras_texto"])


def test_a_rerun_replaces_the_new_themes_and_keeps_dismissed_ones(
    cli_env: None, client: Any, analyst_headers: dict[str, str], rumour: list[str]
) -> None:
    assert main(["themes", "run", "--date", DAY]) == 0
    theme = themes_of(client, analyst_headers)["temas"][0]
    # When the analyst dismisses it (twice: nothing more changes), and the day is run again
    for _ in range(2):
        response = client.post(f"/api/temas/{theme['id']}/dispensar", headers=analyst_headers)
        assert_conforms(response, "POST /api/temas/{id}/dispensar")
        assert response.status_code == 200
        assert response.get_json()["status"] == "dispensado"
    assert main(["themes", "run", "--date", DAY]) == 0
    # Then it does not come back as new, and stays listed as dismissed
    new = themes_of(client, analyst_headers)["temas"]
    assert theme["nome"] not in [t["nome"] for t in new]
    dismissed = themes_of(client, analyst_headers, "periodo=dia&status=dispensado")["temas"]
    assert [t["id"] for t in dismissed] == [theme["id"]]
    # and it cannot be promoted any more
    response = client.post(
        f"/api/temas/{theme['id']}/promover", headers=analyst_headers, json={"tag": "feat_boato"}
    )
    assert_conforms(response, "POST /api/temas/{id}/promover")
    assert response.status_code == 409


def test_promotion_tags_the_theme_and_new_comments(
    cli_env: None,
    client: Any,
    analyst_headers: dict[str, str],
    rumour: list[str],
    app: App,
    clean_db: sa.Engine,
) -> None:
    assert main(["themes", "run", "--date", DAY]) == 0
    theme = themes_of(client, analyst_headers)["temas"][0]
    # When the analyst promotes it to feat_boato
    response = client.post(
        f"/api/temas/{theme['id']}/promover",
        headers=analyst_headers,
        json={"tag": "feat_boato", "descricao": "boatos sobre a banda"},
    )
    assert_conforms(response, "POST /api/temas/{id}/promover")
    assert response.status_code == 200, response.data
    promoted = response.get_json()
    assert promoted["status"] == "promovido"
    assert promoted["tag"] == "feat_boato"
    # Then every comment of the theme carries the tag, and the rollups still equal the comments
    with clean_db.connect() as conn:
        tagged = conn.execute(
            sa.text("SELECT count(*) FROM comments WHERE 'feat_boato' = ANY(tags_final)")
        ).scalar_one()
    assert tagged == promoted["tamanho"] == promoted["comentarios_marcados"]
    assert not rebuild(clean_db, fix=False).differing
    # and the product's classifier tags a new comment with the theme's words
    [answer] = app.classifier.classify_batch([f"mais um {theme['palavras'][0]} por aí"])
    assert "feat_boato" in answer.tags_funcionalidades
    # and the theme cannot be promoted twice nor dismissed
    again = client.post(
        f"/api/temas/{theme['id']}/promover", headers=analyst_headers, json={"tag": "feat_rumor"}
    )
    assert again.status_code == 409
    assert (
        client.post(f"/api/temas/{theme['id']}/dispensar", headers=analyst_headers).status_code
        == 409
    )


def snapshot(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        return [
            conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1")).all()
            for table in ("themes", "analyst_tags", "comments")
        ]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"tag": "boato"}, 400),
        ({"tag": "feat_Boato"}, 400),
        ({"tag": "xyz_boato"}, 400),
        ({"tag": "feat_boato", "extra": 1}, 400),
        ({"tag": "feat_letra"}, 409),  # a tag of the taxonomy
        ({"tag": "fix_letra"}, 400),  # the taxonomy's subject under another scope
        (["feat_boato"], 400),
    ],
)
def test_a_bad_promotion_is_refused_and_changes_nothing(
    cli_env: None,
    client: Any,
    analyst_headers: dict[str, str],
    rumour: list[str],
    clean_db: sa.Engine,
    body: Any,
    status: int,
) -> None:
    assert main(["themes", "run", "--date", DAY]) == 0
    theme = themes_of(client, analyst_headers)["temas"][0]
    before = snapshot(clean_db)
    response = client.post(f"/api/temas/{theme['id']}/promover", headers=analyst_headers, json=body)
    assert_conforms(response, "POST /api/temas/{id}/promover")
    assert response.status_code == status, response.data
    assert snapshot(clean_db) == before


@pytest.mark.parametrize(
    "query",
    ["periodo=mes", "semana=2026-53", "status=talvez", "limit=0", "limit=abc", "x=1"],
)
def test_a_bad_list_query_is_a_400(
    client: Any, analyst_headers: dict[str, str], query: str
) -> None:
    response = client.get(f"/api/temas?{query}", headers=analyst_headers)
    assert_conforms(response, "GET /api/temas")
    assert response.status_code == 400


def test_unknown_and_malformed_theme_ids(client: Any, analyst_headers: dict[str, str]) -> None:
    missing = client.post("/api/temas/999/dispensar", headers=analyst_headers)
    assert_conforms(missing, "POST /api/temas/{id}/dispensar")
    assert missing.status_code == 404
    malformed = client.post("/api/temas/abc/dispensar", headers=analyst_headers)
    assert malformed.status_code == 400
    assert client.get("/api/temas").status_code == 401


def test_the_weekly_list_and_the_scheduled_tick(
    tick_app: Any, client: Any, analyst_headers: dict[str, str], rumour: list[str], app: App
) -> None:
    # Given the daily tick of 2026-12-06 05:30 in São Paulo (it covers DAY and DAY's week)
    data = {"job": "themes-daily", "scheduled_time": "2026-12-06T08:30:00Z"}
    envelope = {
        "subscription": "projects/alumusic-local/subscriptions/themes-tick-push",
        "message": {
            "data": base64.b64encode(json.dumps(data).encode()).decode(),
            "attributes": data,
            "messageId": "1",
            "message_id": "1",
            "publishTime": "2026-12-06T08:30:01Z",
            "publish_time": "2026-12-06T08:30:01Z",
        },
    }
    # When it is pushed twice (at-least-once delivery)
    for _ in range(2):
        response = tick_app.test_client().post(
            "/projects/alumusic-local/topics/themes-tick", json=envelope
        )
        assert response.status_code == 200, response.data
    # Then the day and the week each have the rumour once
    day = themes_of(client, analyst_headers)["temas"]
    week = themes_of(client, analyst_headers, "periodo=semana&semana=2026-W49")["temas"]
    assert [t["chave"] for t in day][:1] == [DAY]
    assert week[0]["chave"] == "2026-W49"
    # the week holds the day before too (same week): 150 + 30
    assert 160 <= week[0]["tamanho"] <= 195
    assert len([t for t in week if set(t["palavras"]) & RUMOUR_WORDS]) == 1


def test_the_weekly_digest_stats_name_the_largest_new_theme(
    cli_env: None, rumour: list[str], clean_db: sa.Engine
) -> None:
    from shared.digest.stats import compute_stats
    from shared.timezone import IsoWeek

    # Given the week's themes found
    assert main(["themes", "run", "--period", "semana", "--week", "2026-W49"]) == 0
    # When the week's digest stats are computed
    stats = compute_stats(clean_db, IsoWeek(2026, 49), "America/Sao_Paulo")
    # Then they carry the largest new theme with its members counted by SQL
    theme = stats["tema_novo"]
    with clean_db.connect() as conn:
        size = conn.execute(
            sa.text(
                "SELECT count(*) FROM theme_members m JOIN themes t ON t.id = m.theme_id "
                "WHERE t.periodo = 'semana' AND t.nome = :nome AND NOT m.anterior"
            ),
            {"nome": theme["nome"]},
        ).scalar_one()
    assert theme["tamanho"] == size
    assert 160 <= size <= 195
    # and a week without themes has no such key
    assert "tema_novo" not in compute_stats(clean_db, IsoWeek(2026, 48), "America/Sao_Paulo")


def test_a_huge_limit_is_a_400(client: Any, analyst_headers: dict[str, str]) -> None:
    response = client.get("/api/temas?limit=" + "9" * 5000, headers=analyst_headers)
    assert_conforms(response, "GET /api/temas")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "args",
    [
        ["themes", "run", "--date", "2026-13-01"],
        ["themes", "run", "--period", "dia", "--week", "2026-W49"],
        ["themes", "run", "--period", "semana", "--week", "2026-W99"],
    ],
)
def test_a_bad_period_on_the_command_line_is_exit_2_and_changes_nothing(
    cli_env: None, rumour: list[str], clean_db: sa.Engine, args: list[str]
) -> None:
    before = snapshot(clean_db)
    assert main(args) == 2
    assert snapshot(clean_db) == before
