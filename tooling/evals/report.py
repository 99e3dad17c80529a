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
from tooling.classifier.dataset import split_listener_comments
from tooling.classifier.training import TrainingParams
from tooling.evals.quality import (
    ROTATION_COMMENTS,
    Corpus,
    held_out_model,
    leave_one_file_out,
    real_text,
    youtube_rotations,
)
from tooling.evals.runner import EvalData, run_eval

DOC = Path(__file__).resolve().parents[2] / "docs" / "classifier.md"
START = "<!-- figures:start (written by `python -m tooling.evals.report`) -->"
END = "<!-- figures:end -->"

ROTATED_CANDIDATES = 5
CHOSEN = TrainingParams()
CANDIDATES: dict[str, TrainingParams] = {
    "chosen: hashed char 2-5 + word 1-2, SVM, written corpus + YouTube + real public text": CHOSEN,
    "YouTube not-spam rows pseudo-labelled, SPAM whenever OUTRO is not likelier (the earlier recipe)": replace(
        CHOSEN, youtube_labels=False, spam_over_outro=1.0
    ),
    "a person's labels, SPAM whenever OUTRO is not likelier": replace(CHOSEN, spam_over_outro=1.0),
    f"pseudo-labels, SPAM only at {CHOSEN.spam_over_outro:g} times OUTRO's probability": replace(
        CHOSEN, youtube_labels=False
    ),
    "written corpus and YouTube only (no real text)": replace(CHOSEN, use_external=False),
    "without the sentiment lexicon features": replace(CHOSEN, lexicon_scale=0.0),
    "lexicon features at scale 0.5": replace(CHOSEN, lexicon_scale=0.5),
    "praise and criticism not balanced per source": replace(CHOSEN, balance_polarity=False),
    "confidence fitted on the written comments only": replace(
        CHOSEN, calibration_external_weight=0.0
    ),
    "SVM C=0.5": replace(CHOSEN, c=0.5),
    "one temperature for every class (the earlier confidence)": replace(
        CHOSEN, calibration="temperature"
    ),
}


@dataclass
class CandidateFigures:
    name: str
    held_out_macro_f1: float
    held_out_min_f1: float
    spam_f1_rotations: list[float]
    # Accuracy on each unseen video's not-spam comments a person labelled (OUTRO rows aside).
    rotation_comments_accuracy: list[float]
    lofo_macro_f1: list[float]
    comments_per_second: float
    ece: float
    real: dict[str, dict[str, Any]]


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
    name: str,
    params: TrainingParams,
    corpus: Corpus,
    batch: list[str],
    extra_csvs: list[Path],
    with_lofo: bool = False,
    with_rotations: bool = False,
) -> CandidateFigures:
    model = held_out_model(corpus, params)
    _, test = split_listener_comments(corpus.listeners)
    report = run_eval(
        model, EvalData([r.texto for r in test], [r.categoria for r in test], "categories")
    )
    rotations = youtube_rotations(corpus, params) if with_rotations else {}
    lofo = leave_one_file_out(corpus, params) if with_lofo else {}
    return CandidateFigures(
        name=name,
        held_out_macro_f1=report.macro_f1,
        held_out_min_f1=min(report.per_category[c].f1 for c in CATEGORIES),
        spam_f1_rotations=[r.spam.f1 for r in rotations.values() if r.spam is not None],
        rotation_comments_accuracy=[
            r.extra[ROTATION_COMMENTS]["accuracy"]
            for r in rotations.values()
            if ROTATION_COMMENTS in r.extra
        ],
        lofo_macro_f1=[_present_macro_f1(r.as_dict()) for r in lofo.values()],
        comments_per_second=_throughput(model.classify_batch, batch),
        ece=report.ece,
        real=real_text(corpus, model, extra_csvs),
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
        f"{figures['held_out_rows']} of them held out; {figures['youtube_rows']} YouTube rows; "
        f"{figures['external_rows']} rows of real public text, "
        f"{figures['external_held_out_rows']} of them held out).",
        "",
        "### Held-out split (shipped recipe, trained on the training splits and all YouTube rows)",
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
    lines += render_rotation_comments(shipped["rotations"])
    lines += [
        "",
        "### Real text and independently written sets (same held-out model)",
        "",
        "`held-out <source>`: the held-out rows of the real public text in the corpus "
        "(`corpus/external`, labelled by this project; Corpus 4P by its own polarity). "
        "`listener_voice`, `polarity_posts`, `polarity_posts_b`, `out_of_scope`: written by "
        "someone who never saw the model or its data (`tooling/evals/data/README.md`); "
        "`polarity_dev` was written "
        "the same way but read while choosing the corpus, so its figures are tuning figures."
        + (
            f" Also measured: {', '.join(figures['extra_csvs'])} (not shipped; see below)."
            if figures.get("extra_csvs")
            else ""
        ),
        "",
        *render_real(shipped["real"]),
    ]
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
        "unseen video's comments accuracy per rotation | "
        "LOFO mean macro-F1 | listener_voice macro-F1 | polarity_posts accuracy "
        "(negatives called ELOGIO / positives called CRÍTICA) | out_of_scope below 0.6 | "
        "ToLD-Br held-out accuracy | comments/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    if not figures["candidates"]:
        lines.append(
            "| (not measured in this run: `python -m tooling.evals.report` without `--quick`) "
            "| | | | | | | | | | | |"
        )
    for candidate in figures["candidates"]:
        lines.append(
            f"| {candidate['name']} | {_f(candidate['held_out_macro_f1'])} | "
            f"{_f(candidate['held_out_min_f1'])} | {_f(candidate['ece'])} | "
            + (" / ".join(_f(v) for v in candidate["spam_f1_rotations"]) or "-")
            + " | "
            + (" / ".join(_f(v) for v in candidate["rotation_comments_accuracy"]) or "-")
            + f" | {_lofo_mean(candidate['lofo_macro_f1'])} | "
            + _real_cells(candidate["real"])
            + f" | {candidate['comments_per_second']:,.0f} |"
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


def render_rotation_comments(rotations: dict[str, dict[str, Any]]) -> list[str]:
    """The categories of each unseen video's not-spam comments that a person labelled."""
    read = {video: r[ROTATION_COMMENTS] for video, r in rotations.items() if ROTATION_COMMENTS in r}
    if not read:
        return []
    lines = [
        "",
        "The same models on the unseen video's not-spam comments, each read by a person into the "
        "categories or OUTRO (`corpus/youtube/labels`; real music-video comments, mostly English; "
        "never trained on by the shipped recipe):",
        "",
        "| test video | comments | ELOGIO F1 (support) | CRÍTICA F1 (support) | accuracy | "
        "errors at confidence >= 0.6 | OUTRO rows below 0.6 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for video, report in read.items():
        praise, complaint = (report["per_category"][c] for c in ("ELOGIO", "CRÍTICA"))
        outside = report.get("out_of_scope")
        lines.append(
            f"| {video} | {report['n'] + (outside or {}).get('n', 0)} | "
            f"{_f(praise['f1'])} ({praise['support']}) | "
            f"{_f(complaint['f1'])} ({complaint['support']}) | {_f(report['accuracy'])} | "
            f"{_pct(report['errors_at_review_threshold'])} | "
            + (f"{_pct(outside['below_review_threshold'])} of {outside['n']}" if outside else "-")
            + " |"
        )
    return lines


def _lofo_mean(values: list[float]) -> str:
    return _f(statistics.mean(values)) if values else "-"


def _real_cells(real: dict[str, dict[str, Any]]) -> str:
    voice = real.get("listener_voice", {})
    posts = real.get("polarity_posts", {})
    outside = real.get("out_of_scope", {}).get("out_of_scope", {})
    told = real.get("held-out toldbr_labelled", {})
    cells = [
        _f(voice["macro_f1"]) if voice else "-",
        f"{_f(posts['polarity_accuracy'])} ({_pct(posts['negatives_called_elogio'])} / "
        f"{_pct(posts['positives_called_critica'])})"
        if posts
        else "-",
        _pct(outside["below_review_threshold"]) if outside else "-",
        _f(told["accuracy"]) if told else "-",
    ]
    return " | ".join(cells)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def render_real(real: dict[str, dict[str, Any]]) -> list[str]:
    """The real-text measures of one model as two Markdown tables (categories, polarity)."""
    lines = [
        "| set | rows | macro-F1 | accuracy | ECE | errors at confidence >= 0.6 | "
        "OUTRO rows below 0.6 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, result in real.items():
        if result.get("kind") == "polarity":
            continue
        outside = result.get("out_of_scope")
        scored = result["n"]
        lines.append(
            f"| {name} | {scored + (outside or {}).get('n', 0)} | "
            + (
                f"{_f(result['macro_f1'])} | {_f(result['accuracy'])} | {_f(result['ece'])} | "
                f"{_pct(result['errors_at_review_threshold'])}"
                if scored
                else "- | - | - | -"
            )
            + f" | {_pct(outside['below_review_threshold']) + ' of ' + str(outside['n']) if outside else '-'} |"
        )
    lines += [
        "",
        "| polarity set | posts | negatives called ELOGIO | positives called CRÍTICA | "
        "polarity accuracy | coverage | called SPAM | errors at confidence >= 0.6 | ECE |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, result in real.items():
        if result.get("kind") != "polarity":
            continue
        lines.append(
            f"| {name} | {result['n']} | {_pct(result['negatives_called_elogio'])} | "
            f"{_pct(result['positives_called_critica'])} | {_f(result['polarity_accuracy'])} | "
            f"{_f(result['coverage'])} | {result['called_spam']:.1%} | "
            f"{_pct(result['errors_at_review_threshold'])} | {_f(result['ece'])} |"
        )
    return lines


def collect(with_candidates: bool = True, extra_csvs: list[Path] | None = None) -> dict[str, Any]:
    from tooling.benchmarks.classifier import measure, sample_comments

    extra = extra_csvs or []
    corpus = Corpus.load()
    _, held = split_listener_comments(corpus.listeners)
    batch = sample_comments(10_000)
    model = held_out_model(corpus)
    shipped = {
        "held_out": run_eval(
            model, EvalData([r.texto for r in held], [r.categoria for r in held], "categories")
        ).as_dict(),
        "real": real_text(corpus, model, extra),
        "rotations": {k: v.as_dict() for k, v in youtube_rotations(corpus).items()},
        "lofo": {k: v.as_dict() for k, v in leave_one_file_out(corpus).items()},
    }
    candidates = []
    if with_candidates:
        for index, (name, params) in enumerate(CANDIDATES.items()):
            print(f"measuring: {name}", file=sys.stderr, flush=True)
            # Spam rotations cost three trainings: measured for the recipes that differ in data
            # or in when SPAM is answered.
            figures = measure_candidate(
                name, params, corpus, batch, extra, with_rotations=index < ROTATED_CANDIDATES
            )
            candidates.append(vars(figures))
    _, external_held = corpus.external_split
    return {
        "measured_at": time.strftime("%Y-%m-%d"),
        "listener_rows": len(corpus.listeners),
        "held_out_rows": len(held),
        "youtube_rows": len(corpus.youtube),
        "external_rows": len(corpus.external),
        "external_held_out_rows": len(external_held),
        "extra_csvs": [path.name for path in extra],
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
    parser.add_argument(
        "--extra-csv",
        action="append",
        default=[],
        metavar="FILE",
        help="another labelled CSV to measure every model on (any shape `alumusic eval` reads)",
    )
    args = parser.parse_args(argv)
    figures = collect(with_candidates=not args.quick, extra_csvs=[Path(f) for f in args.extra_csv])
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
