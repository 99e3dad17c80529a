"""Evaluating any `Classifier` on a labelled CSV.

Two CSV shapes are recognised from the header:
- `texto,categoria` (any other columns ignored): the five categories;
- `CONTENT,CLASS` (the YouTube Spam Collection): spam (1) versus not spam (0), where every
  prediction other than SPAM counts as not spam;
- `texto,polaridade` or `text,label`: posts labelled positive (1) or negative (-1), measured with
  `tooling.evals.polarity`; rows labelled 0 (neutral) are counted and left out of every share.

Any other column may name groups (a topic, a source): `read_eval_csv(path, group_by=...)` keeps it,
and `run_grouped` measures the whole set and each group from one pass of the classifier.
"""

from __future__ import annotations

import csv
import re
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
# Spreadsheets and data-frame exports write the same labels as "1.0", "-1.00" or "+1": the sign
# and one digit are read, never the number, so a 5,000-digit label is a clear error, not a parse.
_POLARITY_LABEL = re.compile(r"([+-]?)0*([01])(?:\.0*)?")


@dataclass(frozen=True, slots=True)
class EvalData:
    texts: list[str]
    truth: list[str]
    kind: EvalKind
    neutral_skipped: int = 0
    # Each row's value in the `group_by` column, when one was asked for ("" for an empty cell).
    groups: list[str] | None = None

    def subset(self, indices: Sequence[int]) -> EvalData:
        return EvalData(
            [self.texts[i] for i in indices], [self.truth[i] for i in indices], self.kind
        )


def read_eval_csv(path: Path, group_by: str | None = None) -> EvalData:
    """The texts and true labels of a labelled CSV (see the module docstring for the shapes).

    With `group_by`, also each row's value in that column (see `run_grouped`).
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or ())
        if group_by is not None and group_by not in columns:
            raise InvalidInput(
                f"{path}: no column {group_by!r} to group by; "
                f"found {', '.join(sorted(columns)) or 'none'}"
            )
        if {"texto", "categoria"} <= columns:
            return _read_categories(path, reader, group_by)
        if {"CONTENT", "CLASS"} <= columns:
            return _read_spam(path, reader, group_by)
        for text_column, label_column in _POLARITY_COLUMNS:
            if {text_column, label_column} <= columns:
                return _read_polarity(path, reader, text_column, label_column, group_by)
    raise InvalidInput(
        f"{path}: needs columns texto,categoria (or CONTENT,CLASS for spam data, or "
        f"texto,polaridade / text,label for polarity data); "
        f"found {', '.join(sorted(columns)) or 'none'}"
    )


def _group(record: dict[str, str], group_by: str | None, groups: list[str]) -> None:
    if group_by is not None:
        groups.append((record.get(group_by) or "").strip())


def _read_categories(path: Path, reader: csv.DictReader[str], group_by: str | None) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    groups: list[str] = []
    for line, record in enumerate(reader, start=2):
        category = (record.get("categoria") or "").strip()
        if category not in CATEGORIES and category != OUT_OF_SCOPE:
            raise InvalidInput(
                f"{path}:{line}: unknown categoria {category!r} (one of {', '.join(CATEGORIES)}, "
                f"or {OUT_OF_SCOPE} for text that is none of them)"
            )
        texts.append(record.get("texto") or "")
        truth.append(category)
        _group(record, group_by, groups)
    return EvalData(texts, truth, "categories", groups=groups if group_by else None)


def _read_spam(path: Path, reader: csv.DictReader[str], group_by: str | None) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    groups: list[str] = []
    for line, record in enumerate(reader, start=2):
        label = (record.get("CLASS") or "").strip()
        if label not in {"0", "1"}:
            raise InvalidInput(f"{path}:{line}: CLASS must be 0 or 1, got {label!r}")
        texts.append(record.get("CONTENT") or "")
        truth.append(SPAM if label == "1" else NOT_SPAM)
        _group(record, group_by, groups)
    return EvalData(texts, truth, "spam", groups=groups if group_by else None)


def _read_polarity(
    path: Path,
    reader: csv.DictReader[str],
    text_column: str,
    label_column: str,
    group_by: str | None,
) -> EvalData:
    texts: list[str] = []
    truth: list[str] = []
    groups: list[str] = []
    neutral = 0
    for line, record in enumerate(reader, start=2):
        label = (record.get(label_column) or "").strip()
        matched = _POLARITY_LABEL.fullmatch(label)
        if matched is None:
            shown = label if len(label) <= 40 else f"{label[:40]}... ({len(label)} characters)"
            raise InvalidInput(
                f"{path}:{line}: {label_column} must be 1 (positive), -1 (negative) or 0 "
                f"(neutral, skipped), got {shown!r}"
            )
        if matched[2] == "0":
            neutral += 1
            continue
        texts.append(record.get(text_column) or "")
        truth.append(NEGATIVE if matched[1] == "-" else POSITIVE)
        _group(record, group_by, groups)
    return EvalData(
        texts, truth, "polarity", neutral_skipped=neutral, groups=groups if group_by else None
    )


def classify_all(classifier: Classifier, texts: Sequence[str]) -> list[Classification]:
    answers: list[Classification] = []
    for start in range(0, len(texts), CHUNK):
        answers.extend(classifier.classify_batch(texts[start : start + CHUNK]))
    return answers


def run_eval(
    classifier: Classifier,
    data: EvalData,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    answers: Sequence[Classification] | None = None,
) -> EvalReport:
    """Classify every text (unless `answers` are given) and measure the answers against the truth
    (five categories or spam)."""
    if data.kind == "polarity":
        raise ValueError("polarity data is measured by run_polarity_eval")
    if answers is None:
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
    classifier: Classifier,
    data: EvalData,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    answers: Sequence[Classification] | None = None,
) -> PolarityReport:
    """Classify every post of a polarity-labelled set (unless `answers` are given) and measure the
    polar mistakes."""
    if answers is None:
        answers = classify_all(classifier, data.texts)
    return evaluate_polarity(
        data.truth,
        [answer.categoria for answer in answers],
        [answer.confianca for answer in answers],
        classifier.version,
        review_threshold,
    )


def run_grouped(
    classifier: Classifier, data: EvalData, review_threshold: float = DEFAULT_REVIEW_THRESHOLD
) -> tuple[EvalReport | PolarityReport, dict[str, EvalReport | PolarityReport]]:
    """The report of the whole set and of each group (`EvalData.groups`), in the groups' sorted
    order, from one pass of the classifier: a language-model backend is asked once per text."""
    answers = classify_all(classifier, data.texts)
    whole = _measure(classifier, data, review_threshold, answers)
    # One pass over the rows, so a column with a value per row (`--by texto`) stays linear.
    rows_of: dict[str, list[int]] = {}
    for row, group in enumerate(data.groups or ()):
        rows_of.setdefault(group, []).append(row)
    by_group: dict[str, EvalReport | PolarityReport] = {}
    for group in sorted(rows_of):
        rows = rows_of[group]
        by_group[group] = _measure(
            classifier, data.subset(rows), review_threshold, [answers[i] for i in rows]
        )
    return whole, by_group


def _measure(
    classifier: Classifier,
    data: EvalData,
    review_threshold: float,
    answers: Sequence[Classification],
) -> EvalReport | PolarityReport:
    if data.kind == "polarity":
        return run_polarity_eval(classifier, data, review_threshold, answers)
    return run_eval(classifier, data, review_threshold, answers)


def render_groups(column: str, groups: dict[str, EvalReport | PolarityReport]) -> str:
    """One line per group, under a header naming the column."""
    name_width = max([len(column), *(len(group or "(empty)") for group in groups)]) + 2
    lines = [f"by {column}:"]
    for group, report in groups.items():
        name = f"{group or '(empty)':{name_width}}"
        if isinstance(report, PolarityReport):
            lines.append(
                f"  {name}{report.n:>5d} posts   negatives called ELOGIO "
                f"{report.negatives_called_praise:>6.1%}   positives called CRÍTICA "
                f"{report.positives_called_complaint:>6.1%}   accuracy "
                f"{report.polarity_accuracy:>6.1%}   coverage {report.coverage:>6.1%}   SPAM "
                f"{report.called_spam:>5.1%}   errors at >= {report.review_threshold} "
                f"{report.errors_at_review_threshold:>6.1%} of {report.errors}"
            )
        elif report.spam is not None:
            lines.append(
                f"  {name}{report.n:>5d} comments   spam precision {report.spam.precision:.3f}   "
                f"recall {report.spam.recall:.3f}   f1 {report.spam.f1:.3f}"
            )
        else:
            lines.append(
                f"  {name}{report.n:>5d} comments   macro-F1 {report.macro_f1:.3f}   "
                f"accuracy {report.accuracy:.3f}"
            )
    return "\n".join(lines)


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
