"""The language-model transport: any OpenAI-compatible endpoint, through the `openai` package.

`LlmClient` is what every caller of a model shares (the classifier's `llm` and `cascade` backends,
the digest's writer, the insights answerer): one chat completion with a JSON-schema response
format, bounded retries with exponential backoff on transient failures only (timeouts, connection
errors, 408/409/429, 5xx; the `openai` client's own retries are off so the bound is ours), a
deadline over all of a call's attempts and waits, and a token budget counted from each reply's
`usage`. Every way it can fail ends in `LlmFailure`, whose `reason` is short enough to store beside
an answer ("timeout", "token budget exhausted").

The deadline is the caller's: each knows what bounds it (the classifier a push subscription's ack
deadline, insights the gateway's request deadline, the digest its tick's), so every call names the
instant it must end by. What is asked and how a reply is checked are the callers' too; this module
knows chat completions, not comments or digests.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
)

from shared.errors import TransientFailure

if TYPE_CHECKING:
    from shared.config import Settings

log = logging.getLogger(__name__)

# Endpoints on a laptop (Ollama, vLLM, a test server) need no key, but the client insists on one.
NO_KEY: Final = "no-key"
BACKOFF_SECONDS: Final = 0.5  # first wait; doubles per retry
BACKOFF_MAX_SECONDS: Final = 8.0  # also the most a server's Retry-After can make us wait
# An attempt with less time than this left before the deadline is not worth sending.
MIN_ATTEMPT_SECONDS: Final = 0.5
_TRANSIENT_STATUS: Final = frozenset({408, 409, 429})


class LlmFailure(TransientFailure, code="llm_unavailable", status=503):
    """The language model gave no usable answer; `reason` says why in a few words."""

    def __init__(self, reason: str, *, transient: bool = False, retry_after: float | None = None):
        super().__init__(f"llm: {reason}")
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after


class TokenBudget:
    """Tokens this process may still spend on the model, counted from each reply's `usage`.

    Checked before every request: once the total reaches the limit, no request is sent. A request
    in flight when the limit is crossed still counts, so the overshoot is at most one reply.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        return self._used

    @property
    def exhausted(self) -> bool:
        return self._used >= self.limit

    def charge(self, tokens: int) -> None:
        with self._lock:
            self._used += max(tokens, 0)


@dataclass(frozen=True, slots=True)
class LlmReply:
    """A reply's JSON object, the model that served it and the tokens it cost."""

    content: dict[str, Any]
    model: str
    tokens: int


class LlmClient:
    """One OpenAI-compatible endpoint and model, with bounded retries and a token budget."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        timeout_seconds: float,
        max_retries: int,
        budget: TokenBudget,
        backoff_seconds: float = BACKOFF_SECONDS,
        backoff_max_seconds: float = BACKOFF_MAX_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model = model
        self.max_retries = max_retries
        self.timeout_seconds = timeout_seconds
        self.clock = clock
        self.budget = budget
        self._backoff_seconds = backoff_seconds
        self._backoff_max_seconds = backoff_max_seconds
        self._sleep = sleep
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY,
            timeout=timeout_seconds,
            max_retries=0,
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        budget: TokenBudget | None = None,
        backoff_seconds: float = BACKOFF_SECONDS,
    ) -> LlmClient:
        """The client the `llm` settings group describes."""
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(
            base_url=settings.openai_base_url,
            api_key=key,
            model=settings.llm_model,
            timeout_seconds=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            budget=budget if budget is not None else TokenBudget(settings.llm_token_budget),
            backoff_seconds=backoff_seconds,
        )

    def deadline_in(self, seconds: float) -> float:
        """The instant, on `clock`, `seconds` from now: a `deadline` for `complete_json`."""
        return self.clock() + seconds

    def complete_json(
        self,
        *,
        system: str,
        user: str,
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
        deadline: float,
    ) -> LlmReply:
        """One JSON object from the model, shaped by `schema`; raises LlmFailure.

        Every attempt and wait ends by `deadline` (an instant of `clock`): an attempt gets only
        the time left, and no retry starts that could not end in time."""
        # The same request for every attempt; only its timeout shrinks as the deadline nears.
        request = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "strict": True, "schema": schema},
            },
            "max_completion_tokens": max_tokens,
        }
        retrying = Retrying(
            stop=lambda state: self._out_of_attempts_or_time(state, deadline),
            retry=retry_if_exception(lambda exc: isinstance(exc, LlmFailure) and exc.transient),
            wait=self._wait,
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        reply: LlmReply = retrying(
            self._complete_once, request, deadline, prompt_chars=len(system) + len(user)
        )
        return reply

    def _out_of_attempts_or_time(self, state: RetryCallState, deadline: float) -> bool:
        if state.attempt_number >= self.max_retries + 1:
            return True
        return self.clock() + self._wait(state) + MIN_ATTEMPT_SECONDS > deadline

    def _wait(self, state: RetryCallState) -> float:
        # Exponential backoff, or the server's Retry-After when it asks for longer; both capped.
        backoff = self._backoff_seconds * 2 ** (state.attempt_number - 1)
        outcome = state.outcome
        failure = outcome.exception() if outcome is not None else None
        if isinstance(failure, LlmFailure) and failure.retry_after is not None:
            backoff = max(backoff, failure.retry_after)
        return float(min(backoff, self._backoff_max_seconds))

    def _complete_once(
        self, request: dict[str, Any], deadline: float, *, prompt_chars: int
    ) -> LlmReply:
        if self.budget.exhausted:
            raise LlmFailure("token budget exhausted")
        left = deadline - self.clock()
        if left < MIN_ATTEMPT_SECONDS:
            # Transient: the same endpoint may answer a later call that has time.
            raise LlmFailure("deadline exceeded", transient=True)
        try:
            response = self._client.chat.completions.create(
                **request, timeout=min(self.timeout_seconds, left)
            )
        except openai.APITimeoutError as exc:
            raise LlmFailure("timeout", transient=True) from exc
        except openai.APIConnectionError as exc:
            raise LlmFailure("connection error", transient=True) from exc
        except openai.APIStatusError as exc:
            raise _status_failure(exc) from exc
        except openai.OpenAIError as exc:
            raise LlmFailure(f"invalid response ({type(exc).__name__})") from exc
        return self._read(response, prompt_chars=prompt_chars)

    def _read(self, response: Any, *, prompt_chars: int) -> LlmReply:
        try:
            usage = getattr(response, "usage", None)
            tokens = getattr(usage, "total_tokens", None)
            choice = response.choices[0]
            content = choice.message.content
            refusal = getattr(choice.message, "refusal", None)
            finish = choice.finish_reason
            model = str(response.model or self.model)
        except (AttributeError, IndexError, TypeError) as exc:
            # A body that is not a chat completion; it may still have cost tokens we cannot see.
            raise LlmFailure("invalid response (not a chat completion)") from exc
        if not isinstance(tokens, int):
            # No usage reported: charge a conservative estimate (about 3 characters a token).
            tokens = (prompt_chars + len(content or "")) // 3 + 1
        self.budget.charge(tokens)
        if refusal:
            raise LlmFailure("refused")
        if finish == "length":
            raise LlmFailure("reply truncated (output token limit)")
        if not content:
            raise LlmFailure("empty reply")
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise LlmFailure("malformed JSON") from exc
        if not isinstance(data, dict):
            raise LlmFailure("malformed JSON (not an object)")
        return LlmReply(content=data, model=model, tokens=tokens)


def _status_failure(exc: openai.APIStatusError) -> LlmFailure:
    status = exc.status_code
    if status == 429:
        return LlmFailure("rate limited", transient=True, retry_after=_retry_after(exc))
    if status >= 500:
        return LlmFailure(f"server error {status}", transient=True, retry_after=_retry_after(exc))
    return LlmFailure(f"http {status}", transient=status in _TRANSIENT_STATUS)


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date; the exponential backoff is close enough
    return seconds if seconds is not None and seconds >= 0 else None


def _log_retry(state: RetryCallState) -> None:
    outcome = state.outcome
    failure = outcome.exception() if outcome is not None else None
    reason = failure.reason if isinstance(failure, LlmFailure) else repr(failure)
    log.warning(
        "llm request failed, retrying",
        extra={"llm_reason": reason, "llm_attempt": state.attempt_number},
    )
