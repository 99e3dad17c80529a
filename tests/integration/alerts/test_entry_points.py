"""functions/alerts/main.py as deployed: the scheduled check (CloudEvent) and the read API."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from shared.bootstrap import App
from shared.schedule import Tick, encode_tick
from tests.support.alerts_data import comment_rows, seed_quiet_baseline, spread
from tests.support.digest_data import insert_comments
from tests.support.openapi_schema import assert_conforms
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
MAIN = str(ROOT / "functions" / "alerts" / "main.py")
PUSH_PATH = "/projects/alumusic-local/topics/alerts-tick"


@pytest.fixture(scope="module")
def run_client() -> Any:
    return functions_framework.create_app("run_alerts", MAIN, "cloudevent").test_client()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def http_client() -> Any:
    return functions_framework.create_app("handle_http", MAIN, "http").test_client()  # type: ignore[no-untyped-call]


def push(job: str, scheduled: datetime) -> dict[str, Any]:
    """The push body the emulator sends for one tick."""
    data, attributes = encode_tick(Tick(job=job, scheduled_time=scheduled))
    return {
        "subscription": "projects/alumusic-local/subscriptions/alerts-tick-push",
        "message": {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes,
            "messageId": "11",
            "message_id": "11",
            "publishTime": scheduled.isoformat().replace("+00:00", "Z"),
            "publish_time": scheduled.isoformat().replace("+00:00", "Z"),
        },
    }


@pytest.fixture
def spike(make_app: Callable[..., App], clean_db: sa.Engine, mail_sink: MailSink) -> datetime:
    """A crash spike in the hour before the returned instant; the app posts to one webhook."""
    make_app(alerts_webhook_urls=SecretStr(mail_sink.webhook_url("json")))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    start, end = now - timedelta(minutes=45), now - timedelta(minutes=15)
    seed_quiet_baseline(clean_db, start, end)
    insert_comments(clean_db, comment_rows("now", spread(start, end, 120)))
    return now


def test_a_tick_checks_stores_and_sends_once(
    run_client: Any, spike: datetime, mail_sink: MailSink, clean_db: sa.Engine
) -> None:
    # When the tick is pushed, then pushed again (at-least-once delivery)
    first = run_client.post(PUSH_PATH, json=push("alerts-check", spike))
    again = run_client.post(PUSH_PATH, json=push("alerts-check", spike))
    # Then both are acknowledged, the spike was stored and posted once
    assert first.status_code == 200, first.data
    assert again.status_code == 200
    hooks = mail_sink.received_webhooks("json")
    assert len(hooks) == 2  # the tag and its category, each once
    assert {h.body["alerta"]["escopo"] for h in hooks} == {"tag", "categoria"}


@pytest.mark.parametrize("job", ["charts-refresh", "weekly-digest"])
def test_another_jobs_tick_is_acknowledged_and_changes_nothing(
    run_client: Any, spike: datetime, mail_sink: MailSink, clean_db: sa.Engine, job: str
) -> None:
    assert run_client.post(PUSH_PATH, json=push(job, spike)).status_code == 200
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM alerts")).scalar_one() == 0
    assert mail_sink.received_webhooks() == []


def test_analysts_list_alerts_newest_first_with_their_numbers(
    http_client: Any, run_client: Any, spike: datetime, token_for: Callable[..., str]
) -> None:
    # Given the stored alerts of one tick
    assert run_client.post(PUSH_PATH, json=push("alerts-check", spike)).status_code == 200
    headers = {"Authorization": f"Bearer {token_for('ana', 'analyst')}"}
    # When an analyst lists them
    listing = http_client.get("/api/alertas", headers=headers)
    # Then they come newest first with every number, and the count of the last 24 hours
    assert listing.status_code == 200
    body = listing.get_json()
    assert body["ultimas_24h"] == 2
    ids = [a["id"] for a in body["alertas"]]
    assert ids == sorted(ids, reverse=True)
    tag = next(a for a in body["alertas"] if a["escopo"] == "tag")
    assert (tag["chave"], tag["nome"], tag["janela"], tag["direcao"]) == (
        "fix_travamento",
        "travamentos",
        "hora",
        "alta",
    )
    assert (tag["contagem"], tag["media_base"], tag["contagens_base"]) == (120, 2.0, [2, 2, 2, 2])
    assert_conforms(listing, "GET /api/alertas")
    one = http_client.get("/api/alertas?limite=1", headers=headers)
    assert [a["id"] for a in one.get_json()["alertas"]] == ids[:1]


@pytest.mark.parametrize(
    "query",
    [
        "limite=0",
        "limite=501",
        "limite=x",
        "limite=%C2%B2",
        "limite=1&limite=2",
        "desde=2026-01-01",
    ],
)
def test_bad_queries_are_refused(
    http_client: Any, make_app: Callable[..., App], token_for: Callable[..., str], query: str
) -> None:
    make_app()
    response = http_client.get(
        f"/api/alertas?{query}", headers={"Authorization": f"Bearer {token_for()}"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_input"
    assert_conforms(response, "GET /api/alertas")


def test_alerts_need_a_token(http_client: Any, make_app: Callable[..., App]) -> None:
    make_app()
    anonymous = http_client.get("/api/alertas")
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "GET /api/alertas")
    assert http_client.post("/api/alertas").status_code == 405
