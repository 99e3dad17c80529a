"""The embedded model's quality protocol: held-out split, YouTube rotations, leave-one-file-out.

Each measure trains a fresh model in memory on data that excludes what it is tested on:
- held-out: the corpus training split plus all YouTube rows; tested on the held-out split;
- rotations: the corpus training split plus two YouTube videos; tested on the third (spam F1);
- leave-one-file-out: every other listener file (each has a different author) plus all YouTube
  rows; tested on the whole left-out file, a harder figure since the writer is new to the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.classifier.local import LocalClassifier
from tooling.classifier.dataset import (
    LabelledComment,
    YoutubeComment,
    load_listener_comments,
    load_youtube_comments,
    split_listener_comments,
)
from tooling.classifier.training import TrainingData, TrainingParams, train_model
from tooling.evals.metrics import EvalReport
from tooling.evals.runner import NOT_SPAM, SPAM, EvalData, run_eval


@dataclass(frozen=True, slots=True)
class Corpus:
    listeners: list[LabelledComment]
    youtube: list[YoutubeComment]

    @classmethod
    def load(cls) -> Corpus:
        return cls(load_listener_comments(), load_youtube_comments())

    @property
    def videos(self) -> list[str]:
        return sorted({row.video for row in self.youtube})

    @property
    def files(self) -> list[str]:
        return sorted({row.source for row in self.listeners})


def _model(
    listeners: list[LabelledComment], youtube: list[YoutubeComment], params: TrainingParams
) -> LocalClassifier:
    artifact = train_model(TrainingData(listeners, youtube, []), params, version="local-eval")
    return LocalClassifier(artifact)


def _categories(rows: list[LabelledComment]) -> EvalData:
    return EvalData([row.texto for row in rows], [row.categoria for row in rows], "categories")


def _spam(rows: list[YoutubeComment]) -> EvalData:
    return EvalData(
        [row.texto for row in rows], [SPAM if row.is_spam else NOT_SPAM for row in rows], "spam"
    )


def held_out(corpus: Corpus, params: TrainingParams | None = None) -> EvalReport:
    params = params or TrainingParams()
    train, test = split_listener_comments(corpus.listeners)
    return run_eval(_model(train, corpus.youtube, params), _categories(test))


def youtube_rotations(
    corpus: Corpus, params: TrainingParams | None = None
) -> dict[str, EvalReport]:
    params = params or TrainingParams()
    train, _ = split_listener_comments(corpus.listeners)
    reports: dict[str, EvalReport] = {}
    for video in corpus.videos:
        seen = [row for row in corpus.youtube if row.video != video]
        unseen = [row for row in corpus.youtube if row.video == video]
        reports[video] = run_eval(_model(train, seen, params), _spam(unseen))
    return reports


def leave_one_file_out(
    corpus: Corpus, params: TrainingParams | None = None
) -> dict[str, EvalReport]:
    params = params or TrainingParams()
    reports: dict[str, EvalReport] = {}
    for name in corpus.files:
        seen = [row for row in corpus.listeners if row.source != name]
        unseen = [row for row in corpus.listeners if row.source == name]
        reports[name] = run_eval(_model(seen, corpus.youtube, params), _categories(unseen))
    return reports
