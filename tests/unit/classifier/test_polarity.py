"""Polarity-labelled data: reading it and the shares measured on it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from shared.classifier import Classification
from shared.errors import InvalidInput
from tooling.evals.polarity import (
    NEGATIVE,
    POSITIVE,
    PolarityReport,
    evaluate_polarity,
    render_polarity,
)
from tooling.evals.runner import read_eval_csv, run_grouped


def test_shares_over_a_polarity_set() -> None:
    # Given 4 negatives and 4 positives with known answers
    truth = [NEGATIVE] * 4 + [POSITIVE] * 4
    predicted = ["ELOGIO", "CRÍTICA", "CRÍTICA", "SPAM", "ELOGIO", "ELOGIO", "CRÍTICA", "DÚVIDA"]
    confidence = [0.9, 0.8, 0.7, 0.99, 0.9, 0.8, 0.4, 0.5]
    # When measured with a review threshold of 0.6
    report = evaluate_polarity(truth, predicted, confidence, "v1", 0.6)
    # Then every share is over the right denominator
    assert report.negatives_called_praise == pytest.approx(1 / 4)
    assert report.positives_called_complaint == pytest.approx(1 / 4)
    assert report.coverage == pytest.approx(6 / 8)  # ELOGIO or CRÍTICA answers
    assert report.polarity_accuracy == pytest.approx(4 / 6)
    assert report.called_spam == pytest.approx(1 / 8)
    # two polar errors: a negative called ELOGIO at 0.9, a positive called CRÍTICA at 0.4
    assert report.errors == 2
    assert report.errors_at_review_threshold == pytest.approx(1 / 2)
    assert report.predicted == {"CRÍTICA": 3, "DÚVIDA": 1, "ELOGIO": 3, "SPAM": 1}
    assert "negatives called ELOGIO" in render_polarity(report)


def test_an_empty_or_unknown_label_set() -> None:
    report = evaluate_polarity([], [], [], "v1", 0.6)
    assert report.n == 0
    assert report.coverage == 0.0
    with pytest.raises(ValueError, match="polarity labels"):
        evaluate_polarity(["neutral"], ["ELOGIO"], [0.5], "v1", 0.6)


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        ("text,label", ["bom demais,1", "horrível,-1", "tanto faz,0"]),
        ("texto,polaridade", ["bom demais,+1", "horrível,-1", "tanto faz,0"]),
    ],
)
def test_both_polarity_shapes_are_read(tmp_path: Path, header: str, rows: list[str]) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    data = read_eval_csv(path)
    assert data.kind == "polarity"
    assert data.texts == ["bom demais", "horrível"]
    assert data.truth == [POSITIVE, NEGATIVE]
    assert data.neutral_skipped == 1


def test_labels_written_as_decimals_are_read(tmp_path: Path) -> None:
    # Given the labels as a data-frame export writes them
    path = tmp_path / "posts.csv"
    path.write_text(
        "text,label\nbom demais,1.0\nhorrível,-1.0\ntanto faz,0.0\nótimo,+1.00\nruim,-01\n",
        encoding="utf-8",
    )
    # When read
    data = read_eval_csv(path)
    # Then they mean what their integers mean
    assert data.truth == [POSITIVE, NEGATIVE, POSITIVE, NEGATIVE]
    assert data.neutral_skipped == 1


@pytest.mark.parametrize("label", ["positive", "10", "1.5", "2", "-", "1e0", "1" + "0" * 5000])
def test_a_bad_polarity_label_is_refused(tmp_path: Path, label: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(f"text,label\nok,1\nhmm,{label}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"posts.csv:3: label must be 1") as refused:
        read_eval_csv(path)
    assert len(str(refused.value)) < 300  # a huge label is not echoed whole


def test_a_bad_polarity_label_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text,label\nok,1\nhmm,positive\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"posts.csv:3: label must be 1"):
        read_eval_csv(path)


class _CountingClassifier:
    """Answers ELOGIO for every text and counts how many texts it was asked about."""

    name = "counting"
    version = "counting-1"

    def __init__(self) -> None:
        self.asked = 0

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        self.asked += len(texts)
        return [
            Classification(
                categoria="ELOGIO",
                tags_funcionalidades=(),
                confianca=0.9,
                model_name=self.name,
                model_version=self.version,
            )
            for _ in texts
        ]


def test_groups_are_measured_from_one_pass(tmp_path: Path) -> None:
    # Given posts in two topics
    path = tmp_path / "posts.csv"
    path.write_text("texto,polaridade,topico\nbom,1,a\nruim,-1,a\nlindo,1,b\n", encoding="utf-8")
    data = read_eval_csv(path, group_by="topico")
    assert data.groups == ["a", "a", "b"]
    # When measured by group with a classifier that counts its questions
    classifier = _CountingClassifier()
    whole, groups = run_grouped(classifier, data)
    # Then each text was asked once, and each group has its own shares
    assert classifier.asked == 3
    assert isinstance(whole, PolarityReport)
    assert whole.negatives_called_praise == pytest.approx(1.0)
    a, b = groups["a"], groups["b"]
    assert isinstance(a, PolarityReport)
    assert isinstance(b, PolarityReport)
    assert a.n == 2
    assert a.polarity_accuracy == pytest.approx(0.5)
    assert b.n == 1
    assert b.polarity_accuracy == pytest.approx(1.0)
