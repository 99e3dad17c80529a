"""The charts function as deployed: functions-framework's app, recorded Pub/Sub pushes, HTTP."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.charts.painel import CONTENT_SECURITY_POLICY
from shared.classifier import CATEGORIES
from shared.classifier.tags import TAXONOMY_PATH
from shared.config import Settings, load_settings
from shared.digest.vocabulary import tag_name
from shared.storage import InMemoryObjectStore
from tests.integration.charts.conftest import snapshot_rows
from tests.support.openapi_schema import assert_conforms
from tooling.devstack.stack import load_stack, repo_root

pytestmark = pytest.mark.integration

MAIN = str(repo_root() / "functions" / "charts" / "main.py")
EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events"
PUSH_PATH = "/projects/alumusic-local/topics/charts-tick"
Seed = Callable[[Sequence[dict[str, Any]]], None]


def recorded(name: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8")))


@pytest.fixture
def refresh_client(charts_app: App) -> Any:
    return functions_framework.create_app("refresh_charts", MAIN, "cloudevent").test_client()  # type: ignore[no-untyped-call]


@pytest.fixture
def http_client(charts_app: App) -> Any:
    return functions_framework.create_app("handle_http", MAIN, "http").test_client()  # type: ignore[no-untyped-call]


def test_recorded_tick_refreshes_once_even_when_redelivered(
    refresh_client: Any, seed: Seed, clean_db: sa.Engine
) -> None:
    # Given comments, and the recorded push of the tick scheduled at 11:32Z
    seed(
        [
            {
                "id": "x",
                "categoria": "DÚVIDA",
                "created_at": datetime(2026, 11, 30, 11, 0, tzinfo=UTC),
            }
        ]
    )
    envelope = recorded("charts_tick_push")

    # When it is delivered twice
    first = refresh_client.post(PUSH_PATH, json=envelope)
    rows_after_first = snapshot_rows(clean_db)
    second = refresh_client.post(PUSH_PATH, json=envelope)

    # Then both deliveries are acknowledged and one snapshot, keyed by the tick, exists unchanged
    assert (first.status_code, second.status_code) == (200, 200)
    assert snapshot_rows(clean_db) == rows_after_first
    [(scheduled, payload, _)] = rows_after_first
    assert scheduled == datetime(2026, 11, 30, 11, 32, tzinfo=UTC)
    assert payload["relatorios"]["distribuicao_categorias"]["DÚVIDA"] == 100.0


def test_tick_without_scheduled_time_is_keyed_by_its_publish_minute(
    refresh_client: Any, clean_db: sa.Engine
) -> None:
    envelope = recorded("charts_tick_without_time_push")
    published = datetime.fromisoformat(envelope["message"]["publishTime"].replace("Z", "+00:00"))

    response = refresh_client.post(PUSH_PATH, json=envelope)

    assert response.status_code == 200
    assert [row[0] for row in snapshot_rows(clean_db)] == [
        published.replace(second=0, microsecond=0)
    ]


# Not a tick; a tick of another job (table-maintenance) pushed here by mistake.
@pytest.mark.parametrize("name", ["charts_tick_garbage_push", "maintenance_tick_push"])
def test_unreadable_or_foreign_tick_is_acknowledged_and_changes_nothing(
    refresh_client: Any, clean_db: sa.Engine, name: str
) -> None:
    response = refresh_client.post(PUSH_PATH, json=recorded(name))

    assert response.status_code == 200
    assert snapshot_rows(clean_db) == []


def test_tick_with_the_database_down_fails_so_pubsub_redelivers(
    refresh_client: Any, charts_app: App, unreachable_database_url: str
) -> None:
    charts_app.engine.dispose()
    charts_app._parts["engine"] = sa.create_engine(unreachable_database_url)

    response = refresh_client.post(PUSH_PATH, json=recorded("charts_tick_push"))

    assert response.status_code >= 500


def test_weekly_report_in_the_earlier_shape(
    http_client: Any, token_for: Callable[..., str], seed: Seed
) -> None:
    now = datetime.now(UTC)
    seed(
        [
            {"id": "p", "categoria": "ELOGIO", "tags": ["feat_letra"], "confianca": 0.75,
             "created_at": now - timedelta(minutes=30)},
            {"id": "q", "categoria": "SUGESTÃO", "tags": ["feat_letra"], "confianca": 0.25,
             "created_at": now - timedelta(days=2, minutes=-5)},
        ]
    )  # fmt: skip
    refresh_client = functions_framework.create_app("refresh_charts", MAIN, "cloudevent")  # type: ignore[no-untyped-call]
    envelope = recorded("charts_tick_without_time_push")
    envelope["message"]["publishTime"] = now.isoformat().replace("+00:00", "Z")
    assert refresh_client.test_client().post(PUSH_PATH, json=envelope).status_code == 200

    for role in ("analyst", "admin"):
        response = http_client.get(
            "/api/relatorio/semana", headers={"Authorization": f"Bearer {token_for('u', role)}"}
        )
        assert response.status_code == 200, response.get_data()
        assert_conforms(response, "GET /api/relatorio/semana")
        body = response.get_json()
        assert {"relatorios", "reload", "gerado_em", "stale"} <= set(body)
        assert body["reload"] is False
        assert body["stale"] is False
        reports = body["relatorios"]
        assert list(reports) == [
            "distribuicao_categorias",
            "evolucao_temporal",
            "top_tags_48h",
            "confianca_media_por_categoria",
            "comentarios_por_hora",
        ]
        assert reports["distribuicao_categorias"] == {
            **dict.fromkeys(CATEGORIES, 0.0),
            "ELOGIO": 50.0,
            "SUGESTÃO": 50.0,
        }
        # Categories in their canonical order, as the earlier system listed them
        assert list(reports["distribuicao_categorias"]) == list(CATEGORIES)
        assert list(reports["confianca_media_por_categoria"]) == list(CATEGORIES)
        assert len(reports["evolucao_temporal"]) == 7
        assert list(reports["evolucao_temporal"][0]) == ["data", *CATEGORIES]
        assert reports["top_tags_48h"] == [{"tag": "feat_letra", "frequencia": 2}]
        assert reports["confianca_media_por_categoria"]["ELOGIO"] == 0.75
        assert len(reports["comentarios_por_hora"]) == 24
        assert set(reports["comentarios_por_hora"][0]) == {"hora", "quantidade"}
        assert response.headers["Content-Type"].startswith("application/json")


def test_weekly_report_needs_a_valid_token(http_client: Any, token_for: Callable[..., str]) -> None:
    anonymous = http_client.get("/api/relatorio/semana")
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "GET /api/relatorio/semana")
    forged = http_client.get("/api/relatorio/semana", headers={"Authorization": "Bearer x.y.z"})
    assert forged.status_code == 401
    assert_conforms(forged, "GET /api/relatorio/semana")
    assert forged.get_json()["error"]["code"] == "unauthorized"
    wrong_method = http_client.post(
        "/api/relatorio/semana", headers={"Authorization": f"Bearer {token_for()}"}
    )
    assert wrong_method.status_code == 405


def test_tags_in_words_for_every_role(http_client: Any, token_for: Callable[..., str]) -> None:
    # Given the taxonomy the classifier tags with
    taxonomy = set(json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))["tags"])
    for role in ("analyst", "admin"):
        # When a logged-in person asks for the tags in words
        response = http_client.get(
            "/api/tags", headers={"Authorization": f"Bearer {token_for('u', role)}"}
        )
        # Then every taxonomy tag comes with the vocabulary's Portuguese and English words
        assert response.status_code == 200, response.get_data()
        assert_conforms(response, "GET /api/tags")
        body = response.get_json()
        by_tag = {item["tag"]: item for item in body["tags"]}
        assert set(by_tag) == taxonomy
        assert [item["tag"] for item in body["tags"]] == sorted(taxonomy)
        assert by_tag["fix_volume"] == {
            "tag": "fix_volume",
            "nome": tag_name("fix_volume", "pt"),
            "name_en": tag_name("fix_volume", "en"),
        }
        assert (by_tag["fix_volume"]["nome"], by_tag["feat_aovivo"]["name_en"]) == (
            "volume desigual",
            "live versions",
        )
        # And a tag outside the taxonomy is named from its scope's pattern as the server names it
        patterns = {item["escopo"]: item for item in body["escopos"]}
        slot = body["assunto"]
        assert patterns["fix"]["nome"].replace(slot, "ingresso") == tag_name("fix_ingresso", "pt")
        assert patterns["ui"]["name_en"].replace(slot, "mapa") == tag_name("ui_mapa", "en")


def test_tags_in_words_refuse_strangers_and_query_parameters(
    http_client: Any, token_for: Callable[..., str]
) -> None:
    anonymous = http_client.get("/api/tags")
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "GET /api/tags")
    with_query = http_client.get(
        "/api/tags?lang=en", headers={"Authorization": f"Bearer {token_for()}"}
    )
    assert with_query.status_code == 400
    assert_conforms(with_query, "GET /api/tags")
    assert "lang" in with_query.get_json()["error"]["message"]


def test_dashboard_files_are_served_under_a_strict_policy(
    http_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a dashboard folder with a page and a script (the real one is built elsewhere)
    (tmp_path / "index.html").write_text("<!doctype html><script src=app.js></script>")
    (tmp_path / "app.js").write_text("void 0;")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "chart.js").write_text("void 1;")
    monkeypatch.setattr(sys.modules["main"], "PAINEL_DIR", tmp_path)

    root = http_client.get("/painel")
    page = http_client.get("/painel/")
    script = http_client.get("/painel/app.js")
    nested = http_client.get("/painel/js/chart.js")
    missing = http_client.get("/painel/nope.js")
    escape = http_client.get("/painel/..%2f..%2fmain.py")

    assert (root.status_code, root.headers["Location"]) == (308, "/painel/")
    assert root.headers["Content-Type"].startswith("text/html")  # as the document says
    assert page.status_code == 200
    assert page.get_data().startswith(b"<!doctype html>")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert (nested.status_code, nested.get_data()) == (200, b"void 1;")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    assert escape.status_code == 404
    # And each answer is one the document declares
    assert_conforms(root, "GET /painel")
    for response in (page, script, nested, missing, escape):
        assert_conforms(response, "GET /painel/{asset=**}")


def test_api_responses_keep_the_api_policy(http_client: Any) -> None:
    response = http_client.get("/api/relatorio/semana")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_each_function_works_with_only_the_settings_groups_it_declares(
    settings: Settings, token_for: Callable[..., str], seed: Seed, clean_db: sa.Engine
) -> None:
    # Given the settings each charts function gets as deployed: only its stack.json groups
    stack = load_stack(env={})
    store = InMemoryObjectStore()
    seed(
        [
            {
                "id": "g",
                "categoria": "CRÍTICA",
                "created_at": datetime.now(UTC) - timedelta(minutes=5),
            }
        ]
    )
    envelope = recorded("charts_tick_without_time_push")
    envelope["message"]["publishTime"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    answers = []
    for name, target, signature in (
        ("charts-refresh", "refresh_charts", "cloudevent"),
        ("charts-api", "handle_http", "http"),
    ):
        groups = stack.function(name).settings
        values: dict[str, Any] = {"database_url": settings.database_url}
        if "auth" in groups:
            # A verifier: the public keys only, never the issuer's private key
            values["jwt_public_keys"] = settings.jwt_public_keys
            values["user_status_cache_seconds"] = 0
        application = App(
            settings=load_settings(groups, **values), storage_factory=lambda _s: store
        )
        set_app(application)
        try:
            client = functions_framework.create_app(target, MAIN, signature).test_client()  # type: ignore[no-untyped-call]
            # When the refresh handles a tick and the API serves the report
            if signature == "cloudevent":
                answers.append(client.post(PUSH_PATH, json=envelope).status_code)
            else:
                token = token_for("u", "analyst")
                report = client.get(
                    "/api/relatorio/semana", headers={"Authorization": f"Bearer {token}"}
                )
                answers.append(report.status_code)
                assert report.get_json()["relatorios"]["distribuicao_categorias"]["CRÍTICA"] == 100
        finally:
            set_app(None)
            application.close()
    # Then neither reads a setting of a group it does not declare
    assert answers == [200, 200]
    assert "pubsub" not in stack.function("charts-refresh").settings
