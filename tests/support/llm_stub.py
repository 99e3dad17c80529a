"""A language-model client that answers without a network, for unit tests of the model's callers.

It is the product's `LlmClient` (its `deadline_in`, its budget) on a clock that stands still, with
`complete_json` answered by `reply`: a JSON object, an exception to raise, or a function of the
request returning either. Every request is recorded with its keywords, deadline included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from shared.llm import LlmClient, LlmReply, TokenBudget

NOW: Final = 1_000.0

Answer = dict[str, Any] | Exception


class StubClient(LlmClient):
    def __init__(
        self, reply: Answer | Callable[[dict[str, Any]], Answer], model: str = "stub-model"
    ) -> None:
        super().__init__(
            base_url="http://127.0.0.1:9/v1",
            api_key=None,
            model=model,
            timeout_seconds=5.0,
            max_retries=0,
            budget=TokenBudget(1_000),
            clock=lambda: NOW,
        )
        self.reply = reply
        self.requests: list[dict[str, Any]] = []

    def complete_json(self, **request: Any) -> LlmReply:  # type: ignore[override]
        self.requests.append(request)
        answer = self.reply(request) if callable(self.reply) else self.reply
        if isinstance(answer, Exception):
            raise answer
        return LlmReply(content=answer, model=self.model, tokens=10)
