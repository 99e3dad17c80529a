"""Classifier backends that use the language model: `llm` (every comment) and `cascade`.

Both keep the embedded model as the answer of last resort: a comment the model could not answer
(timeout, rate limit, malformed reply, spent token budget...) is answered by the embedded model and
its row says so in `fallback_reason` ("llm: timeout"). Each result names the model that produced
it: `llm:<LLM_MODEL>` with the served model and prompt digest as version, or the embedded model's
own name and version.

Tags of a model answer are the taxonomy's tags for the text plus any taxonomy tag the model saw
that the expressions missed, so the same subject keeps the same tag whichever backend answered.
The model's `confianca` is stored as it claims it; it is not calibrated (only the embedded model's
is), so review flags on model answers rest on the model's word.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from shared.classifier import Classification, Classifier
from shared.classifier.tags import extract_tags, tags_for
from shared.llm import LlmCommentClassifier, LlmFailure, LlmVerdict


def _answer(verdict: LlmVerdict, rule_tags: tuple[str, ...], model_name: str) -> Classification:
    return Classification(
        categoria=verdict.categoria,
        tags_funcionalidades=tags_for(verdict.categoria, (*verdict.tags, *rule_tags)),
        confianca=verdict.confianca,
        model_name=model_name,
        model_version=verdict.model_version,
    )


def _fell_back(result: Classification, failure: LlmFailure) -> Classification:
    return dataclasses.replace(result, fallback_reason=f"llm: {failure.reason}")


class LlmClassifier:
    """Backend `llm`: every comment to the model; the embedded model answers what it cannot."""

    def __init__(self, llm: LlmCommentClassifier, fallback: Classifier) -> None:
        self._llm = llm
        self._fallback = fallback

    @property
    def name(self) -> str:
        return self._llm.name

    @property
    def version(self) -> str:
        return self._llm.version

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        if not texts:
            return []
        outcomes = self._llm.classify(texts)
        failed = [
            index for index, outcome in enumerate(outcomes) if isinstance(outcome, LlmFailure)
        ]
        local = self._fallback.classify_batch([texts[index] for index in failed]) if failed else []
        fallback = dict(zip(failed, local, strict=True))
        return _merge(texts, outcomes, fallback, self._llm.name)


class CascadeClassifier:
    """Backend `cascade`: the embedded model first; only its unsure answers go to the model.

    A comment whose embedded confidence is below `threshold` (the review threshold) is sent to the
    language model; when the model cannot answer, the embedded answer stays, with the reason.
    """

    def __init__(self, local: Classifier, llm: LlmCommentClassifier, threshold: float) -> None:
        self._local = local
        self._llm = llm
        self.threshold = threshold

    @property
    def name(self) -> str:
        return f"cascade({self._local.name}>{self._llm.name})"

    @property
    def version(self) -> str:
        return f"{self._local.version}>{self._llm.version}"

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        local = self._local.classify_batch(texts)
        unsure = [index for index, result in enumerate(local) if result.confianca < self.threshold]
        if not unsure:
            return list(local)
        outcomes = self._llm.classify([texts[index] for index in unsure])
        merged = _merge(
            [texts[index] for index in unsure],
            outcomes,
            {position: local[index] for position, index in enumerate(unsure)},
            self._llm.name,
        )
        results = list(local)
        for index, result in zip(unsure, merged, strict=True):
            results[index] = result
        return results


def _merge(
    texts: Sequence[str],
    outcomes: Sequence[LlmVerdict | LlmFailure],
    fallback: dict[int, Classification],
    model_name: str,
) -> list[Classification]:
    """One result per text: the model's answer, or the fallback answer marked with the reason."""
    rule_tags = extract_tags(texts)
    results = []
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, LlmVerdict):
            results.append(_answer(outcome, rule_tags[index], model_name))
        else:
            results.append(_fell_back(fallback[index], outcome))
    return results
