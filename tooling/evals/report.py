"""`python -m tooling.evals.report`: measure the embedded model and its alternatives, write the figures.

Runs the quality protocol (`tooling.evals.quality`) for the shipped recipe and for each alternative
that was considered, times each on one core, times scikit-learn's own vectorisers for comparison,
runs the classifier benchmark on the trained artifact, and rewrites the figures section of
docs/classifier.md (between its markers). Every figure in that section comes from this run.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shared.classifier import CATEGORIES
from shared.classifier.features import NgramConfig
from shared.classifier.local import LocalClassifier
from tooling.classifier.dataset import split_listener_comments
from tooling.classifier.training import TrainingData, TrainingParams, train_model
from tooling.evals.quality import Corpus, held_out, leave_one_file_out, youtube_rotations

DOC = Path(__file__).resolve().parents[2] / "docs" / "classifier.md"
START = "<!-- figures:start (written by `python -m tooling.evals.report`) -->"
END = "<!-- figures:end -->"

CHOSEN = TrainingParams()
CANDIDATES: dict[str, TrainingParams] = {
    "chosen: SVM C=1, char 2-5 + word 1-2, 2^18, idf, YouTube not-spam pseudo-labelled": CHOSEN,
    "YouTube not-spam rows left out": replace(CHOSEN, youtube_not_spam="unused"),
    "YouTube rows weighted 0.5": replace(CHOSEN, youtube_weight=0.5),
    "SVM C=0.3": replace(CHOSEN, c=0.3),
    "SVM C=3": replace(CHOSEN, c=3.0),
    "logistic regression (saga) C=10": replace(CHOSEN, model="logreg", c=10.0),
    "word 1-2 only": replace(CHOSEN, ngrams=NgramConfig(0, 0, 1, 2, 18)),
    "char 2-5 only": replace(CHOSEN, ngrams=NgramConfig(2, 5, 0, 0, 18)),
    "char 3-5 + word 1-2": replace(CHOSEN, ngrams=NgramConfig(3, 5, 1, 2, 18)),
    "char 2-5 + word 1-3": replace(CHOSEN, ngrams=NgramConfig(2, 5, 1, 3, 18)),
    "2^20 columns": replace(CHOSEN, ngrams=NgramConfig(2, 5, 1, 2, 20)),
    "no idf": replace(CHOSEN, use_idf=False),
}


@dataclass
class CandidateFigures:
    name: str
    held_out_macro_f1: float
    held_out_min_f1: float
    spam_f1_rotations: list[float]
    lofo_macro_f1: list[float]
    comments_per_second: float
    ece: float


def _throughput(
    classifier: Callable[[list[str]], Any], texts: list[str], repeats: int = 3
) -> float:
    from tooling.benchmarks.classifier import one_core

    with one_core():
        classifier(texts)
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            classifier(texts)
            timings.append(time.perf_counter() - started)
    return len(texts) / statistics.median(timings)


def measure_candidate(
    name: str, params: TrainingParams, corpus: Corpus, batch: list[str]
) -> CandidateFigures:
    report = held_out(corpus, params)
    rotations = youtube_rotations(corpus, params)
    lofo = leave_one_file_out(corpus, params)
    train, _ = split_listener_comments(corpus.listeners)
    model = LocalClassifier(train_model(TrainingData(train, corpus.youtube, []), params))
    return CandidateFigures(
        name=name,
        held_out_macro_f1=report.macro_f1,
        held_out_min_f1=min(report.per_category[c].f1 for c in CATEGORIES),
        spam_f1_rotations=[r.spam.f1 for r in rotations.values() if r.spam is not None],
        lofo_macro_f1=[_present_macro_f1(r.as_dict()) for r in lofo.values()],
        comments_per_second=_throughput(model.classify_batch, batch),
        ece=report.ece,
    )


def sklearn_vectoriser_speed(batch: list[str]) -> dict[str, float]:
    """Comments per second of scikit-learn's HashingVectorizer alone, for comparison."""
    from sklearn.feature_extraction.text import HashingVectorizer

    configs = {
        "HashingVectorizer char_wb 2-5": HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), n_features=2**18, alternate_sign=False
        ),
        "HashingVectorizer char_wb 3-5": HashingVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False
        ),
        "HashingVectorizer word 1-2": HashingVectorizer(
            ngram_range=(1, 2), n_features=2**18, alternate_sign=False
        ),
    }
    return {name: _throughput(vectoriser.transform, batch) for name, vectoriser in configs.items()}


def _present_f1s(report: dict[str, Any]) -> list[float]:
    # A file written around a few categories (listeners_contrast has only CRÍTICA and ELOGIO)
    # would score 0 on the categories it does not hold; average over the ones it holds.
    return [s["f1"] for s in report["per_category"].values() if s["support"] > 0]


def _present_macro_f1(report: dict[str, Any]) -> float:
    return statistics.mean(_present_f1s(report))


def _f(value: float) -> str:
    return f"{value:.3f}"


def render(figures: dict[str, Any]) -> str:
    shipped = figures["shipped"]
    lines = [
        START,
        "",
        f"Measured {figures['measured_at']} on this machine "
        f"({figures['listener_rows']} listener rows in {len(shipped['lofo'])} files, "
        f"{figures['held_out_rows']} of them held out; {figures['youtube_rows']} YouTube rows).",
        "",
        "### Held-out split (shipped recipe, trained on the training split and all YouTube rows)",
        "",
        "| category | precision | recall | F1 | support |",
        "| --- | --- | --- | --- | --- |",
    ]
    for category, scores in shipped["held_out"]["per_category"].items():
        lines.append(
            f"| {category} | {_f(scores['precision'])} | {_f(scores['recall'])} | "
            f"{_f(scores['f1'])} | {scores['support']} |"
        )
    held = shipped["held_out"]
    lines += [
        "",
        f"macro-F1 **{_f(held['macro_f1'])}**, accuracy {_f(held['accuracy'])}, "
        f"ECE (15 bins, top-label) **{_f(held['ece'])}**.",
        "",
        "Confusion matrix (rows: truth, columns: predicted):",
        "",
        "| | " + " | ".join(held["labels"]) + " |",
        "| --- |" + " --- |" * len(held["labels"]),
    ]
    for label, row in zip(held["labels"], held["confusion"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    lines += [
        "",
        "### Spam on a YouTube video not trained on (trained on the other two)",
        "",
        "| test video | spam precision | spam recall | spam F1 | ECE |",
        "| --- | --- | --- | --- | --- |",
    ]
    for video, report in shipped["rotations"].items():
        spam = report["spam"]
        lines.append(
            f"| {video} | {_f(spam['precision'])} | {_f(spam['recall'])} | "
            f"**{_f(spam['f1'])}** | {_f(report['ece'])} |"
        )
    lines += [
        "",
        "### Leave one listener file out (each file has a different author)",
        "",
        "| left-out file | macro-F1 (categories the file holds) | min category F1 | accuracy |",
        "| --- | --- | --- | --- |",
    ]
    for name, report in shipped["lofo"].items():
        worst = min(_present_f1s(report))
        lines.append(
            f"| {name} | {_f(_present_macro_f1(report))} | {_f(worst)} | {_f(report['accuracy'])} |"
        )
    lofo_mean = statistics.mean(_present_macro_f1(r) for r in shipped["lofo"].values())
    lines += [
        "",
        f"Mean leave-one-file-out macro-F1: **{_f(lofo_mean)}**.",
        "",
        "### Speed (`alumusic bench classifier`, one core, tags included)",
        "",
        "```json",
        json.dumps(figures["benchmark"]),
        "```",
        "",
        "### Alternatives measured (same protocol; comments/s on one core, 10,000-comment batches)",
        "",
        "| variant | held-out macro-F1 | held-out min F1 | ECE | spam F1 per rotation | "
        "LOFO mean macro-F1 | comments/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for candidate in figures["candidates"]:
        lines.append(
            f"| {candidate['name']} | {_f(candidate['held_out_macro_f1'])} | "
            f"{_f(candidate['held_out_min_f1'])} | {_f(candidate['ece'])} | "
            + " / ".join(_f(v) for v in candidate["spam_f1_rotations"])
            + f" | {_f(statistics.mean(candidate['lofo_macro_f1']))} | "
            f"{candidate['comments_per_second']:,.0f} |"
        )
    lines += [
        "",
        "scikit-learn's own vectorisers, transform alone (no model, no tags), same batch and core:",
        "",
    ]
    for name, speed in figures["sklearn_vectorisers"].items():
        lines.append(f"- {name}: {speed:,.0f} comments/s")
    lines += ["", END]
    return "\n".join(lines)


def collect(with_candidates: bool = True) -> dict[str, Any]:
    from tooling.benchmarks.classifier import measure, sample_comments

    corpus = Corpus.load()
    _, held = split_listener_comments(corpus.listeners)
    batch = sample_comments(10_000)
    shipped = {
        "held_out": held_out(corpus).as_dict(),
        "rotations": {k: v.as_dict() for k, v in youtube_rotations(corpus).items()},
        "lofo": {k: v.as_dict() for k, v in leave_one_file_out(corpus).items()},
    }
    candidates = []
    if with_candidates:
        for name, params in CANDIDATES.items():
            print(f"measuring: {name}", file=sys.stderr, flush=True)
            candidates.append(vars(measure_candidate(name, params, corpus, batch)))
    return {
        "measured_at": time.strftime("%Y-%m-%d"),
        "listener_rows": len(corpus.listeners),
        "held_out_rows": len(held),
        "youtube_rows": len(corpus.youtube),
        "shipped": shipped,
        "benchmark": measure(10_000, 5),
        "candidates": candidates,
        "sklearn_vectorisers": sklearn_vectoriser_speed(batch),
    }


def write_doc(section: str, path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{path}: figures markers not found")
    path.write_text(pattern.sub(lambda _: section, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.evals.report", description=__doc__)
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--quick", action="store_true", help="skip the alternatives")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/classifier.md")
    args = parser.parse_args(argv)
    figures = collect(with_candidates=not args.quick)
    if args.json:
        Path(args.json).write_text(
            json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    section = render(figures)
    if not args.no_doc:
        write_doc(section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
