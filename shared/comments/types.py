"""What the product means by a comment, a correction, a filter, a list query and its pages.

Validation builds these from outside input; the consumer and the comment modules take them as
given. Nothing here checks or reads anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, get_args

# `asc` and `desc` are the earlier system's orders (by confidence), kept for its clients.
Ordem = Literal["recentes", "antigos", "confianca_asc", "confianca_desc", "asc", "desc"]
ORDENS: Final[tuple[Ordem, ...]] = get_args(Ordem)


def by_time(ordem: Ordem) -> bool:
    """Whether `ordem` orders by comment time (else by confidence)."""
    return ordem in ("recentes", "antigos")


# A result row by column name (RowMapping's keys may also be Column objects).
Row = Mapping[Any, Any]


@dataclass(frozen=True, slots=True)
class CommentIn:
    """One comment as a client submits it. `criado_em`: when the listener wrote it (aware UTC);
    None only before the request's arrival time has been stamped on it."""

    id: str
    texto: str
    criado_em: datetime | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A human's answer for one comment; None means that part is not being corrected."""

    categoria: str | None
    tags: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class CommentFilters:
    """What a list or export selects. Time bounds: `created_from` <= created_at < `created_before`."""

    categoria: str | None = None
    tag: str | None = None
    q: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    confianca_min: float | None = None
    confianca_max: float | None = None
    needs_review: bool | None = None

    def canonical(self) -> dict[str, Any]:
        """A JSON-able form, equal for equal filters (binds a cursor to its query)."""
        return {
            "categoria": self.categoria,
            "tag": self.tag,
            "q": self.q,
            "from": self.created_from.isoformat() if self.created_from else None,
            "before": self.created_before.isoformat() if self.created_before else None,
            "cmin": self.confianca_min,
            "cmax": self.confianca_max,
            "review": self.needs_review,
        }


@dataclass(frozen=True, slots=True)
class ListQuery:
    filters: CommentFilters
    ordem: Ordem
    limit: int
    cursor: str | None


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the order key of its last row and that row's id."""

    key: datetime | float
    id: str


@dataclass(frozen=True, slots=True)
class Total:
    """How many comments match; `exact` is False when the number is estimated."""

    value: int
    exact: bool
