"""Confidence calibration: one temperature, or a scale and an offset per class."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from shared.classifier.local import LocalClassifier, ModelNotTrained
from tooling.classifier.training import fit_class_scaling, fit_temperature


def _softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _log_loss(probabilities: npt.NDArray[np.float64], truth: npt.NDArray[np.intp]) -> float:
    return float(-np.log(probabilities[np.arange(truth.size), truth]).mean())


def _sampled(
    scale: npt.NDArray[np.float64], offset: npt.NDArray[np.float64], n: int = 30_000
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Scores and labels drawn so that P(label) is exactly softmax(scores * scale + offset)."""
    rng = np.random.default_rng(7)
    scores = rng.normal(0.0, 1.0, size=(n, scale.size))
    probabilities = _softmax(scores * scale + offset)
    cumulative = probabilities.cumsum(axis=1)
    truth = (rng.random(n)[:, None] > cumulative).sum(axis=1)
    return scores, np.minimum(truth, scale.size - 1).astype(np.intp)


def test_the_scale_and_offset_of_each_class_are_recovered() -> None:
    # Given labels drawn from known per-class scales and offsets (one class sharp, one blunt)
    true_scale = np.array([4.0, 1.0, 2.0])
    true_offset = np.array([0.5, -0.5, 0.0])
    scores, truth = _sampled(true_scale, true_offset)
    # When the calibration is fitted from a single temperature's start
    temperature = fit_temperature(scores, truth)
    scale, offset = fit_class_scaling(scores, truth, np.ones(truth.size), temperature)
    # Then it finds them (offsets up to a common constant, which softmax ignores)
    assert scale == pytest.approx(true_scale, abs=0.25)
    assert offset - offset[2] == pytest.approx(true_offset - true_offset[2], abs=0.1)
    # And its log loss is lower than the one temperature's, which cannot tell the classes apart
    single = _log_loss(_softmax(scores / temperature), truth)
    assert _log_loss(_softmax(scores * scale + offset), truth) < single - 0.01


def test_row_weights_count_in_the_fit() -> None:
    # Given two halves drawn with different sharpness, one of them weighted almost to nothing
    sharp, sharp_truth = _sampled(np.array([4.0, 4.0]), np.zeros(2), 10_000)
    blunt, blunt_truth = _sampled(np.array([0.5, 0.5]), np.zeros(2), 10_000)
    scores = np.vstack([sharp, blunt])
    truth = np.concatenate([sharp_truth, blunt_truth])
    weights = np.concatenate([np.ones(10_000), np.full(10_000, 1e-6)])
    # When fitted with those weights / Then the sharp half decides
    scale, _ = fit_class_scaling(scores, truth, weights, 1.0)
    assert scale == pytest.approx([4.0, 4.0], abs=0.4)


def _artifact(**calibration: Any) -> dict[str, Any]:
    bits = 4
    weights = np.zeros((3, 1 << bits), dtype=np.float32)
    weights[0] = 1.0
    return {
        "format": 1,
        "version": "local-toy",
        "classes": ["ELOGIO", "CRÍTICA", "SPAM"],
        "ngrams": {"char_min": 1, "char_max": 1, "word_min": 1, "word_max": 1, "bits": bits},
        "weights": weights,
        "idf_squared": np.ones(1 << bits, dtype=np.float32),
        "intercept": np.zeros(3, dtype=np.float32),
        "temperature": 0.5,
        **calibration,
    }


def _no_tags(texts: Any) -> list[tuple[str, ...]]:
    return [() for _ in texts]


def test_inference_applies_each_class_scale_and_offset() -> None:
    # Given one model calibrated by a temperature and the same model by class
    by_temperature = LocalClassifier(_artifact(), tag_extractor=_no_tags)
    scale, offset = np.array([1.0, 3.0, 2.0]), np.array([0.0, 0.2, -1.0])
    by_class = LocalClassifier(
        _artifact(class_scale=scale, class_offset=offset), tag_extractor=_no_tags
    )
    texts = ["amei demais", "x"]
    # When both score the same texts
    scores = by_class.scores(texts)
    # Then each applies its own calibration to the same scores
    assert np.allclose(by_temperature.predict_proba(texts), _softmax(scores / 0.5))
    assert np.allclose(by_class.predict_proba(texts), _softmax(scores * scale + offset))


@pytest.mark.parametrize(
    "calibration",
    [
        {"class_scale": np.ones(2), "class_offset": np.zeros(3)},
        {"class_scale": np.ones(3), "class_offset": np.zeros((3, 1))},
    ],
)
def test_a_calibration_of_the_wrong_shape_is_refused(calibration: dict[str, Any]) -> None:
    with pytest.raises(ModelNotTrained, match="calibration"):
        LocalClassifier(_artifact(**calibration), tag_extractor=_no_tags)
