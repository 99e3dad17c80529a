"""The insights use case: validate a question, read the digests, answer (offline or via the model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final

from shared.decoding import decode_json
from shared.digest.store import Digest, digests_of_weeks, recent_digests
from shared.errors import DomainError, InvalidInput
from shared.insights.answerer import MAX_DIGESTS, Answer, Context, answer_offline, refuse_period
from shared.timezone import IsoWeek, local_day

if TYPE_CHECKING:
    from shared.bootstrap import App
    from shared.llm import LlmClient

MIN_DIGESTS: Final = 3
# "When", "the most", "compare" and "trend" questions look at every covered week: the answerer
# reads up to this many (two years of weekly digests), general questions the latest 8 of them.
MAX_HISTORY: Final = 104


class NotEnoughDigests(DomainError, code="not_enough_digests", status=409):
    """Fewer than 3 weekly digests are stored: too little history to answer from (409: the
    request is fine, the product's state does not allow it yet)."""


@dataclass(frozen=True, slots=True)
class QuestionIn:
    pergunta: str
    semanas: int | tuple[str, ...] | None = None


def parse_question(body: bytes, *, max_chars: int) -> QuestionIn:
    """`{"pergunta": str, "semanas": optional int 1..8 or list of "YYYY-Www"}`; InvalidInput else."""
    data = decode_json(body)
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object with a 'pergunta'")
    unknown = sorted(set(data) - {"pergunta", "semanas"})
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(unknown)}", details={"fields": unknown})
    pergunta = data.get("pergunta")
    if not isinstance(pergunta, str):
        raise InvalidInput("'pergunta' must be a string")
    # The limit is on what was sent, as documented: padding is not free just because it is
    # stripped afterwards.
    if len(pergunta) > max_chars:
        raise InvalidInput(
            f"'pergunta' is longer than {max_chars} characters", details={"limit": max_chars}
        )
    pergunta = pergunta.strip()
    if not pergunta:
        raise InvalidInput("'pergunta' must not be empty")
    return QuestionIn(pergunta, _parse_weeks(data.get("semanas")))


def _parse_weeks(value: Any) -> int | tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput("'semanas' must be a number of weeks or a list of ISO weeks")
    if isinstance(value, int):
        if not 1 <= value <= MAX_DIGESTS:
            raise InvalidInput(f"'semanas' must be between 1 and {MAX_DIGESTS}")
        return value
    if isinstance(value, list):
        if not value or len(value) > MAX_DIGESTS:
            raise InvalidInput(f"'semanas' must list 1 to {MAX_DIGESTS} ISO weeks")
        if not all(_is_iso_week(week) for week in value):
            raise InvalidInput("'semanas' items must be ISO weeks such as \"2026-W47\"")
        return tuple(sorted(set(value)))
    raise InvalidInput("'semanas' must be a number of weeks or a list of ISO weeks")


def _is_iso_week(value: object) -> bool:
    """`value` is a week that exists, written exactly as digests name theirs (`2026-W47`)."""
    try:
        return isinstance(value, str) and str(IsoWeek.parse(value)) == value
    except InvalidInput:
        return False


def ask(
    question: str,
    digests: Sequence[Digest],
    *,
    today: date,
    semanas: int | tuple[str, ...] | None = None,
    llm: LlmClient | None = None,
) -> Answer:
    """The answer from `digests` (the stored ones, at least 3); `semanas` narrows them (then at
    most the last 8 of them are read, as before)."""
    if len(digests) < MIN_DIGESTS:
        raise NotEnoughDigests(
            f"insights need at least {MIN_DIGESTS} stored weekly digests; "
            f"{len(digests)} stored so far",
            details={"stored": len(digests), "required": MIN_DIGESTS},
        )
    chosen = sorted(digests, key=lambda d: d.semana)[-MAX_HISTORY:]
    if isinstance(semanas, int):
        chosen = chosen[-semanas:]
    elif semanas is not None:
        chosen = [d for d in chosen if d.semana in semanas][-MAX_DIGESTS:]
    if not chosen:
        # Weeks asked for with no digest: the answerer says which weeks it does have.
        requested = semanas if isinstance(semanas, tuple) else ()
        return refuse_period(question, Context.of(digests), requested)
    context = Context.of(chosen)
    offline = answer_offline(question, context, today)
    if llm is None:
        return offline
    from shared.insights.llm_answerer import answer_with_llm

    return answer_with_llm(llm, question, context, offline)


def answer_question(app: App, request: QuestionIn, *, now: datetime | None = None) -> Answer:
    """The use case behind `POST /api/insights/perguntar`."""
    settings = app.settings
    today = local_day(now or datetime.now(UTC), settings.product_zone)
    stored: Sequence[Digest] = recent_digests(app.engine, MAX_HISTORY)
    if len(stored) >= MIN_DIGESTS and isinstance(request.semanas, tuple):
        stored = _merge(stored, digests_of_weeks(app.engine, request.semanas))
    llm = app.llm if settings.insights_answerer == "llm" else None
    return ask(request.pergunta, stored, today=today, semanas=request.semanas, llm=llm)


def _merge(first: Sequence[Digest], second: Sequence[Digest]) -> list[Digest]:
    by_week = {d.semana: d for d in [*first, *second]}
    return [by_week[week] for week in sorted(by_week)]
