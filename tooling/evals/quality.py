"""The embedded model's quality protocol: held-out splits, YouTube rotations, leave-one-file-out,
real text and independently written sets.

Each measure trains a fresh model in memory on data that excludes what it is tested on:
- held-out: the training splits (listener corpus and real public text) plus all YouTube rows;
  tested on the listener held-out split, and (same model) on the real-text held-out rows, on the
  independently written sets in `tooling/evals/data/`, and on any extra labelled CSV given;
- rotations: the training splits plus two YouTube videos; tested on the third (spam F1), and on
  the third's not-spam comments that a person read into the categories (real music-video
  comments, mostly English; OUTRO rows measured by whether they come out doubtful);
- leave-one-file-out: every other listener file (each has a different author), the real-text
  training split and all YouTube rows; tested on the whole left-out file, a harder figure since
  the writer is new to the model.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.classifier.local import LocalClassifier
from tooling.classifier.dataset import (
    LabelledComment,
    YoutubeComment,
    load_external_comments,
    load_listener_comments,
    load_youtube_comments,
    split_listener_comments,
)
from tooling.classifier.training import TrainingData, TrainingParams, train_model
from tooling.evals.metrics import EvalReport
from tooling.evals.polarity import NEGATIVE, POSITIVE
from tooling.evals.runner import (
    NOT_SPAM,
    SPAM,
    EvalData,
    classify_all,
    read_eval_csv,
    run_eval,
    run_grouped,
    run_polarity_eval,
)

# Written by someone who never saw the model, its code or its training data (see its README).
INDEPENDENT_DIR = Path(__file__).resolve().parent / "data"
INDEPENDENT_SETS = (
    "listener_voice.csv",
    "polarity_posts.csv",
    "polarity_posts_b.csv",
    "out_of_scope.csv",
)
# Written the same way, but read while choosing the corpus: its figures are tuning figures.
TUNING_SETS = ("polarity_dev.csv",)
TOPIC_COLUMN = "topico"
# External sources whose held-out rows are measured by their own polarity label, not ours.
POLARITY_SOURCES = {"corpus4p_products": {"ELOGIO": POSITIVE, "CRÍTICA": NEGATIVE}}


@dataclass(frozen=True, slots=True)
class Corpus:
    listeners: list[LabelledComment]
    youtube: list[YoutubeComment]
    external: list[LabelledComment]

    @classmethod
    def load(cls) -> Corpus:
        return cls(load_listener_comments(), load_youtube_comments(), load_external_comments())

    @property
    def videos(self) -> list[str]:
        return sorted({row.video for row in self.youtube})

    @property
    def files(self) -> list[str]:
        return sorted({row.source for row in self.listeners})

    @property
    def external_split(self) -> tuple[list[LabelledComment], list[LabelledComment]]:
        return split_listener_comments(self.external)


def _model(
    corpus: Corpus,
    listeners: list[LabelledComment],
    youtube: list[YoutubeComment],
    params: TrainingParams,
) -> LocalClassifier:
    external, _ = corpus.external_split
    data = TrainingData(listeners, youtube, [], external)
    return LocalClassifier(train_model(data, params, version="local-eval"))


def _categories(rows: Sequence[LabelledComment]) -> EvalData:
    return EvalData([row.texto for row in rows], [row.categoria for row in rows], "categories")


def _spam(rows: list[YoutubeComment]) -> EvalData:
    return EvalData(
        [row.texto for row in rows], [SPAM if row.is_spam else NOT_SPAM for row in rows], "spam"
    )


def held_out_model(corpus: Corpus, params: TrainingParams | None = None) -> LocalClassifier:
    """The model that has seen no held-out row of any kind."""
    train, _ = split_listener_comments(corpus.listeners)
    return _model(corpus, train, corpus.youtube, params or TrainingParams())


def held_out(corpus: Corpus, params: TrainingParams | None = None) -> EvalReport:
    _, test = split_listener_comments(corpus.listeners)
    return run_eval(held_out_model(corpus, params), _categories(test))


def real_text(
    corpus: Corpus,
    model: LocalClassifier,
    extra_csvs: Sequence[Path] = (),
    review_threshold: float = 0.6,
) -> dict[str, dict[str, Any]]:
    """Every real-text measure of a held-out model, by set name, as plain dicts."""
    _, external_held_out = corpus.external_split
    results: dict[str, dict[str, Any]] = {}
    for source in sorted({row.source for row in external_held_out}):
        rows = [row for row in external_held_out if row.source == source]
        if source in POLARITY_SOURCES:
            mapping = POLARITY_SOURCES[source]
            polar = [row for row in rows if row.categoria in mapping]
            data = EvalData(
                [r.texto for r in polar], [mapping[r.categoria] for r in polar], "polarity"
            )
            results[f"held-out {source}"] = run_polarity_eval(
                model, data, review_threshold
            ).as_dict()
        else:
            results[f"held-out {source}"] = run_eval(
                model, _categories(rows), review_threshold
            ).as_dict()
    names = (*INDEPENDENT_SETS, *TUNING_SETS)
    paths = [INDEPENDENT_DIR / name for name in names] + list(extra_csvs)
    for path in paths:
        # A set that names a topic per row is also measured per topic ("polarity_posts_b, tv").
        group_by = TOPIC_COLUMN if TOPIC_COLUMN in _header(path) else None
        whole, groups = run_grouped(model, read_eval_csv(path, group_by), review_threshold)
        results[path.stem] = whole.as_dict()
        for topic, report in groups.items():
            results[f"{path.stem}, {topic}"] = report.as_dict()
    return results


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


# Where a rotation's spam report keeps the categories of the unseen video's labelled comments.
ROTATION_COMMENTS = "not_spam_categories"


def youtube_rotations(
    corpus: Corpus, params: TrainingParams | None = None
) -> dict[str, EvalReport]:
    """Spam on each video from a model trained on the other two; `extra[ROTATION_COMMENTS]` holds
    the categories report of that video's not-spam rows a person labelled (when there are any)."""
    params = params or TrainingParams()
    train, _ = split_listener_comments(corpus.listeners)
    reports: dict[str, EvalReport] = {}
    for video in corpus.videos:
        seen = [row for row in corpus.youtube if row.video != video]
        unseen = [row for row in corpus.youtube if row.video == video]
        model = _model(corpus, train, seen, params)
        answers = classify_all(model, [row.texto for row in unseen])
        report = run_eval(model, _spam(unseen), answers=answers)
        read = [(row, a) for row, a in zip(unseen, answers, strict=True) if row.categoria]
        if read:
            comments = EvalData(
                [row.texto for row, _ in read],
                [str(row.categoria) for row, _ in read],
                "categories",
            )
            categories = run_eval(model, comments, answers=[a for _, a in read])
            report.extra[ROTATION_COMMENTS] = categories.as_dict()
        reports[video] = report
    return reports


def leave_one_file_out(
    corpus: Corpus, params: TrainingParams | None = None
) -> dict[str, EvalReport]:
    params = params or TrainingParams()
    reports: dict[str, EvalReport] = {}
    for name in corpus.files:
        seen = [row for row in corpus.listeners if row.source != name]
        unseen = [row for row in corpus.listeners if row.source == name]
        reports[name] = run_eval(_model(corpus, seen, corpus.youtube, params), _categories(unseen))
    return reports
