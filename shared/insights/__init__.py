"""Insights: plain-language questions answered from the stored weekly digests.

`answer_question` is the one call the HTTP function makes: it reads up to the last 8 digests (or
the weeks asked for), refuses with `NotEnoughDigests` (409) when fewer than 3 are stored, and
answers offline (`answerer.answer_offline`) or, with `INSIGHTS_ANSWERER=llm` and a model
configured, through the model with the offline answer as the fallback.
"""

from __future__ import annotations

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
