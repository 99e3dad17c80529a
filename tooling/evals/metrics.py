"""Classification metrics (scikit-learn), calibration error and the confusion matrix as text or PNG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ECE_BINS = 15


@dataclass(frozen=True, slots=True)
class CategoryScores:
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    """What one evaluation measured; `spam` is set for spam-versus-not-spam data."""

    labels: tuple[str, ...]
    per_category: dict[str, CategoryScores]
    macro_f1: float
    accuracy: float
    ece: float
    n: int
    confusion: list[list[int]]
    model_version: str
    spam: CategoryScores | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "ece": round(self.ece, 4),
            "model_version": self.model_version,
            "n": self.n,
            "per_category": {label: s.as_dict() for label, s in self.per_category.items()},
            "labels": list(self.labels),
            "confusion": self.confusion,
        }
        if self.spam is not None:
            result["spam"] = self.spam.as_dict()
        result.update(self.extra)
        return result


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = ECE_BINS
) -> float:
    """Top-label ECE: bin answers by stated confidence, weigh |accuracy - confidence| by bin size."""
    conf = np.asarray(confidence, dtype=np.float64)
    hits = np.asarray(correct, dtype=np.float64)
    if conf.size == 0:
        return 0.0
    # Bins are (lo, hi], the first one [0, 1/bins]: a confidence of exactly 1.0 is in the last.
    index = np.clip(np.ceil(conf * bins).astype(np.int64) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            gap = abs(float(hits[members].mean()) - float(conf[members].mean()))
            total += float(members.mean()) * gap
    return total


def evaluate(
    truth: Sequence[str],
    predicted: Sequence[str],
    confidence: Sequence[float],
    labels: Sequence[str],
    model_version: str,
) -> EvalReport:
    """Per-category precision, recall, F1 and support, macro-F1, accuracy, confusion, ECE."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    label_list = list(labels)
    if not truth:  # e.g. a set of OUTRO rows only: nothing to score per category
        zeros = [0.0] * len(label_list)
        precision, recall, f1, support = zeros, zeros, zeros, [0] * len(label_list)
    else:
        precision, recall, f1, support = precision_recall_fscore_support(
            truth, predicted, labels=label_list, zero_division=0
        )
    per_category = {
        label: CategoryScores(float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(label_list, precision, recall, f1, support, strict=True)
    }
    present = [label for label in label_list if per_category[label].support > 0]
    macro = float(np.mean([per_category[label].f1 for label in present])) if present else 0.0
    correct = [t == p for t, p in zip(truth, predicted, strict=True)]
    return EvalReport(
        labels=tuple(label_list),
        per_category=per_category,
        macro_f1=macro,
        accuracy=float(accuracy_score(truth, predicted)) if truth else 0.0,
        ece=expected_calibration_error(confidence, correct),
        n=len(truth),
        confusion=confusion_matrix(truth, predicted, labels=label_list).tolist()
        if truth
        else [[0] * len(label_list) for _ in label_list],
        model_version=model_version,
    )


def render_text(report: EvalReport) -> str:
    """A human-readable report: per-category table, totals, confusion matrix."""
    width = max(len(label) for label in report.labels) + 2
    lines = [
        f"model {report.model_version}, {report.n} comments",
        "",
        f"{'':{width}}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}",
    ]
    for label in report.labels:
        s = report.per_category[label]
        lines.append(
            f"{label:{width}}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>10.3f}{s.support:>10d}"
        )
    lines += [
        "",
        f"{'macro-F1':{width}}{report.macro_f1:>10.3f}",
        f"{'accuracy':{width}}{report.accuracy:>10.3f}",
        f"{'ECE':{width}}{report.ece:>10.3f}   (top-label, {ECE_BINS} bins)",
    ]
    if report.spam is not None:
        s = report.spam
        lines.append(
            f"{'spam':{width}}precision {s.precision:.3f}  recall {s.recall:.3f}  "
            f"f1 {s.f1:.3f}  support {s.support}"
        )
    if "errors_at_review_threshold" in report.extra:
        lines.append(
            f"{'errors':{width}}{report.extra['errors']:>10d}   "
            f"{report.extra['errors_at_review_threshold']:.1%} of them at confidence >= "
            f"{report.extra['review_threshold']} (not sent to review)"
        )
    if "out_of_scope" in report.extra:
        outside = report.extra["out_of_scope"]
        lines.append(
            f"{'OUTRO':{width}}{outside['n']:>10d}   rows of none of the five: "
            f"{outside['below_review_threshold']:.1%} below the review threshold, "
            f"mean confidence {outside['mean_confidence']:.3f}"
        )
    lines += ["", "confusion matrix (rows: truth, columns: predicted)"]
    cell = max(7, *(len(label) + 1 for label in report.labels))
    lines.append(f"{'':{width}}" + "".join(f"{label:>{cell}}" for label in report.labels))
    for label, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{label:{width}}" + "".join(f"{value:>{cell}d}" for value in row))
    return "\n".join(lines)


def save_confusion_png(report: EvalReport, path: Path) -> None:
    """The confusion matrix as a PNG heat map (matplotlib, Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = np.asarray(report.confusion, dtype=np.int64)
    size = 1.2 + 1.1 * len(report.labels)
    figure, axes = plt.subplots(figsize=(size, size * 0.9), dpi=120)
    try:
        image = axes.imshow(matrix, cmap="Blues")
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
        ticks = range(len(report.labels))
        axes.set_xticks(list(ticks), labels=list(report.labels), rotation=45, ha="right")
        axes.set_yticks(list(ticks), labels=list(report.labels))
        axes.set_xlabel("predicted")
        axes.set_ylabel("truth")
        axes.set_title(f"{report.model_version}  macro-F1 {report.macro_f1:.3f}  n={report.n}")
        threshold = matrix.max() / 2 if matrix.size else 0
        for (row, column), value in np.ndenumerate(matrix):
            axes.text(
                column,
                row,
                str(value),
                ha="center",
                va="center",
                color="white" if value > threshold else "black",
            )
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png")
    finally:
        plt.close(figure)
