"""Evaluation of the insights answerer on a fixed set of digests and questions.

Metrics, per split (tuning, heldout):
- accuracy: answerable questions answered (`suportada`) with every expected fact in the answer;
- week accuracy: answerable questions whose `semanas` equal the expected weeks;
- citation precision: of the expected facts an answer states, the share found in at least one
  cited passage (decimal comma and point are the same number);
- refusal precision and recall: refusals (`suportada: false`) against unanswerable questions;
- p50 latency of the offline answer (ms).

A fact is a string, or a list of the wordings a person would accept (a tag in PT-BR or English
words, a share or the count behind it): any one of them states it. The set scored by default is
this folder's; `run` takes another (the blind set in `blind/`, see its README).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from shared.digest.store import Digest
from shared.insights.answerer import Answer
from shared.insights.service import ask
from shared.insights.text import fold
from shared.numbers import Language, numbers_in_text

EVAL_DIR: Final = Path(__file__).parent
DIGESTS_PATH: Final = EVAL_DIR / "digests.json"
QUESTIONS_PATH: Final = EVAL_DIR / "questions.json"
_NUMBER: Final = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Thresholds:
    accuracy: float = 0.90
    refusal_precision: float = 0.90
    refusal_recall: float = 0.90
    citation_precision: float = 0.95
    p50_ms: float = 50.0


@dataclass
class SplitReport:
    split: str
    questions: int = 0
    answerable: int = 0
    unanswerable: int = 0
    accuracy: float = 0.0
    week_accuracy: float = 0.0
    citation_precision: float = 0.0
    refusal_precision: float = 0.0
    refusal_recall: float = 0.0
    p50_ms: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def misses(self, bars: Thresholds) -> list[str]:
        checks = [
            ("accuracy", self.accuracy, bars.accuracy),
            ("refusal_precision", self.refusal_precision, bars.refusal_precision),
            ("refusal_recall", self.refusal_recall, bars.refusal_recall),
            ("citation_precision", self.citation_precision, bars.citation_precision),
        ]
        missed = [f"{name} {value:.3f} < {bar}" for name, value, bar in checks if value < bar]
        if self.p50_ms > bars.p50_ms:
            missed.append(f"p50_ms {self.p50_ms:.1f} > {bars.p50_ms}")
        return missed


def contains(text: str, fact: str, language: Language = "pt") -> bool:
    """Whether `text` (in `language`) states `fact`: a number by value (24,3 is 24.3, 39,0 is 39,
    the sign aside), anything else as a whole word of the accent-folded text."""
    if _NUMBER.fullmatch(fact.strip()):
        return numbers_in_text(fact)[0] in numbers_in_text(text, language)
    # Dashes outside ASCII ("2026-W41–2026-W48") separate words; folding would glue them.
    haystack = fold(re.sub(r"[\u2010-\u2015\u2212]", " ", text))
    needle = re.escape(fold(fact))
    return re.search(rf"(?<![a-z0-9_]){needle}(?![a-z0-9_])", haystack) is not None


def states(text: str, fact: str | Sequence[str], language: Language = "pt") -> bool:
    """Whether `text` states `fact`: a string as `contains` reads it, a list by any one wording."""
    if isinstance(fact, list | tuple):
        return any(contains(text, str(option), language) for option in fact)
    return contains(text, str(fact), language)


def load_digests(path: Path = DIGESTS_PATH) -> list[Digest]:
    return [Digest.from_json(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def load_questions(path: Path = QUESTIONS_PATH) -> tuple[date, list[dict[str, Any]]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return date.fromisoformat(doc["today"]), list(doc["questions"])


def evaluate(
    questions: Sequence[Mapping[str, Any]],
    digests: Sequence[Digest],
    today: date,
    split: str,
) -> SplitReport:
    report = SplitReport(split)
    chosen = [q for q in questions if split == "all" or q["split"] == split]
    correct = weeks_ok = 0
    stated = grounded = 0
    refused_ok = refused = 0
    latencies = []
    for question in chosen:
        started = time.perf_counter()
        answer = ask(question["pergunta"], digests, today=today)
        latencies.append((time.perf_counter() - started) * 1000)
        report.questions += 1
        if question["answerable"]:
            report.answerable += 1
            ok = answer.suportada and all(
                states(answer.resposta, f, answer.language) for f in question["facts"]
            )
            week_ok = sorted(answer.semanas) == sorted(question["weeks"])
            correct += ok
            weeks_ok += week_ok
            for fact in question["facts"]:
                if answer.suportada and states(answer.resposta, fact, answer.language):
                    stated += 1
                    grounded += any(states(p.text, fact) for p in answer.fontes)
            if not (ok and week_ok):
                report.failures.append(_failure(question, answer))
        else:
            report.unanswerable += 1
            if answer.suportada:
                report.failures.append(_failure(question, answer))
        if not answer.suportada:
            refused += 1
            refused_ok += not question["answerable"]
    report.accuracy = correct / report.answerable if report.answerable else 1.0
    report.week_accuracy = weeks_ok / report.answerable if report.answerable else 1.0
    report.citation_precision = grounded / stated if stated else 1.0
    report.refusal_precision = refused_ok / refused if refused else 1.0
    report.refusal_recall = refused_ok / report.unanswerable if report.unanswerable else 1.0
    # Warm: the first question pays the taxonomy's compilation, not the answer.
    report.p50_ms = statistics.median(latencies[1:] or latencies) if latencies else 0.0
    return report


def _failure(question: Mapping[str, Any], answer: Answer) -> dict[str, Any]:
    return {
        "id": question["id"],
        # Sets that say which kind of question each is (the blind set) report it with the miss.
        **({"kind": question["kind"]} if "kind" in question else {}),
        "pergunta": question["pergunta"],
        "expected": {
            "answerable": question["answerable"],
            "facts": question["facts"],
            "weeks": question["weeks"],
        },
        "got": {
            "suportada": answer.suportada,
            "semanas": list(answer.semanas),
            "resposta": answer.resposta,
        },
    }


def run(
    splits: Sequence[str] = ("tuning", "heldout"),
    *,
    digests_path: Path = DIGESTS_PATH,
    questions_path: Path = QUESTIONS_PATH,
    today: date | None = None,
) -> list[SplitReport]:
    """Each split's report on one set: this folder's by default. `today` (what "last week" means)
    defaults to the questions file's own."""
    file_today, questions = load_questions(questions_path)
    today = today or file_today
    digests = load_digests(digests_path)
    ask("warm-up", digests, today=today)
    return [evaluate(questions, digests, today, split) for split in splits]


def as_dict(report: SplitReport) -> dict[str, Any]:
    return asdict(report)
