"""Alerts stored once per (rule, window), with the numbers they rest on, and read back.

A finding is stored unless the same (rule, window) is already stored (a redelivered tick, three
runs inside one quarter hour) or the rule alerted within the cool-down before this window's end.
The insert also queues one delivery row per configured channel, in the same transaction, so an
alert is never stored without its deliveries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.alerts.check import Finding

# Runs storing alerts take turns, so two of them never both pass one rule's cool-down.
_STORE_LOCK: Final = 7_414_201

_INSERT_SQL: Final = sa.text(
    """
    INSERT INTO alerts (regra, escopo, chave, janela, direcao, inicio, fim, contagem, media_base,
                        contagens_base, p_valor)
    SELECT :regra, :escopo, :chave, :janela, :direcao, :inicio, :fim, :contagem, :media_base,
           CAST(:contagens_base AS bigint[]), :p_valor
    WHERE NOT EXISTS (
        SELECT 1 FROM alerts
        WHERE regra = :regra AND fim > CAST(:fim AS timestamptz) - CAST(:cooldown AS interval)
          AND fim <= :fim
    )
    ON CONFLICT ON CONSTRAINT uq_alerts_regra_janela DO NOTHING
    RETURNING id
    """
)

_QUEUE_SQL: Final = sa.text(
    """
    INSERT INTO alert_deliveries (alert_id, channel)
    SELECT :alert_id, channel FROM unnest(CAST(:channels AS text[])) AS channel
    ON CONFLICT DO NOTHING
    """
)

COLUMNS: Final = (
    "id, regra, escopo, chave, janela, direcao, inicio, fim, contagem, media_base, "
    "contagens_base, p_valor, created_at"
)


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert as stored: every number read back from SQL."""

    id: int
    regra: str
    escopo: str
    chave: str
    janela: str
    direcao: str
    inicio: datetime
    fim: datetime
    contagem: int
    media_base: Decimal
    contagens_base: tuple[int, ...]
    p_valor: float
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> StoredAlert:
        return cls(
            id=int(row.id),
            regra=row.regra,
            escopo=row.escopo,
            chave=row.chave,
            janela=row.janela,
            direcao=row.direcao,
            inicio=row.inicio,
            fim=row.fim,
            contagem=int(row.contagem),
            media_base=Decimal(row.media_base),
            contagens_base=tuple(int(n) for n in row.contagens_base),
            p_valor=float(row.p_valor),
            created_at=row.created_at,
        )


def store_findings(
    conn: Connection, findings: Sequence[Finding], *, cooldown: timedelta, channels: Sequence[str]
) -> list[int]:
    """Store the findings not yet stored and out of their rule's cool-down; the new ids."""
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _STORE_LOCK})
    created: list[int] = []
    for finding in findings:
        o = finding.observation
        alert_id = conn.execute(
            _INSERT_SQL,
            {
                "regra": finding.rule,
                "escopo": o.scope,
                "chave": o.key,
                "janela": o.window.name,
                "direcao": finding.direction,
                "inicio": o.window.start,
                "fim": o.window.end,
                "contagem": o.count,
                "media_base": o.baseline_mean,
                "contagens_base": list(o.baseline_counts),
                "p_valor": finding.p_value,
                "cooldown": cooldown,
            },
        ).scalar()
        if alert_id is None:
            continue
        created.append(int(alert_id))
        if channels:
            conn.execute(_QUEUE_SQL, {"alert_id": alert_id, "channels": list(channels)})
    return created


def find_alerts(conn: Connection, ids: Sequence[int]) -> list[StoredAlert]:
    rows = conn.execute(
        sa.text(f"SELECT {COLUMNS} FROM alerts WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY id"),
        {"ids": list(ids)},
    )
    return [StoredAlert.from_row(row) for row in rows]


def list_alerts(engine: Engine, *, limit: int, now: datetime) -> tuple[list[StoredAlert], int]:
    """The newest `limit` alerts, newest first, and how many were stored in the 24 h to `now`."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(f"SELECT {COLUMNS} FROM alerts ORDER BY created_at DESC, id DESC LIMIT :limit"),
            {"limit": limit},
        )
        alerts = [StoredAlert.from_row(row) for row in rows]
        last_day = conn.execute(
            sa.text("SELECT count(*) FROM alerts WHERE created_at > CAST(:since AS timestamptz)"),
            {"since": now - timedelta(hours=24)},
        ).scalar_one()
    return alerts, int(last_day)
