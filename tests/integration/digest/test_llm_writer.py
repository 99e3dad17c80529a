"""The optional language-model writer through the real `openai` client and a loopback server."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from shared.bootstrap import App
from shared.digest import service
from shared.digest.writer import write_template
from shared.timezone import IsoWeek
from tests.support.openai_loopback import DEFAULT_MODEL, OpenAILoopback, Reply, chat_completion

pytestmark = pytest.mark.integration


def llm_app(make_app: Callable[..., App], server: OpenAILoopback) -> App:
    return make_app(digest_writer="llm", openai_base_url=server.url, llm_max_retries=0)


def stats_sent(body: Any) -> dict[str, Any]:
    user = [m for m in body["messages"] if m["role"] == "user"][-1]
    return dict(json.loads(user["content"]))


def writes(make_text: Callable[[dict[str, Any]], str]) -> Callable[[Any], Reply]:
    def respond(body: Any) -> Reply:
        return Reply(body=chat_completion({"texto": make_text(stats_sent(body))}))

    return respond


def honest(stats: dict[str, Any]) -> str:
    return (
        f"Olá! Na semana {stats['semana']} chegaram {stats['total']} comentários, "
        f"contra {stats['total_anterior']} na anterior.\n\nFeedbacks por IA"
    )


def test_a_text_that_holds_every_rule_is_stored_as_the_models(
    make_app: Callable[..., App], openai_loopback: OpenAILoopback, seeded: IsoWeek
) -> None:
    openai_loopback.script(writes(honest))
    app = llm_app(make_app, openai_loopback)
    digest, _ = service.build_digest(app, seeded)
    assert digest.writer == "llm"
    assert digest.writer_model == DEFAULT_MODEL
    assert digest.fallback_reason is None
    assert digest.texto == honest(digest.stats)
    # and the model was given the stats (with the masked samples) and nothing else
    (request,) = openai_loopback.completion_requests()
    assert stats_sent(request.body) == digest.stats


def test_a_model_that_invents_a_number_falls_back_to_the_template(
    make_app: Callable[..., App], openai_loopback: OpenAILoopback, seeded: IsoWeek
) -> None:
    # Given a model that says criticism rose 37% (no stat says 37)
    openai_loopback.script(
        writes(lambda s: f"Olá! As críticas subiram 37% na {s['semana']}.\n\nFeedbacks por IA")
    )
    app = llm_app(make_app, openai_loopback)
    digest, _ = service.build_digest(app, seeded)
    # Then the deterministic text is stored, with the reason
    assert digest.writer == "template"
    assert digest.texto == write_template(digest.stats)
    assert digest.fallback_reason is not None
    assert "numbers not in the stats: 37" in digest.fallback_reason


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(status=500, body={"error": {"message": "boom"}}), "llm: server error 500"),
        (
            Reply(body=chat_completion({"texto": "Oi, tudo bem?\n\nFeedbacks por IA"})),
            "does not open",
        ),
        (Reply(body=chat_completion({"texto": "Olá! " + "muito " * 230})), "is not signed"),
        (
            Reply(body=chat_completion({"texto": "Olá! " + "muito " * 230 + "Feedbacks por IA"})),
            "words",
        ),
        (Reply(body=chat_completion("not json")), "llm: malformed JSON"),
    ],
)
def test_any_other_failure_falls_back_with_its_reason(
    make_app: Callable[..., App],
    openai_loopback: OpenAILoopback,
    seeded: IsoWeek,
    reply: Reply,
    reason: str,
) -> None:
    openai_loopback.script(reply)
    digest, _ = service.build_digest(llm_app(make_app, openai_loopback), seeded)
    assert digest.writer == "template"
    assert digest.fallback_reason is not None
    assert reason in digest.fallback_reason
    assert digest.texto == write_template(digest.stats)


def test_without_an_endpoint_the_app_has_no_language_model(digest_app: App) -> None:
    assert digest_app.llm is None
