"""The digest's model call, with a stub client (the HTTP path is in integration)."""

from __future__ import annotations

import json
from pathlib import Path

from shared.digest.writer import (
    WRITER_DEADLINE_SECONDS,
    is_quotation,
    paragraphs,
    write_template,
    write_with_llm,
)
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


def test_a_model_text_that_repeats_a_listener_falls_back_with_the_reason() -> None:
    # Given a week and a model text that holds every rule but repeats a sample's words
    stats = busy_week()
    template = write_template(stats)
    own = "\n\n".join(p for p in paragraphs(template) if not is_quotation(p))
    copied = own.replace(
        "Feedbacks por IA",
        "Um ouvinte disse que o app fica carregando infinito.\n\nFeedbacks por IA",
    )
    marked = own.replace("Feedbacks por IA", "> tudo certo por aqui\n\nFeedbacks por IA")
    for text, reason in ((copied, "repeats a listener's words"), (marked, "quotes a listener")):
        # When the week is written through the model
        written = write_with_llm(stats, StubClient({"texto": text}))
        # Then the template wrote the week, and the reason is kept
        assert written.writer == "template"
        assert written.texto == template
        assert written.fallback_reason == f"llm text {reason}"


def test_a_model_text_that_names_a_domain_falls_back_with_the_reason() -> None:
    stats = busy_week()
    template = write_template(stats)
    own = "\n\n".join(p for p in paragraphs(template) if not is_quotation(p))
    text = own.replace("Feedbacks por IA", "Acesse painel-alumusic.online.\n\nFeedbacks por IA")
    written = write_with_llm(stats, StubClient({"texto": text}))
    assert written.texto == template
    assert written.fallback_reason == "llm text holds a link, domain or e-mail address"
