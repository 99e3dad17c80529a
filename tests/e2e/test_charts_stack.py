"""Charts through the whole local stack: a tick on the emulator reaches charts-refresh by push,
the snapshot is served through the gateway, and the dashboard path is routed to charts-api."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import requests
import sqlalchemy as sa

from shared.classifier import CATEGORIES
from shared.config import Settings
from shared.events import PubSubPublisher
from shared.models import comments
from shared.rollups import rebuild
from shared.schedule import Tick, encode_tick
from tests.e2e.conftest import RunningStack
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.e2e

Api = Callable[..., requests.Response]


def test_a_published_tick_becomes_the_served_snapshot(stack: RunningStack, api: Api) -> None:
    # Given a comment stored a minute before a tick (written as the consumer writes it: the
    # classifier is not under test here)
    # The stack's own scheduler stores a snapshot at every whole minute, and a tick already stored is
    # not refreshed again; so this tick takes a time of its own (whole seconds, not a whole minute)
    # early enough in the minute to stay the newest snapshot until the test has read it.
    assert wait_until(lambda: 1 <= datetime.now(UTC).second < 40, timeout=30, interval=0.2)
    scheduled = datetime.now(UTC).replace(microsecond=0)
    category = "SUGESTÃO"
    engine = sa.create_engine(stack.database_url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(comments).values(
                    id="charts-e2e-1",
                    texto="que tal um clipe animado?",
                    categoria=category,
                    tags_funcionalidades=["feat_clipe"],
                    confianca=0.9,
                    needs_review=False,
                    model_name="e2e",
                    model_version="1",
                    source="ingest",
                    created_at=scheduled - timedelta(minutes=1),
                )
            )
        # Written past the store: counted by a rebuild, as an operator's repair would be.
        rebuild(engine, scheduled - timedelta(minutes=1))
    finally:
        engine.dispose()

    # When a tick for that time is published to charts-tick, as the scheduler publishes its own
    data, attributes = encode_tick(Tick("charts-refresh", scheduled, {}))
    publisher = PubSubPublisher(
        Settings(
            pubsub_emulator_host=f"127.0.0.1:{stack.ports['PUBSUB_PORT']}",
            pubsub_project_id=os.environ.get("PUBSUB_PROJECT_ID", "alumusic-local"),
        )
    )
    try:
        publisher.publish("charts-tick", data, attributes).result(timeout=30)
    finally:
        publisher.close()

    # Then the push reaches charts-refresh and the gateway serves that snapshot
    expected = scheduled.isoformat().replace("+00:00", "Z")

    def served() -> bool:
        body = api("GET", "/api/relatorio/semana").json()
        return bool(body.get("fonte") == "snapshot" and body.get("gerado_em") == expected)

    assert wait_until(served, timeout=60, interval=0.5), stack.output()[-3000:]
    body = api("GET", "/api/relatorio/semana").json()
    assert body["stale"] is False
    assert list(body["relatorios"]["distribuicao_categorias"]) == list(CATEGORIES)
    # (other tests share the stack and its database: the snapshot holds their comments too, so
    # its figures are checked against the table as of the tick)
    assert body["relatorios"]["distribuicao_categorias"][category] > 0
    engine = sa.create_engine(stack.database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            clips = conn.execute(
                sa.select(sa.func.count())
                .select_from(comments)
                .where(sa.literal("feat_clipe") == sa.any_(comments.c.tags_final))
                .where(comments.c.created_at >= scheduled - timedelta(hours=48))
                .where(comments.c.created_at < scheduled)
            ).scalar_one()
    finally:
        engine.dispose()
    assert clips >= 1
    assert {"tag": "feat_clipe", "frequencia": clips} in body["relatorios"]["top_tags_48h"]


def test_dashboard_path_is_routed_to_the_charts_function(stack: RunningStack) -> None:
    response = requests.get(stack.gateway_url + "/painel", allow_redirects=False, timeout=10)
    assert response.status_code == 308
    assert response.headers["Location"] == "/painel/"
    unauthenticated = requests.get(stack.gateway_url + "/api/relatorio/semana", timeout=10)
    assert unauthenticated.status_code == 401
