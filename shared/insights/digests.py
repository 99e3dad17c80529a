"""The passages the answerer cites, made from the stored weekly digests.

A digest's `stats` (`shared.digest.contract.WeekStats`, read by `shared.digest.store`) is turned
into short factual passages, one per stats entry: the week's totals, each category's share and
movement, each recurring criticism, each relevant suggestion, each spiking tag, each open question
and the review counts; the digest's prose adds one passage per sentence of its own (a quoted
listener is not one). Listeners' words a passage shows are kept in `quotes`, so their numbers never
pass for the digest's. A passage keeps the stats
entry it renders (`data`) so an answer is composed from the same numbers the passage shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from typing import Any, Final

from shared.digest.store import Digest
from shared.digest.vocabulary import tag_name
from shared.digest.writer import is_quotation, paragraphs, repeats_a_listener
from shared.insights.text import terms
from shared.numbers import format_number


@dataclass(frozen=True, slots=True)
class Passage:
    """One citable fact of one week. `id` is stable: `<semana>/<kind>[/<key>]`."""

    id: str
    semana: str
    kind: str  # total | categoria | critica | sugestao | alta | duvida | revisao | texto
    text: str
    key: str = ""  # the category or tag it is about
    data: Mapping[str, Any] = field(default_factory=dict)
    comment_ids: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()  # listeners' words shown in `text`, each as it appears there

    def own_text(self) -> str:
        """`text` without the listeners' words it quotes: what the digest itself states."""
        own = self.text
        for quote in self.quotes:
            own = own.replace(quote, "")
        return own


# --- passages -----------------------------------------------------------------------------------


# Figures in passages and answers have no thousands separator: one figure reads the same in both
# languages.
fmt: Final = partial(format_number, grouped=False)
signed: Final = partial(format_number, grouped=False, plus=True)


def _quote(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def _named(tag: str) -> str:
    """A tag as a passage states it: its words in Portuguese and English, then the id, so an answer
    that names it in words cites the passage that says so."""
    return f"{tag_name(tag, 'pt')} / {tag_name(tag, 'en')} ({tag})"


def _br_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def digest_passages(digest: Digest) -> list[Passage]:
    """Every passage of one digest, stats first, then the prose sentences."""
    stats = digest.stats
    week = digest.semana
    passages: list[Passage] = []

    def add(
        kind: str,
        text: str,
        key: str = "",
        data: Mapping[str, Any] | None = None,
        ids: Sequence[str] = (),
        quotes: Sequence[str] = (),
    ) -> None:
        suffix = f"/{key}" if key else ""
        index = sum(1 for p in passages if p.kind == kind and p.key == key)
        pid = f"{week}/{kind}{suffix}" + (f"/{index + 1}" if index else "")
        passages.append(
            Passage(
                id=pid,
                semana=week,
                kind=kind,
                text=text,
                key=key,
                data=dict(data or {}),
                comment_ids=tuple(ids),
                terms=tuple(terms(text)),
                quotes=tuple(quotes),
            )
        )

    anterior = stats["semana_anterior"]
    add(
        "total",
        f"Semana {week} ({_br_date(digest.inicio)} a {_br_date(digest.fim)}): "
        f"{fmt(stats['total'])} comentários no total; semana anterior {anterior}: "
        f"{fmt(stats['total_anterior'])} comentários.",
        data={
            "total": stats["total"],
            "total_anterior": stats["total_anterior"],
            "semana_anterior": anterior,
        },
    )
    for entry in stats["categorias"]:
        categoria = entry["categoria"]
        moved = entry["variacao_pontos"]
        direction = "subiu" if moved > 0 else "caiu" if moved < 0 else "estável"
        significance = (
            "variação significativa" if entry["significativa"] else "variação não significativa"
        )
        add(
            "categoria",
            f"{categoria} em {week}: {fmt(entry['total'])} comentários, "
            f"{fmt(entry['percentual'])}% do total (semana anterior "
            f"{fmt(entry['total_anterior'])}, {fmt(entry['percentual_anterior'])}%); "
            f"{direction} {signed(entry['variacao_pontos'])} pontos percentuais, "
            f"{signed(entry['variacao_percentual'])}% em volume; {significance} "
            f"(p = {fmt(entry['p_valor'])}; teste de duas proporções, p < 0,05).",
            key=categoria,
            data=entry,
        )
    for themes, kind, label in (
        (stats["criticas_recorrentes"], "critica", "Crítica recorrente"),
        (stats["sugestoes_relevantes"], "sugestao", "Sugestão relevante"),
    ):
        for theme in themes:
            tag = theme["tag"]
            exemplos = theme["exemplos"][:3]
            quoted = [_quote(e["texto"]) for e in exemplos]
            shown = "; ".join(f'[{e["id"]}] "{q}"' for e, q in zip(exemplos, quoted, strict=True))
            add(
                kind,
                f"{label} em {week}: {_named(tag)} com {fmt(theme['total'])} comentários "
                f"(semana anterior {fmt(theme['total_anterior'])}, variação "
                f"{signed(theme['variacao'])})." + (f" Exemplos: {shown}." if shown else ""),
                key=tag,
                data=theme,
                ids=[e["id"] for e in exemplos],
                quotes=quoted,
            )
    for spike in stats["tags_em_alta"]:
        add(
            "alta",
            f"Tag em alta em {week}: {_named(spike['tag'])} com {fmt(spike['total'])} menções, contra "
            f"média de {fmt(spike['media_4_semanas'])} nas 4 semanas anteriores (fator "
            f"{fmt(spike['fator'])}x).",
            key=spike["tag"],
            data=spike,
        )
    for question in stats["duvidas_abertas"]:
        add(
            "duvida",
            f'Dúvida aberta em {week}: [{question["id"]}] "{_quote(question["texto"])}".',
            data=question,
            ids=[question["id"]],
            quotes=[_quote(question["texto"])],
        )
    revisao = stats["revisao"]
    add(
        "revisao",
        f"Revisão em {week}: {fmt(revisao['precisa_revisao'])} comentários precisam de "
        f"revisão humana; {fmt(revisao['correcoes_humanas'])} correções humanas.",
        data=revisao,
    )
    for sentence in split_sentences(digest.texto):
        # Digests written before quotations were marked spliced a listener into a sentence
        # ('Um ouvinte resumiu: "..."'): such a sentence is the listener's, not the digest's.
        if not repeats_a_listener(sentence, stats):
            add("texto", sentence)
    return passages


_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9\"'“(-])|\n+")
# `[^.!?]*[,!.]?\s*$` read the same, but its two runs that take spaces made it quadratic.
_GREETING: Final = re.compile(r"^(olá|ola|oi)\b[^.!?]*(?:[!.]\s*)?$", re.IGNORECASE)
_SIGNATURE: Final = re.compile(r"feedbacks por ia", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """The prose's own sentences, without the greeting line, the signature and quotations.

    A quoted listener (a paragraph the writer marks as a quotation) is not the digest speaking,
    and neither is the line that introduces it (it ends in a colon and states nothing).
    """
    sentences = []
    own = "\n\n".join(block for block in paragraphs(text or "") if not is_quotation(block))
    for part in _SENTENCE_END.split(own):
        sentence = " ".join(part.split()).strip("- ")
        if (
            len(sentence) < 12
            or sentence.endswith(":")
            or _GREETING.match(sentence)
            or _SIGNATURE.search(sentence)
        ):
            continue
        sentences.append(sentence)
    return sentences
