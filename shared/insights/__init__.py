"""Insights: plain-language questions answered from the stored weekly digests.

`answer_question` is the one call the HTTP function makes: it reads up to the last 8 digests (or
the weeks asked for), refuses with `NotEnoughDigests` (409) when fewer than 3 are stored, and
answers offline (`answerer.answer_offline`) or, with `INSIGHTS_ANSWERER=llm` and a model
configured, through the model with the offline answer as the fallback.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.insights.answerer import Answer, Context, answer_offline
    from shared.insights.digests import Passage
    from shared.insights.service import (
        MIN_DIGESTS,
        NotEnoughDigests,
        QuestionIn,
        answer_question,
        ask,
        parse_question,
    )

# The package's names are loaded on first use: the digest and the themes import
# `shared.insights.text` alone, and loading the answerer with it cost their commands and cold
# starts about 0.3 s.
_HOMES = {
    "Answer": "answerer",
    "Context": "answerer",
    "answer_offline": "answerer",
    "Passage": "digests",
    "MIN_DIGESTS": "service",
    "NotEnoughDigests": "service",
    "QuestionIn": "service",
    "answer_question": "service",
    "ask": "service",
    "parse_question": "service",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "MIN_DIGESTS",
    "Answer",
    "Context",
    "NotEnoughDigests",
    "Passage",
    "QuestionIn",
    "answer_offline",
    "answer_question",
    "ask",
    "parse_question",
]
