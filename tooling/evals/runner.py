"""Evaluating any `Classifier` on a labelled CSV.

Two CSV shapes are recognised from the header:
- `texto,categoria` (any other columns ignored): the five categories;
- `CONTENT,CLASS` (the YouTube Spam Collection): spam (1) versus not spam (0), where every
  prediction other than SPAM counts as not spam.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from shared.classifier import CATEGORIES, Classification, Classifier
from shared.errors import InvalidInput
from tooling.evals.metrics import EvalReport, evaluate

SPAM = "SPAM"
NOT_SPAM = "NOT_SPAM"
CHUNK = 10_000

EvalKind = Literal["categories", "spam"]


@dataclass(frozen=True, slots=True)
class EvalData:
    texts: list[str]
    truth: list[str]
    kind: EvalKind


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
    raise InvalidInput(
        f"{path}: needs columns texto,categoria (or CONTENT,CLASS for spam data); "
        f"found {', '.join(sorted(columns)) or 'none'}"
    )


def _read_categories(path: Path, reader: csv.DictReader[str]) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    for line, record in enumerate(reader, start=2):
        category = (record.get("categoria") or "").strip()
        if category not in CATEGORIES:
            raise InvalidInput(
                f"{path}:{line}: unknown categoria {category!r} (one of {', '.join(CATEGORIES)})"
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


def classify_all(classifier: Classifier, texts: Sequence[str]) -> list[Classification]:
    answers: list[Classification] = []
    for start in range(0, len(texts), CHUNK):
        answers.extend(classifier.classify_batch(texts[start : start + CHUNK]))
    return answers


def run_eval(classifier: Classifier, data: EvalData) -> EvalReport:
    """Classify every text and measure the answers against the truth."""
    answers = classify_all(classifier, data.texts)
    if data.kind == "categories":
        return evaluate(
            data.truth,
            [answer.categoria for answer in answers],
            [answer.confianca for answer in answers],
            CATEGORIES,
            classifier.version,
        )
    predicted = [SPAM if answer.categoria == SPAM else NOT_SPAM for answer in answers]
    report = evaluate(
        data.truth,
        predicted,
        _spam_confidence(classifier, data.texts, answers),
        (SPAM, NOT_SPAM),
        classifier.version,
    )
    return replace(report, spam=report.per_category[SPAM])


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
