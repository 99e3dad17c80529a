"""Designed evaluation sets: weeks whose every count is written by hand, and questions checked
against them. The blind sets (`blind/` to `blind7/`) each hold only their tables
and questions; the arithmetic that turns a table into digests, and the questions into a questions
file, is here so every set derives its figures the same way.

Stats are derived as the digest's SQL derives them (`shared.digest.stats`): shares rounded half up
to one decimal, the two-proportion test with the same erfc approximation, the top 5 tags per list
ordered by count then tag, spikes against the mean of the four weeks before. Each text is the
product's own template writer's (`shared.digest.writer.write_template`). Recurring criticisms take
every tag of a CRÍTICA comment, so ads, price and catalogue complaints are listed with the bugs, as
a listener would count them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Final

from shared.classifier import CATEGORIES
from shared.digest.contract import (
    CategoryStats,
    OpenQuestion,
    Sample,
    TagSpike,
    TagTheme,
    WeekStats,
    read_stats,
)
from shared.digest.writer import write_template
from shared.timezone import IsoWeek
from tooling.evals.insights import contains

TIMEZONE: Final = "America/Sao_Paulo"
TOP_TAGS: Final = 5
SPIKE_MIN_COUNT: Final = 5
SPIKE_MIN_FACTOR: Final = 2
ALPHA: Final = 0.05
WARMUP: Final = 4  # weeks before the first: only for the previous-week and four-week figures

CATEGORY_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "ELOGIO": ("ELOGIO", "elogios", "praise", "compliments"),
    "CRÍTICA": ("CRÍTICA", "críticas", "criticism", "criticisms", "complaints", "reclamações"),
    "SUGESTÃO": ("SUGESTÃO", "sugestões", "suggestion", "suggestions"),
    "DÚVIDA": ("DÚVIDA", "dúvidas", "questions"),
    "SPAM": ("SPAM",),
}


@dataclass(frozen=True)
class Scenario:
    """One designed set of weeks. Category counts run from the week before `first`; tag series
    from WARMUP weeks before it, one value per week."""

    first: IsoWeek
    weeks: int
    categories: Mapping[str, tuple[int, int, int, int, int]]  # ELOGIO..SPAM per week label
    criticisms: Mapping[str, tuple[int, ...]]  # mentions per tag inside CRÍTICA comments
    suggestions: Mapping[str, tuple[int, ...]]  # mentions per tag inside SUGESTÃO comments
    examples: Mapping[str, tuple[str, ...]]  # what listeners wrote, per tag
    early_questions: tuple[str, ...]  # open questions before `late_from` (two a week)
    late_questions: tuple[str, ...]  # from `late_from` on (three a week)
    late_from: IsoWeek
    first_id: int  # comment ids start after it, so two sets never share one

    def all_weeks(self) -> list[IsoWeek]:
        """The warm-up weeks first, then the covered weeks."""
        return [self.first.shifted(k - WARMUP) for k in range(WARMUP + self.weeks)]


def half_up(value: Decimal, places: str = "0.1") -> float:
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def share(count: int, total: int) -> float:
    return half_up(Decimal(100) * count / total) if total else 0.0


def p_value(n1: int, t1: int, n0: int, t0: int) -> float | None:
    """The digest's two-sided p (Abramowitz-Stegun 7.1.26, as its SQL computes it)."""
    if not (t1 > 0 and t0 > 0 and 0 < n1 + n0 < t1 + t0):
        return None
    pooled = (n1 + n0) / (t1 + t0)
    z = (n1 / t1 - n0 / t0) / math.sqrt(pooled * (1 - pooled) * (1 / t1 + 1 / t0))
    x = min(abs(z) / math.sqrt(2), 26.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = 0.254829592 + t * (
        -0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))
    )
    return half_up(Decimal(t * poly * math.exp(-x * x)), "0.0001")


def _categories(scenario: Scenario, week: str, previous: str) -> list[CategoryStats]:
    now, before = scenario.categories[week], scenario.categories[previous]
    t1, t0 = sum(now), sum(before)
    out: list[CategoryStats] = []
    for name, n1, n0 in zip(CATEGORIES, now, before, strict=True):
        p1, p0 = share(n1, t1), share(n0, t0)
        p = p_value(n1, t1, n0, t0)
        out.append(
            {
                "categoria": name,
                "total": n1,
                "percentual": p1,
                "total_anterior": n0,
                "percentual_anterior": p0,
                "variacao_pontos": half_up(Decimal(str(p1)) - Decimal(str(p0))),
                "variacao_percentual": half_up(Decimal((n1 - n0) * 100) / n0) if n0 else None,
                "p_valor": p,
                "significativa": p is not None and p < ALPHA,
            }
        )
    return out


def _samples(scenario: Scenario, tag: str, index: int, next_id: list[int]) -> list[Sample]:
    pool = scenario.examples[tag]
    chosen = [pool[(index + k) % len(pool)] for k in range(min(3, len(pool)))]
    samples: list[Sample] = []
    for text in chosen:
        next_id[0] += 7
        samples.append({"id": f"c-{next_id[0]}", "texto": text})
    return samples


def _themes(
    scenario: Scenario, counts: Mapping[str, tuple[int, ...]], index: int, next_id: list[int]
) -> list[TagTheme]:
    """The top tags of week `index` (into all_weeks()), as the digest's SQL ranks them."""
    present = [tag for tag in counts if counts[tag][index] > 0]
    ranked = sorted(present, key=lambda tag: (-counts[tag][index], tag))[:TOP_TAGS]
    return [
        {
            "tag": tag,
            "total": counts[tag][index],
            "total_anterior": counts[tag][index - 1],
            "variacao": counts[tag][index] - counts[tag][index - 1],
            "exemplos": _samples(scenario, tag, index, next_id),
        }
        for tag in ranked
    ]


def _spikes(scenario: Scenario, index: int) -> list[TagSpike]:
    counts = {**scenario.criticisms, **scenario.suggestions}
    found: list[tuple[float, str, TagSpike]] = []
    for tag, series in counts.items():
        n1, n4 = series[index], sum(series[index - 4 : index])
        if n1 >= SPIKE_MIN_COUNT and n1 >= SPIKE_MIN_FACTOR * n4 / 4:
            spike: TagSpike = {
                "tag": tag,
                "total": n1,
                "media_4_semanas": half_up(Decimal(n4) / 4, "0.01"),
                "fator": half_up(Decimal(n1) / (Decimal(n4) / 4)) if n4 else None,
            }
            found.append((-(n1 - n4 / 4), tag, spike))
    return [spike for _, _, spike in sorted(found, key=lambda item: item[:2])][:TOP_TAGS]


def _questions(scenario: Scenario, index: int, next_id: list[int]) -> list[OpenQuestion]:
    late = scenario.all_weeks()[index] >= scenario.late_from
    pool = scenario.late_questions if late else scenario.early_questions
    out: list[OpenQuestion] = []
    for k in range(3 if late else 2):
        next_id[0] += 5
        out.append(
            {
                "id": f"c-{next_id[0]}",
                "texto": pool[(index + k) % len(pool)],
                "confianca": round(0.97 - 0.04 * k - 0.01 * (index % 3), 2),
            }
        )
    return out


def build_digests(scenario: Scenario) -> list[dict[str, Any]]:
    """The covered weeks' digests, as the digest store returns them."""
    weeks = scenario.all_weeks()
    next_id = [scenario.first_id]
    digests: list[dict[str, Any]] = []
    for index in range(WARMUP, WARMUP + scenario.weeks):
        week, previous = weeks[index], weeks[index - 1]
        label = str(week)
        stats: WeekStats = {
            "semana": label,
            "inicio": week.monday.isoformat(),
            "fim": week.sunday.isoformat(),
            "semana_anterior": str(previous),
            "timezone": TIMEZONE,
            "total": sum(scenario.categories[label]),
            "total_anterior": sum(scenario.categories[str(previous)]),
            "categorias": _categories(scenario, label, str(previous)),
            "criticas_recorrentes": _themes(scenario, scenario.criticisms, index, next_id),
            "sugestoes_relevantes": _themes(scenario, scenario.suggestions, index, next_id),
            "tags_em_alta": _spikes(scenario, index),
            "duvidas_abertas": _questions(scenario, index, next_id),
            "revisao": {
                "precisa_revisao": 12 + (index * 7) % 23,
                "correcoes_humanas": 3 + (index * 5) % 9,
            },
        }
        digests.append(
            {
                "semana": label,
                "inicio": stats["inicio"],
                "fim": stats["fim"],
                "stats": read_stats(stats),
                "texto": write_template(stats),
            }
        )
    return digests


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- questions ---------------------------------------------------------------------------------


@dataclass
class Q:
    lang: str  # "pt" | "en"
    kind: str
    pergunta: str
    facts: list[Any] = field(default_factory=list)
    weeks: list[str] = field(default_factory=list)
    refusal: str | None = None  # why it cannot be answered; None for an answerable question


def answer(lang: str, kind: str, pergunta: str, facts: list[Any], semanas: list[str]) -> Q:
    return Q(lang, kind, pergunta, facts, semanas)


def refuse(lang: str, kind: str, refusal: str, pergunta: str) -> Q:
    return Q(lang, kind, pergunta, refusal=refusal)


def _expand(fact: Any, tag_words: Mapping[str, tuple[str, ...]]) -> str | list[str]:
    """ "@ELOGIO" is a category's accepted words, "#feat_preco" a tag's, a tuple a list of
    alternatives; any other string is a figure or a listener's words."""
    if isinstance(fact, tuple):
        return [str(item) for item in fact]
    text = str(fact)
    if text.startswith("@"):
        return list(CATEGORY_WORDS[text[1:]])
    if text.startswith("#"):
        return list(tag_words[text[1:]])
    return text


def check(question: Q, digests: Mapping[str, dict[str, Any]]) -> None:
    """Figures and listeners' words must be in the question's weeks (the scenario's own data):
    catches a mistyped figure, never tunes a question to an answer."""
    for week in question.weeks:
        if week not in digests:
            raise ValueError(f"{question.pergunta!r}: no digest for {week}")
    seen = " ".join(
        json.dumps(digests[w]["stats"], ensure_ascii=False) + " " + digests[w]["texto"]
        for w in question.weeks
    )
    for fact in question.facts:
        if isinstance(fact, str) and fact[:1] in "@#":
            continue
        options = [str(f) for f in fact] if isinstance(fact, tuple) else [str(fact)]
        if not any(contains(seen, option, "en") for option in options) and not any(
            contains(seen, option, "pt") for option in options
        ):
            raise ValueError(f"{question.pergunta!r}: {fact!r} is not in {question.weeks}")


def build_questions(
    questions: Sequence[Q],
    tag_words: Mapping[str, tuple[str, ...]],
    digests_path: Path,
    *,
    prefix: str,
    today: str,
    descricao: str,
) -> dict[str, Any]:
    """The questions file: every answerable question checked against the digests first."""
    digests = {
        item["semana"]: item for item in json.loads(digests_path.read_text(encoding="utf-8"))
    }
    out = []
    for number, question in enumerate(questions, start=1):
        answerable = question.refusal is None
        if answerable:
            check(question, digests)
        item: dict[str, Any] = {
            "id": f"{prefix}{number:03d}",
            "split": "heldout",
            "lang": question.lang,
            "kind": question.kind,
            "pergunta": question.pergunta,
            "answerable": answerable,
            "facts": [_expand(f, tag_words) for f in question.facts],
            "weeks": sorted(question.weeks),
        }
        if not answerable:
            item["refusal"] = question.refusal
        out.append(item)
    return {"descricao": descricao, "today": today, "questions": out}
