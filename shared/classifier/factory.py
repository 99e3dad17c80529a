"""The classifier the settings ask for: `CLASSIFIER=local|llm|cascade`.

The embedded model is always loaded: it is the `local` backend, the fallback of `llm` and the first
stage of `cascade`, so a failing endpoint never leaves a comment unclassified.
"""

from __future__ import annotations

import logging

from shared.classifier import Classifier
from shared.config import Settings

log = logging.getLogger(__name__)


def build_classifier(settings: Settings) -> Classifier:
    from shared.classifier.local import load_local_classifier

    local: Classifier = load_local_classifier(settings)
    if settings.classifier == "local":
        return local

    from shared.classifier.llm_backend import (
        CascadeClassifier,
        LlmClassifier,
        LlmCommentClassifier,
    )

    llm = LlmCommentClassifier.from_settings(settings)
    log.info(
        "classifier uses a language model",
        extra={
            "classifier_backend": settings.classifier,
            "llm_model": settings.llm_model,
            "llm_base_url": settings.openai_base_url or "https://api.openai.com/v1",
        },
    )
    if settings.classifier == "llm":
        return LlmClassifier(llm, fallback=local)
    return CascadeClassifier(local, llm, threshold=settings.review_threshold)
