"""The weekly stats contract: what `weekly_digests.stats` holds, checked when stored and when read.

The stats are computed once (`shared.digest.stats`), stored as JSON, served as they are by
`GET /api/digests/{semana}`, written into prose by the digest writer and read by insights. Keys are
Portuguese because the stored JSON and the API say them so.

Versions: the stats carry `schema_version`, absent meaning 1 (every digest stored so far). A new
version only adds keys, so a reader checks the keys of the version it knows and ignores the rest: a
digest stored by a newer release still reads. Stats without those keys, or with a version that is
not a positive integer, are `UnreadableStats`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Final, NotRequired, cast

from pydantic import TypeAdapter, ValidationError

# pydantic reads TypedDicts from typing_extensions only, before Python 3.12.
from typing_extensions import TypedDict

SCHEMA_VERSION: Final = 1
# Parts of week labels and dates a text may name: 2026-W47, 16/11 -> 2026, 47, 16, 11.
_LABEL_KEYS: Final = frozenset({"semana", "semana_anterior", "inicio", "fim"})
# Listeners' words and ids, not the product's figures (a question's confidence is one).
_NOT_FIGURES: Final = frozenset({"schema_version", "exemplos", "texto", "id"})
_DIGITS: Final = re.compile(r"\d+")


class Sample(TypedDict):
    """A listener's comment shown as an example: personal data masked, shortened."""

    id: str
    texto: str


class CategoryStats(TypedDict):
    """One category this week against the week before, with the two-proportion test."""

    categoria: str
    total: int
    percentual: float
    total_anterior: int
    percentual_anterior: float
    variacao_pontos: float
    variacao_percentual: float | None  # None without comments the week before
    p_valor: float | None  # None when the test is undefined
    significativa: bool


class TagTheme(TypedDict):
    """A recurring criticism or a relevant suggestion: its tag, counts and examples."""

    tag: str
    total: int
    total_anterior: int
    variacao: int
    exemplos: list[Sample]


class TagSpike(TypedDict):
    """A tag at twice or more its mean of the four weeks before."""

    tag: str
    total: int
    media_4_semanas: float
    fator: float | None  # None for a tag absent from the four weeks before


class OpenQuestion(TypedDict):
    id: str
    texto: str
    confianca: float


class Review(TypedDict):
    precisa_revisao: int
    correcoes_humanas: int


class NewTheme(TypedDict):
    """The week's largest new theme (shared/themes): comments no tag covers, named by their words."""

    nome: str
    palavras: list[str]
    tamanho: int


class WeekStats(TypedDict):
    """The stats of one closed ISO week of the product's zone."""

    schema_version: NotRequired[int]
    semana: str  # "2026-W47"
    inicio: str  # the Monday, ISO date
    fim: str  # the Sunday, ISO date
    semana_anterior: str
    timezone: str
    total: int
    total_anterior: int
    categorias: list[CategoryStats]  # every category, in CATEGORIES order
    criticas_recorrentes: list[TagTheme]
    sugestoes_relevantes: list[TagTheme]
    tags_em_alta: list[TagSpike]
    duvidas_abertas: list[OpenQuestion]
    revisao: Review
    # Present only when the week's themes were found and one is still new; readers of digests
    # stored before it find no key.
    tema_novo: NotRequired[NewTheme]


class UnreadableStats(ValueError):
    """Stats that are not of the contract: a key missing, a value of the wrong type, no version."""


_CHECKER: Final = TypeAdapter(WeekStats)


def read_stats(value: Any) -> WeekStats:
    """`value` itself, once it holds the contract (see the module docstring); UnreadableStats else."""
    version = value.get("schema_version", 1) if isinstance(value, Mapping) else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UnreadableStats(f"stats have no valid schema_version (found {version!r})")
    try:
        _CHECKER.validate_python(value, strict=True)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise UnreadableStats(
            f"stats of schema version {version} (this release reads {SCHEMA_VERSION}): "
            f"{where}: {problem['msg']}"
        ) from None
    return cast(WeekStats, value)


def _figures(value: Any, key: str | None = None) -> Iterator[Decimal]:
    if isinstance(value, bool) or value is None or key in _NOT_FIGURES:
        return
    if isinstance(value, int | float):
        yield abs(Decimal(str(value)))
    elif isinstance(value, str):
        if key in _LABEL_KEYS:
            yield from (Decimal(part) for part in _DIGITS.findall(value))
    elif isinstance(value, Mapping):
        for child_key, child in value.items():
            yield from _figures(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from _figures(child, key)


def stated_figures(stats: WeekStats) -> frozenset[Decimal]:
    """Every number a text about `stats` may state (by magnitude, as texts are read)."""
    return frozenset(_figures(stats))
