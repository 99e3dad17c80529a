"""The weekly tick through the real Pub/Sub emulator to `send_weekly_digest` under
functions-framework, the real `sendgrid` client sending to the loopback sink.

A provider error answers 5xx, the emulator redelivers with backoff, and the redelivery sends only
the recipient that had failed; a tick published twice (at-least-once) sends nobody a second mail.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shared.config import Settings
from shared.digest import service
from shared.events import PubSubPublisher
from shared.schedule import Tick, encode_tick
from shared.timezone import IsoWeek
from tests.support.db_fixtures import make_settings
from tests.support.service_fixtures import FunctionServerFactory, PubSubEmulator, service_env
from tooling.devstack.bootstrap import bootstrap_pubsub
from tooling.devstack.mail_sink import MailSink
from tooling.devstack.services import free_port
from tooling.devstack.stack import parse_stack
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration

RECIPIENTS = ("ana@alumusic.test", "bruno@alumusic.test")
# Monday 2026-11-23 08:00 in Sao Paulo: the week that had just closed is 2026-W47.
SCHEDULED = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_a_tick_through_the_emulator_sends_once_despite_a_provider_error_and_a_duplicate(
    pubsub_emulator: PubSubEmulator,
    function_server: FunctionServerFactory,
    database_url: str,
    clean_db: sa.Engine,
    seeded: IsoWeek,
    mail_sink: MailSink,
) -> None:
    # Given topics and a push subscription with short backoff to a running digest-send
    suffix = secrets.token_hex(4)
    topic, dead = f"digest-tick-{suffix}", f"digest-tick-dead-letter-{suffix}"
    settings: Settings = make_settings(
        database_url,
        pubsub_emulator_host=pubsub_emulator.host,
        pubsub_project_id=pubsub_emulator.project_id,
    )
    for email in RECIPIENTS:
        service.add_recipient(clean_db, email)
    port = free_port()
    server = function_server(
        "send_weekly_digest",
        source="functions/digest",
        signature="cloudevent",
        env=service_env(
            settings, SENDGRID_API_HOST=mail_sink.url, SENDGRID_API_KEY="SG.emulator-test"
        ),
        port=port,
        name="digest-send",
    )
    bootstrap_pubsub(
        parse_stack(
            {
                "project_id": pubsub_emulator.project_id,
                "functions": [
                    {
                        "name": "digest-send",
                        "source": "functions/digest",
                        "target": "send_weekly_digest",
                        "signature": "cloudevent",
                        "port": port,
                    }
                ],
                "topics": [{"name": topic}, {"name": dead}],
                "subscriptions": [
                    {
                        "name": f"digest-tick-push-{suffix}",
                        "topic": topic,
                        "push_to": "digest-send",
                        "ack_deadline_seconds": 30,
                        "min_retry_backoff": "0.2s",
                        "max_retry_backoff": "1s",
                        "dead_letter_topic": dead,
                        "max_delivery_attempts": 10,
                    }
                ],
            }
        ),
        pubsub_emulator.host,
    )
    # and a provider that refuses the first send to one recipient
    mail_sink.fail_next(RECIPIENTS[1], times=1, status=502)

    # When the weekly tick is published twice (Cloud Scheduler delivers at least once)
    data, attributes = encode_tick(Tick("weekly-digest", SCHEDULED, {}))
    publisher = PubSubPublisher(settings)
    try:
        publisher.publish(topic, data, attributes).result(timeout=30)
        assert wait_until(lambda: len(mail_sink.received()) == 2, timeout=60, interval=0.2)
        publisher.publish(topic, data, attributes).result(timeout=30)
    finally:
        publisher.close()

    # Then both ticks were handled to the end (the first one after one redelivery)
    def done() -> list[dict[str, object]]:
        return [r for r in server.log_records() if r.get("message") == "weekly digest done"]

    assert wait_until(lambda: len(done()) == 2, timeout=60, interval=0.2)
    assert [r["sent"] for r in done()] == [1, 0]
    failed = [r for r in server.log_records() if r.get("message") == "digest delivery failed"]
    assert [r["recipient"] for r in failed] == [RECIPIENTS[1]]
    # and each recipient got exactly one mail
    assert mail_sink.requests == 3  # two mails and the one refused
    assert {m.to[0] for m in mail_sink.received()} == set(RECIPIENTS)
    assert len(mail_sink.received()) == 2
    assert all(m.subject == "Resumo semanal AluMusic 2026-W47" for m in mail_sink.received())
