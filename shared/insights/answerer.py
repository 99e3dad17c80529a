"""The offline answerer: a question and the stored digests in, a short grounded answer out.

Pipeline: language and period of the question, what it asks (`understanding`), the weeks in scope
(the period it names, intersected with the digests at hand; by default the latest week for
week-level questions, every week for questions about change or a subject), then the passages that
hold the facts (chosen by the stats they render, ranked by BM25 where several could serve), and an
answer composed from those passages' numbers only. Every passage used is cited; nothing is computed
that the digests do not hold, except a clearly labelled sum of weekly totals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from shared.digest.store import Digest
from shared.insights.digests import Passage, digest_passages, fmt, signed
from shared.insights.periods import Period, parse_period
from shared.insights.retrieval import Bm25Index, expand
from shared.insights.text import detect_language, fold, stem, words
from shared.insights.understanding import Understanding, understand
from shared.numbers import Language, format_number

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

    def t(self, pt: str, en: str) -> str:
        return pt if self.lang == "pt" else en

    def cite(self, *passages: Passage) -> None:
        for passage in passages:
            if passage not in self.cited:
                self.cited.append(passage)

    def say(self, sentence: str, *passages: Passage) -> bool:
        """Adds the sentence when it fits the word budget; False (and nothing cited) otherwise."""
        if _word_count(" ".join([*self.sentences, sentence])) > MAX_WORDS:
            return False
        self.sentences.append(sentence)
        self.cite(*passages)
        return True

    def text(self) -> str:
        return " ".join(self.sentences)


def _word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True, slots=True)
class Context:
    """The digests at hand (oldest first) and their passages."""

    digests: tuple[Digest, ...]
    passages: tuple[Passage, ...]
    index: Bm25Index

    @classmethod
    def of(cls, digests: Sequence[Digest]) -> Context:
        ordered = tuple(sorted(digests, key=lambda d: d.semana))[-MAX_DIGESTS:]
        passages = tuple(p for d in ordered for p in digest_passages(d))
        return cls(ordered, passages, Bm25Index(passages))

    @property
    def weeks(self) -> tuple[str, ...]:
        return tuple(d.semana for d in self.digests)

    def find(self, week: str, kind: str, key: str = "") -> list[Passage]:
        return [
            p
            for p in self.passages
            if p.semana == week and p.kind == kind and (not key or p.key == key)
        ]

    def one(self, week: str, kind: str, key: str = "") -> Passage | None:
        found = self.find(week, kind, key)
        return found[0] if found else None


# --- entry --------------------------------------------------------------------------------------


def answer_offline(question: str, context: Context, today: date) -> Answer:
    """The grounded answer to `question` from the digests of `context`."""
    lang = detect_language(question)
    draft = _Draft(lang)
    understood = understand(question)
    if understood.refusal is not None:
        return _refuse(draft, understood.refusal, context, understood)
    period = parse_period(question, today)
    if period.future and not period.weeks:
        return _refuse(draft, "future", context, understood)
    weeks, missing = _scope(understood, period, context)
    if not weeks:
        return _refuse(draft, "period", context, understood, requested=period.weeks or ())
    assert understood.intent is not None
    compose = _COMPOSERS[understood.intent]
    supported = compose(draft, understood, weeks, context, question)
    if not supported or not draft.sentences:
        return _refuse(draft, "absent", context, understood, checked=weeks)
    if missing:
        note = draft.t(
            f"Sem digest para {', '.join(missing)}.", f"No digest for {', '.join(missing)}."
        )
        if _word_count(draft.text() + " " + note) <= MAX_WORDS:
            draft.sentences.append(note)
    used = tuple(sorted({p.semana for p in draft.cited}))
    return Answer(draft.text(), used, tuple(draft.cited), True, lang)


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
        if len(covered) > MAX_DIGESTS:
            covered = covered[-MAX_DIGESTS:]
        return covered, missing if covered else ()
    wide = understood.intent in {"trend", "topic", "compare"} or period.recent
    if understood.intent in {"complaints", "suggestions", "improvements"} and period.recent:
        wide = True
    if understood.when and understood.intent in {"movement", "category", "spikes", "total"}:
        wide = True  # "when did criticism rise?": every week at hand
    if understood.significant or understood.superlative:
        wide = True
    if understood.intent == "total" and understood.trend:
        wide = True
    return (available if wide else available[-1:]), ()


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
    what = ", ".join(understood.tags) or ", ".join(understood.categories)
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
        "entity": (
            f"Os digests não trazem dados sobre {understood.unknown_tag}: só contagens de "
            f"comentários por categoria e por tag de funcionalidade, sem artistas, músicas ou pessoas.",
            f"The digests hold no data about {understood.unknown_tag}: only comment counts per "
            f"category and per feature tag, no artists, songs or people.",
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
    return Answer(draft.t(pt, en), (), (), False, draft.lang, reason)


def _weeks_text(weeks: Sequence[str]) -> str:
    weeks = sorted(weeks)
    if len(weeks) > 3:
        return f"{weeks[0]}–{weeks[-1]}"
    return ", ".join(weeks)


# --- composing ----------------------------------------------------------------------------------


def _cat(draft: _Draft, categoria: str) -> str:
    return (
        categoria
        if draft.lang == "pt"
        else f"{categoria} ({CATEGORY_EN.get(categoria, categoria)})"
    )


def _pp(draft: _Draft, value: Any) -> str:
    return format_number(value, draft.lang, grouped=False, plus=True, unit="pp")


def _pct(draft: _Draft, value: Any) -> str:
    return format_number(value, draft.lang, grouped=False, unit="%")


def _n(draft: _Draft, value: Any) -> str:
    return fmt(value, draft.lang)


def _significance(draft: _Draft, entry: Mapping[str, Any]) -> str:
    if entry.get("significativa"):
        return draft.t(", significativa", ", significant")
    return ""


def _movement_item(draft: _Draft, entry: Mapping[str, Any], *, name: bool = True) -> str:
    label = _cat(draft, str(entry.get("categoria"))) + " " if name else ""
    return f"{label}{_pp(draft, entry.get('variacao_pontos'))} " + draft.t(
        f"(de {_pct(draft, entry.get('percentual_anterior'))} para {_pct(draft, entry.get('percentual'))}; "
        f"de {_n(draft, entry.get('total_anterior'))} para {_n(draft, entry.get('total'))} comentários"
        f"{_significance(draft, entry)})",
        f"(from {_pct(draft, entry.get('percentual_anterior'))} to {_pct(draft, entry.get('percentual'))}; "
        f"from {_n(draft, entry.get('total_anterior'))} to {_n(draft, entry.get('total'))} comments"
        f"{_significance(draft, entry)})",
    )


def _volume(draft: _Draft, entry: Mapping[str, Any]) -> str:
    change = entry.get("variacao_percentual")
    if change is None:
        return ""
    volume = format_number(change, draft.lang, grouped=False, plus=True, unit="%")
    return draft.t(f", {volume} em volume", f", {volume} in volume")


def _join(draft: _Draft, items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + draft.t(" e ", " and ") + items[-1]


def _compose_when(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """The weeks in which each named category rose (and fell), with the size of each move."""
    for categoria in u.categories:
        passages = [p for w in weeks for p in ctx.find(w, "categoria", categoria)]
        groups = []
        if u.up or not u.down:
            groups.append(
                (
                    draft.t("subiu em", "rose in"),
                    [p for p in passages if (p.data.get("variacao_pontos") or 0) > 0],
                )
            )
        if u.down or not u.up:
            groups.append(
                (
                    draft.t("caiu em", "fell in"),
                    [p for p in passages if (p.data.get("variacao_pontos") or 0) < 0],
                )
            )
        parts = []
        used: list[Passage] = []
        for verb, found in groups:
            if not found:
                parts.append(
                    draft.t(f"não {verb.split()[0]} em nenhuma semana", f"never {verb.split()[0]}")
                )
                continue
            items = [
                f"{p.semana} ({_pp(draft, p.data.get('variacao_pontos'))}, "
                f"{draft.t('para', 'to')} {_pct(draft, p.data.get('percentual'))}{_significance(draft, p.data)})"
                for p in found
            ]
            parts.append(f"{verb} " + ", ".join(items))
            used += found
        sentence = draft.t(f"Em {_weeks_text(weeks)}, ", f"In {_weeks_text(weeks)}, ") + (
            f"{_cat(draft, categoria)} " + "; ".join(parts) + "."
        )
        # Saying when it rose is also saying when it did not: every week examined is a source.
        if not draft.say(sentence, *used, *passages):
            return False
    return bool(draft.sentences)


def _compose_significant(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context
) -> bool:
    """The category moves the two-proportion test found significant, week by week."""
    found = [
        p
        for w in weeks
        for p in ctx.find(w, "categoria")
        if p.data.get("significativa") and (not u.categories or p.key in u.categories)
    ]
    if not found:
        checked = [
            p
            for w in weeks
            for p in ctx.find(w, "categoria")
            if not u.categories or p.key in u.categories
        ]
        return draft.say(
            draft.t(
                f"Nenhuma variação significativa (teste de duas proporções, p < 0,05) em {_weeks_text(weeks)}.",
                f"No significant change (two-proportion test, p < 0.05) in {_weeks_text(weeks)}.",
            ),
            *checked,
        )
    items = [
        f"{p.semana} {_cat(draft, p.key)} {_pp(draft, p.data.get('variacao_pontos'))} "
        f"({draft.t('para', 'to')} {_pct(draft, p.data.get('percentual'))}, p = {_n(draft, p.data.get('p_valor'))})"
        for p in found
    ]
    return _say_list(
        draft,
        draft.t(
            "Variações significativas (p < 0,05): "
            if len(found) > 1
            else "Variação significativa (p < 0,05): ",
            "Significant changes (p < 0.05): "
            if len(found) > 1
            else "Significant change (p < 0.05): ",
        ),
        items,
        found,
        per_item=1,
    )


def _compose_extreme(draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context) -> bool:
    """ "Which week had the most criticism?": the week with the highest (lowest) share."""
    focus = u.categories or ()
    for categoria in focus:
        passages = [p for w in weeks for p in ctx.find(w, "categoria", categoria)]
        if not passages:
            continue
        pick = max if u.superlative == "max" else min
        best = pick(passages, key=lambda p: p.data.get("percentual") or 0)
        draft.say(
            draft.t(
                f"Entre {_weeks_text(weeks)}, {categoria} teve a {'maior' if pick is max else 'menor'} "
                f"participação em {best.semana}: {_pct(draft, best.data.get('percentual'))} "
                f"({_n(draft, best.data.get('total'))} comentários).",
                f"Across {_weeks_text(weeks)}, {_cat(draft, categoria)} had its {'highest' if pick is max else 'lowest'} "
                f"share in {best.semana}: {_pct(draft, best.data.get('percentual'))} "
                f"({_n(draft, best.data.get('total'))} comments).",
            ),
            best,
            *passages,
        )
    return bool(draft.sentences)


def _yes_no(draft: _Draft, u: Understanding, q: str, passages: Sequence[Passage]) -> str:
    """ "Sim."/"Não." before a yes/no question about one category's direction in one week."""
    asks = fold(q).strip()
    if len(passages) != 1 or u.up == u.down or not asks.endswith("?"):
        return ""
    if asks.split()[0] in {
        "qual",
        "quais",
        "quanto",
        "quantos",
        "quantas",
        "what",
        "which",
        "how",
        "como",
        "onde",
        "where",
    }:
        return ""
    moved = passages[0].data.get("variacao_pontos") or 0
    agreed = moved > 0 if u.up else moved < 0
    return draft.t("Sim. " if agreed else "Não. ", "Yes. " if agreed else "No. ")


def _compose_movement(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    focus = u.categories
    if u.significant:
        return _compose_significant(draft, u, weeks, ctx)
    if u.superlative and len(weeks) > 1:
        return _compose_extreme(draft, u, weeks, ctx)
    if focus and u.when and len(weeks) > 1:
        return _compose_when(draft, u, weeks, ctx)
    per_week_limit = 3 if len(weeks) <= 2 else 1
    for week in weeks:
        passages = ctx.find(week, "categoria")
        if focus:
            passages = [p for p in passages if p.key in focus]
        if not passages:
            continue
        if focus:
            verb = []
            for p in passages:
                moved = p.data.get("variacao_pontos") or 0
                verb.append(
                    draft.t(
                        "subiu" if moved > 0 else "caiu" if moved < 0 else "ficou estável",
                        "rose" if moved > 0 else "fell" if moved < 0 else "held steady",
                    )
                )
            sentence = (
                (_yes_no(draft, u, q, passages) if len(weeks) == 1 else "")
                + draft.t(f"Em {week}: ", f"In {week}: ")
                + "; ".join(
                    f"{_cat(draft, p.key)} {v} {_movement_item(draft, p.data, name=False)}"
                    for p, v in zip(passages, verb, strict=True)
                )
                + "."
            )
            draft.say(sentence, *passages)
            continue
        risers = sorted(
            (p for p in passages if (p.data.get("variacao_pontos") or 0) > 0),
            key=lambda p: -(p.data.get("variacao_pontos") or 0),
        )
        fallers = sorted(
            (p for p in passages if (p.data.get("variacao_pontos") or 0) < 0),
            key=lambda p: p.data.get("variacao_pontos") or 0,
        )
        parts: list[str] = []
        used: list[Passage] = []
        show_up = u.up or not u.down
        show_down = u.down or not u.up
        if show_up and risers:
            chosen = risers[:per_week_limit]
            parts.append(
                draft.t(
                    "subiram " if len(chosen) > 1 else "subiu ",
                    "rose: ",
                )
                + _join(draft, [_movement_item(draft, p.data) for p in chosen])
            )
            used += chosen
        if show_down and fallers:
            chosen = fallers[:per_week_limit]
            parts.append(
                draft.t("caíram " if len(chosen) > 1 else "caiu ", "fell: ")
                + _join(draft, [_movement_item(draft, p.data) for p in chosen])
            )
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
    if not u.categories:
        # Every category of each week, largest share first.
        for week in weeks[-3:]:
            passages = sorted(
                ctx.find(week, "categoria"), key=lambda p: -(p.data.get("percentual") or 0)
            )
            items = [
                f"{_cat(draft, p.key)} {_pct(draft, p.data.get('percentual'))} ({_n(draft, p.data.get('total'))}; "
                f"{_pp(draft, p.data.get('variacao_pontos'))})"
                for p in passages
            ]
            if items:
                draft.say(
                    draft.t(f"Categorias em {week}: ", f"Categories in {week}: ")
                    + ", ".join(items)
                    + ".",
                    *passages,
                )
        return bool(draft.sentences)
    focus = u.categories
    if len(weeks) > 1 and len(focus) <= 2:
        return _compose_trend(draft, u, weeks, ctx, q)
    for week in weeks:
        for categoria in focus:
            passage = ctx.one(week, "categoria", categoria)
            if passage is None:
                continue
            e = passage.data
            draft.say(
                draft.t(
                    f"Em {week}, {categoria} teve {_n(draft, e.get('total'))} comentários, "
                    f"{_pct(draft, e.get('percentual'))} do total (semana anterior "
                    f"{_n(draft, e.get('total_anterior'))}, {_pct(draft, e.get('percentual_anterior'))}; "
                    f"{_pp(draft, e.get('variacao_pontos'))}{_volume(draft, e)}).",
                    f"In {week}, {_cat(draft, categoria)} had {_n(draft, e.get('total'))} comments, "
                    f"{_pct(draft, e.get('percentual'))} of the total (previous week "
                    f"{_n(draft, e.get('total_anterior'))}, {_pct(draft, e.get('percentual_anterior'))}; "
                    f"{_pp(draft, e.get('variacao_pontos'))}{_volume(draft, e)}).",
                ),
                passage,
            )
    return bool(draft.sentences)


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
            top = max(cats, key=lambda p: abs(p.data.get("variacao_pontos") or 0))
            items.append(
                draft.t(
                    f"{week}: {_n(draft, total.data.get('total'))} comentários, maior variação "
                    f"{top.key} {_pp(draft, top.data.get('variacao_pontos'))} ({_pct(draft, top.data.get('percentual'))})",
                    f"{week}: {_n(draft, total.data.get('total'))} comments, biggest move "
                    f"{_cat(draft, top.key)} {_pp(draft, top.data.get('variacao_pontos'))} ({_pct(draft, top.data.get('percentual'))})",
                )
            )
            used += [total, top]
        return _say_list(
            draft, draft.t("Semana a semana: ", "Week by week: "), items, used, per_item=2
        )
    for categoria in u.categories:
        items = []
        used = []
        for week in weeks:
            passage = ctx.one(week, "categoria", categoria)
            if passage is None:
                continue
            e = passage.data
            items.append(
                f"{week} {_pct(draft, e.get('percentual'))} ({_n(draft, e.get('total'))}; "
                f"{_pp(draft, e.get('variacao_pontos'))})"
            )
            used.append(passage)
        if not items:
            continue
        head = draft.t(f"{categoria} por semana: ", f"{_cat(draft, categoria)} by week: ")
        _say_list(draft, head, items, used, per_item=1)
        moves = [p for p in used if p.data.get("variacao_pontos")]
        if len(used) > 1 and moves:
            up = max(moves, key=lambda p: p.data.get("variacao_pontos") or 0)
            down = min(moves, key=lambda p: p.data.get("variacao_pontos") or 0)
            notes = []
            if (up.data.get("variacao_pontos") or 0) > 0:
                notes.append(
                    draft.t(
                        f"maior alta em {up.semana} ({_pp(draft, up.data.get('variacao_pontos'))})",
                        f"biggest rise in {up.semana} ({_pp(draft, up.data.get('variacao_pontos'))})",
                    )
                )
            if (down.data.get("variacao_pontos") or 0) < 0:
                notes.append(
                    draft.t(
                        f"maior queda em {down.semana} ({_pp(draft, down.data.get('variacao_pontos'))})",
                        f"biggest drop in {down.semana} ({_pp(draft, down.data.get('variacao_pontos'))})",
                    )
                )
            if notes:
                sentence = "; ".join(notes)
                draft.say(sentence[0].upper() + sentence[1:] + ".", up, down)
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
    draft.say(head + "; ".join(kept) + ".", *used[: len(kept) * per_item])
    return True


def _compose_total(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    items = []
    used: list[Passage] = []
    values: list[int] = []
    for week in weeks:
        passage = ctx.one(week, "total")
        if passage is None:
            continue
        items.append(
            draft.t(
                f"{week}: {_n(draft, passage.data.get('total'))} comentários (semana anterior "
                f"{_n(draft, passage.data.get('total_anterior'))})",
                f"{week}: {_n(draft, passage.data.get('total'))} comments (previous week "
                f"{_n(draft, passage.data.get('total_anterior'))})",
            )
        )
        used.append(passage)
        value = passage.data.get("total")
        if isinstance(value, int):
            values.append(value)
    if not items:
        return False
    if u.superlative and len(used) > 1:
        pick = max if u.superlative == "max" else min
        best = pick(used, key=lambda p: p.data.get("total") or 0)
        draft.say(
            draft.t(
                f"Entre {_weeks_text(weeks)}, a semana com {'mais' if pick is max else 'menos'} "
                f"comentários foi {best.semana}: {_n(draft, best.data.get('total'))}.",
                f"Across {_weeks_text(weeks)}, the week with the {'most' if pick is max else 'fewest'} "
                f"comments was {best.semana}: {_n(draft, best.data.get('total'))}.",
            ),
            best,
            *used,
        )
        return True
    if len(items) == 1:
        draft.say(items[0][0].upper() + items[0][1:] + ".", *used)
        return True
    _say_list(
        draft, draft.t("Comentários por semana: ", "Comments per week: "), items, used, per_item=1
    )
    if len(values) == len(used) == len(draft.cited):
        draft.say(
            draft.t(
                f"Somando as {len(values)} semanas: {sum(values)}.",
                f"Summed over the {len(values)} weeks: {sum(values)}.",
            )
        )
    return True


def _tag_item(draft: _Draft, passage: Passage) -> str:
    e = passage.data
    return draft.t(
        f"{passage.key} ({_n(draft, e.get('total'))} comentários, {signed(e.get('variacao'), 'pt')} vs. semana anterior)",
        f"{passage.key} ({_n(draft, e.get('total'))} comments, {signed(e.get('variacao'), 'en')} vs. previous week)",
    )


def _example(draft: _Draft, passages: Sequence[Passage]) -> str | None:
    for passage in passages:
        exemplos = passage.data.get("exemplos") or []
        if exemplos:
            e = exemplos[0]
            text = " ".join(str(e.get("texto", "")).split())
            if len(text.split()) > 18:
                text = " ".join(text.split()[:18]) + "…"
            return draft.t(
                f'Exemplo ({passage.key}): [{e.get("id")}] "{text}".',
                f'Example ({passage.key}): [{e.get("id")}] "{text}".',
            )
    return None


def _rank(passages: Sequence[Passage], u: Understanding) -> list[Passage]:
    """Largest first; by change when the question asks what rose or fell."""
    if u.up and not u.down:
        return sorted(passages, key=lambda p: -(p.data.get("variacao") or 0))
    if u.down and not u.up:
        return sorted(passages, key=lambda p: p.data.get("variacao") or 0)
    return sorted(passages, key=lambda p: -(p.data.get("total") or 0))


def _compose_tag_list(
    draft: _Draft,
    u: Understanding,
    kind: str,
    weeks: Sequence[str],
    ctx: Context,
    q: str,
    *,
    limit: int = 3,
) -> bool:
    label = {
        "critica": ("Principais críticas recorrentes", "Main recurring criticisms"),
        "sugestao": ("Principais sugestões", "Main suggestions"),
    }[kind]
    if u.up != u.down:
        moved = (
            ("que mais subiram", "that rose most")
            if u.up
            else ("que mais caíram", "that fell most")
        )
        label = {
            "critica": (f"Críticas recorrentes {moved[0]}", f"Recurring criticisms {moved[1]}"),
            "sugestao": (f"Sugestões {moved[0]}", f"Suggestions {moved[1]}"),
        }[kind]
    if len(weeks) <= 2:
        for week in weeks:
            passages = ctx.find(week, kind)
            ranked = _rank(passages, u)[:limit]
            if not ranked:
                draft.say(
                    draft.t(
                        f"{label[0]} em {week}: nenhuma registrada.",
                        f"{label[1]} in {week}: none recorded.",
                    ),
                    *ctx.find(week, "total"),
                )
                continue
            draft.say(
                draft.t(f"{label[0]} em {week}: ", f"{label[1]} in {week}: ")
                + _join(draft, [_tag_item(draft, p) for p in ranked])
                + ".",
                *ranked,
            )
            if len(weeks) == 1:
                example = _example(draft, ranked)
                if example:
                    draft.say(example, ranked[0])
        return bool(draft.sentences)
    # Several weeks: each tag once, with its weekly counts, the most persistent first.
    by_tag: dict[str, list[Passage]] = {}
    for week in weeks:
        for passage in ctx.find(week, kind):
            by_tag.setdefault(passage.key, []).append(passage)
    if not by_tag:
        return False
    ranked_tags = sorted(
        by_tag,
        key=lambda t: (-len(by_tag[t]), -sum(p.data.get("total") or 0 for p in by_tag[t]), t),
    )
    head = draft.t(f"{label[0]} em {_weeks_text(weeks)}: ", f"{label[1]} in {_weeks_text(weeks)}: ")
    items = []
    used: list[list[Passage]] = []
    for tag in ranked_tags[:4]:
        found = by_tag[tag]
        counts = ", ".join(f"{p.semana} {_n(draft, p.data.get('total'))}" for p in found)
        items.append(
            draft.t(
                f"{tag} em {len(found)} de {len(weeks)} semanas ({counts})",
                f"{tag} in {len(found)} of {len(weeks)} weeks ({counts})",
            )
        )
        used.append(found)
    for count in range(len(items), 0, -1):
        sentence = head + "; ".join(items[:count]) + "."
        if draft.say(sentence, *[p for group in used[:count] for p in group]):
            break
    return bool(draft.sentences)


def _compose_complaints(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    return _compose_tag_list(draft, u, "critica", weeks, ctx, q, limit=u.top or 3)


def _compose_suggestions(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    return _compose_tag_list(draft, u, "sugestao", weeks, ctx, q, limit=u.top or 3)


def _compose_improvements(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    ok = _compose_tag_list(draft, u, "critica", weeks, ctx, q, limit=2)
    ok = _compose_tag_list(draft, u, "sugestao", weeks, ctx, q, limit=2) or ok
    return ok


def _compose_spikes(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    for week in weeks:
        passages = ctx.find(week, "alta")
        if u.tags:
            passages = [p for p in passages if p.key in u.tags]
        passages = sorted(passages, key=lambda p: -(p.data.get("fator") or 0))
        if not passages:
            if len(weeks) == 1:
                total = ctx.find(week, "total")
                draft.say(
                    draft.t(
                        f"Nenhuma tag em alta registrada em {week}.",
                        f"No spiking tag recorded in {week}.",
                    ),
                    *total,
                )
            continue
        items = [
            draft.t(
                f"{p.key} ({_n(draft, p.data.get('total'))} menções, média de {_n(draft, p.data.get('media_4_semanas'))} "
                f"nas 4 semanas anteriores, fator {_n(draft, p.data.get('fator'))}x)",
                f"{p.key} ({_n(draft, p.data.get('total'))} mentions vs. a mean of {_n(draft, p.data.get('media_4_semanas'))} "
                f"over the 4 previous weeks, factor {_n(draft, p.data.get('fator'))}x)",
            )
            for p in passages[:3]
        ]
        _say_list(
            draft,
            draft.t(f"Tags em alta em {week}: ", f"Spiking tags in {week}: "),
            items,
            passages[:3],
            per_item=1,
        )
    return bool(draft.sentences)


def _compose_questions(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    for week in weeks[-2:]:
        passages = ctx.find(week, "duvida")[:3]
        if not passages:
            continue
        items = [f'[{p.data.get("id")}] "{_short(str(p.data.get("texto", "")))}"' for p in passages]
        _say_list(
            draft,
            draft.t(f"Dúvidas abertas em {week}: ", f"Open questions in {week}: "),
            items,
            passages,
            per_item=1,
        )
    return bool(draft.sentences)


def _short(text: str, limit: int = 16) -> str:
    split = " ".join(text.split()).split(" ")
    return " ".join(split[:limit]) + ("…" if len(split) > limit else "")


def _compose_review(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    for week in weeks:
        passage = ctx.one(week, "revisao")
        if passage is None:
            continue
        draft.say(
            draft.t(
                f"Em {week}, {_n(draft, passage.data.get('precisa_revisao'))} comentários precisavam de revisão "
                f"humana e houve {_n(draft, passage.data.get('correcoes_humanas'))} correções humanas.",
                f"In {week}, {_n(draft, passage.data.get('precisa_revisao'))} comments needed human review and "
                f"there were {_n(draft, passage.data.get('correcoes_humanas'))} human corrections.",
            ),
            passage,
        )
    return bool(draft.sentences)


def _compose_topic(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    labels = {
        "critica": ("crítica recorrente", "recurring criticism"),
        "sugestao": ("sugestão relevante", "relevant suggestion"),
    }
    found_any = False
    for tag in u.tags[:2]:
        parts: list[str] = []
        used: list[Passage] = []
        for kind in ("critica", "sugestao"):
            hits = [p for w in weeks for p in ctx.find(w, kind, tag)]
            if not hits:
                continue
            counts = ", ".join(
                draft.t(
                    f"{p.semana} ({_n(draft, p.data.get('total'))} comentários, {signed(p.data.get('variacao'), 'pt')})",
                    f"{p.semana} ({_n(draft, p.data.get('total'))} comments, {signed(p.data.get('variacao'), 'en')})",
                )
                for p in hits
            )
            label = labels[kind][0 if draft.lang == "pt" else 1]
            parts.append(draft.t(f"{label} em {counts}", f"{label} in {counts}"))
            used += hits
        spikes = [p for w in weeks for p in ctx.find(w, "alta", tag)]
        if spikes:
            counts = ", ".join(
                draft.t(
                    f"{p.semana} ({_n(draft, p.data.get('total'))} menções, fator {_n(draft, p.data.get('fator'))}x)",
                    f"{p.semana} ({_n(draft, p.data.get('total'))} mentions, factor {_n(draft, p.data.get('fator'))}x)",
                )
                for p in spikes
            )
            parts.append(draft.t(f"em alta em {counts}", f"spiking in {counts}"))
            used += spikes
        if not parts:
            continue
        found_any = True
        sentence = f"{tag}: " + "; ".join(parts) + "."
        if not draft.say(sentence, *used):
            # Too many weeks to list: keep the most recent ones that fit.
            recent = sorted(used, key=lambda p: p.semana)[-4:]
            draft.say(
                f"{tag}: "
                + "; ".join(f"{p.semana} {_n(draft, p.data.get('total'))}" for p in recent)
                + ".",
                *recent,
            )
        example = _example(draft, [p for p in reversed(used) if p.kind in ("critica", "sugestao")])
        if example and len(u.tags) == 1:
            source = next(p for p in reversed(used) if p.data.get("exemplos"))
            draft.say(example, source)
    if not found_any:
        return False
    # The prose sentences that name the subject, when they add to the figures.
    subject_terms = {stem(t.split("_", 1)[1]) for t in u.tags} | set(u.tags)
    for passage in ctx.index.search(expand(q, u.tags), weeks=weeks, kinds=["texto"], limit=2):
        if subject_terms & set(passage.passage.terms):
            draft.cite(passage.passage)
            break
    return True


def _compose_compare(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    if len(weeks) < 2:
        return _compose_movement(draft, u, weeks, ctx, q)
    pair = (weeks[0], weeks[-1])
    focus = u.categories
    for week in pair:
        total = ctx.one(week, "total")
        cats = [p for p in ctx.find(week, "categoria") if not focus or p.key in focus]
        if total is None:
            continue
        shares = ", ".join(
            f"{_cat(draft, p.key) if focus else p.key} {_pct(draft, p.data.get('percentual'))}"
            for p in cats
        )
        top = sorted(ctx.find(week, "critica"), key=lambda p: -(p.data.get("total") or 0))[:1]
        extra = ""
        if top:
            extra = draft.t(
                f"; principal crítica {top[0].key} ({_n(draft, top[0].data.get('total'))})",
                f"; top criticism {top[0].key} ({_n(draft, top[0].data.get('total'))})",
            )
        draft.say(
            draft.t(
                f"{week}: {_n(draft, total.data.get('total'))} comentários; {shares}{extra}.",
                f"{week}: {_n(draft, total.data.get('total'))} comments; {shares}{extra}.",
            ),
            total,
            *cats,
            *top,
        )
    return bool(draft.sentences)


def _compose_summary(
    draft: _Draft, u: Understanding, weeks: Sequence[str], ctx: Context, q: str
) -> bool:
    chosen = weeks if len(weeks) <= 2 else weeks[-2:]
    for week in chosen:
        total = ctx.one(week, "total")
        if total is None:
            continue
        draft.say(
            draft.t(
                f"Em {week}: {_n(draft, total.data.get('total'))} comentários (semana anterior {_n(draft, total.data.get('total_anterior'))}).",
                f"In {week}: {_n(draft, total.data.get('total'))} comments (previous week {_n(draft, total.data.get('total_anterior'))}).",
            ),
            total,
        )
        cats = ctx.find(week, "categoria")
        if cats:
            up = max(cats, key=lambda p: p.data.get("variacao_pontos") or 0)
            down = min(cats, key=lambda p: p.data.get("variacao_pontos") or 0)
            parts, used = [], []
            if (up.data.get("variacao_pontos") or 0) > 0:
                parts.append(
                    draft.t("maior alta ", "biggest rise ") + _movement_item(draft, up.data)
                )
                used.append(up)
            if (down.data.get("variacao_pontos") or 0) < 0:
                parts.append(
                    draft.t("maior queda ", "biggest drop ") + _movement_item(draft, down.data)
                )
                used.append(down)
            if parts:
                sentence = "; ".join(parts)
                draft.say(sentence[0].upper() + sentence[1:] + ".", *used)
        crit = sorted(ctx.find(week, "critica"), key=lambda p: -(p.data.get("total") or 0))[:1]
        sug = sorted(ctx.find(week, "sugestao"), key=lambda p: -(p.data.get("total") or 0))[:1]
        alta = sorted(ctx.find(week, "alta"), key=lambda p: -(p.data.get("fator") or 0))[:1]
        parts, used = [], []
        if crit:
            parts.append(
                draft.t("principal crítica ", "top criticism ") + _tag_item(draft, crit[0])
            )
            used += crit
        if sug:
            parts.append(
                draft.t("principal sugestão ", "top suggestion ") + _tag_item(draft, sug[0])
            )
            used += sug
        if alta:
            parts.append(
                draft.t(
                    f"em alta {alta[0].key} (fator {_n(draft, alta[0].data.get('fator'))}x)",
                    f"spiking {alta[0].key} (factor {_n(draft, alta[0].data.get('fator'))}x)",
                )
            )
            used += alta
        if parts:
            sentence = "; ".join(parts)
            draft.say(sentence[0].upper() + sentence[1:] + ".", *used)
    return bool(draft.sentences)


Composer = Callable[[_Draft, Understanding, Sequence[str], Context, str], bool]
_COMPOSERS: Final[dict[str, Composer]] = {
    "movement": _compose_movement,
    "trend": _compose_trend,
    "compare": _compose_compare,
    "category": _compose_category,
    "total": _compose_total,
    "complaints": _compose_complaints,
    "suggestions": _compose_suggestions,
    "improvements": _compose_improvements,
    "spikes": _compose_spikes,
    "questions": _compose_questions,
    "review": _compose_review,
    "topic": _compose_topic,
    "summary": _compose_summary,
}

__all__ = ["Answer", "Context", "answer_offline", "fold", "words"]
