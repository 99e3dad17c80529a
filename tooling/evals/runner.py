"""Evaluating any `Classifier` on a labelled CSV.

Two CSV shapes are recognised from the header:
- `texto,categoria` (any other columns ignored): the five categories;
- `CONTENT,CLASS` (the YouTube Spam Collection): spam (1) versus not spam (0), where every
  prediction other than SPAM counts as not spam;
- `texto,polaridade` or `text,label`: posts labelled positive (1) or negative (-1), measured with
  `tooling.evals.polarity`; rows labelled 0 (neutral) are counted and left out of every share.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from shared.classifier import CATEGORIES, Classification, Classifier
from shared.classifier.local import OUT_OF_SCOPE
from shared.errors import InvalidInput
from tooling.evals.metrics import EvalReport, evaluate
from tooling.evals.polarity import NEGATIVE, POSITIVE, PolarityReport, evaluate_polarity

# The product's default (REVIEW_THRESHOLD): below it a comment goes to the review queue.
DEFAULT_REVIEW_THRESHOLD = 0.6

SPAM = "SPAM"
NOT_SPAM = "NOT_SPAM"
CHUNK = 10_000

EvalKind = Literal["categories", "spam", "polarity"]
_POLARITY_COLUMNS = (("texto", "polaridade"), ("text", "label"))
_POLARITY_VALUES = {"1": POSITIVE, "+1": POSITIVE, "-1": NEGATIVE}


@dataclass(frozen=True, slots=True)
class EvalData:
    texts: list[str]
    truth: list[str]
    kind: EvalKind
    neutral_skipped: int = 0


def read_eval_csv(path: Path) -> EvalData:
    """The texts and true labels of a labelled CSV (see the module docstring for the shapes)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or ())
        if {"texto", "categoria"} <= columns:
            return _read_categories(path, reader)
        if {"CONTENT", "CLASS"} <= columns:
            return _read_spam(path, reader)
        for text_column, label_column in _POLARITY_COLUMNS:
            if {text_column, label_column} <= columns:
                return _read_polarity(path, reader, text_column, label_column)
    raise InvalidInput(
        f"{path}: needs columns texto,categoria (or CONTENT,CLASS for spam data, or "
        f"texto,polaridade / text,label for polarity data); "
        f"found {', '.join(sorted(columns)) or 'none'}"
    )


def _read_categories(path: Path, reader: csv.DictReader[str]) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    for line, record in enumerate(reader, start=2):
        category = (record.get("categoria") or "").strip()
        if category not in CATEGORIES and category != OUT_OF_SCOPE:
            raise InvalidInput(
                f"{path}:{line}: unknown categoria {category!r} (one of {', '.join(CATEGORIES)}, "
                f"or {OUT_OF_SCOPE} for text that is none of them)"
            )
        texts.append(record.get("texto") or "")
        truth.append(category)
    return EvalData(texts, truth, "categories")


def _read_spam(path: Path, reader: csv.DictReader[str]) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    for line, record in enumerate(reader, start=2):
        label = (record.get("CLASS") or "").strip()
        if label not in {"0", "1"}:
            raise InvalidInput(f"{path}:{line}: CLASS must be 0 or 1, got {label!r}")
        texts.append(record.get("CONTENT") or "")
        truth.append(SPAM if label == "1" else NOT_SPAM)
    return EvalData(texts, truth, "spam")


def _read_polarity(
    path: Path, reader: csv.DictReader[str], text_column: str, label_column: str
) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    neutral = 0
    for line, record in enumerate(reader, start=2):
        label = (record.get(label_column) or "").strip()
        if label == "0":
            neutral += 1
            continue
        if label not in _POLARITY_VALUES:
            raise InvalidInput(
                f"{path}:{line}: {label_column} must be 1 (positive), -1 (negative) or 0 "
                f"(neutral, skipped), got {label!r}"
            )
        texts.append(record.get(text_column) or "")
        truth.append(_POLARITY_VALUES[label])
    return EvalData(texts, truth, "polarity", neutral_skipped=neutral)


def classify_all(classifier: Classifier, texts: Sequence[str]) -> list[Classification]:
    answers: list[Classification] = []
    for start in range(0, len(texts), CHUNK):
        answers.extend(classifier.classify_batch(texts[start : start + CHUNK]))
    return answers


def run_eval(
    classifier: Classifier, data: EvalData, review_threshold: float = DEFAULT_REVIEW_THRESHOLD
) -> EvalReport:
    """Classify every text and measure the answers against the truth (five categories or spam)."""
    if data.kind == "polarity":
        raise ValueError("polarity data is measured by run_polarity_eval")
    answers = classify_all(classifier, data.texts)
    if data.kind == "categories":
        # OUTRO rows (none of the five) have no right category: they are measured by whether
        # their answer was doubtful enough for the review queue, not by the five-way scores.
        scored = [(t, a) for t, a in zip(data.truth, answers, strict=True) if t != OUT_OF_SCOPE]
        outside = [
            a.confianca for t, a in zip(data.truth, answers, strict=True) if t == OUT_OF_SCOPE
        ]
        truth = [t for t, _ in scored]
        report = evaluate(
            truth,
            [a.categoria for _, a in scored],
            [a.confianca for _, a in scored],
            CATEGORIES,
            classifier.version,
        )
        extra: dict[str, Any] = confident_errors(truth, [a for _, a in scored], review_threshold)
        if outside:
            extra["out_of_scope"] = {
                "n": len(outside),
                "below_review_threshold": round(
                    sum(c < review_threshold for c in outside) / len(outside), 4
                ),
                "mean_confidence": round(float(np.mean(outside)), 4),
            }
        return replace(report, extra=extra)
    predicted = [SPAM if answer.categoria == SPAM else NOT_SPAM for answer in answers]
    report = evaluate(
        data.truth,
        predicted,
        _spam_confidence(classifier, data.texts, answers),
        (SPAM, NOT_SPAM),
        classifier.version,
    )
    return replace(report, spam=report.per_category[SPAM])


def run_polarity_eval(
    classifier: Classifier, data: EvalData, review_threshold: float = DEFAULT_REVIEW_THRESHOLD
) -> PolarityReport:
    """Classify every post of a polarity-labelled set and measure the polar mistakes."""
    answers = classify_all(classifier, data.texts)
    return evaluate_polarity(
        data.truth,
        [answer.categoria for answer in answers],
        [answer.confianca for answer in answers],
        classifier.version,
        review_threshold,
    )


def confident_errors(
    truth: Sequence[str], answers: Sequence[Classification], review_threshold: float
) -> dict[str, float | int]:
    """How many wrong answers were confident enough to skip the review queue."""
    wrong = [a.confianca for t, a in zip(truth, answers, strict=True) if a.categoria != t]
    confident = sum(c >= review_threshold for c in wrong)
    return {
        "errors": len(wrong),
        "errors_at_review_threshold": round(confident / len(wrong), 4) if wrong else 0.0,
        "review_threshold": review_threshold,
    }


def _spam_confidence(
    classifier: Classifier, texts: Sequence[str], answers: Sequence[Classification]
) -> list[float]:
    # The confidence of the spam/not-spam decision. The embedded model gives P(SPAM) itself; for
    # another classifier, the confidence of a non-SPAM answer is a lower bound of P(not spam).
    predict_proba = getattr(classifier, "predict_proba", None)
    classes = getattr(classifier, "classes", None)
    if callable(predict_proba) and classes is not None and SPAM in classes:
        column = list(classes).index(SPAM)
        confidence: list[float] = []
        for start in range(0, len(texts), CHUNK):
            p_spam = np.asarray(predict_proba(texts[start : start + CHUNK]))[:, column]
            confidence.extend(float(p) for p in np.maximum(p_spam, 1.0 - p_spam))
        return confidence
    return [answer.confianca for answer in answers]
