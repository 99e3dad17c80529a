"""functions/digest/main.py as deployed: the scheduled send (CloudEvent) and the read API (HTTP)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import functions_framework
import pytest

from shared.bootstrap import App
from shared.digest import service
from shared.timezone import IsoWeek
from tests.support.openapi_schema import assert_conforms
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
MAIN = str(ROOT / "functions" / "digest" / "main.py")
TICK = json.loads((ROOT / "tests" / "fixtures" / "events" / "digest_tick_push.json").read_text())
PUSH_PATH = "/projects/alumusic-local/topics/digest-tick"


@pytest.fixture(scope="module")
def send_client() -> Any:
    return functions_framework.create_app("send_weekly_digest", MAIN, "cloudevent").test_client()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def http_client() -> Any:
    return functions_framework.create_app("handle_http", MAIN, "http").test_client()  # type: ignore[no-untyped-call]


def with_data(envelope: dict[str, Any], data: bytes) -> dict[str, Any]:
    message = {**envelope["message"], "data": base64.b64encode(data).decode(), "attributes": {}}
    return {**envelope, "message": message}


def test_a_recorded_tick_sends_last_weeks_digest_once(
    send_client: Any,
    digest_app: App,
    recipients: tuple[str, ...],
    seeded: IsoWeek,
    mail_sink: MailSink,
) -> None:
    # Given the Monday 08:00 tick of 2026-11-23 (Sao Paulo)
    # When it is pushed, then pushed again (at-least-once delivery)
    first = send_client.post(PUSH_PATH, json=TICK)
    again = send_client.post(PUSH_PATH, json=TICK)
    # Then both are acknowledged and the week that had just closed, W47, went out once
    assert first.status_code == 200, first.data
    assert again.status_code == 200
    assert [m.subject for m in mail_sink.received()] == ["Resumo semanal AluMusic 2026-W47"] * 3
    assert {m.to[0] for m in mail_sink.received()} == set(recipients)


def test_a_failed_send_answers_5xx_so_pubsub_redelivers(
    send_client: Any,
    digest_app: App,
    recipients: tuple[str, ...],
    seeded: IsoWeek,
    mail_sink: MailSink,
) -> None:
    mail_sink.fail_next(recipients[0], times=1, status=500)
    assert send_client.post(PUSH_PATH, json=TICK).status_code >= 500
    assert send_client.post(PUSH_PATH, json=TICK).status_code == 200
    assert sorted(m.to[0] for m in mail_sink.received()) == sorted(recipients)


@pytest.mark.parametrize("data", [b"not json", b'{"no": "job"}', b'{"job": "charts-refresh"}'])
def test_an_unreadable_or_foreign_tick_is_acknowledged_and_sends_nothing(
    send_client: Any, digest_app: App, recipients: tuple[str, ...], mail_sink: MailSink, data: bytes
) -> None:
    response = send_client.post(PUSH_PATH, json=with_data(TICK, data))
    assert response.status_code == 200
    assert mail_sink.received() == []


def test_analysts_list_and_read_digests(
    http_client: Any,
    digest_app: App,
    seeded: IsoWeek,
    token_for: Callable[..., str],
) -> None:
    service.backfill(digest_app, 3, now=service_now())
    headers = {"Authorization": f"Bearer {token_for('ana', 'analyst')}"}
    listing = http_client.get("/api/digests", headers=headers)
    assert listing.status_code == 200
    weeks = [d["semana"] for d in listing.get_json()["digests"]]
    assert weeks == ["2026-W47", "2026-W46", "2026-W45"]
    detail = http_client.get("/api/digests/2026-W47", headers=headers)
    assert detail.status_code == 200
    body = detail.get_json()
    assert body["texto"].startswith("Olá")
    assert body["stats"]["semana"] == "2026-W47"
    assert body["html"].startswith("<!DOCTYPE html>")
    # ...and both answers are what the document promises (a template digest has no writer model
    # and no fallback reason: null, which the document must allow)
    assert body["writer_model"] is None
    assert_conforms(detail, "GET /api/digests/{semana}")
    assert_conforms(listing, "GET /api/digests")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/digests/2026-47", 400, "invalid_input"),
        ("/api/digests/2026-W54", 400, "invalid_input"),
        ("/api/digests/2026-W01", 404, "not_found"),
    ],
)
def test_bad_or_unknown_weeks(
    http_client: Any,
    digest_app: App,
    token_for: Callable[..., str],
    path: str,
    status: int,
    code: str,
) -> None:
    response = http_client.get(path, headers={"Authorization": f"Bearer {token_for()}"})
    assert response.status_code == status
    assert_conforms(response, "GET /api/digests/{semana}")
    assert response.get_json()["error"]["code"] == code


def test_digests_need_a_token(http_client: Any, digest_app: App) -> None:
    anonymous = http_client.get("/api/digests")
    assert anonymous.status_code == 401
    assert_conforms(anonymous, "GET /api/digests")
    assert http_client.post("/api/digests").status_code == 405


def service_now() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
