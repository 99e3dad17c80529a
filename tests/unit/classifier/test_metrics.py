"""Metrics, calibration error and confusion matrix rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling.evals.metrics import (
    evaluate,
    expected_calibration_error,
    render_text,
    save_confusion_png,
)


def test_ece_of_a_perfectly_calibrated_set_is_zero() -> None:
    # Given answers at 0.8 confidence of which 8 in 10 are right
    confidence = [0.8] * 10
    correct = [True] * 8 + [False] * 2
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.0)


def test_ece_of_overconfident_answers() -> None:
    # Given half the answers right at confidence 1.0 and all right at 0.5 (two bins)
    confidence = [1.0] * 4 + [0.5] * 4
    correct = [True, True, False, False] + [True] * 4
    # Then ECE = 0.5 * |0.5 - 1.0| + 0.5 * |1.0 - 0.5|
    assert expected_calibration_error(confidence, correct) == pytest.approx(0.5)
    assert expected_calibration_error([], []) == 0.0


def test_evaluate_counts_and_scores() -> None:
    truth = ["ELOGIO", "ELOGIO", "CRÍTICA", "SPAM"]
    predicted = ["ELOGIO", "CRÍTICA", "CRÍTICA", "SPAM"]
    report = evaluate(truth, predicted, [0.9, 0.6, 0.8, 0.99], ["ELOGIO", "CRÍTICA", "SPAM"], "v1")
    assert report.accuracy == pytest.approx(0.75)
    assert report.per_category["ELOGIO"].recall == pytest.approx(0.5)
    assert report.per_category["CRÍTICA"].precision == pytest.approx(0.5)
    assert report.per_category["SPAM"].f1 == pytest.approx(1.0)
    assert report.confusion == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1.0) / 3)
    data = report.as_dict()
    assert {"macro_f1", "accuracy", "ece", "model_version", "n", "per_category"} <= set(data)
    assert set(data["per_category"]["SPAM"]) == {"precision", "recall", "f1", "support"}
    text = render_text(report)
    assert "macro-F1" in text
    assert "CRÍTICA" in text
    assert "confusion matrix" in text


def test_confusion_png(tmp_path: Path) -> None:
    report = evaluate(
        ["ELOGIO", "SPAM"], ["ELOGIO", "ELOGIO"], [0.9, 0.7], ["ELOGIO", "SPAM"], "v1"
    )
    path = tmp_path / "out" / "confusion.png"
    save_confusion_png(report, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
