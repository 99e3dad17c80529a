"""The offline answerer: a question and the stored digests in, a short grounded answer out.

Pipeline: language and period of the question, what it asks (`understanding`), the weeks in scope
(the period it names, intersected with the digests at hand; by default the latest week for
week-level questions, every week for questions about change or a subject), then the passages that
hold the facts (chosen by the stats they render, ranked by BM25 where several could serve), and an
answer composed from those passages' numbers only. Every passage used is cited; nothing is computed
that the digests do not hold, except a clearly labelled sum of weekly totals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from itertools import islice
from typing import Any, Final

from shared.digest.store import Digest
from shared.digest.vocabulary import tag_name
from shared.insights.digests import Passage, digest_passages, fmt, signed
from shared.insights.periods import MONTHS, Period, parse_period
from shared.insights.retrieval import Bm25Index, expand
from shared.insights.text import detect_language, fold, normalise_question, stem, terms, words
from shared.insights.understanding import Understanding, understand
from shared.numbers import Language, format_number
from shared.timezone import IsoWeek

MAX_WORDS: Final = 150
MAX_DIGESTS: Final = 8

CATEGORY_EN: Final = {
    "ELOGIO": "praise",
    "CRÍTICA": "criticism",
    "SUGESTÃO": "suggestions",
    "DÚVIDA": "questions",
    "SPAM": "spam",
}


@dataclass(frozen=True, slots=True)
class Answer:
    resposta: str
    semanas: tuple[str, ...]
    fontes: tuple[Passage, ...]
    suportada: bool
    language: Language = "pt"
    reason: str = ""  # why it is unsupported (metric, future, off_topic, period, absent...)
    answerer: str = "offline"
    fallback_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        fontes: list[dict[str, Any]] = []
        for passage in self.fontes:
            item: dict[str, Any] = {
                "semana": passage.semana,
                "trecho": passage.text,
                "id": passage.id,
            }
            if passage.comment_ids:
                item["comentarios"] = list(passage.comment_ids)
            fontes.append(item)
        body: dict[str, Any] = {
            "resposta": self.resposta,
            "semanas": list(self.semanas),
            "fontes": fontes,
            "suportada": self.suportada,
            "idioma": self.language,
            "respondido_por": self.answerer,
        }
        if self.fallback_reason:
            body["fallback_reason"] = self.fallback_reason
        return body


@dataclass
class _Draft:
    """An answer being composed: sentences and the passages they rest on."""

    lang: Language
    sentences: list[str] = field(default_factory=list)
    cited: list[Passage] = field(default_factory=list)
    # The two periods a comparison names ("outubro com novembro"), each its ISO weeks.
    groups: tuple[tuple[str, ...], ...] = ()
    # Whether the question named its weeks ("das últimas 6", "em dezembro"): a "which week"
    # answer then cites every week it ranked; over all stored weeks, only the week it names.
    period_named: bool = False
    # A span asked about in words ("the quarter", "every week"), though it names no week.
    span_named: bool = False

    def ranked(self, *passages: Passage) -> tuple[Passage, ...]:
        """The passages a ranking compared, when the question named the weeks ranked."""
        return passages if self.period_named else ()

    def span(self, weeks: Sequence[str]) -> str:
        """The weeks a ranking compared, as the answer names them: the period asked for, or "the
        stored weeks" (their ids would be figures no cited passage holds)."""
        if self.period_named:
            return _weeks_text(weeks)
        return self.t("as semanas guardadas", "the stored weeks")

    def t(self, pt: str, en: str) -> str:
        return pt if self.lang == "pt" else en

    def phrase(self, name: str, passage: Passage | None = None, **words: object) -> str:
        """The phrasing `name` of `_PHRASES` in the answer's language, filled as `fill` fills."""
        return self.fill(self.t(*_PHRASES[name]), passage, **words)

    def fill(self, template: str, passage: Passage | None = None, **words: object) -> str:
        """`template` with each `{name}` filled from `words`, else from `passage`: its `semana`, its
        `key`, the category as the answer names it (`cat`), a note when its move is significant
        (`significance`), or the figure of that name in its data, written as `figure` writes it."""
        fields = _Fields(self, passage)
        fields.update(words)
        return template.format_map(fields)

    def figure(self, name: str, value: Any) -> str:
        """A digest figure as answers write it: shares in %, moves signed (in points for a share),
        counts and factors plain."""
        if name in {"percentual", "percentual_anterior"}:
            return format_number(value, self.lang, grouped=False, unit="%")
        if name == "variacao_pontos":
            return format_number(value, self.lang, grouped=False, plus=True, unit="pp")
        if name == "variacao_percentual":
            return format_number(value, self.lang, grouped=False, plus=True, unit="%")
        if name == "variacao":
            return signed(value, self.lang)
        return fmt(value, self.lang)

    def cat(self, categoria: str) -> str:
        """The category as the digests name it; English answers add its English name."""
        if self.lang == "pt":
            return categoria
        return f"{categoria} ({CATEGORY_EN.get(categoria, categoria)})"

    def subject(self, passage: Passage) -> str:
        """What a passage is about, in words: a tag by its name in the answer's language, a
        category as `cat` names it."""
        if passage.kind == "categoria":
            return self.cat(passage.key)
        if passage.key:
            return tag_name(passage.key, self.lang)
        return ""

    def count(self, value: Any, pt: tuple[str, str], en: tuple[str, str]) -> str:
        """`value` and its noun, singular for exactly one ("1 comentário", "2 comentários")."""
        one, many = pt if self.lang == "pt" else en
        return f"{self.figure('total', value)} {one if value == 1 else many}"

    def cite(self, *passages: Passage) -> None:
        for passage in passages:
            if passage not in self.cited:
                self.cited.append(passage)

    def say(self, sentence: str, *passages: Passage) -> bool:
        """Adds the sentence when it fits the word budget; False (and nothing cited) otherwise."""
        if _word_count(" ".join([*self.sentences, sentence])) > MAX_WORDS:
            return False
        # A sentence may open with a tag's name ("travamentos: ..."): sentences start capitalised.
        self.sentences.append(sentence[:1].upper() + sentence[1:])
        self.cite(*passages)
        return True

    def text(self) -> str:
        return " ".join(self.sentences)


class _Fields(dict[str, object]):
    """The values of a phrasing's `{name}`s (see `_Draft.fill`); a figure is read when asked for."""

    def __init__(self, draft: _Draft, passage: Passage | None) -> None:
        super().__init__()
        self.draft = draft
        self.passage = passage
        if passage is not None:
            significant = passage.data.get("significativa")
            total = passage.data.get("total")
            points = passage.data.get("variacao_pontos")
            self.update(
                semana=passage.semana,
                key=passage.key,
                name=draft.subject(passage),
                cat=draft.cat(passage.key),
                significance=draft.t(", significativa", ", significant") if significant else "",
                n_comments=draft.count(
                    total, ("comentário", "comentários"), ("comment", "comments")
                ),
                n_mentions=draft.count(total, ("menção", "menções"), ("mention", "mentions")),
                pontos=format_number(
                    abs(points) if isinstance(points, int | float) else points,
                    draft.lang,
                    grouped=False,
                    unit="pp",
                ),
            )

    def __missing__(self, name: str) -> str:
        if self.passage is None:
            raise KeyError(name)
        return self.draft.figure(name, self.passage.data.get(name))


def _word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Context:
    """The digests at hand (oldest first) and their passages, found by week and kind; the BM25
    index is built only when a question needs it (two years of digests are many passages)."""

    digests: tuple[Digest, ...]
    passages: tuple[Passage, ...]
    by_week_kind: dict[tuple[str, str], list[Passage]] = field(default_factory=dict)

    @classmethod
    def of(cls, digests: Sequence[Digest]) -> Context:
        ordered = tuple(sorted(digests, key=lambda d: d.semana))
        passages = tuple(p for d in ordered for p in _passages_of(d))
        by_week_kind: dict[tuple[str, str], list[Passage]] = {}
        for passage in passages:
            by_week_kind.setdefault((passage.semana, passage.kind), []).append(passage)
        return cls(ordered, passages, by_week_kind)

    @cached_property
    def index(self) -> Bm25Index:
        return Bm25Index(self.passages)

    @property
    def weeks(self) -> tuple[str, ...]:
        return tuple(d.semana for d in self.digests)

    def dates(self, week: str, lang: Language = "pt") -> str:
        """The week as people name it: ISO week and its Monday..Sunday, as its digest writes them."""
        total = self.one(week, "total")
        if total is None:
            return week
        found = re.search(r"\((\d\d/\d\d/\d{4} a \d\d/\d\d/\d{4})\)", total.text)
        if not found:
            return week
        return f"{week} ({found[1] if lang == 'pt' else found[1].replace(' a ', ' to ')})"

    def find(self, week: str, kind: str, key: str = "") -> list[Passage]:
        found = self.by_week_kind.get((week, kind), [])
        return [p for p in found if p.key == key] if key else list(found)

    def one(self, week: str, kind: str, key: str = "") -> Passage | None:
        found = self.find(week, kind, key)
        return found[0] if found else None


# A digest's passages cost milliseconds (each prose sentence is checked against the listeners'
# words) and a stored digest rarely changes: they are kept by the digest's content, so a question
# over two years of digests costs what one over a few weeks did.
_PASSAGE_CACHE: dict[tuple[str, str, str], tuple[Passage, ...]] = {}
_PASSAGE_CACHE_SIZE: Final = 1024


def _passages_of(digest: Digest) -> tuple[Passage, ...]:
    key = (digest.semana, digest.texto, json.dumps(digest.stats, sort_keys=True, default=str))
    found = _PASSAGE_CACHE.get(key)
    if found is None:
        if len(_PASSAGE_CACHE) >= _PASSAGE_CACHE_SIZE:
            _PASSAGE_CACHE.clear()
        found = _PASSAGE_CACHE[key] = tuple(digest_passages(digest))
    return found


# --- entry --------------------------------------------------------------------------------------


def answer_offline(question: str, context: Context, today: date) -> Answer:
    """The grounded answer to `question` from the digests of `context`."""
    question = normalise_question(question)
    lang = detect_language(question)
    draft = _Draft(lang)
    understood = understand(question)
    period = parse_period(question, today)
    if understood.refusal == "off_topic" and period.weeks and _only_periods(question):
        # "outubro x novembro", "e a semana 45?": nothing but periods, so the periods are asked
        # about: side by side when the question joins two, else summarised.
        two = next(_sides(question, today), None) is not None
        understood = replace(understood, intent="compare" if two else "summary", refusal=None)
    if understood.refusal is not None:
        return _refuse(draft, understood.refusal, context, understood)
    if period.future and not any(w in context.weeks for w in period.weeks or ()):
        return _refuse(draft, "future", context, understood)
    closed_note = ""
    relative = False  # the weeks named were moved back with "this week"
    latest = context.weeks[-1]
    named = period.weeks or ()
    if (
        period.current
        and len(named) > 1
        and any(w > latest for w in named)
        and any(w in context.weeks for w in named)
        and not re.search(r"\d", question)  # every week named relative to this one
    ):
        # "Essa semana vs a passada" while this week is open: "this week" is the last closed one
        # (as when it is asked alone), so every week named moves back with it.
        lag = _weeks_between(latest, max(named))
        shifted = tuple(str(IsoWeek.parse(w).shifted(-lag)) for w in named)
        closed_note = draft.t(
            "A semana atual ainda não terminou e não tem digest; esta resposta lê como semana atual "
            f"a última semana fechada, {latest}.",
            "This week has not ended and has no digest yet; this answer reads the last closed "
            f"week, {latest}, as this week.",
        )
        period = replace(period, weeks=shifted, current=False)
        relative = True
    if period.current and period.weeks and not any(w in context.weeks for w in period.weeks):
        # "Essa semana" while the week is still open: its digest is written once it closes, so
        # the answer is about the last closed week, and says so.
        latest = context.weeks[-1]
        if all(w > latest for w in period.weeks):
            closed_note = draft.t(
                "A semana atual ainda não terminou e não tem digest; esta resposta é sobre a "
                f"última semana fechada, {latest}.",
                "This week has not ended and has no digest yet; this answer is about the last "
                f"closed week, {latest}.",
            )
            period = replace(period, weeks=(latest,), current=False)
    if _DATA_EDGES.search(fold(question)) and set(period.weeks or ()) <= {context.weeks[-1]}:
        # "first week vs last week" with no month: the first and the latest stored weeks.
        period = replace(period, weeks=(context.weeks[0], context.weeks[-1]), current=False)
    weeks, missing = _scope(understood, period, context)
    draft.period_named = bool(period.weeks)
    draft.span_named = bool(period.weeks) or period.every
    if understood.intent == "compare" and not relative:
        # "Semana 39 ou 40?" with no digest for 39: one side of the comparison is missing.
        uncovered = missing if understood.either else _uncovered_side(question, today, context)
        if uncovered:
            return _refuse(draft, "period", context, understood, requested=uncovered)
        draft.groups = _compared_periods(question, today, context)
    if not weeks:
        return _refuse(draft, "period", context, understood, requested=period.weeks or ())
    if closed_note:
        draft.sentences.append(closed_note)
    assert understood.intent is not None
    compose = _COMPOSERS[understood.intent]
    threshold = _THRESHOLD.search(fold(question)) if understood.categories else None
    if threshold and not understood.tags:
        # "when did praise first pass 50%?": the week a category's share crossed a level.
        supported = _compose_threshold(draft, understood.categories[0], threshold, weeks, context)
    else:
        supported = compose(draft, understood, weeks, context, question)
    if (not supported or not draft.sentences) and understood.intent == "topic":
        # The subject as the question words it ("the festival stream's sound") may be no tag the
        # digests list, yet be what listeners' quoted words under one listed tag talk about.
        quoted = _subject_in_quotes(question, weeks, context)
        if quoted:
            draft.sentences.clear()
            understood = replace(understood, tags=(quoted,))
            supported = compose(draft, understood, weeks, context, question)
    if not supported or not draft.sentences:
        return _refuse(draft, "absent", context, understood, checked=weeks)
    if missing:
        # A long period ("segundo semestre", "em 2026") is answered for its covered weeks, and
        # the weeks without a digest are named as runs.
        listed = ", ".join(_runs(missing))
        note = draft.t(f"Sem digest para {listed}.", f"No digest for {listed}.")
        if _word_count(draft.text() + " " + note) <= MAX_WORDS:
            draft.sentences.append(note)
    used = tuple(sorted({p.semana for p in draft.cited}))
    return Answer(draft.text(), used, tuple(draft.cited), True, lang)


# The first week against the last, with no month named: the edges of the stored weeks.
_DATA_EDGES: Final = re.compile(
    r"\b(first|primeira|1a|1st) (week|semana)\b.{0,40}\b(last|latest|ultima|final)( (week|semana))?\b"
    r"(?! (de|do|of|in|em|month|mes|year|ano|quarter|trimestre)\b)|\b(last|latest|ultima) (week|semana)\b.{0,40}\b(first|primeira)"
    r"( (week|semana))?\b(?! (de|do|of|in|em|month|mes|year|ano|quarter|trimestre)\b)"
)


def _weeks_between(earlier: str, later: str) -> int:
    """How many weeks `later` is after `earlier`."""
    first, last = IsoWeek.parse(earlier), IsoWeek.parse(later)
    return (last.monday - first.monday).days // 7


# Words a question made only of periods may hold besides them.
_PERIOD_ONLY: Final = re.compile(
    r"\b(e|and|ou|or|x|vs|versus|com|with|contra|against|a|o|as|os|the|em|in|na|no|de|do|da|of|"
    r"semanas?|weeks?|w|mes|month|passad[ao]|last|anterior|previous|retrasada|before|ultim[ao]s?|"
    r"past|esta|essa|this|que|tal|how|about|what|sobre|compar\w*|sem|y|\d+|inicio|comeco|fim|"
    r"final|start|end|beginning|early|late|half|metade|quinzena|primeira|segunda|first|second|"
    r"ano|year|so far|ate agora|now|agora|festas|holidays|natal|christmas|reveillon|new|novo|"
    r"were|was|is|did|go|went|foi|foram|como|and|then|we|get|got|have|had|tivemos|temos|teve|"
    r"tem|rolou|happened|aconteceu|ha|houve|there|o que|que|esta|ta|"
    # Where in a month a date falls, and the day that names a week ("semana do dia 30/06").
    r"comecinho|inicinho|finalzinho|fimzinho|meio|meados|mid|middle|around|la|pelo|dia|day|"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b"
)


def _only_periods(question: str) -> bool:
    """Whether `question` says nothing but periods and the words joining them."""
    return not re.sub(r"[\W_]+", "", _PERIOD_ONLY.sub(" ", fold(question)))


def _runs(weeks: Sequence[str]) -> list[str]:
    """Weeks as runs of consecutive ISO weeks: "2026-W27–2026-W39", or a lone week."""
    runs: list[list[IsoWeek]] = []
    for week in sorted(IsoWeek.parse(w) for w in weeks):
        if runs and runs[-1][-1].shifted(1) == week:
            runs[-1].append(week)
        else:
            runs.append([week])
    return [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]


def refuse_period(question: str, context: Context, requested: Sequence[str]) -> Answer:
    """The answer when the weeks asked for (the request's `semanas`) have no digest."""
    draft = _Draft(detect_language(question))
    return _refuse(draft, "period", context, understand(question), requested=requested)


def _scope(
    understood: Understanding, period: Period, context: Context
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The weeks to answer from, and the weeks asked for that have no digest."""
    available = context.weeks
    if period.weeks:
        covered = tuple(w for w in period.weeks if w in available)
        missing = tuple(w for w in period.weeks if w not in available)
        return covered, missing if covered else ()
    latest = available[-MAX_DIGESTS:]
    u = understood
    # "When", "the most", "compare" and "trend" questions look at every covered week.
    if (
        u.when
        or u.superlative
        or u.apart
        or period.every
        or (u.peak and u.intent in {"topic", "spikes"})
    ):
        return available, ()
    if u.intent in {"trend", "compare"}:
        return available, ()
    lists = {"complaints", "suggestions", "improvements"}
    if u.intent in lists and (u.most or u.least or u.single) and not period.recent:
        return available, ()  # "the most mentioned complaint": over every stored week
    if u.intent == "topic":
        # What is said about a subject: every week that lists it ("lately": the latest 8).
        return (latest if period.recent else available), ()
    if u.intent == "summary" and u.general:
        # "Como estão as coisas?": the latest digest; "lately", "nas últimas semanas": a month,
        # unless the news is asked for ("any news lately?", "the headline"): the newest week.
        return (latest[-4:] if period.recent and not u.news else latest[-1:]), ()
    wide = period.recent
    if u.intent in {"complaints", "suggestions", "improvements"} and (period.recent or u.most):
        wide = True
    if u.significant:
        wide = True
    if u.intent == "total" and u.trend:
        wide = True
    return (latest if wide else latest[-1:]), ()


# A share crossing a level: "passou de 50%", "first went above 40%", "dropped below 20%".
_THRESHOLD: Final = re.compile(
    r"\b(?:(pass\w*|cross\w*|exceed\w*|topp?(?:ed)?|(?:go|goes|went|rise|rose|get|got) above|"
    r"reach\w*|hit|passou|passaram|ultrapass\w*|superou|chegou a|atingiu|bateu|acima de|above|over)"
    r"|((?:drop\w*|fell|fall\w*|go|goes|went|dip\w*|sank|sink\w*|get|got) (?:below|under)|"
    r"caiu (?:abaixo de|para menos de|pra menos de)|ficou abaixo de|abaixo de|below|under|"
    r"menos de))\s+(?:de\s+|of\s+|the\s+|os\s+|a\s+)?(\d+(?:[.,]\d+)?)\s*(?:%|por cento|percent)"
)


def _compose_threshold(
    draft: _Draft, category: str, match: re.Match[str], weeks: Sequence[str], ctx: Context
) -> bool:
    """The first week a category's share crossed the level asked, from the other side (the week
    before's share, as the digest states it), or that it never did in the weeks read."""
    level = float(match[3].replace(",", "."))
    above = match[2] is None
    shown = format_number(level, draft.lang, grouped=False, unit="%")
    passages = [p for w in weeks for p in ctx.find(w, "categoria", category)]
    for passage in passages:
        share, before = passage.data.get("percentual"), passage.data.get("percentual_anterior")
        if not isinstance(share, int | float) or not isinstance(before, int | float):
            continue
        crossed = (share > level >= before) if above else (share < level <= before)
        if crossed:
            dated = ctx.find(passage.semana, "total")
            template = draft.t(
                "{cat} "
                + ("passou de " if above else "ficou abaixo de ")
                + f"{shown} pela primeira vez em {ctx.dates(passage.semana, 'pt')}: {{percentual}}"
                " ({total} comentários), vindo de {percentual_anterior} na semana anterior.",
                "{cat} first went "
                + ("above " if above else "below ")
                + f"{shown} in {ctx.dates(passage.semana, 'en')}: {{percentual}} ({{total}} "
                "comments), from {percentual_anterior} the week before.",
            )
            return draft.say(draft.fill(template, passage), passage, *dated)
    if not passages:
        return False
    template = draft.t(
        "{cat} não " + ("passou de " if above else "ficou abaixo de ") + f"{shown} em "
        f"{_weeks_text(weeks)}.",
        "{cat} never went " + ("above " if above else "below ") + f"{shown} in "
        f"{_weeks_text(weeks)}.",
    )
    return draft.say(draft.fill(template, passages[0]), *passages)


# --- refusals -----------------------------------------------------------------------------------


def _refuse(
    draft: _Draft,
    reason: str,
    context: Context,
    understood: Understanding,
    *,
    requested: Sequence[str] = (),
    checked: Sequence[str] = (),
) -> Answer:
    first, last = (context.weeks[0], context.weeks[-1]) if context.weeks else ("", "")
    what = ", ".join(tag_name(t, draft.lang) for t in understood.tags) or ", ".join(
        understood.categories
    )
    messages: dict[str, tuple[str, str]] = {
        "metric": (
            "Os digests semanais não medem isso: eles trazem só contagens e percentuais de "
            "comentários por categoria, críticas recorrentes, sugestões, tags em alta, dúvidas "
            "abertas e revisões; não há receita, streams, notas, sentimento, público ou artistas.",
            "The weekly digests do not measure that: they only hold comment counts and shares per "
            "category, recurring criticisms, suggestions, spiking tags, open questions and "
            "reviews; there is no revenue, streams, ratings, sentiment, audience or artist data.",
        ),
        "future": (
            "Os digests descrevem semanas que já passaram; não fazem previsões, então não posso "
            "responder sobre o futuro.",
            "The digests describe weeks that have ended; they make no predictions, so I cannot "
            "answer about the future.",
        ),
        "off_topic": (
            "Os digests semanais de comentários não tratam desse assunto; pergunte sobre "
            "categorias, críticas, sugestões, tags ou volumes de comentários.",
            "The weekly comment digests do not cover that; ask about categories, criticisms, "
            "suggestions, tags or comment volumes.",
        ),
        "unclear": (
            "Não sei a que isso se refere: diga o assunto (uma categoria, crítica, sugestão ou "
            "tag) ou o período, e eu respondo com os digests semanais.",
            "I cannot tell what that refers to: name the subject (a category, criticism, "
            "suggestion or tag) or the period, and I will answer from the weekly digests.",
        ),
        "entity": (
            f"Os digests não trazem dados sobre {understood.unknown_tag}: só contagens de "
            f"comentários por categoria e por tag de funcionalidade, sem artistas, músicas ou pessoas.",
            f"The digests hold no data about {understood.unknown_tag}: only comment counts per "
            f"category and per feature tag, no artists, songs or people.",
        ),
        "person": (
            "Os digests semanais guardam só comentários de ouvintes somados por semana, categoria "
            "e tag (contagens, críticas recorrentes, sugestões, dúvidas); não guardam o que um "
            "usuário escreveu, quem comentou mais, nem a opinião de uma pessoa ou cargo.",
            "The weekly digests only hold listeners' comments summed by week, category and tag "
            "(counts, recurring criticisms, suggestions, questions); they do not hold what one "
            "user wrote, who commented most, or the view of a named person or role.",
        ),
        "unknown_tag": (
            f"A tag {understood.unknown_tag} não existe na taxonomia, e os digests não a cobrem.",
            f"The tag {understood.unknown_tag} is not in the taxonomy, and the digests do not "
            f"cover it.",
        ),
        "period": (
            f"Não há digest para {_weeks_text(requested) or 'esse período'}; os digests "
            f"guardados cobrem de {first} a {last}.",
            f"There is no digest for {_weeks_text(requested) or 'that period'}; the stored "
            f"digests cover {first} to {last}.",
        ),
        "absent": (
            f"Os digests de {_weeks_text(checked)} não registram {what or 'isso'} entre as "
            f"categorias, críticas recorrentes, sugestões relevantes ou tags em alta.",
            f"The digests of {_weeks_text(checked)} do not record {what or 'that'} among the "
            f"categories, recurring criticisms, relevant suggestions or spiking tags.",
        ),
    }
    pt, en = messages[reason]
    if reason == "metric" and understood.not_held:
        held_pt, held_en = understood.not_held
        pt = pt.replace("não medem isso", f"não guardam {held_pt}", 1)
        en = en.replace("do not measure that", f"do not hold {held_en}", 1)
    return Answer(draft.t(pt, en), (), (), False, draft.lang, reason)


# Question words too common to tie a question to a listed subject's quotes.
_GENERIC_TERMS: Final = frozenset(
    terms(
        "people pessoal galera gente say said saying falou falaram disse dizendo week weeks semana "
        "semanas comment comments comentario comentarios listener listeners ouvinte ouvintes user "
        "users usuario usuarios about sobre what que which qual when quando teve had have there"
    )
)


def _subject_in_quotes(question: str, weeks: Sequence[str], context: Context) -> str:
    """The one listed subject whose quoted listeners' words share at least two of the question's
    words; "" when none does, or when two subjects tie."""
    asked = {t for t in terms(question) if len(t) > 2 and not t.isdigit()} - _GENERIC_TERMS
    scores: dict[str, int] = {}
    for week in weeks:
        for kind in ("critica", "sugestao", "duvida", "alta"):
            for passage in context.find(week, kind):
                said = {t for quote in passage.quotes for t in terms(quote)}
                shared = len(asked & said)
                if passage.key and shared > scores.get(passage.key, 0):
                    scores[passage.key] = shared
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return ""
    return ranked[0][0]


def _weeks_text(weeks: Sequence[str]) -> str:
    weeks = sorted(weeks)
    if len(weeks) > 3:
        return f"{weeks[0]}–{weeks[-1]}"
    return ", ".join(weeks)


# --- composing ----------------------------------------------------------------------------------

# The answers' phrasings, Portuguese and English; `_Draft.fill` says what fills each `{name}`.
_PHRASES: Final[dict[str, tuple[str, str]]] = {
    "movement": (
        "{variacao_pontos} (de {percentual_anterior} para {percentual}; de {total_anterior} para {total} comentários{significance})",
        "{variacao_pontos} (from {percentual_anterior} to {percentual}; from {total_anterior} to {total} comments{significance})",
    ),
    "volume": (", {variacao_percentual} em volume", ", {variacao_percentual} in volume"),
    "week_move": (
        "{semana} ({pontos}, para {percentual}{significance})",
        "{semana} ({pontos}, to {percentual}{significance})",
    ),
    "movement_abs": (
        "{pontos} (de {percentual_anterior} para {percentual}; de {total_anterior} para {total} comentários{significance})",
        "{pontos} (from {percentual_anterior} to {percentual}; from {total_anterior} to {total} comments{significance})",
    ),
    "none_significant": (
        "Sem mudança significativa em nenhuma categoria (teste de duas proporções, p < 0,05) em {weeks}.",
        "No significant change in any category (two-proportion test, p < 0.05) in {weeks}.",
    ),
    "significant_move": (
        "{semana} {cat} {variacao_pontos} (para {percentual}, p = {p_valor})",
        "{semana} {cat} {variacao_pontos} (to {percentual}, p = {p_valor})",
    ),
    "significant_one": ("Variação significativa (p < 0,05): ", "Significant change (p < 0.05): "),
    "significant_many": (
        "Variações significativas (p < 0,05): ",
        "Significant changes (p < 0.05): ",
    ),
    "extreme_share": (
        "Entre {weeks}, {cat} teve a {most} participação em {when}: {percentual} ({n_comments}).",
        "Across {weeks}, {cat} had its {most} share in {when}: {percentual} ({n_comments}).",
    ),
    "extreme_count": (
        "Entre {weeks}, {cat} teve o {most} número de comentários em {when}: {n_comments} ({percentual} do total).",
        "Across {weeks}, {cat} had its {most} number of comments in {when}: {n_comments} ({percentual} of the total).",
    ),
    "category_week": (
        "Em {semana}, {cat} teve {total} comentários, {percentual} do total (semana anterior {total_anterior}, {percentual_anterior}; {variacao_pontos}{volume}).",
        "In {semana}, {cat} had {total} comments, {percentual} of the total (previous week {total_anterior}, {percentual_anterior}; {variacao_pontos}{volume}).",
    ),
    "week_biggest_move": (
        "{semana}: {comments} comentários, maior variação {cat} {variacao_pontos} ({percentual})",
        "{semana}: {comments} comments, biggest move {cat} {variacao_pontos} ({percentual})",
    ),
    "biggest_rise_in": (
        "maior alta em {semana} (subiu {pontos})",
        "biggest rise in {semana} (up {pontos})",
    ),
    "biggest_drop_in": (
        "maior queda em {semana} (caiu {pontos})",
        "biggest drop in {semana} (down {pontos})",
    ),
    "week_total": (
        "{semana}: {total} comentários (semana anterior {total_anterior})",
        "{semana}: {total} comments (previous week {total_anterior})",
    ),
    "extreme_total": (
        "Entre {weeks}, a semana com {most} comentários foi {semana}: {total}.",
        "Across {weeks}, the week with the {most} comments was {semana}: {total}.",
    ),
    "sum": ("Somando as {weeks} semanas: {sum}.", "Summed over the {weeks} weeks: {sum}."),
    "biggest_total_move": (
        "Entre {weeks}, a maior {move} de comentários de uma semana para a seguinte foi em {when}: "
        "de {total_anterior} para {total}.",
        "Across {weeks}, the biggest week-to-week {move} in comments was in {when}: "
        "from {total_anterior} to {total}.",
    ),
    "tag": (
        "{name} ({n_comments}, {variacao} vs. semana anterior)",
        "{name} ({n_comments}, {variacao} vs. previous week)",
    ),
    "tag_weeks": (
        "{name} em {found} de {weeks} semanas ({counts})",
        "{name} in {found} of {weeks} weeks ({counts})",
    ),
    "spike": (
        "{name} ({n_mentions}, média de {media_4_semanas} nas 4 semanas anteriores, fator {fator}x)",
        "{name} ({n_mentions} vs. a mean of {media_4_semanas} over the 4 previous weeks, factor {fator}x)",
    ),
    "review": (
        "Em {semana}, {precisa_revisao} comentários precisavam de revisão humana e houve {correcoes_humanas} correções humanas.",
        "In {semana}, {precisa_revisao} comments needed human review and there were {correcoes_humanas} human corrections.",
    ),
    "topic_theme": (
        "{semana} ({n_comments}, {variacao})",
        "{semana} ({n_comments}, {variacao})",
    ),
    "topic_spike": (
        "{semana} ({n_mentions}, fator {fator}x)",
        "{semana} ({n_mentions}, factor {fator}x)",
    ),
    "top_critica": ("; principal crítica {name} ({total})", "; top criticism {name} ({total})"),
    "top_sugestao": ("; principal sugestão {name} ({total})", "; top suggestion {name} ({total})"),
    "compare_week": (
        "{semana}: {total} comentários; {shares}{top}.",
        "{semana}: {total} comments; {shares}{top}.",
    ),
    "summary_spike": (
        "em alta {name} ({n_mentions}, fator {fator}x)",
        "spiking {name} ({n_mentions}, factor {fator}x)",
    ),
}


def _points(passage: Passage) -> Any:
    """How far the passage's category share moved, in points (0 when the digest has no figure)."""
    return passage.data.get("variacao_pontos") or 0


def _largest_first(passages: Sequence[Passage], figure: str) -> list[Passage]:
    return sorted(passages, key=lambda p: -(p.data.get(figure) or 0))


def _movement_item(draft: _Draft, passage: Passage, *, name: bool = True) -> str:
    label = draft.cat(passage.key) + " " if name else ""
    return label + draft.phrase("movement", passage)


def _volume(draft: _Draft, passage: Passage) -> str:
    if passage.data.get("variacao_percentual") is None:
        return ""
    return draft.phrase("volume", passage)


def _join(draft: _Draft, items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + draft.t(" e ", " and ") + items[-1]


def _sentence(parts: Sequence[str]) -> str:
    """`parts` as one sentence: joined by semicolons, capitalised, with a full stop."""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _compose_when(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """The weeks in which each named category rose (and fell), with the size of each move."""
    for categoria in u.categories:
        passages = [p for w in weeks for p in ctx.find(w, "categoria", categoria)]
        groups = []
        if u.up or not u.down:
            groups.append((draft.t("subiu", "rose"), [p for p in passages if _points(p) > 0]))
        if u.down or not u.up:
            groups.append((draft.t("caiu", "fell"), [p for p in passages if _points(p) < 0]))
        parts = []
        used: list[Passage] = []
        for verb, found in groups:
            if not found:
                parts.append(draft.t(f"não {verb} em nenhuma semana", f"never {verb}"))
                continue
            items = [draft.phrase("week_move", p) for p in found]
            parts.append(draft.t(f"{verb} em ", f"{verb} in ") + ", ".join(items))
            used += found
        sentence = draft.t(f"Em {_weeks_text(weeks)}, ", f"In {_weeks_text(weeks)}, ") + (
            f"{draft.cat(categoria)} " + "; ".join(parts) + "."
        )
        # Saying when it rose is also saying when it did not: every week examined is a source.
        if not draft.say(sentence, *used, *passages):
            return False
    return bool(draft.sentences)


def _compose_significant(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context
) -> bool:
    """The category moves the two-proportion test found significant, week by week."""
    checked = [
        p
        for w in weeks
        for p in ctx.find(w, "categoria")
        if not u.categories or p.key in u.categories
    ]
    found = [p for p in checked if p.data.get("significativa")]
    if u.up != u.down and any((_points(p) > 0) == u.up for p in found):
        found = [p for p in found if (_points(p) > 0) == u.up]
    if not found and u.categories and len(checked) <= 2:
        # A named category: its move and its test, so "no" comes with the figures behind it.
        for passage in checked:
            sentence = draft.fill(
                draft.t(
                    "Não: em {semana}, {cat} {direction} {pontos} (de {percentual_anterior} para "
                    "{percentual}), variação não significativa (p = {p_valor}; teste de duas "
                    "proporções, p < 0,05).",
                    "No: in {semana}, {cat} {direction} {pontos} (from {percentual_anterior} to "
                    "{percentual}); the change is not significant (p = {p_valor}; two-proportion "
                    "test, p < 0.05).",
                ),
                passage,
                direction=_direction(draft, passage),
            )
            draft.say(sentence, passage)
        return bool(draft.sentences)
    if not found:
        return draft.say(draft.phrase("none_significant", weeks=_weeks_text(weeks)), *checked)
    head = draft.phrase("significant_many" if len(found) > 1 else "significant_one")
    items = [draft.phrase("significant_move", p) for p in found]
    return _say_list(draft, head, items, found, per_item=1)


def _compose_extreme(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """ "Which week had the most criticism?": the week with the highest (lowest) share."""
    if u.up != u.down:
        return _compose_biggest_move(draft, u, weeks, ctx)
    pick, most = (
        (max, ("maior", "highest")) if u.superlative == "max" else (min, ("menor", "lowest"))
    )
    for categoria in u.categories or ():
        passages = [p for w in weeks for p in ctx.find(w, "categoria", categoria)]
        if not passages:
            continue
        figure = "total" if u.by_count else "percentual"
        best = pick(passages, key=lambda p: p.data.get(figure) or 0)
        sentence = draft.phrase(
            "extreme_count" if u.by_count else "extreme_share",
            best,
            weeks=draft.span(weeks),
            most=draft.t(*most),
            when=ctx.dates(best.semana, draft.lang),
        )
        draft.say(sentence, best, *ctx.find(best.semana, "total"), *draft.ranked(*passages))
    return bool(draft.sentences)


def _compose_biggest_move(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context
) -> bool:
    """ "Em que semana as críticas caíram mais?": the week of the biggest fall (rise), by share
    unless the number of comments is asked; saying when share and count moved apart, and whether
    the change is significant (the digest's two-proportion test)."""
    if not u.categories:
        # "a maior queda de uma categoria": the category whose move was the largest of all.
        moves = [
            p
            for w in weeks
            for p in ctx.find(w, "categoria")
            if p.data.get("variacao_pontos") is not None
        ]
        if not moves:
            return False
        if u.by_count:
            largest = (max if u.up else min)(
                moves,
                key=lambda p: (p.data.get("total") or 0) - (p.data.get("total_anterior") or 0),
            )
        else:
            largest = (max if u.up else min)(moves, key=_points)
        return _compose_biggest_move(draft, replace(u, categories=(largest.key,)), weeks, ctx)
    for categoria in u.categories:
        passages = [
            p
            for w in weeks
            for p in ctx.find(w, "categoria", categoria)
            if p.data.get("variacao_pontos") is not None
        ]
        if not passages:
            continue

        def count_change(p: Passage) -> Any:
            return (p.data.get("total") or 0) - (p.data.get("total_anterior") or 0)

        measure = count_change if u.by_count else _points
        best = (max if u.up else min)(passages, key=measure)
        if (measure(best) > 0) != bool(u.up) or measure(best) == 0:
            verb = draft.t("subiu" if u.up else "caiu", "rose" if u.up else "fell")
            draft.say(
                draft.t(
                    f"{draft.cat(categoria)} não {verb} em nenhuma semana de {_weeks_text(weeks)}.",
                    f"{draft.cat(categoria)} never {verb} in {_weeks_text(weeks)}.",
                ),
                *passages,
            )
            return True
        total = ctx.one(best.semana, "total")
        when = ctx.dates(best.semana, draft.lang)
        share_verb = _direction(draft, best)
        count_up = count_change(best) > 0
        count_verb = draft.t("subiu" if count_up else "caiu", "rose" if count_up else "fell")
        if not count_change(best):
            count_verb = draft.t("ficou igual", "held")
        p_value = draft.figure("p_valor", best.data.get("p_valor"))
        tested = (
            draft.t(f"significativa (p = {p_value})", f"significant (p = {p_value})")
            if best.data.get("significativa")
            else draft.t(f"não significativa (p = {p_value})", f"not significant (p = {p_value})")
        )
        if u.by_count:
            lead = draft.t(
                f"Em número de comentários, a maior {'alta' if u.up else 'queda'} de "
                f"{draft.cat(categoria)} foi em {when}: {count_verb} de {{total_anterior}} para "
                f"{{n_comments}} ({{variacao_percentual}} em volume).",
                f"By number of comments, the biggest {'rise' if u.up else 'fall'} in "
                f"{draft.cat(categoria)} was in {when}: it {count_verb} from {{total_anterior}} "
                f"to {{n_comments}} ({{variacao_percentual}} in volume).",
            )
        opposite = (_points(best) > 0) != count_up and _points(best) and count_change(best)
        if not u.by_count:
            # The counts go with the share when they moved the same way: "as críticas caíram"
            # may mean either, and the week's two numbers answer both readings.
            counts = draft.t(
                " (de {total_anterior} para {n_comments})",
                " (from {total_anterior} to {n_comments})",
            )
            lead = draft.t(
                f"Em participação, a maior {'alta' if u.up else 'queda'} de {draft.cat(categoria)} "
                f"foi em {when}: {share_verb} {{pontos}}, de {{percentual_anterior}} para "
                f"{{percentual}}{'' if opposite else counts}.",
                f"By share, the biggest {'rise' if u.up else 'fall'} in {draft.cat(categoria)} was "
                f"in {when}: it {share_verb} {{pontos}}, from {{percentual_anterior}} to "
                f"{{percentual}}{'' if opposite else counts}.",
            )
        sentences = [draft.fill(lead, best)]
        if opposite and not u.by_count:
            sentences.append(
                draft.fill(
                    draft.t(
                        f"Em número, porém, {count_verb}: de {{total_anterior}} para "
                        f"{{n_comments}} ({{variacao_percentual}}); a participação mede a fatia "
                        f"do total, e o total também mudou.",
                        f"In number, though, it {count_verb}: from {{total_anterior}} to "
                        f"{{n_comments}} ({{variacao_percentual}}); the share is a slice of the "
                        f"total, and the total changed too.",
                    ),
                    best,
                )
            )
        elif opposite:
            sentences.append(
                draft.fill(
                    draft.t(
                        f"Em participação, porém, {share_verb} {{pontos}} (de "
                        f"{{percentual_anterior}} para {{percentual}}).",
                        f"By share, though, it {share_verb} {{pontos}} (from "
                        f"{{percentual_anterior}} to {{percentual}}).",
                    ),
                    best,
                )
            )
        sentences.append(
            draft.t(f"A mudança de participação é {tested}.", f"The share change is {tested}.")
        )
        draft.say(" ".join(sentences), best, *([total] if total else []))
    return bool(draft.sentences)


# First words of a question that asks for a figure or a list, not for a yes or a no.
_OPEN_QUESTION_WORDS: Final = frozenset(
    """
    qual quais quanto quantos quantas what which how como onde where
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _yes_no(draft: _Draft, u: Understanding, q: str, passages: Sequence[Passage]) -> str:
    """ "Sim."/"Não." before a yes/no question about one category's direction in one week."""
    asks = fold(q).strip()
    if len(passages) != 1 or u.up == u.down or not asks.endswith("?"):
        return ""
    if asks.split()[0] in _OPEN_QUESTION_WORDS:
        return ""
    moved = _points(passages[0])
    agreed = moved > 0 if u.up else moved < 0
    if _apart(draft, passages[0]):
        # Share and count moved apart: the honest answer depends on which is meant.
        return draft.t(
            "Em participação, sim; em número, não. "
            if agreed
            else "Em participação, não; em número, sim. ",
            "By share, yes; by count, no. " if agreed else "By share, no; by count, yes. ",
        )
    return draft.t("Sim. " if agreed else "Não. ", "Yes. " if agreed else "No. ")


def _direction(draft: _Draft, passage: Passage) -> str:
    moved = _points(passage)
    if moved > 0:
        return draft.t("subiu", "rose")
    return draft.t("caiu", "fell") if moved < 0 else draft.t("ficou estável", "held steady")


def _compose_apart(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """The weeks in which a category's share and its number of comments moved in opposite
    directions (the week's total moved more), each with both moves."""
    for categoria in u.categories[:2]:
        passages = [p for w in weeks for p in ctx.find(w, "categoria", categoria)]
        found = [p for p in passages if _apart(draft, p)]
        if u.share_up or u.share_down:
            found = [p for p in found if (_points(p) > 0) == u.share_up]
        if not found:
            draft.say(
                draft.t(
                    f"Em {_weeks_text(weeks)}, participação e número de {draft.cat(categoria)} "
                    "nunca andaram em direções opostas.",
                    f"In {_weeks_text(weeks)}, the share and the number of {draft.cat(categoria)} "
                    "comments never moved in opposite directions.",
                ),
                *passages,
            )
            continue
        items = [
            draft.fill(
                draft.t(
                    "{semana} (participação {variacao_pontos}, de {percentual_anterior} para "
                    "{percentual}; número de {total_anterior} para {total})",
                    "{semana} (share {variacao_pontos}, from {percentual_anterior} to "
                    "{percentual}; count from {total_anterior} to {total})",
                ),
                p,
            )
            for p in found
        ]
        head = draft.t(
            f"{draft.cat(categoria)}: participação e número em direções opostas em ",
            f"{draft.cat(categoria)}: share and count moved in opposite directions in ",
        )
        _say_list(draft, head, items, found, per_item=1)
    return bool(draft.sentences)


# "from the first to the last week of November", "da primeira à última semana": two edge weeks.
_FIRST_TO_LAST: Final = re.compile(r"\b(first|primeira|1a)\b.{0,30}\b(last|ultima|final)\b")


def _points_between(start: Passage, end: Passage) -> float:
    """How many points a category's share moved from one week's digest to another's."""
    return float(end.data.get("percentual") or 0) - float(start.data.get("percentual") or 0)


def _compose_movement(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    focus = u.categories
    if u.apart and focus and len(weeks) > 1:
        return _compose_apart(draft, u, weeks, ctx)
    if u.significant:
        return _compose_significant(draft, u, weeks, ctx)
    if u.superlative and len(weeks) > 1:
        return _compose_extreme(draft, u, weeks, ctx)
    if focus and u.when and len(weeks) > 1:
        return _compose_when(draft, u, weeks, ctx)
    if focus and len(weeks) == 2 and _FIRST_TO_LAST.search(fold(q)):
        # "did praise go up from the first to the last week of November?": the two weeks'
        # figures side by side, not each week's own move.
        for categoria in focus:
            start, end = (
                ctx.one(weeks[0], "categoria", categoria),
                ctx.one(weeks[1], "categoria", categoria),
            )
            if start is None or end is None:
                continue
            rose = _points_between(start, end)
            verdict = draft.t(
                "subiu" if rose > 0 else "caiu" if rose < 0 else "ficou igual",
                "rose" if rose > 0 else "fell" if rose < 0 else "held",
            )
            draft.say(
                draft.fill(
                    draft.t(
                        "{cat}: {percentual} ({total}) em {semana}",
                        "{cat}: {percentual} ({total}) in {semana}",
                    ),
                    start,
                )
                + draft.fill(
                    draft.t(
                        f" e {{percentual}} ({{total}}) em {{semana}}; a participação {verdict}.",
                        f" and {{percentual}} ({{total}}) in {{semana}}; the share {verdict}.",
                    ),
                    end,
                ),
                start,
                end,
            )
        return bool(draft.sentences)
    per_week_limit = 3 if len(weeks) <= 2 else 1
    for week in weeks:
        passages = ctx.find(week, "categoria")
        if focus:
            passages = [p for p in passages if p.key in focus]
        if not passages:
            continue
        if focus:
            moves = [
                f"{draft.cat(p.key)} {_direction(draft, p)} {draft.phrase('movement_abs', p)}"
                + _apart(draft, p)
                for p in passages
            ]
            sentence = (
                (_yes_no(draft, u, q, passages) if len(weeks) == 1 else "")
                + draft.t(f"Em {week}: ", f"In {week}: ")
                + "; ".join(moves)
                + "."
            )
            draft.say(sentence, *passages)
            continue
        risers = sorted((p for p in passages if _points(p) > 0), key=lambda p: -_points(p))
        fallers = sorted((p for p in passages if _points(p) < 0), key=_points)
        parts: list[str] = []
        used: list[Passage] = []
        for shown, moved, (many, one, en) in (
            (u.up or not u.down, risers, ("subiram ", "subiu ", "rose: ")),
            (u.down or not u.up, fallers, ("caíram ", "caiu ", "fell: ")),
        ):
            chosen = moved[:per_week_limit]
            if shown and chosen:
                items = _join(
                    draft,
                    [
                        draft.cat(p.key) + " " + draft.phrase("movement_abs", p) + _apart(draft, p)
                        for p in chosen
                    ],
                )
                parts.append(draft.t(many if len(chosen) > 1 else one, en) + items)
                used += chosen
        if not parts:
            parts.append(
                draft.t("nenhuma categoria se moveu nessa direção", "no category moved that way")
            )
            used += passages[:1]
        draft.say(draft.t(f"Em {week}, ", f"In {week}, ") + "; ".join(parts) + ".", *used)
    return bool(draft.sentences)


def _compose_category(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if u.categories and u.superlative and len(weeks) > 1:
        return _compose_extreme(draft, u, weeks, ctx)
    if u.categories and u.when and len(weeks) > 1:
        return _compose_when(draft, u, weeks, ctx)
    if not u.categories and (u.most or u.least) and len(weeks) > 1:
        return _compose_category_ranking(draft, u, weeks, ctx)
    if not u.categories:
        # Every category of each week, largest share first.
        for week in weeks[-3:]:
            passages = _largest_first(ctx.find(week, "categoria"), "percentual")
            items = [
                draft.fill("{cat} {percentual} ({total}; {variacao_pontos})", p) for p in passages
            ]
            if items:
                head = draft.t(f"Categorias em {week}: ", f"Categories in {week}: ")
                draft.say(head + ", ".join(items) + ".", *passages)
                if len(weeks) == 1 and (u.most or u.least):
                    # "A maior categoria", "smallest category last week": named, not only listed.
                    pick = passages[-1] if u.least and not u.most else passages[0]
                    word = (
                        draft.t("Menor", "Smallest")
                        if pick is passages[-1]
                        else draft.t("Maior", "Largest")
                    )
                    draft.say(f"{word}: {draft.cat(pick.key)}.", pick)
        return bool(draft.sentences)
    focus = u.categories
    if len(weeks) > 1 and len(focus) <= 2:
        _compose_trend(draft, u, weeks, ctx, q)
        kinds = [_CATEGORY_LIST[c] for c in focus if c in _CATEGORY_LIST]
        if len(focus) == 1 and kinds:
            # "Como foram as críticas no mês?": the category's course and what drove it.
            _compose_tag_list(draft, u, kinds[0], weeks, ctx, q, limit=3)
        return bool(draft.sentences)
    for week in weeks:
        for categoria in focus:
            passage = ctx.one(week, "categoria", categoria)
            if passage is not None:
                volume = _volume(draft, passage)
                sentence = draft.phrase("category_week", passage, volume=volume)
                draft.say(sentence + " " + _share_note(draft, passage), passage)
    return bool(draft.sentences)


def _compose_category_ranking(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context
) -> bool:
    """ "Which category had the most comments in March?": each category's comments summed over the
    weeks asked (a labelled sum, every week's figure cited), the largest (smallest) named."""
    passages = [p for w in weeks for p in ctx.find(w, "categoria")]
    sums: dict[str, int] = {}
    for passage in passages:
        if isinstance(passage.data.get("total"), int):
            sums[passage.key] = sums.get(passage.key, 0) + int(passage.data["total"])
    if len(sums) < 2:
        return False
    order = sorted(sums, key=lambda c: sums[c], reverse=True)
    fewest = u.least and not u.most
    best = order[-1] if fewest else order[0]
    items = ", ".join(f"{draft.cat(c)} {draft.figure('total', sums[c])}" for c in order)
    # The weeks are named, not counted: no digest holds a count of weeks.
    head = draft.t(f"Somando {_weeks_text(weeks)}: ", f"Summed over {_weeks_text(weeks)}: ")
    most = draft.t("menos", "fewest") if fewest else draft.t("mais", "most")
    tail = draft.t(f"; {most} comentários em {best}.", f"; the {most} comments in {best}.")
    draft.say(head + items + tail, *passages)
    return True


_CATEGORY_LIST: Final = {"CRÍTICA": "critica", "SUGESTÃO": "sugestao"}


def _apart(draft: _Draft, passage: Passage) -> str:
    """ " (share down, count up)" when a category's share and count moved apart, else ""."""
    points = _points(passage)
    count = (passage.data.get("total") or 0) - (passage.data.get("total_anterior") or 0)
    if not points or not count or (points > 0) == (count > 0):
        return ""
    if points > 0:
        return draft.t(" (participação subiu, número caiu)", " (share up, count down)")
    return draft.t(" (participação caiu, número subiu)", " (share down, count up)")


def _share_note(draft: _Draft, passage: Passage) -> str:
    """Whether a category's change is significant (the digest's test) and, when share and count
    moved apart, which of the two the change in points means."""
    p_value = draft.figure("p_valor", passage.data.get("p_valor"))
    if passage.data.get("p_valor") is None:
        note = ""
    elif passage.data.get("significativa"):
        note = draft.t(
            f"Variação de participação significativa (p = {p_value}).",
            f"The share change is significant (p = {p_value}).",
        )
    else:
        note = draft.t(
            f"Variação de participação não significativa (p = {p_value}).",
            f"The share change is not significant (p = {p_value}).",
        )
    if _apart(draft, passage):
        up = _points(passage) > 0
        note = (
            draft.fill(
                draft.t(
                    "A participação "
                    + ("subiu" if up else "caiu")
                    + " {pontos}, mas o número de comentários "
                    + ("caiu" if up else "subiu")
                    + ": o total da semana mudou mais. ",
                    "The share "
                    + ("rose" if up else "fell")
                    + " {pontos}, but the number of comments "
                    + ("fell" if up else "rose")
                    + ": the week's total moved more. ",
                ),
                passage,
            )
            + note
        )
    return note


def _compose_trend(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if u.categories and u.superlative and len(weeks) > 1:
        return _compose_extreme(draft, u, weeks, ctx)
    if not u.categories:
        # Change across weeks with no category named: the volume and each week's biggest mover.
        items = []
        used: list[Passage] = []
        for week in weeks:
            total = ctx.one(week, "total")
            cats = ctx.find(week, "categoria")
            if total is None or not cats:
                continue
            top = max(cats, key=lambda p: abs(_points(p)))
            comments = draft.fill("{total}", total)
            items.append(draft.phrase("week_biggest_move", top, comments=comments))
            used += [total, top]
        return _say_list(
            draft, draft.t("Semana a semana: ", "Week by week: "), items, used, per_item=2
        )
    for categoria in u.categories:
        used = [p for w in weeks for p in ctx.find(w, "categoria", categoria)[:1]]
        if not used:
            continue
        items = [draft.fill("{semana} {percentual} ({total}; {variacao_pontos})", p) for p in used]
        head = draft.t(f"{categoria} por semana: ", f"{draft.cat(categoria)} by week: ")
        _say_list(draft, head, items, used, per_item=1)
        moves = [p for p in used if p.data.get("variacao_pontos")]
        if len(used) > 1 and moves:
            up = max(moves, key=_points)
            down = min(moves, key=_points)
            notes = []
            if _points(up) > 0:
                notes.append(draft.phrase("biggest_rise_in", up))
            if _points(down) < 0:
                notes.append(draft.phrase("biggest_drop_in", down))
            if notes:
                draft.say(_sentence(notes), up, down)
    return bool(draft.sentences)


def _say_list(
    draft: _Draft, head: str, items: Sequence[str], used: Sequence[Passage], *, per_item: int
) -> bool:
    """`head` + as many items as fit the word budget, citing the passages of the items kept."""
    kept: list[str] = []
    for count in range(len(items), 0, -1):
        sentence = head + "; ".join(items[:count]) + "."
        if _word_count(" ".join([*draft.sentences, sentence])) <= MAX_WORDS:
            kept = list(items[:count])
            break
    if not kept:
        return False
    cited = used if per_item == 0 else used[: len(kept) * per_item]
    draft.say(head + "; ".join(kept) + ".", *cited)
    return True


def _compose_total(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    used = [p for w in weeks for p in ctx.find(w, "total")[:1]]
    if not used:
        return False
    items = [draft.phrase("week_total", p) for p in used]
    values = [p.data["total"] for p in used if isinstance(p.data.get("total"), int)]
    moved = [
        p
        for p in used
        if isinstance(p.data.get("total"), int) and isinstance(p.data.get("total_anterior"), int)
    ]
    if u.superlative and u.up != u.down and len(moved) > 1:
        # "Quando o número de comentários caiu mais?": the week of the largest fall (rise) from the
        # week before, its two figures as the digest writes them.
        def change(p: Passage) -> int:
            return int(p.data["total"]) - int(p.data["total_anterior"])

        best = min(moved, key=change) if u.down else max(moved, key=change)
        sentence = draft.phrase(
            "biggest_total_move",
            best,
            weeks=draft.span(weeks),
            move=draft.t("queda", "fall") if u.down else draft.t("alta", "rise"),
            when=ctx.dates(best.semana, draft.lang),
        )
        draft.say(sentence, best, *draft.ranked(*moved))
        return True
    if u.superlative and len(used) > 1:
        pick, most = (
            (max, ("mais", "most")) if u.superlative == "max" else (min, ("menos", "fewest"))
        )
        best = pick(used, key=lambda p: p.data.get("total") or 0)
        if draft.period_named and len(used) <= 3:
            # A few weeks named: each one's figure, then which had more (or fewer).
            draft.say(_sentence(items), *used)
        sentence = draft.phrase("extreme_total", best, weeks=draft.span(weeks), most=draft.t(*most))
        draft.say(sentence, best, *draft.ranked(*used))
        return True
    if len(items) == 1:
        draft.say(_sentence(items), *used)
        return True
    _say_list(
        draft, draft.t("Comentários por semana: ", "Comments per week: "), items, used, per_item=1
    )
    if len(values) == len(used) == len(draft.cited):
        draft.say(draft.phrase("sum", weeks=len(values), sum=sum(values)))
    return True


def _example(draft: _Draft, passages: Sequence[Passage], count: int = 1) -> str | None:
    """Listeners' words for the first passage that has samples, each quoted with its id."""
    for passage in passages:
        exemplos = passage.data.get("exemplos") or []
        if exemplos:
            quoted = []
            for e in exemplos[:count]:
                text = " ".join(str(e.get("texto", "")).split())
                if len(text.split()) > 18:
                    text = " ".join(text.split()[:18]) + "…"
                quoted.append(f'[{e.get("id")}] "{text}"')
            label = (
                draft.t("Exemplo", "Example")
                if len(quoted) == 1
                else draft.t("Exemplos", "Examples")
            )
            return label + f" ({draft.subject(passage)}): " + "; ".join(quoted) + "."
    return None


def _rank(passages: Sequence[Passage], u: Understanding) -> list[Passage]:
    """Largest first; by change when the question asks what rose or fell."""
    if u.up and not u.down:
        return _largest_first(passages, "variacao")
    if u.down and not u.up:
        return sorted(passages, key=lambda p: p.data.get("variacao") or 0)
    if u.least and not u.most:
        return sorted(passages, key=lambda p: p.data.get("total") or 0)
    return _largest_first(passages, "total")


# Words that ask how often, not how much: "every week", "keeps coming back".
_RECURRENCE: Final = re.compile(
    r"\b(todas as semanas|toda semana|every (single )?week|each week|semana apos semana|"
    r"week after week|recorren\w*|recurr\w*|keeps? (coming|showing)|"
    r"volta sempre|sempre|consistent\w*|constante\w*|persist\w*|never (went|goes|go) away|"
    r"nunca (saiu|sumiu|some|sai|desapareceu)|always there|(did not|didn t|never) (go away|leave)|"
    r"lasted|longest|durou mais|mais duradour\w*|mais tempo)\b"
)
_SINGLE_TITLES: Final = {
    "critica": (
        "A crítica recorrente com mais menções numa única semana",
        "The recurring criticism with the most mentions in a single week",
    ),
    "sugestao": (
        "A sugestão com mais menções numa única semana",
        "The suggestion with the most mentions in a single week",
    ),
}

# The head of a list of recurring criticisms or relevant suggestions: the largest, or those that
# moved most the way the question asks.
_TAG_LIST_TITLES: Final = {
    ("critica", ""): ("Principais críticas recorrentes", "Main recurring criticisms"),
    ("critica", "up"): (
        "Críticas recorrentes que mais subiram",
        "Recurring criticisms that rose most",
    ),
    ("critica", "down"): (
        "Críticas recorrentes que mais caíram",
        "Recurring criticisms that fell most",
    ),
    ("sugestao", ""): ("Principais sugestões", "Main suggestions"),
    ("sugestao", "up"): ("Sugestões que mais subiram", "Suggestions that rose most"),
    ("sugestao", "down"): ("Sugestões que mais caíram", "Suggestions that fell most"),
}


# "Alguma reclamação nova?", "any new suggestions?": items listed in a week and in none of the
# four stored weeks before it.
_ITEM_WORDS: Final = (
    r"(reclamac\w*|criticas?|complaints?|criticisms?|sugest\w*|suggestions?|pedidos|requests?|"
    r"problemas?|problems?|issues?|temas?|topics?|tags?|assuntos?)"
)
_NEW_ITEMS: Final = re.compile(
    rf"\b({_ITEM_WORDS} (nova|novas|novo|novos)|(new|novas?|novos?) {_ITEM_WORDS}|"
    rf"{_ITEM_WORDS} (were|was|are|is|foram|eram|sao|era|foi) (brand )?(new|novas?|novos?)|"
    r"pela primeira vez|for the first time|weren t there|nao apareciam|nao existiam|"
    r"surgiram|(newly|just) appeared|emerg\w*)\b"
)
# "When did X come back?", "quando X voltou?": the week it was listed again after a gap.
_BACK: Final = re.compile(
    r"\b(c[ao]me back|comes back|coming back|returned|return|reappear\w*|resurfac\w*|back again|"
    r"voltou|voltaram|retorn\w*|reaparec\w*|de volta|(show(ed|s)?|turn(ed|s)?|pop(ped|s)?) up again|"
    r"again after|de novo depois|outra vez depois|(was|were|is|are|got) back|back (on|in|into) "
    r"(the )?(lists?|top|charts?)|after (disappearing|vanishing|a gap|a break|"
    r"weeks? (off|away|gone))|depois de (sumir|desaparecer|sumirem|desaparecerem))\b"
)
_NEW_TITLES: Final = {
    "critica": ("Críticas novas", "New criticisms"),
    "sugestao": ("Sugestões novas", "New suggestions"),
}


def _say_new_items(draft: _Draft, kind: str, week: str, ctx: Context) -> bool:
    """Which items of `week` none of the four stored weeks before it lists, each with its count;
    or that none is new. The earlier weeks are named in words: their ids are no figure of a cited
    passage."""
    before = [w for w in ctx.weeks if w < week][-4:]
    listed = ctx.find(week, kind)
    if not listed or not before:
        return False
    seen = {p.key for w in before for p in ctx.find(w, kind)}
    new = [p for p in _largest_first(listed, "total") if p.key not in seen]
    title = draft.t(*_NEW_TITLES[kind])
    if not new:
        return draft.say(
            draft.t(
                f"{title}: nenhuma; todas as listadas já apareciam nas semanas anteriores.",
                f"{title}: none; every one listed already appeared in the weeks before.",
            ),
            *listed,
        )
    names = _join(draft, [draft.subject(p) for p in new])
    return draft.say(
        draft.t(
            f"{title} (fora das listas das quatro semanas anteriores): {names}.",
            f"{title} (in none of the four weeks before): {names}.",
        ),
        *new,
    )


def _compose_tag_list(
    draft: _Draft,
    u: Understanding,
    kind: str,
    weeks: Sequence[str],
    ctx: Context,
    q: str,
    *,
    limit: int,
) -> bool:
    if _NEW_ITEMS.search(fold(q)):
        # The week's list, then which of its items are new.
        week_list = _compose_tag_list(draft, u, kind, weeks[-1:], ctx, "", limit=limit)
        return _say_new_items(draft, kind, weeks[-1], ctx) or week_list
    direction = "" if u.up == u.down else "up" if u.up else "down"
    title = draft.t(*_TAG_LIST_TITLES[kind, direction])

    def head(when: str) -> str:
        return draft.t(f"{title} em {when}: ", f"{title} in {when}: ")

    if len(weeks) <= 2:
        for week in weeks:
            ranked = _rank(ctx.find(week, kind), u)[:limit]
            if not ranked:
                none = draft.t("nenhuma registrada.", "none recorded.")
                draft.say(head(week) + none, *ctx.find(week, "total"))
                continue
            items = [draft.phrase("tag", p) for p in ranked]
            draft.say(head(week) + _join(draft, items) + ".", *ranked)
            if len(weeks) == 1:
                example = _example(draft, ranked)
                if example:
                    draft.say(example, ranked[0])
        return bool(draft.sentences)
    # Several weeks: by volume (mentions over the weeks) unless recurrence is asked for; both
    # when the two rankings disagree, each labelled.
    by_tag: dict[str, list[Passage]] = {}
    for week in weeks:
        for passage in ctx.find(week, kind):
            by_tag.setdefault(passage.key, []).append(passage)
    if not by_tag:
        return False
    if direction:
        # "the biggest fall of any complaint": the one largest week-to-week move of an item over
        # the weeks, in the direction asked, not a ranking by volume.
        sign = 1 if direction == "up" else -1
        moved = [
            p
            for found in by_tag.values()
            for p in found
            if sign * (p.data.get("variacao") or 0) > 0 and p.data.get("total_anterior") is not None
        ]
        if moved:
            best = max(moved, key=lambda p: (sign * (p.data.get("variacao") or 0), p.semana))
            when = ctx.dates(best.semana, draft.lang)
            biggest = draft.t(
                "a maior alta" if sign > 0 else "a maior queda",
                "the biggest rise" if sign > 0 else "the biggest fall",
            )
            return draft.say(
                draft.fill(
                    draft.t(
                        f"{title}, entre {draft.span(weeks)}: {biggest} foi de "
                        f"{draft.subject(best)} em {when}, de {{total_anterior}} para "
                        f"{{n_mentions}}.",
                        f"{title}, across {draft.span(weeks)}: {biggest} was {draft.subject(best)} "
                        f"in {when}, from {{total_anterior}} to {{n_mentions}}.",
                    ),
                    best,
                ),
                best,
                *ctx.find(best.semana, "total"),
                # A ranking over a period read every week of it: each is a source.
                *draft.ranked(*(p for w in weeks for p in ctx.find(w, "total"))),
            )

    def volume(tag: str) -> int:
        return sum(p.data.get("total") or 0 for p in by_tag[tag])

    single = u.single
    if single:
        best = max(
            (p for found in by_tag.values() for p in found),
            key=lambda p: (p.data.get("total") or 0, p.semana),
        )
        lead = draft.t(*_SINGLE_TITLES[kind])
        draft.say(
            draft.t(
                f"{lead} foi {draft.subject(best)}: "
                + draft.fill("{n_mentions}", best)
                + f" em {ctx.dates(best.semana, 'pt')} (entre {draft.span(weeks)}).",
                f"{lead} was {draft.subject(best)}: "
                + draft.fill("{n_mentions}", best)
                + f" in {ctx.dates(best.semana, 'en')} (across {draft.span(weeks)}).",
            ),
            best,
            # The week's dates are its total passage's.
            *ctx.find(best.semana, "total"),
            *draft.ranked(*(p for w in weeks for p in ctx.find(w, "total"))),
        )
    by_volume = sorted(by_tag, key=lambda t: (-volume(t), -len(by_tag[t]), t))
    if u.least and not u.most:
        by_volume.reverse()
    by_recurrence = sorted(by_tag, key=lambda t: (-len(by_tag[t]), -volume(t), t))
    recurrence_first = bool(_RECURRENCE.search(fold(q)))
    span = _weeks_text(weeks)
    period_totals = [p for w in weeks for p in ctx.find(w, "total")]
    order = ("recurrence", "volume") if recurrence_first else ("volume", "recurrence")
    for how in order:
        if single and not recurrence_first:
            break
        if how == "volume" and single:
            continue
        if how == "volume":
            if recurrence_first and by_volume[0] == by_recurrence[0]:
                continue
            items, used = [], []
            for tag in by_volume[: max(1, min(limit, 3))]:
                peaks = _largest_first(by_tag[tag], "total")[:3]
                counts = ", ".join(draft.fill("{n_mentions} em {semana}", p) for p in peaks)
                if draft.lang == "en":
                    counts = ", ".join(draft.fill("{n_mentions} in {semana}", p) for p in peaks)
                items.append(f"{draft.subject(peaks[0])} ({counts})")
                used += peaks
            lead = draft.t(
                f"{title} em {span}, por volume de menções: ",
                f"{title} in {span}, by mentions: ",
            )
            if u.least and not u.most:
                lead = draft.t(f"Menos mencionadas em {span}: ", f"Least mentioned in {span}: ")
            # A ranking over a period read every week of it: each is a source.
            _say_list(draft, lead, items, [*used, *period_totals], per_item=0)
        else:
            least = u.least and not u.most
            if not recurrence_first and (least or by_volume[0] == by_recurrence[0]):
                continue
            tag = by_recurrence[0]
            found = by_tag[tag]
            low = min(found, key=lambda p: p.data.get("total") or 0)
            high = max(found, key=lambda p: p.data.get("total") or 0)
            # How often is said in words and week names: a count of weeks is no digest's figure.
            if len(found) == len(weeks):
                often = draft.t(
                    f"listada em todas as semanas ({span})", f"listed every week ({span})"
                )
            elif len(found) <= 6:
                listed = ", ".join(p.semana for p in found)
                often = draft.t(f"listada em {listed}", f"listed in {listed}")
            else:
                often = draft.t(
                    f"listada em mais semanas que qualquer outra ({span})",
                    f"listed in more weeks than any other ({span})",
                )
            sentence = draft.t(
                f"Por recorrência: {draft.subject(found[0])}, {often}, com "
                + draft.fill("{total}", low)
                + " a "
                + draft.fill("{n_mentions}", high)
                + " por semana.",
                f"By recurrence: {draft.subject(found[0])}, {often}, with "
                + draft.fill("{total}", low)
                + " to "
                + draft.fill("{n_mentions}", high)
                + " a week.",
            )
            draft.say(sentence, *found, *period_totals)
    return bool(draft.sentences)


def _compose_tag_lists(*kinds: str, limit: int = 0) -> Composer:
    """The composer listing the recurring criticisms and/or relevant suggestions (`kinds`): at most
    `limit` of each, or as many as the question asks for (3 when it does not say)."""

    def compose(
        draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
    ) -> bool:
        listed = [
            _compose_tag_list(draft, u, kind, weeks, ctx, q, limit=limit or u.top or 3)
            for kind in kinds
        ]
        return any(listed)

    return compose


# "the biggest spike", "o maior pico": one spike, the largest; "the spikes" list each week's.
_ONE_LARGEST_SPIKE: Final = re.compile(
    r"\b(biggest|largest|highest|strongest|maior|mais forte) (single )?(spike|pico|surge|explosion|"
    r"explosao)\b(?!s)"
)


def _compose_spikes(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if len(weeks) > 1 and _ONE_LARGEST_SPIKE.search(fold(q)):
        spikes = [p for w in weeks for p in ctx.find(w, "alta") if not u.tags or p.key in u.tags]
        if spikes:
            top = _largest_first(spikes, "fator")[0]
            # Over a named period every week of it was compared (their totals say which);
            # over every stored week, only the week it names.
            compared = [p for w in weeks for p in ctx.find(w, "total")] if draft.span_named else []
            template = draft.t(
                f"Maior pico de {_weeks_text(weeks)}: {{name}} em {ctx.dates(top.semana, 'pt')}, "
                "{n_mentions} (fator {fator}x sobre a média de {media_4_semanas} das 4 semanas "
                "anteriores).",
                f"Biggest spike of {_weeks_text(weeks)}: {{name}} in {ctx.dates(top.semana, 'en')}, "
                "{n_mentions} (factor {fator}x over a mean of {media_4_semanas} in the 4 weeks "
                "before).",
            )
            dated = ctx.find(top.semana, "total")  # the week's dates are its total's
            return draft.say(draft.fill(template, top), top, *dated, *compared)
    for week in weeks:
        passages = ctx.find(week, "alta")
        if u.tags:
            passages = [p for p in passages if p.key in u.tags]
        passages = _largest_first(passages, "fator")
        if not passages:
            if len(weeks) == 1:
                none = draft.t(
                    f"Nenhuma tag em alta registrada em {week}.",
                    f"No spiking tag recorded in {week}.",
                )
                draft.say(none, *ctx.find(week, "total"))
            continue
        items = [draft.phrase("spike", p) for p in passages[:3]]
        head = draft.t(f"Tags em alta em {week}: ", f"Spiking tags in {week}: ")
        _say_list(draft, head, items, passages[:3], per_item=1)
    return bool(draft.sentences)


def _compose_questions(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    for week in weeks[-2:]:
        passages = ctx.find(week, "duvida")[:3]
        if not passages:
            continue
        items = [f'[{p.data.get("id")}] "{_short(str(p.data.get("texto", "")))}"' for p in passages]
        head = draft.t(f"Dúvidas abertas em {week}: ", f"Open questions in {week}: ")
        _say_list(draft, head, items, passages, per_item=1)
    return bool(draft.sentences)


def _short(text: str, limit: int = 16) -> str:
    split = " ".join(text.split()).split(" ")
    return " ".join(split[:limit]) + ("…" if len(split) > limit else "")


def _compose_review(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    for week in weeks:
        passage = ctx.one(week, "revisao")
        if passage is not None:
            draft.say(draft.phrase("review", passage), passage)
    return bool(draft.sentences)


# "Did X keep growing after its peak?": the peak, then every stored week after it.
_AFTER_PEAK: Final = re.compile(
    r"\b(after (the |its |their )?(peak|spike|surge|burst)|depois d[oa] (pico|spike|surto|auge|"
    r"explosao)|apos o pico|since (the |its |their )?(peak|spike)|"
    r"desde o pico|keep (growing|rising|going up|climbing)|kept (growing|rising|going up)|"
    r"continu\w* (crescendo|subindo|aumentando|a crescer|a subir))\b"
)


# The week right after a peak ("a semana seguinte ao pico", "the week after it peaked").
_WEEK_AFTER_PEAK: Final = re.compile(
    r"\b((na |the )?semana (seguinte|depois|apos) (a?o |do |de )?(pico|auge)|(the )?(next )?week "
    r"after (the |its |their )?(peak|high|spike|it peaked|they peaked))\b"
)


def _say_after_peak(
    draft: _Draft, tag: str, peak: Passage, ctx: Context, *, only_next: bool = False
) -> bool:
    """The peak week of `tag`, then each stored week after it (or the next one only): its count,
    or that it is not listed there."""
    name = tag_name(tag, draft.lang)
    name = name[:1].upper() + name[1:]
    when = ctx.dates(peak.semana, draft.lang)
    later = [w for w in ctx.weeks if w > peak.semana][: 1 if only_next else None]
    head = draft.fill(
        draft.t(
            f"{name}: o pico foi em {when}, com {{n_mentions}}",
            f"{name}: the peak was in {when}, with {{n_mentions}}",
        ),
        peak,
    )
    dated = [peak, *ctx.find(peak.semana, "total")]  # the dates are the total passage's
    if not later:
        return draft.say(
            head + draft.t(", a semana mais recente.", ", the latest week."),
            *dated,
        )
    found = [
        p for w in later for p in (ctx.find(w, "critica", tag) or ctx.find(w, "sugestao", tag))[:1]
    ]
    unlisted = [w for w in later if not any(p.semana == w for p in found)]
    parts = [draft.fill("{semana} ({n_mentions})", p) for p in found]
    rest = []
    if parts:
        rest.append(draft.t("depois: ", "after it: ") + ", ".join(parts))
    if unlisted:
        rest.append(draft.t("não listada em ", "not listed in ") + _weeks_text(unlisted))
    verdict = draft.t("Não continuou subindo. ", "It did not keep growing. ")
    if only_next:
        verdict = draft.t("Caiu na semana seguinte. ", "It fell the week after. ")
    totals = [p for w in unlisted for p in ctx.find(w, "total")]
    return draft.say(verdict + head + "; " + "; ".join(rest) + ".", *dated, *found, *totals)


def _compose_tag_when(
    draft: _Draft,
    u: Understanding,
    weeks: Sequence[str],
    ctx: Context,
    tag: str,
    question: str = "",
) -> bool:
    """ "When did X peak / fall / start?": the one week that answers it, over every week at hand,
    named with its dates and the figure."""
    themes = [p for w in weeks for k in ("critica", "sugestao") for p in ctx.find(w, k, tag)]
    spikes = [p for w in weeks for p in ctx.find(w, "alta", tag)]
    if not themes and not spikes:
        return False
    name = tag_name(tag, draft.lang)

    def change(p: Passage) -> Any:
        return p.data.get("variacao") or 0

    def dated(p: Passage) -> tuple[str, list[Passage]]:
        total = ctx.one(p.semana, "total")
        return ctx.dates(p.semana, draft.lang), [p, *([total] if total else [])]

    pool = themes or spikes
    if _WEEK_AFTER_PEAK.search(fold(question)) and pool:
        # "caiu na semana seguinte ao pico?": the peak and the one stored week after it.
        peak = max(pool, key=lambda p: p.data.get("total") or 0)
        return _say_after_peak(draft, tag, peak, ctx, only_next=True)
    if u.down and not u.up:
        falls = [p for p in themes if change(p) < 0]
        last = max(themes or spikes, key=lambda p: p.semana)
        later = [w for w in weeks if w > last.semana]
        if not falls and later:
            # Its fall is leaving the lists: the last week that lists it, and the weeks after.
            totals = [p for w in later for p in ctx.find(w, "total")]
            when, cited = dated(last)
            template = draft.t(
                f"{name}: listada pela última vez em {when}, com {{n_mentions}}; não listada em "
                f"{_weeks_text(later)}.",
                f"{name}: last listed in {when}, with {{n_mentions}}; not listed in "
                f"{_weeks_text(later)}.",
            )
            return draft.say(draft.fill(template, last), *cited, *totals)
        if not falls:
            return draft.say(
                draft.t(
                    f"{name}: nenhuma queda registrada entre as semanas guardadas.",
                    f"{name}: no fall recorded across the stored weeks.",
                ),
                *themes,
            )
        best = min(falls, key=change)
        when, cited = dated(best)
        template = draft.t(
            f"{name}: a maior queda foi em {when}, de {{total_anterior}} para {{n_mentions}}.",
            f"{name}: the biggest fall was in {when}, from {{total_anterior}} to {{n_mentions}}.",
        )
        return draft.say(draft.fill(template, best), *cited)
    if _BACK.search(fold(question)):
        listed = {p.semana for p in [*themes, *spikes]}
        # The latest week that lists it after a stored week that did not: where it came back.
        returns = [
            w for i, w in enumerate(weeks) if i and w in listed and weeks[i - 1] not in listed
        ]
        if returns and any(w < returns[-1] for w in listed):
            back = max(
                (p for p in [*themes, *spikes] if p.semana == returns[-1]),
                key=lambda p: p.data.get("total") or 0,
            )
            when, cited = dated(back)
            template = draft.t(
                f"{name} voltou às listas em {when}, com {{n_mentions}}, depois de semanas fora "
                "delas.",
                f"{name} came back to the lists in {when}, with {{n_mentions}}, after weeks off "
                "them.",
            )
            spiking = [p for p in spikes if p.semana == back.semana]
            sentence = draft.fill(template, back)
            if spiking:
                # Coming back as a spike is how far above its recent weeks it came back.
                sentence += " " + draft.fill(
                    draft.t(
                        "Em alta nessa semana: fator {fator}x sobre a média de {media_4_semanas}.",
                        "Spiking that week: factor {fator}x over a mean of {media_4_semanas}.",
                    ),
                    spiking[0],
                )
            return draft.say(sentence, *cited, *spiking)
    if u.start:
        # "When did X start spiking?": its first spiking week; "when did X start?": its first
        # listing of any kind.
        surging = u.peak and bool(spikes)
        best = min(spikes if surging else [*themes, *spikes], key=lambda p: p.semana)
        when, cited = dated(best)
        template = draft.t(
            f"{name} aparece pela primeira vez nos digests em {when}: {{n_mentions}}.",
            f"{name} first appears in the digests in {when}: {{n_mentions}}.",
        )
        if surging:
            template = draft.t(
                f"{name} entrou em alta pela primeira vez em {when}: {{n_mentions}} (fator "
                f"{{fator}}x).",
                f"{name} first spiked in {when}: {{n_mentions}} (factor {{fator}}x).",
            )
        return draft.say(draft.fill(template, best), *cited)
    if u.up and not (u.peak or u.most or u.superlative):
        rises = [p for p in themes if change(p) > 0]
        if rises:
            best = max(rises, key=change)
            when, cited = dated(best)
            template = draft.t(
                f"{name}: a maior alta foi em {when}, de {{total_anterior}} para {{n_mentions}}.",
                f"{name}: the biggest rise was in {when}, from {{total_anterior}} to "
                f"{{n_mentions}}.",
            )
            return draft.say(draft.fill(template, best), *cited)
    pool = themes or spikes
    if _AFTER_PEAK.search(fold(question)) and pool:
        return _say_after_peak(draft, tag, max(pool, key=lambda p: p.data.get("total") or 0), ctx)
    pick = min if u.least and not u.most else max
    best = pick(pool, key=lambda p: p.data.get("total") or 0)
    when, cited = dated(best)
    template = draft.t(
        f"{name}: o pico foi em {when}, com {{n_mentions}}",
        f"{name}: the peak was in {when}, with {{n_mentions}}",
    )
    if pick is min:
        template = draft.t(
            f"{name}: o menor registro foi em {when}, com {{n_mentions}}",
            f"{name}: the lowest figure was in {when}, with {{n_mentions}}",
        )
    sentence = draft.fill(template, best)
    spike = next((p for p in spikes if p.semana == best.semana), None)
    if spike is not None and pick is max:
        sentence += draft.fill(
            draft.t(
                " (em alta: fator {fator}x sobre a média de {media_4_semanas} das 4 semanas "
                "anteriores)",
                " (spiking: factor {fator}x over a mean of {media_4_semanas} in the 4 weeks "
                "before)",
            ),
            spike,
        )
        cited.append(spike)
    draft.say(
        # The weeks compared are said in words: their ids are not figures of the cited passage.
        sentence + draft.t(", entre as semanas guardadas.", ", across the stored weeks."),
        *cited,
    )
    return True


def _compose_topic(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if u.tags and (u.when or u.superlative or (u.peak and len(weeks) > 1)):
        return any(_compose_tag_when(draft, u, weeks, ctx, tag, q) for tag in u.tags[:2])

    def listed_in(weeks: Sequence[str]) -> list[str]:
        kinds = ("critica", "sugestao", "alta")
        return [t for t in u.tags[:2] if any(ctx.find(w, k, t) for w in weeks for k in kinds)]

    if not listed_in(weeks) and not draft.period_named:
        # No period asked and the subject is absent from the latest digests: every stored week.
        weeks = ctx.weeks
    # Listeners' words when one subject is found ("tradução das letras" names two tags, and
    # the digests may list only one of them).
    quoted_one = len(listed_in(weeks)) == 1
    if len(listed_in(weeks)) == 2 and _WHICH_OF_TWO.search(fold(q)):
        _say_which_of_two(draft, u.tags[:2], weeks, ctx)
    found_any = False
    for tag in u.tags[:2]:
        parts: list[str] = []
        used: list[Passage] = []
        for kind, label, count in (
            ("critica", ("crítica recorrente", "recurring criticism"), "topic_theme"),
            ("sugestao", ("sugestão relevante", "relevant suggestion"), "topic_theme"),
            ("alta", ("em alta", "spiking"), "topic_spike"),
        ):
            hits = [p for w in weeks for p in ctx.find(w, kind, tag)]
            if hits:
                counts = ", ".join(draft.phrase(count, p) for p in hits)
                parts.append(draft.t(*label) + draft.t(" em ", " in ") + counts)
                used += hits
        if not parts:
            continue
        found_any = True
        sentence = f"{tag_name(tag, draft.lang)}: " + "; ".join(parts) + "."
        if not draft.say(sentence, *used):
            # Too many weeks to list: keep the most recent ones that fit.
            recent = sorted(used, key=lambda p: p.semana)[-4:]
            counts = "; ".join(draft.fill("{semana} {total}", p) for p in recent)
            draft.say(f"{tag_name(tag, draft.lang)}: {counts}.", *recent)
        unlisted = [w for w in weeks if not any(p.semana == w for p in used)]
        if draft.period_named and unlisted and len(u.tags) == 1:
            # A period asked about is answered for every week of it: where the subject is not
            # among the week's lists, that is said (the week's totals name it).
            totals = [p for w in unlisted for p in ctx.find(w, "total")]
            draft.say(
                draft.t(
                    # As runs: "W06–W12" would hide the weeks in between that list it.
                    f"Não listada em {', '.join(_runs(unlisted))}.",
                    f"Not listed in {', '.join(_runs(unlisted))}.",
                ),
                *totals,
            )
        themes = [p for p in reversed(used) if p.kind in ("critica", "sugestao")]
        if quoted_one and themes:
            source = next((p for p in themes if p.data.get("exemplos")), None)
            for quotes in (2, 1):
                example = _example(draft, themes, quotes)
                if example and source is not None and draft.say(example, source):
                    break
    if not found_any:
        return _say_last_listed(draft, u, weeks, ctx)
    # The prose sentences that name the subject, when they add to the figures.
    subject_terms = {stem(t.split("_", 1)[1]) for t in u.tags} | set(u.tags)
    for passage in ctx.index.search(expand(q, u.tags), weeks=weeks, kinds=["texto"], limit=2):
        if subject_terms & set(passage.passage.terms):
            draft.cite(passage.passage)
            break
    return True


# "Preço ou catálogo, qual teve mais?", "compare crashes and battery": two subjects weighed.
_WHICH_OF_TWO: Final = re.compile(
    r"\b(ou|or|vs|versus|x|compar\w*|which|qual|quais|mais|more|worse|pior|maior|bigger)\b"
)


def _say_which_of_two(
    draft: _Draft, tags: Sequence[str], weeks: Sequence[str], ctx: Context
) -> None:
    """The two subjects' mentions summed over the weeks that list them (a labelled sum, the one
    kind of figure composed), and which had more."""
    sums: list[tuple[str, int, list[Passage]]] = []
    for tag in tags:
        found = [p for w in weeks for k in ("critica", "sugestao") for p in ctx.find(w, k, tag)]
        sums.append((tag, sum(int(p.data.get("total") or 0) for p in found), found))
    (a, a_sum, a_found), (b, b_sum, b_found) = sums
    if not a_found or not b_found:
        return
    more = tag_name(a if a_sum > b_sum else b, draft.lang)
    verdict = (
        draft.t("empate", "a tie")
        if a_sum == b_sum
        else draft.t(f"mais para {more}", f"more for {more}")
    )
    a_name, b_name = tag_name(a, draft.lang), tag_name(b, draft.lang)
    draft.say(
        draft.t(
            f"Somando as semanas listadas: {a_name} {a_sum} menções, {b_name} {b_sum}; {verdict}.",
            f"Summed over the weeks listed: {a_name} {a_sum} mentions, {b_name} {b_sum}; {verdict}.",
        ),
        *a_found,
        *b_found,
    )


def _say_last_listed(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """A subject the weeks asked about do not list, listed before them ("after week 45"): that
    it is absent from them, and its last listing, is the answer."""
    if not draft.period_named or not u.tags:
        return False
    tag = u.tags[0]
    earlier = [
        p
        for w in ctx.weeks
        if w < weeks[0]
        for k in ("critica", "sugestao", "alta")
        for p in ctx.find(w, k, tag)
    ]
    totals = [p for w in weeks for p in ctx.find(w, "total")]
    if not earlier or not totals:
        return False
    last = max(earlier, key=lambda p: (p.semana, p.kind != "alta"))
    name = tag_name(tag, draft.lang)
    sentence = draft.t(
        f"{name} não aparece entre as críticas recorrentes, sugestões relevantes ou tags em alta "
        f"de {_weeks_text(weeks)}; foi listada pela última vez em {{semana}}, com {{n_mentions}}.",
        f"{name} is not among the recurring criticisms, relevant suggestions or spiking tags of "
        f"{_weeks_text(weeks)}; it was last listed in {{semana}}, with {{n_mentions}}.",
    )
    return draft.say(draft.fill(sentence, last), last, *totals)


_COMPARED: Final = re.compile(
    r"\b(com|with|vs|versus|contra|against|e|and|ou|or|to|x|than|(do )?que)\b"
)
# Each split reads both sides' periods again: tried at every connector of a long question, that was
# quadratic in its length. Two periods compared are joined near the start of a question, well
# within this many connectors (the evaluation questions have at most 4).
MAX_SPLITS: Final = 16


def _sides(question: str, today: date) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each split of the question at a connector ("com", "with", "vs", ...) whose two sides name
    periods that do not overlap, as those periods' weeks; both within the whole question's period
    (in "week 10 and 11 of 2025" the year belongs to both sides)."""
    text = fold(question)
    whole = set(parse_period(text, today).weeks or ())
    for match in islice(_COMPARED.finditer(text), MAX_SPLITS):
        first = parse_period(text[: match.start()], today).weeks or ()
        second = parse_period(text[match.end() :], today).weeks or ()
        if first and second and not set(first) & set(second) and set(first + second) <= whole:
            yield first, second


def _compared_periods(question: str, today: date, ctx: Context) -> tuple[tuple[str, ...], ...]:
    """The two periods a comparison names, when one of them spans several weeks: the question
    split at a connector whose sides each name stored weeks."""
    for sides in _sides(question, today):
        first, second = (tuple(w for w in side if w in ctx.weeks) for side in sides)
        if first and second and len(first + second) > 2:
            return (first, second)
    return ()


def _uncovered_side(question: str, today: date, ctx: Context) -> tuple[str, ...]:
    """The weeks of a compared side no digest covers ("setembro" in "compare setembro e
    outubro" when the digests start in October): a comparison with one side missing is no
    comparison."""
    for sides in _sides(question, today):
        for side in sides:
            if not any(w in ctx.weeks for w in side):
                return side
    return ()


def _compose_periods(draft: _Draft, u: Understanding, ctx: Context) -> bool:
    """Two periods side by side: weekly volume range, each category's share from the period's
    first week to its last (the named ones, else every one), the largest criticism."""
    for group in draft.groups:
        totals = [p for w in group for p in ctx.find(w, "total")]
        if not totals:
            continue
        low = min(totals, key=lambda p: p.data.get("total") or 0)
        high = max(totals, key=lambda p: p.data.get("total") or 0)
        parts = [
            draft.t("de ", "")
            + draft.fill("{total}", low)
            + draft.t(" a ", " to ")
            + draft.fill("{total}", high)
            + draft.t(" comentários por semana", " comments a week")
        ]
        used = [low, high]
        first, last = group[0], group[-1]
        for categoria in u.categories or tuple(CATEGORY_EN)[:3]:
            start, end = (
                ctx.one(first, "categoria", categoria),
                ctx.one(last, "categoria", categoria),
            )
            if start is None or end is None or start is end:
                if start is not None:
                    parts.append(draft.fill("{cat} {percentual}", start))
                    used.append(start)
                continue
            parts.append(
                draft.fill("{cat} ", start)
                + draft.fill(draft.t("de {percentual}", "from {percentual}"), start)
                + draft.fill(draft.t(" para {percentual}", " to {percentual}"), end)
            )
            used += [start, end]
        for kind, lead in (
            ("critica", ("maior crítica", "largest criticism")),
            ("sugestao", ("maior sugestão", "largest suggestion")),
        ):
            top = _largest_first([p for w in group for p in ctx.find(w, kind)], "total")[:1]
            for passage in top:
                parts.append(
                    draft.fill(
                        draft.t(
                            f"{lead[0]} {{name}} ({{n_comments}} em {{semana}})",
                            f"{lead[1]} {{name}} ({{n_comments}} in {{semana}})",
                        ),
                        passage,
                    )
                )
                used.append(passage)
        draft.say(f"{_weeks_text(group)}: " + "; ".join(parts) + ".", *used, *totals)
    return bool(draft.sentences)


def _compose_compare(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if draft.groups:
        return _compose_periods(draft, u, ctx)
    if len(weeks) < 2:
        return _compose_movement(draft, u, weeks, ctx, q)
    focus = u.categories
    for week in (weeks[0], weeks[-1]):
        total = ctx.one(week, "total")
        if total is None:
            continue
        cats = [p for p in ctx.find(week, "categoria") if not focus or p.key in focus]
        share = "{cat} {n_comments} ({percentual})" if focus else "{key} {percentual}"
        shares = ", ".join(draft.fill(share, p) for p in cats)
        # Two weeks with no category named: both their top criticism and top suggestion, the
        # lists a person compares first; a named category keeps its own list.
        own: dict[tuple[str, ...], tuple[str, ...]] = {
            ("CRÍTICA",): ("critica",),
            ("SUGESTÃO",): ("sugestao",),
        }
        kinds = own.get(tuple(focus), ("critica", "sugestao"))
        top = [p for kind in kinds for p in _largest_first(ctx.find(week, kind), "total")[:1]]
        extra = "".join(draft.phrase(f"top_{p.kind}", p) for p in top)
        sentence = draft.phrase("compare_week", total, shares=shares, top=extra)
        draft.say(sentence, total, *cats, *top)
    if len(weeks) == 2:
        _say_which_more(draft, u, weeks, ctx)
    return bool(draft.sentences)


def _say_which_more(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> None:
    """ "Semana 45 ou 46?": which of the two weeks had more, by the figures already quoted."""
    for key in u.categories[:1] or ("",):
        first, second = (
            ctx.one(w, "categoria", key) if key else ctx.one(w, "total") for w in weeks
        )
        if first is None or second is None:
            return
        a, b = first.data.get("total") or 0, second.data.get("total") or 0
        what = (
            draft.t(f"comentários de {key}", f"{key} comments")
            if key
            else draft.t("comentários", "comments")
        )
        if a == b:
            draft.say(
                draft.t(
                    f"Mesmo número de {what} nas duas semanas.",
                    f"Same number of {what} in both weeks.",
                )
            )
            return
        more, less = (first, second) if a > b else (second, first)
        draft.say(
            draft.fill(draft.t(f"Mais {what} em {{semana}}", f"More {what} in {{semana}}"), more)
            + draft.fill(draft.t(" que em {semana}.", " than in {semana}."), less),
            more,
            less,
        )


def _compose_summary(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if len(weeks) > 2:
        return _compose_period_summary(draft, weeks, ctx)
    for week in weeks[-2:]:
        total = ctx.one(week, "total")
        if total is None:
            continue
        draft.say(draft.t("Em ", "In ") + draft.phrase("week_total", total) + ".", total)
        cats = ctx.find(week, "categoria")
        if cats:
            up = max(cats, key=_points)
            down = min(cats, key=_points)
            parts, used = [], []
            if _points(up) > 0:
                parts.append(draft.t("maior alta ", "biggest rise ") + _movement_item(draft, up))
                used.append(up)
            if _points(down) < 0:
                parts.append(draft.t("maior queda ", "biggest drop ") + _movement_item(draft, down))
                used.append(down)
            if parts:
                draft.say(_sentence(parts), *used)
            if not any(p.data.get("significativa") for p in cats):
                # "O que mudou?": that nothing moved beyond chance is part of the answer.
                draft.say(
                    draft.t(
                        "Sem mudança significativa em nenhuma categoria (teste de duas proporções).",
                        "No significant change in any category (two-proportion test).",
                    ),
                    *cats,
                )
        parts, used = [], []
        for kind, lead in (
            ("critica", ("principal crítica ", "top criticism ")),
            ("sugestao", ("principal sugestão ", "top suggestion ")),
        ):
            for top in _largest_first(ctx.find(week, kind), "total")[:1]:
                parts.append(draft.t(*lead) + draft.phrase("tag", top))
                used.append(top)
        for spike in _largest_first(ctx.find(week, "alta"), "fator")[:1]:
            parts.append(draft.phrase("summary_spike", spike))
            used.append(spike)
        if parts:
            draft.say(_sentence(parts), *used)
    return bool(draft.sentences)


def _compose_period_summary(draft: _Draft, weeks: Sequence[str], ctx: Context) -> bool:
    """Several weeks at a glance ("quais são as tendências recentes?", "resuma o mês"): the latest
    week's volume, the significant category moves, the spikes, the largest criticism and
    suggestion of the period."""
    last = weeks[-1]
    total = ctx.one(last, "total")
    if total is not None:
        draft.say(
            draft.t(f"De {weeks[0]} a {last}. Em ", f"From {weeks[0]} to {last}. In ")
            + draft.phrase("week_total", total)
            + ".",
            # The summary reads every week of the period: each is a source.
            *[p for w in weeks for p in ctx.find(w, "total")],
        )
    totals = [
        p for w in weeks for p in ctx.find(w, "total")[:1] if isinstance(p.data.get("total"), int)
    ]
    if len(totals) > 1:
        # A summary of a span names its busiest and quietest weeks: the volume is what moved.
        busiest = max(totals, key=lambda p: int(p.data["total"]))
        quietest = min(totals, key=lambda p: int(p.data["total"]))
        draft.say(
            draft.fill(
                draft.t(
                    "Semana mais movimentada {semana} ({total}); ",
                    "Busiest week {semana} ({total}); ",
                ),
                busiest,
            )
            + draft.fill(
                draft.t("mais calma {semana} ({total}).", "quietest {semana} ({total})."), quietest
            ),
            busiest,
            quietest,
        )
    _say_share_course(draft, weeks, ctx)
    moves = [p for w in weeks for p in ctx.find(w, "categoria") if p.data.get("significativa")][-3:]
    if moves:
        # "em 2026-W48, CRÍTICA subiu ...": the week with its preposition, as "Em alta" names it.
        items = [
            draft.fill(
                draft.t(
                    "em {semana}, {cat} {direction} {pontos} ({percentual})",
                    "in {semana}, {cat} {direction} {pontos} ({percentual})",
                ),
                p,
                direction=_direction(draft, p),
            )
            for p in moves
        ]
        head = draft.t("Mudanças significativas: ", "Significant changes: ")
        _say_list(draft, head, items, moves, per_item=1)
    spikes: list[Passage] = []
    # Two different tags, each at its largest spike: the same tag's later weeks would crowd out
    # another subject of the period.
    for spike in _largest_first([p for w in weeks for p in ctx.find(w, "alta")], "fator"):
        if len(spikes) < 2 and all(spike.key != p.key for p in spikes):
            spikes.append(spike)
    if spikes:
        items = [
            draft.fill(
                draft.t(
                    "{name} em {semana} ({n_mentions}, fator {fator}x)",
                    "{name} in {semana} ({n_mentions}, factor {fator}x)",
                ),
                p,
            )
            for p in spikes
        ]
        _say_list(draft, draft.t("Em alta: ", "Spiking: "), items, spikes, per_item=1)
    parts, used = [], []
    for kind, lead in (
        ("critica", ("maior crítica ", "largest criticism ")),
        ("sugestao", ("maior sugestão ", "largest suggestion ")),
    ):
        found = _largest_first([p for w in weeks for p in ctx.find(w, kind)], "total")[:1]
        for top in found:
            week_words = draft.t(" em {semana}", " in {semana}")
            parts.append(
                draft.t(*lead) + draft.fill("{name} ({n_comments}" + week_words + ")", top)
            )
            used.append(top)
    if parts:
        draft.say(_sentence(parts), *used)
    _say_every_week(draft, weeks, ctx, shown={p.key for p in used})
    _say_lasting_spike(draft, weeks, ctx, shown={p.key for p in spikes})
    return bool(draft.sentences)


def _say_every_week(draft: _Draft, weeks: Sequence[str], ctx: Context, shown: set[str]) -> None:
    """The criticism or suggestion listed in every week of a span, when it is not the span's
    largest: a complaint that never tops a week yet never leaves the lists is part of the story."""
    if len(weeks) < 3:
        return
    for kind, lead in (
        ("critica", ("Crítica listada em todas as semanas", "Criticism listed every week")),
        ("sugestao", ("Sugestão listada em todas as semanas", "Suggestion listed every week")),
    ):
        by_tag: dict[str, list[Passage]] = {}
        for week in weeks:
            for passage in ctx.find(week, kind):
                by_tag.setdefault(passage.key, []).append(passage)
        steady = [
            passages
            for tag, passages in by_tag.items()
            if tag not in shown and {p.semana for p in passages} >= set(weeks)
        ]
        if not steady:
            continue
        passages = max(steady, key=lambda ps: sum(int(p.data.get("total") or 0) for p in ps))
        draft.say(
            f"{draft.t(*lead)}: {tag_name(passages[0].key, draft.lang)}.",
            *passages,
        )


def _say_share_course(draft: _Draft, weeks: Sequence[str], ctx: Context) -> None:
    """The category whose share moved most from the period's first week to its last, with both
    shares: over a span, how the mix of comments shifted is its story ("praise climbed through
    March"), which week-to-week moves too small to be significant do not tell."""
    first = {p.key: p for p in ctx.find(weeks[0], "categoria")}
    last = {p.key: p for p in ctx.find(weeks[-1], "categoria")}
    moved = [
        (float(last[key].data["percentual"]) - float(first[key].data["percentual"]), key)
        for key in first.keys() & last.keys()
        if isinstance(first[key].data.get("percentual"), int | float)
        and isinstance(last[key].data.get("percentual"), int | float)
    ]
    if not moved:
        return
    change, key = max(moved, key=lambda item: (abs(item[0]), item[1]))
    if change == 0:
        return
    start, end = first[key], last[key]
    verb = draft.t("subiu" if change > 0 else "caiu", "rose" if change > 0 else "fell")
    draft.say(
        draft.fill(
            draft.t(
                "Maior mudança de participação no período: {cat} {verb} de {a} em {wa} para "
                "{b} em {wb}.",
                "Largest share shift over the period: {cat} {verb} from {a} in {wa} to {b} in {wb}.",
            ),
            end,
            verb=verb,
            a=draft.figure("percentual", start.data["percentual"]),
            wa=start.semana,
            b=draft.figure("percentual", end.data["percentual"]),
            wb=end.semana,
        ),
        start,
        end,
    )


def _say_lasting_spike(draft: _Draft, weeks: Sequence[str], ctx: Context, shown: set[str]) -> None:
    """A tag spiking in several weeks of the period (a rise that lasts, not a one-week burst), when
    the largest spikes did not name it: the one spiking in the most weeks, each week's mentions."""
    by_tag: dict[str, list[Passage]] = {}
    for passage in (p for w in weeks for p in ctx.find(w, "alta")):
        by_tag.setdefault(passage.key, []).append(passage)
    lasting = [ps for tag, ps in by_tag.items() if tag not in shown and len(ps) >= 2]
    if not lasting:
        return
    # The most weeks first; then the one spiking most recently.
    found = max(lasting, key=lambda ps: (len(ps), ps[-1].semana))
    items = ", ".join(draft.fill("{semana} ({n_mentions})", p) for p in found)
    head = draft.t("Em alta em várias semanas: ", "Spiking in several weeks: ")
    draft.say(head + draft.fill("{name}", found[0]) + ": " + items + ".", *found)


Composer = Callable[[_Draft, Understanding, Sequence[str], Context, str], bool]
_COMPOSERS: Final[dict[str, Composer]] = {
    "movement": _compose_movement,
    "trend": _compose_trend,
    "compare": _compose_compare,
    "category": _compose_category,
    "total": _compose_total,
    "complaints": _compose_tag_lists("critica"),
    "suggestions": _compose_tag_lists("sugestao"),
    "improvements": _compose_tag_lists("critica", "sugestao", limit=2),
    "spikes": _compose_spikes,
    "questions": _compose_questions,
    "review": _compose_review,
    "topic": _compose_topic,
    "summary": _compose_summary,
}

__all__ = ["Answer", "Context", "answer_offline", "fold", "words"]
