"""BM25 over a handful of digests' passages, with PT<->EN synonyms and taxonomy aliases.

The index is small (at most 8 digests, a few dozen passages each), so it is rebuilt per question:
no cache to invalidate when a new digest lands. A query is expanded before scoring: a word of a
synonym group brings the whole group ("complaints" -> "crítica", "reclamação"...), and a word the
taxonomy knows brings its tag ("lyrics" -> `feat_letra`), so an English question meets Portuguese
passages.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from shared.insights.digests import Passage
from shared.insights.text import stem, terms

K1: Final = 1.2
B: Final = 0.75

# Each line is one concept in both languages (folded surface words; stemmed at load).
SYNONYM_GROUPS: Final = (
    "elogio elogios elogiar elogiaram praise praised compliment compliments positive positivo positivos positivas",
    "critica criticas criticism criticisms critique complaint complaints complain reclamacao reclamacoes reclamar reclamam queixa queixas negative negativo negativos negativas",
    "sugestao sugestoes suggestion suggestions suggest sugerem pedido pedidos request requests ideia ideias idea ideas",
    "duvida duvidas question questions pergunta perguntas doubt doubts",
    "spam propaganda promotion promocao divulgacao",
    "subiu subir aumentou aumento cresceu crescimento rose rise grew growth increase increased",
    "caiu cair queda diminuiu reducao fell fall dropped drop decrease decreased declined",
    "alta spike spiking trending disparou pico surge",
    "total totais comentarios comments volume",
    "revisao review reviews revisar corrections correcoes",
    "semana week semanas weeks",
)


@cache
def _synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in SYNONYM_GROUPS:
        group = {stem(word) for word in line.split()}
        for term in group:
            table.setdefault(term, set()).update(group)
    return {term: frozenset(group) for term, group in table.items()}


def expand(question: str, tags: Iterable[str] = ()) -> list[str]:
    """The question's terms, plus synonyms and the tags it names."""
    base = terms(question)
    expanded = list(base)
    synonyms = _synonyms()
    for term in base:
        expanded.extend(sorted(synonyms.get(term, frozenset()) - {term}))
    for tag in tags:
        expanded.extend([tag, stem(tag.split("_", 1)[1])])
    return expanded


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float


class Bm25Index:
    """Okapi BM25 over passages' precomputed terms."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self._tf = [Counter(p.terms) for p in self.passages]
        self._lengths = [len(p.terms) or 1 for p in self.passages]
        self._avg = sum(self._lengths) / max(len(self._lengths), 1)
        df: Counter[str] = Counter()
        for tf in self._tf:
            df.update(tf.keys())
        n = len(self.passages)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query_terms: Sequence[str], index: int) -> float:
        tf = self._tf[index]
        norm = K1 * (1 - B + B * self._lengths[index] / self._avg)
        total = 0.0
        for term in set(query_terms):
            freq = tf.get(term)
            if freq:
                total += self._idf[term] * freq * (K1 + 1) / (freq + norm)
        return total

    def search(
        self,
        query_terms: Sequence[str],
        *,
        weeks: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        limit: int = 8,
    ) -> list[Hit]:
        allowed_weeks = set(weeks) if weeks is not None else None
        allowed_kinds = set(kinds) if kinds is not None else None
        hits = []
        for index, passage in enumerate(self.passages):
            if allowed_weeks is not None and passage.semana not in allowed_weeks:
                continue
            if allowed_kinds is not None and passage.kind not in allowed_kinds:
                continue
            score = self.score(query_terms, index)
            if score > 0:
                hits.append(Hit(passage, score))
        hits.sort(key=lambda hit: (-hit.score, hit.passage.semana, hit.passage.id))
        return hits[:limit]
