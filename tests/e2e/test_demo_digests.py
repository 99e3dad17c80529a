"""`make dev DEMO=1`: after the demo comments the stack shows digests and a mailed digest."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from shared.timezone import IsoWeek
from tests.e2e.conftest import start_stack
from tooling.devstack.postgres import PostgresServer
from tooling.devstack.runner import DEMO_DIGEST_WEEKS, DEMO_RECIPIENT
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.e2e


def test_a_demo_stack_serves_the_backfilled_digests_and_mails_one(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    # Given a fresh database (no digest, no recipient) and a stack started with --demo
    database_url = pg_server.url(f"alumusic_e2e_demo_{secrets.token_hex(4)}")
    running = start_stack(tmp_path, database_url, demo=200)
    try:
        assert wait_until(
            lambda: f"{DEMO_DIGEST_WEEKS} weekly digests" in running.output(), timeout=120
        ), running.output()[-3000:]
        banner = running.output()
        assert f"{running.mail_sink_url}/mails" in banner
        # When an admin lists the digests through the gateway
        session = running.admin_session()
        listing = session.get(running.gateway_url + "/api/digests", timeout=30)
        # Then the last closed weeks each have one, the latest readable in full
        assert listing.status_code == 200, listing.text
        weeks = {d["semana"] for d in listing.json()["digests"]}
        latest = IsoWeek.last_closed_before(datetime.now(UTC), ZoneInfo("America/Sao_Paulo"))
        expected = {str(latest.shifted(-n)) for n in range(DEMO_DIGEST_WEEKS)}
        assert expected <= weeks
        detail = session.get(f"{running.gateway_url}/api/digests/{latest}", timeout=30)
        assert detail.status_code == 200, detail.text
        assert detail.json()["texto"].startswith("Olá")
        # The demo's comments are spread over the past weeks, so the closed week counts some
        assert detail.json()["stats"]["total"] > 0

        # And the weekly-digest tick reached digest-send, which mailed the demo recipient once
        mails: list[dict[str, Any]] = []

        def mailed() -> bool:
            nonlocal mails
            mails = requests.get(running.mail_sink_url + "/api/mails", timeout=5).json()
            return bool(mails)

        assert wait_until(mailed, timeout=60), running.output()[-3000:]
        assert [m["to"] for m in mails] == [[DEMO_RECIPIENT]]
        assert mails[0]["subject"].endswith(str(latest))
        page = requests.get(running.mail_sink_url + "/mails", timeout=5)
        assert page.status_code == 200
        assert DEMO_RECIPIENT in page.text
        code = running.stop()
    finally:
        if running.process.poll() is None:
            running.stop()
        pg_server.drop_database(database_url.rsplit("/", 1)[-1])
    assert code == 0, running.output()[-3000:]
