"""`weekly_digests`: the one place digests are written and read, by the digest function and by
insights alike. Stats are checked against the contract (`shared.digest.contract`) on the way in
and on the way out.

A stored digest whose stats this release cannot read is not silently taken for another shape: the
readers of many digests leave it out with a warning (insights answers from the others), and the
reader of one week raises `UnreadableDigest`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from shared import models
from shared.digest.contract import UnreadableStats, WeekStats, read_stats
from shared.digest.writer import WrittenText
from shared.errors import DomainError

log = logging.getLogger(__name__)


class UnreadableDigest(DomainError, code="unreadable_digest", status=500):
    """A stored digest whose stats do not hold the contract (written by hand or by another
    product): nothing this release says about it would be true."""


@dataclass(frozen=True, slots=True)
class Digest:
    """One week's digest as insights reads it: ISO week, Monday..Sunday, stats and the prose."""

    semana: str
    inicio: date
    fim: date
    stats: WeekStats
    texto: str

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Digest:
        """A digest from its JSON form (`semana`, `inicio`, `fim`, `stats`, `texto`)."""
        return cls(
            semana=str(item["semana"]),
            inicio=date.fromisoformat(str(item["inicio"])),
            fim=date.fromisoformat(str(item["fim"])),
            stats=read_stats(item["stats"]),
            texto=str(item.get("texto", "")),
        )


@dataclass(frozen=True, slots=True)
class StoredDigest(Digest):
    """A digest as stored: also the e-mail's HTML, who wrote the text and when it was built."""

    html: str
    writer: str  # "template" | "llm"
    writer_model: str | None
    fallback_reason: str | None
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "semana": self.semana,
            "inicio": self.inicio.isoformat(),
            "fim": self.fim.isoformat(),
            "stats": self.stats,
            "texto": self.texto,
            "html": self.html,
            "writer": self.writer,
            "writer_model": self.writer_model,
            "fallback_reason": self.fallback_reason,
            "created_at": self.created_at.isoformat(),
        }


def insert_digest(engine: Engine, stats: WeekStats, written: WrittenText, html: str) -> bool:
    """Store the digest of the stats' week unless one is stored already; True when this one was."""
    read_stats(stats)  # stats off the contract are a bug here, not a problem for their readers
    with engine.begin() as conn:
        inserted = conn.execute(
            insert(models.weekly_digests)
            .values(
                semana=stats["semana"],
                inicio=date.fromisoformat(stats["inicio"]),
                fim=date.fromisoformat(stats["fim"]),
                stats=stats,
                texto=written.texto,
                html=html,
                writer=written.writer,
                writer_model=written.writer_model,
                fallback_reason=written.fallback_reason,
            )
            .on_conflict_do_nothing(index_elements=["semana"])
            .returning(models.weekly_digests.c.semana)
        ).first()
    return inserted is not None


def _digest(row: Any) -> StoredDigest:
    return StoredDigest(
        semana=row.semana,
        inicio=row.inicio,
        fim=row.fim,
        stats=read_stats(row.stats),
        texto=row.texto,
        html=row.html,
        writer=row.writer,
        writer_model=row.writer_model,
        fallback_reason=row.fallback_reason,
        created_at=row.created_at,
    )


def find_digest(engine: Engine, semana: str) -> StoredDigest | None:
    """The stored digest of `semana`, None when there is none; UnreadableDigest if unreadable."""
    table = models.weekly_digests
    with engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.semana == semana)).first()
    if row is None:
        return None
    try:
        return _digest(row)
    except UnreadableStats as error:
        raise UnreadableDigest(f"digest {semana} cannot be read: {error}") from None


def _readable(rows: Sequence[Any]) -> list[StoredDigest]:
    digests = []
    for row in rows:
        try:
            digests.append(_digest(row))
        except UnreadableStats as error:
            log.warning(
                "stored digest left out", extra={"semana": row.semana, "reason": str(error)}
            )
    return digests


def recent_digests(engine: Engine, limit: int) -> list[StoredDigest]:
    """The `limit` most recent stored digests that can be read, oldest first."""
    table = models.weekly_digests
    query = sa.select(table).order_by(table.c.semana.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return _readable(rows[::-1])


def digests_of_weeks(engine: Engine, weeks: Sequence[str]) -> list[StoredDigest]:
    """The stored digests of `weeks` (those that exist and can be read), oldest first."""
    table = models.weekly_digests
    query = sa.select(table).where(table.c.semana.in_(list(weeks))).order_by(table.c.semana)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return _readable(rows)


def list_digests(engine: Engine, *, limit: int = 520) -> list[dict[str, Any]]:
    """The stored weeks, newest first, without their text and HTML."""
    table = models.weekly_digests
    query = (
        sa.select(
            table.c.semana,
            table.c.inicio,
            table.c.fim,
            table.c.writer,
            table.c.created_at,
            table.c.stats["total"].as_integer().label("total"),
        )
        .order_by(table.c.semana.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            {
                "semana": row.semana,
                "inicio": row.inicio.isoformat(),
                "fim": row.fim.isoformat(),
                "total": row.total,
                "writer": row.writer,
                "created_at": row.created_at.isoformat(),
            }
            for row in conn.execute(query)
        ]
