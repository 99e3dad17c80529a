"""The digest's model call, with a stub client (the HTTP path is in integration)."""

from __future__ import annotations

import json
from pathlib import Path

from shared.digest.writer import WRITER_DEADLINE_SECONDS, write_template, write_with_llm
from tests.support.llm_stub import NOW, StubClient
from tests.unit.digest.test_writer import busy_week

STACK = json.loads((Path(__file__).resolve().parents[3] / "infra" / "stack.json").read_text())


def test_the_model_call_ends_by_the_writer_deadline_inside_the_delivery_one() -> None:
    # Given a model that answers without a text
    client = StubClient({})
    stats = busy_week()
    # When the week is written through it
    written = write_with_llm(stats, client)
    # Then its request had to end by the writer's own deadline, and the template wrote the week
    (request,) = client.requests
    assert request["deadline"] == NOW + WRITER_DEADLINE_SECONDS
    assert written.texto == write_template(stats)
    assert written.fallback_reason == "llm: reply has no text"
    # And that deadline leaves the send room to store and mail inside its delivery's ack deadline
    (delivery,) = [s for s in STACK["subscriptions"] if s.get("push_to") == "digest-send"]
    assert delivery["ack_deadline_seconds"] >= WRITER_DEADLINE_SECONDS + 10
