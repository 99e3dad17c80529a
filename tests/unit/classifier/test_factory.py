"""`build_classifier` wires the backend CLASSIFIER asks for, always around the embedded model."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence

import pytest

from shared.classifier import Classification, Classifier
from shared.classifier.factory import build_classifier
from shared.classifier.llm_backend import CascadeClassifier, LlmClassifier
from shared.config import Settings


class StandInLocal:
    name = "local-stand-in"
    version = "test"

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        return [Classification("ELOGIO", (), 0.9, self.name, self.version) for _ in texts]


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> StandInLocal:
    # The embedded model's loader, replaced so this test checks wiring only.
    model = StandInLocal()
    module = types.ModuleType("shared.classifier.local")
    module.load_local_classifier = lambda settings: model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "shared.classifier.local", module)
    return model


def _settings(**values: object) -> Settings:
    return Settings(openai_base_url="http://127.0.0.1:9/v1", **values)  # type: ignore[arg-type]


def test_local_backend_is_the_embedded_model(local: StandInLocal) -> None:
    # Given CLASSIFIER=local / When built / Then the embedded model itself
    assert build_classifier(_settings(classifier="local")) is local


def test_llm_backend_falls_back_to_the_embedded_model(local: StandInLocal) -> None:
    # Given CLASSIFIER=llm and a model name / When built
    classifier = build_classifier(_settings(classifier="llm", llm_model="some-model"))
    # Then every comment goes to the model, named after it, with the embedded model behind
    assert isinstance(classifier, LlmClassifier)
    assert isinstance(classifier, Classifier)
    assert classifier.name == "llm:some-model"
    assert classifier._fallback is local


def test_cascade_backend_uses_the_review_threshold(local: StandInLocal) -> None:
    # Given CLASSIFIER=cascade and a review threshold / When built
    classifier = build_classifier(_settings(classifier="cascade", review_threshold=0.7))
    # Then the embedded model answers first and unsure answers (< 0.7) go to the model
    assert isinstance(classifier, CascadeClassifier)
    assert classifier.threshold == pytest.approx(0.7)
    assert classifier._local is local
    assert classifier.name == "cascade(local-stand-in>llm:gpt-4o-mini)"


def test_llm_backends_need_an_endpoint_or_a_key() -> None:
    # Given CLASSIFIER=llm without OPENAI_BASE_URL nor OPENAI_API_KEY / Then settings are refused
    with pytest.raises(ValueError, match="OPENAI_BASE_URL or OPENAI_API_KEY"):
        Settings(classifier="llm", openai_base_url=None, openai_api_key=None)
