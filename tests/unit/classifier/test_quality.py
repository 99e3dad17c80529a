"""Quality gate: the shipped recipe must clear the product's bars on data it never trained on.

- held-out split of the corpus: macro-F1 and every category's F1 above a floor;
- YouTube: trained on two videos, spam F1 >= 0.94 on the third and >= 0.95 on average over the
  three rotations;
- real text and the independently written sets (`tooling/evals/data/`): the figures this recipe
  reached when it was chosen (docs/classifier.md), less a margin, so a change that loses what the
  real text brought fails here rather than in front of a listener.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared.classifier import CATEGORIES
from shared.classifier.local import LocalClassifier
from tooling.classifier.dataset import load_listener_comments, split_listener_comments
from tooling.evals.metrics import EvalReport
from tooling.evals.quality import ROTATION_COMMENTS, Corpus, real_text, youtube_rotations
from tooling.evals.runner import EvalData, run_eval

MIN_MACRO_F1 = 0.84
MIN_CATEGORY_F1 = 0.72
# Per video trained on the other two; the three together must average MIN_MEAN_SPAM_F1.
MIN_SPAM_F1 = 0.94
MIN_MEAN_SPAM_F1 = 0.95
# polarity_posts_b's first measurement (docs/classifier.md), less a margin of a few posts.
POSTS_B_FLOORS = {
    "polarity_accuracy": 0.78,
    "negatives_called_elogio": 0.20,
    "positives_called_critica": 0.24,
}


def test_held_out_split_clears_the_bars(local_classifier: LocalClassifier) -> None:
    # Given the model trained on the training split (the session fixture) and the held-out rows
    _, held_out = split_listener_comments(load_listener_comments())
    data = EvalData([r.texto for r in held_out], [r.categoria for r in held_out], "categories")
    # When evaluated
    report = run_eval(local_classifier, data)
    # Then macro-F1 and every category's F1 clear the bars, with all categories present
    per_category = {c: round(report.per_category[c].f1, 3) for c in CATEGORIES}
    assert all(report.per_category[c].support >= 50 for c in CATEGORIES), per_category
    assert report.macro_f1 >= MIN_MACRO_F1, per_category
    assert min(per_category.values()) >= MIN_CATEGORY_F1, per_category
    # Confidence is fitted on the whole training mix, mostly real text: on comments written like
    # the corpus it is cautious (docs/classifier.md, "Known limits").
    assert report.ece < 0.11


@pytest.fixture(scope="module")
def rotation_reports() -> dict[str, EvalReport]:
    return youtube_rotations(Corpus.load())


@pytest.fixture(scope="module")
def rotations(rotation_reports: dict[str, EvalReport]) -> dict[str, float]:
    return {video: report.spam.f1 for video, report in rotation_reports.items() if report.spam}


# The rotations fixture trains three whole models: on a busy machine that is more than the
# default per-test timeout.
ROTATIONS_TIMEOUT = pytest.mark.timeout(1200)


@ROTATIONS_TIMEOUT
def test_three_youtube_rotations(rotations: dict[str, float]) -> None:
    assert sorted(rotations) == ["Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO"]


@ROTATIONS_TIMEOUT
@pytest.mark.parametrize("video", ["Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO"])
def test_spam_on_an_unseen_video(rotations: dict[str, float], video: str) -> None:
    # Given a model trained on the other two videos / Then spam F1 on this one clears the bar
    assert rotations[video] >= MIN_SPAM_F1, rotations


@ROTATIONS_TIMEOUT
def test_spam_across_the_unseen_videos(rotations: dict[str, float]) -> None:
    assert sum(rotations.values()) / len(rotations) >= MIN_MEAN_SPAM_F1, rotations


@ROTATIONS_TIMEOUT
@pytest.mark.parametrize("video", ["Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO"])
def test_categories_of_an_unseen_videos_comments(
    rotation_reports: dict[str, EvalReport], video: str
) -> None:
    # Given the model trained on the other two videos and this video's not-spam comments, each
    # read by a person into a category or OUTRO
    comments = rotation_reports[video].extra[ROTATION_COMMENTS]
    # Then most of those with a category get it, and most of the chatter comes out doubtful
    # (first measurement, trained on pseudo-labels: accuracy 0.61 / 0.72 / 0.77, OUTRO below 0.6
    # 88% / 98% / 89%; trained on the person's labels of the other two videos: 0.70 / 0.77 / 0.85)
    assert comments["n"] >= 50, comments
    assert comments["accuracy"] >= 0.65, comments
    assert comments["out_of_scope"]["below_review_threshold"] >= 0.8, comments["out_of_scope"]


@pytest.fixture(scope="module")
def real(local_classifier: LocalClassifier) -> dict[str, dict[str, Any]]:
    # The session model is trained on the training splits only: every set here is unseen.
    return real_text(Corpus.load(), local_classifier)


def test_comments_written_by_an_outsider(real: dict[str, dict[str, Any]]) -> None:
    voice = real["listener_voice"]
    assert voice["macro_f1"] >= 0.88, voice["per_category"]
    assert min(c["f1"] for c in voice["per_category"].values()) >= 0.78, voice["per_category"]


def test_posts_labelled_only_by_polarity(real: dict[str, dict[str, Any]]) -> None:
    # Given real-sounding posts about TV, music and products, labelled positive or negative
    posts = real["polarity_posts"]
    # Then praise and criticism are told apart, few of either way round, none thrown away as spam
    assert posts["polarity_accuracy"] >= 0.82, posts
    assert posts["coverage"] >= 0.90, posts
    assert posts["negatives_called_elogio"] <= 0.20, posts
    assert posts["positives_called_critica"] <= 0.22, posts
    assert posts["called_spam"] <= 0.02, posts
    # and most of the mistakes are doubtful enough for the review queue
    assert posts["errors_at_review_threshold"] <= 0.40, posts


def test_posts_of_a_second_outsider_labelled_only_by_polarity(
    real: dict[str, dict[str, Any]],
) -> None:
    # Given posts by another writer, harder on purpose (irony, slang, praise in negative words)
    posts = real["polarity_posts_b"]
    # Then the figures of its first measurement hold: a floor against getting worse, not the bar
    assert posts["polarity_accuracy"] >= POSTS_B_FLOORS["polarity_accuracy"], posts
    assert posts["coverage"] >= 0.90, posts
    assert posts["negatives_called_elogio"] <= POSTS_B_FLOORS["negatives_called_elogio"], posts
    assert posts["positives_called_critica"] <= POSTS_B_FLOORS["positives_called_critica"], posts
    assert posts["called_spam"] <= 0.02, posts
    # Confident mistakes per post, not per mistake: fixing doubtful mistakes raises their share of
    # the mistakes left (first measurement 32 of 400 posts, 8%; 33 once 12 doubtful ones were fixed).
    confident = posts["errors_at_review_threshold"] * posts["polarity_errors"]
    assert confident / posts["n"] <= 0.09, posts
    # and each of its topics is measured on its own
    topics = [real[f"polarity_posts_b, {topic}"] for topic in ("music", "product", "tv")]
    assert [topic["n"] for topic in topics] == [120, 120, 160]
    assert sum(topic["polarity_errors"] for topic in topics) == posts["polarity_errors"]


def test_text_that_is_none_of_the_five_comes_out_doubtful(
    real: dict[str, dict[str, Any]],
) -> None:
    outside = real["out_of_scope"]["out_of_scope"]
    assert outside["below_review_threshold"] >= 0.7, outside


def test_real_tweets_held_out(real: dict[str, dict[str, Any]]) -> None:
    # Given held-out real tweets labelled by the project (five categories, or OUTRO)
    tweets = real["held-out toldbr_labelled"]
    # Then most are right, and most of the none-of-the-five land below the review threshold
    assert tweets["accuracy"] >= 0.72, tweets["per_category"]
    assert tweets["out_of_scope"]["below_review_threshold"] >= 0.7, tweets["out_of_scope"]


def test_product_reviews_held_out(real: dict[str, dict[str, Any]]) -> None:
    reviews = real["held-out corpus4p_products"]
    assert reviews["polarity_accuracy"] >= 0.85, reviews
    assert reviews["called_spam"] <= 0.02, reviews
