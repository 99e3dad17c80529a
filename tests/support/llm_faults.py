"""A language-model endpoint that fails or hangs, and how long a caller may take to give up on it.

Shared by the fault tests of every path that may call the model (classifier, digest writer,
insights): the allowed time is what the settings allow, every attempt's timeout plus the backoff
between attempts; the margin is generous (a loaded machine), and far below the hang, so only a
missing deadline can fail a test.
"""

from __future__ import annotations

from shared.llm import BACKOFF_MAX_SECONDS, BACKOFF_SECONDS
from tests.support.openai_loopback import Reply, chat_completion

TIMEOUT_SECONDS = 0.5
MAX_RETRIES = 1
HANG_SECONDS = 120.0
MARGIN_SECONDS = 30.0

HANGING = Reply(body=chat_completion("{}"), delay_seconds=HANG_SECONDS)
FAILING = Reply(status=500, body={"error": {"message": "down"}})


def allowed_seconds(timeout: float = TIMEOUT_SECONDS, retries: int = MAX_RETRIES) -> float:
    backoffs = sum(min(BACKOFF_SECONDS * 2.0**n, BACKOFF_MAX_SECONDS) for n in range(retries))
    return (retries + 1) * timeout + backoffs
