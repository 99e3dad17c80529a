"""The one classification interface used by the sync endpoint, the Pub/Sub consumer and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol, runtime_checkable

CATEGORIES: Final[tuple[str, ...]] = ("ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM")


@dataclass(frozen=True, slots=True)
class Classification:
    """One comment's answer: category, feature tags, calibrated confidence and its provenance."""

    categoria: str
    tags_funcionalidades: tuple[str, ...]
    confianca: float
    model_name: str
    model_version: str
    # Set when the configured backend failed and another one answered (e.g. "llm: timeout").
    fallback_reason: str | None = field(default=None)


@runtime_checkable
class Classifier(Protocol):
    """Anything that classifies a batch of texts, in order, one answer per text."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]: ...
