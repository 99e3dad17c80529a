"""Alerts through the whole local stack: an alerts-check tick on the emulator reaches alerts-run
by push, the crash spike is posted to the mail sink's webhooks (as `make dev` configures them)
once, and the gateway serves it at GET /api/alertas."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from shared.config import Settings
from shared.events import PubSubPublisher
from shared.schedule import Tick, encode_tick
from tests.e2e.conftest import RunningStack
from tests.support.alerts_data import comment_rows, spread
from tests.support.digest_data import insert_comments
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.e2e

Api = Callable[..., requests.Response]


def _publish_tick(stack: RunningStack, scheduled: datetime) -> None:
    data, attributes = encode_tick(Tick("alerts-check", scheduled, {}))
    publisher = PubSubPublisher(
        Settings(
            pubsub_emulator_host=f"127.0.0.1:{stack.ports['PUBSUB_PORT']}",
            pubsub_project_id=os.environ.get("PUBSUB_PROJECT_ID", "alumusic-local"),
        )
    )
    try:
        publisher.publish("alerts-tick", data, attributes).result(timeout=30)
    finally:
        publisher.close()


def _crash_hooks(stack: RunningStack) -> list[dict[str, Any]]:
    received = requests.get(stack.mail_sink_url + "/api/webhooks", timeout=10).json()
    return [
        hook
        for hook in received
        if "fix_travamento" in (hook["body"].get("text") or hook["body"].get("texto") or "")
    ]


def test_a_tick_posts_the_spike_to_each_webhook_once(stack: RunningStack, api: Api) -> None:
    # Given 200 crash comments in the last closed hour, stored as the consumer stores them
    scheduled = datetime.now(UTC).replace(second=0, microsecond=0)
    engine = sa.create_engine(stack.database_url, poolclass=sa.NullPool)
    try:
        times = spread(scheduled - timedelta(minutes=45), scheduled - timedelta(minutes=15), 200)
        insert_comments(engine, comment_rows("e2e-alerta", times))
    finally:
        engine.dispose()

    # When the job's tick is published, twice (at-least-once delivery)
    _publish_tick(stack, scheduled)
    _publish_tick(stack, scheduled)

    # Then the Slack-shaped and the plain webhook of the sink each get the spike once
    def both_posted() -> bool:
        return {hook["name"] for hook in _crash_hooks(stack)} == {"slack", "json"}

    assert wait_until(both_posted, timeout=90, interval=0.5), stack.output()[-3000:]
    hooks = _crash_hooks(stack)
    assert sorted(hook["name"] for hook in hooks) == ["json", "slack"]
    slack = next(hook["body"] for hook in hooks if hook["name"] == "slack")
    assert set(slack) == {"text", "blocks"}
    assert '"travamentos" (tag fix_travamento)' in slack["text"]
    assert "200 comentários" in slack["text"]
    # And the gateway serves it to the analysts' API
    listing = api("GET", "/api/alertas")
    assert listing.status_code == 200, listing.text
    assert any(
        a["chave"] == "fix_travamento" and a["contagem"] == 200 for a in listing.json()["alertas"]
    )
