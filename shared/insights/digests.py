"""The weekly digests the answerer reads, and the passages it cites.

A digest's `stats` (see docs of the digest function: keys fixed, numbers computed in SQL) is turned
into short factual passages, one per stats entry: the week's totals, each category's share and
movement, each recurring criticism, each relevant suggestion, each spiking tag, each open question
and the review counts; the digest's prose adds one passage per sentence. A passage keeps the stats
entry it renders (`data`) so an answer is composed from the same numbers the passage shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import sqlalchemy as sa

from shared.insights.text import terms

CATEGORIES: Final = ("ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM")
# The tag lists of a digest and the passage kind each one renders to.
TAG_LISTS: Final = {
    "criticas_recorrentes": "critica",
    "sugestoes_relevantes": "sugestao",
    "tags_em_alta": "alta",
}


@dataclass(frozen=True, slots=True)
class Digest:
    """One stored weekly digest: ISO week, Monday..Sunday, SQL stats and the e-mail's prose."""

    semana: str
    inicio: date
    fim: date
    stats: Mapping[str, Any]
    texto: str


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


def load_recent_digests(engine: sa.Engine, limit: int) -> list[Digest]:
    """The `limit` most recent digests, oldest first."""
    query = sa.text(
        "SELECT semana, inicio, fim, stats, texto FROM weekly_digests "
        "ORDER BY semana DESC LIMIT :limit"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"limit": limit}).all()
    return [_digest(row) for row in reversed(rows)]


def load_digests(engine: sa.Engine, weeks: Sequence[str]) -> list[Digest]:
    """The stored digests of `weeks` (those that exist), oldest first."""
    query = sa.text(
        "SELECT semana, inicio, fim, stats, texto FROM weekly_digests "
        "WHERE semana = ANY(:weeks) ORDER BY semana"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"weeks": list(weeks)}).all()
    return [_digest(row) for row in rows]


def _digest(row: Any) -> Digest:
    stats = row.stats
    if isinstance(stats, str | bytes):
        stats = json.loads(stats)
    if not isinstance(stats, Mapping):
        stats = {}
    return Digest(
        semana=str(row.semana),
        inicio=row.inicio,
        fim=row.fim,
        stats=stats,
        texto=str(row.texto or ""),
    )


def digest_from_json(item: Mapping[str, Any]) -> Digest:
    """A digest from its JSON form (`semana`, `inicio`, `fim`, `stats`, `texto`)."""
    return Digest(
        semana=str(item["semana"]),
        inicio=date.fromisoformat(str(item["inicio"])),
        fim=date.fromisoformat(str(item["fim"])),
        stats=item["stats"],
        texto=str(item.get("texto", "")),
    )


# --- passages -----------------------------------------------------------------------------------


def fmt(value: Any, language: str = "pt") -> str:
    """A stats number as people read it: whole numbers plain, decimals with the language's separator
    (no thousands separator, so the same figure reads the same in both languages)."""
    if value is None:
        return "n/d" if language == "pt" else "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "pt" else text


def signed(value: Any, language: str = "pt") -> str:
    text = fmt(value, language)
    if value is not None and isinstance(value, int | float) and value > 0:
        return "+" + text
    return text


def _quote(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
            )
        )

    anterior = stats.get("semana_anterior") or ""
    add(
        "total",
        f"Semana {week} ({_br_date(digest.inicio)} a {_br_date(digest.fim)}): "
        f"{fmt(stats.get('total'))} comentários no total; semana anterior {anterior}: "
        f"{fmt(stats.get('total_anterior'))} comentários.",
        data={
            "total": stats.get("total"),
            "total_anterior": stats.get("total_anterior"),
            "semana_anterior": anterior,
        },
    )
    for entry in stats.get("categorias") or []:
        categoria = str(entry.get("categoria", ""))
        moved = entry.get("variacao_pontos") or 0
        direction = "subiu" if moved > 0 else "caiu" if moved < 0 else "estável"
        significance = (
            "variação significativa" if entry.get("significativa") else "variação não significativa"
        )
        add(
            "categoria",
            f"{categoria} em {week}: {fmt(entry.get('total'))} comentários, "
            f"{fmt(entry.get('percentual'))}% do total (semana anterior "
            f"{fmt(entry.get('total_anterior'))}, {fmt(entry.get('percentual_anterior'))}%); "
            f"{direction} {signed(entry.get('variacao_pontos'))} pontos percentuais, "
            f"{signed(entry.get('variacao_percentual'))}% em volume; {significance} "
            f"(p = {fmt(entry.get('p_valor'))}; teste de duas proporções, p < 0,05).",
            key=categoria,
            data=entry,
        )
    labels = {
        "criticas_recorrentes": "Crítica recorrente",
        "sugestoes_relevantes": "Sugestão relevante",
    }
    for list_name, label in labels.items():
        for entry in stats.get(list_name) or []:
            tag = str(entry.get("tag", ""))
            exemplos = entry.get("exemplos") or []
            quotes = "; ".join(
                f'[{e.get("id")}] "{_quote(e.get("texto", ""))}"' for e in exemplos[:3]
            )
            add(
                TAG_LISTS[list_name],
                f"{label} em {week}: {tag} com {fmt(entry.get('total'))} comentários "
                f"(semana anterior {fmt(entry.get('total_anterior'))}, variação "
                f"{signed(entry.get('variacao'))})." + (f" Exemplos: {quotes}." if quotes else ""),
                key=tag,
                data=entry,
                ids=[str(e.get("id")) for e in exemplos[:3]],
            )
    for entry in stats.get("tags_em_alta") or []:
        tag = str(entry.get("tag", ""))
        add(
            "alta",
            f"Tag em alta em {week}: {tag} com {fmt(entry.get('total'))} menções, contra média de "
            f"{fmt(entry.get('media_4_semanas'))} nas 4 semanas anteriores (fator "
            f"{fmt(entry.get('fator'))}x).",
            key=tag,
            data=entry,
        )
    for entry in stats.get("duvidas_abertas") or []:
        add(
            "duvida",
            f'Dúvida aberta em {week}: [{entry.get("id")}] "{_quote(entry.get("texto", ""))}".',
            data=entry,
            ids=[str(entry.get("id"))],
        )
    revisao = stats.get("revisao") or {}
    if revisao:
        add(
            "revisao",
            f"Revisão em {week}: {fmt(revisao.get('precisa_revisao'))} comentários precisam de "
            f"revisão humana; {fmt(revisao.get('correcoes_humanas'))} correções humanas.",
            data=revisao,
        )
    for sentence in split_sentences(digest.texto):
        add("texto", sentence)
    return passages


_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9\"'“(-])|\n+")
_GREETING: Final = re.compile(r"^(olá|ola|oi)\b[^.!?]*[,!.]?\s*$", re.IGNORECASE)
_SIGNATURE: Final = re.compile(r"feedbacks por ia", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """The prose's sentences, without the greeting line and the signature."""
    sentences = []
    for part in _SENTENCE_END.split(text or ""):
        sentence = " ".join(part.split()).strip("- ")
        if len(sentence) < 12 or _GREETING.match(sentence) or _SIGNATURE.search(sentence):
            continue
        sentences.append(sentence)
    return sentences
