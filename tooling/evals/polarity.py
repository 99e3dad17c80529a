"""What a five-category classifier does with posts labelled only positive or negative.

Real labelled text rarely comes in the product's five categories; public posts and reviews come
with a polarity. Such a set cannot give an F1 per category, but it shows the mistakes that matter
most to a reader of the charts: a negative post counted as praise, a positive one counted as a
complaint, a genuine post thrown away as spam, and whether the wrong answers were at least doubtful
(below the review threshold, so a person or the language model sees them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tooling.evals.metrics import expected_calibration_error

POSITIVE = "positivo"
NEGATIVE = "negativo"
PRAISE = "ELOGIO"
COMPLAINT = "CRÍTICA"
SPAM = "SPAM"
# The label each polarity expects among the two polar categories.
EXPECTED = {POSITIVE: PRAISE, NEGATIVE: COMPLAINT}


@dataclass(frozen=True, slots=True)
class PolarityReport:
    """Shares over a polarity-labelled set (every share is a fraction in [0, 1])."""

    model_version: str
    n: int
    positives: int
    negatives: int
    negatives_called_praise: float
    positives_called_complaint: float
    polarity_accuracy: float  # over the answers that are ELOGIO or CRÍTICA
    coverage: float  # the share of answers that are ELOGIO or CRÍTICA
    called_spam: float
    errors: int  # polar answers of the wrong polarity
    errors_at_review_threshold: float  # share of those errors with confidence >= threshold
    review_threshold: float
    ece: float  # over the polar answers, "correct" meaning the right polarity
    predicted: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "polarity",
            "model_version": self.model_version,
            "n": self.n,
            "positives": self.positives,
            "negatives": self.negatives,
            "negatives_called_elogio": round(self.negatives_called_praise, 4),
            "positives_called_critica": round(self.positives_called_complaint, 4),
            "polarity_accuracy": round(self.polarity_accuracy, 4),
            "coverage": round(self.coverage, 4),
            "called_spam": round(self.called_spam, 4),
            "polarity_errors": self.errors,
            "errors_at_review_threshold": round(self.errors_at_review_threshold, 4),
            "review_threshold": self.review_threshold,
            "ece": round(self.ece, 4),
            "predicted": self.predicted,
        }


def evaluate_polarity(
    truth: Sequence[str],
    predicted: Sequence[str],
    confidence: Sequence[float],
    model_version: str,
    review_threshold: float,
) -> PolarityReport:
    """The shares above, from the true polarity and the classifier's category and confidence."""
    unknown = set(truth) - {POSITIVE, NEGATIVE}
    if unknown:
        raise ValueError(f"polarity labels must be {POSITIVE!r} or {NEGATIVE!r}, got {unknown}")
    rows = list(zip(truth, predicted, confidence, strict=True))
    positives = [row for row in rows if row[0] == POSITIVE]
    negatives = [row for row in rows if row[0] == NEGATIVE]
    polar = [row for row in rows if row[1] in (PRAISE, COMPLAINT)]
    right = [EXPECTED[polarity] == category for polarity, category, _ in polar]
    wrong = [row for row, ok in zip(polar, right, strict=True) if not ok]
    counts: dict[str, int] = {}
    for _, category, _ in rows:
        counts[category] = counts.get(category, 0) + 1
    return PolarityReport(
        model_version=model_version,
        n=len(rows),
        positives=len(positives),
        negatives=len(negatives),
        negatives_called_praise=_share(sum(r[1] == PRAISE for r in negatives), len(negatives)),
        positives_called_complaint=_share(
            sum(r[1] == COMPLAINT for r in positives), len(positives)
        ),
        polarity_accuracy=_share(sum(right), len(polar)),
        coverage=_share(len(polar), len(rows)),
        called_spam=_share(sum(r[1] == SPAM for r in rows), len(rows)),
        errors=len(wrong),
        errors_at_review_threshold=_share(sum(r[2] >= review_threshold for r in wrong), len(wrong)),
        review_threshold=review_threshold,
        ece=expected_calibration_error([r[2] for r in polar], right),
        predicted=dict(sorted(counts.items())),
    )


def render_polarity(report: PolarityReport) -> str:
    """The report as a few aligned lines for a terminal."""
    pct = "{:>7.1%}".format
    return "\n".join(
        [
            f"model {report.model_version}, {report.n} posts "
            f"({report.positives} positive, {report.negatives} negative)",
            "",
            f"negatives called ELOGIO        {pct(report.negatives_called_praise)}",
            f"positives called CRÍTICA       {pct(report.positives_called_complaint)}",
            f"polarity accuracy              {pct(report.polarity_accuracy)}"
            "   (over the answers ELOGIO or CRÍTICA)",
            f"coverage                       {pct(report.coverage)}   (answers ELOGIO or CRÍTICA)",
            f"called SPAM                    {pct(report.called_spam)}",
            f"errors at confidence >= {report.review_threshold:<5} "
            f"{pct(report.errors_at_review_threshold)}   (of {report.errors} polarity errors)",
            f"ECE                            {report.ece:>7.3f}   (polar answers)",
            "",
            "answers: " + ", ".join(f"{k} {v}" for k, v in report.predicted.items()),
        ]
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
