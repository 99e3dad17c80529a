"""Backend logic around the language model, with stand-ins for the model client and the embedded
model (the HTTP path itself is covered by tests/integration/test_llm_loopback.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.classifier import Classification
from shared.classifier.llm_backend import CascadeClassifier, LlmClassifier
from shared.llm import LlmCommentClassifier, LlmReply, TokenBudget


class StandInLocal:
    name = "local-stand-in"
    version = "test"

    def __init__(self, confidence: float = 0.95) -> None:
        self.confidence = confidence
        self.calls: list[list[str]] = []

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        self.calls.append(list(texts))
        return [
            Classification("ELOGIO", (), self.confidence, self.name, self.version) for _ in texts
        ]


class ExplodingClient:
    """A model client that breaks in an unforeseen way on its second request."""

    model = "stand-in-model"

    def __init__(self) -> None:
        self.budget = TokenBudget(1_000)
        self.requests = 0

    def deadline_from_now(self) -> float | None:
        return None

    def complete_json(self, *, user: str, **_: Any) -> LlmReply:
        self.requests += 1
        if self.requests == 2:
            raise RuntimeError("something nobody planned for")
        items = json.loads(user)
        results = [
            {"i": item["i"], "categoria": "DÚVIDA", "tags": [], "confianca": 0.5} for item in items
        ]
        return LlmReply(content={"resultados": results}, model="served", tokens=10)


def test_an_unexpected_error_falls_back_for_its_batch_only() -> None:
    # Given a client that fails unexpectedly on the second of three batches
    client = ExplodingClient()
    llm = LlmCommentClassifier(client, batch_size=1)  # type: ignore[arg-type]
    local = StandInLocal()
    # When three comments are classified
    results = LlmClassifier(llm, fallback=local).classify_batch(["a", "b", "c"])
    # Then only the broken batch fell back, saying so; the others kept the model's answers
    assert [r.categoria for r in results] == ["DÚVIDA", "ELOGIO", "DÚVIDA"]
    assert [r.fallback_reason for r in results] == [
        None,
        "llm: unexpected error (RuntimeError)",
        None,
    ]
    assert local.calls == [["b"]]
    assert client.requests == 3


def test_empty_batches_call_nothing() -> None:
    # Given both backends / When given no texts / Then no model is asked and nothing comes back
    client = ExplodingClient()
    llm = LlmCommentClassifier(client, batch_size=5)  # type: ignore[arg-type]
    local = StandInLocal(confidence=0.1)
    assert LlmClassifier(llm, fallback=local).classify_batch([]) == []
    assert CascadeClassifier(local, llm, threshold=0.6).classify_batch([]) == []
    assert client.requests == 0
