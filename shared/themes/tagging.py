"""Analyst tags: tags made from promoted themes, applied by the tagger beside the taxonomy's.

An analyst tag's patterns are its theme's distinctive words, written as taxonomy expressions and
compiled by the same matcher (`shared.classifier.tags.parse_taxonomy`), so case, accents and
stretched letters are forgiven as they are for the taxonomy's tags. The table is read at most once
every `REFRESH_SECONDS` per process: a tag promoted now reaches new comments within that time.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shared.classifier import Classification, Classifier
from shared.classifier.tags import Taxonomy, parse_taxonomy, tags_for

log = logging.getLogger(__name__)

REFRESH_SECONDS: Final = 30.0


# Words a theme's two-word phrase may have had between its words: phrases are made of content words
# with stopwords removed ("camisa do time" -> "camisa time").
_LINKS: Final = ("de", "do", "da", "dos", "das", "no", "na", "nos", "nas", "o", "a", "e", "com")
_LINKS_EN: Final = ("of", "the", "and", "in")


def patterns_for(words: Sequence[str]) -> list[str]:
    """A theme's distinctive words as taxonomy expressions: a word as itself, a two-word phrase
    with one optional linking word between ("camisa time" also matches "camisa do time")."""
    patterns = []
    for word in words:
        parts = word.split()
        if len(parts) == 2:
            links = "|".join((*_LINKS, *_LINKS_EN))
            patterns.append(f"{parts[0]} [{links}] {parts[1]}")
        elif parts:
            patterns.append(" ".join(parts))
    return patterns


def analyst_taxonomy(tags: Sequence[tuple[str, str, Sequence[str]]]) -> Taxonomy | None:
    """The matcher of (tag, description, patterns) rows; None when there are none.
    Raises TaxonomyError when the patterns do not compile alike the taxonomy's rules demand."""
    if not tags:
        return None
    document = {
        "versao": "analistas",
        "tags": {
            tag: {"descricao": description, "pt": list(patterns), "en": []}
            for tag, description, patterns in tags
        },
    }
    return parse_taxonomy(document)


class AnalystTags:
    """The stored analyst tags, reloaded every REFRESH_SECONDS; a failed read keeps the last."""

    def __init__(
        self, engine: Callable[[], Engine], *, clock: Callable[[], float] = time.monotonic
    ):
        self._engine = engine
        self._clock = clock
        self._lock = threading.Lock()
        self._loaded_at: float | None = None
        self._taxonomy: Taxonomy | None = None

    def _current(self) -> Taxonomy | None:
        now = self._clock()
        if self._loaded_at is not None and now - self._loaded_at < REFRESH_SECONDS:
            return self._taxonomy
        with self._lock:
            if self._loaded_at is None or now - self._loaded_at >= REFRESH_SECONDS:
                try:
                    with self._engine().connect() as conn:
                        rows = conn.execute(
                            sa.text("SELECT tag, descricao, padroes FROM analyst_tags ORDER BY tag")
                        ).all()
                    self._taxonomy = analyst_taxonomy(
                        [(row.tag, row.descricao, list(row.padroes)) for row in rows]
                    )
                except Exception:  # a tagger failure must never fail a classification
                    log.warning("analyst tags not reloaded; the last ones stay", exc_info=True)
                self._loaded_at = now
        return self._taxonomy

    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        taxonomy = self._current()
        if taxonomy is None:
            return [()] * len(texts)
        return taxonomy.extract(texts)


class WithAnalystTags:
    """A classifier whose answers also carry the analyst tags their texts match."""

    def __init__(self, inner: Classifier, tags: AnalystTags) -> None:
        self._inner = inner
        self._tags = tags

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def version(self) -> str:
        return self._inner.version

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        answers = self._inner.classify_batch(texts)
        extra = self._tags.extract(texts)
        return [
            dataclasses.replace(
                answer,
                tags_funcionalidades=tags_for(
                    answer.categoria, (*answer.tags_funcionalidades, *added)
                ),
            )
            if added
            else answer
            for answer, added in zip(answers, extra, strict=True)
        ]
