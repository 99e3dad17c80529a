"""Each chart's numbers on seeded comments, against figures computed by hand.

The refresh is "as of" 2026-11-30 14:30:00 UTC = 11:30 in São Paulo (UTC-3). Rows sit on the
boundaries: local midnight, one second before it, the first hourly bucket, the 48-hour edge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from shared.charts.queries import Windows, compute_reports
from shared.classifier import CATEGORIES

pytestmark = pytest.mark.integration

AS_OF = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
BRT = timezone(timedelta(hours=-3))


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BRT)  # type: ignore[misc]


ROWS: list[dict[str, Any]] = [
    {"id": "r1", "categoria": "ELOGIO", "confianca": 0.9, "tags": ["feat_letra"],
     "created_at": local(2026, 11, 30, 11, 10)},
    {"id": "r2", "categoria": "ELOGIO", "confianca": 0.7, "tags": ["feat_letra", "fix_volume"],
     "created_at": local(2026, 11, 30, 11, 29, 59)},
    {"id": "r3", "categoria": "CRÍTICA", "confianca": 0.5, "tags": ["fix_volume"],
     "created_at": local(2026, 11, 30, 0, 0, 0)},
    # One second before local midnight: Nov 29 here, although it is Nov 30 in UTC
    {"id": "r4", "categoria": "SUGESTÃO", "confianca": 0.8, "tags": ["feat_clipe"],
     "created_at": local(2026, 11, 29, 23, 59, 59)},
    # The first of the 24 hourly buckets, and one second before it
    {"id": "r5", "categoria": "DÚVIDA", "confianca": 0.6, "created_at": local(2026, 11, 29, 12)},
    {"id": "r6", "categoria": "DÚVIDA", "confianca": 0.4,
     "created_at": local(2026, 11, 29, 11, 59, 59)},
    # Exactly 48 hours before: outside the tag window; one second later: inside
    {"id": "r7", "categoria": "ELOGIO", "confianca": 0.9, "tags": ["feat_turne"],
     "created_at": local(2026, 11, 28, 11, 30)},
    {"id": "r8", "categoria": "CRÍTICA", "confianca": 0.3, "tags": ["feat_turne"],
     "created_at": local(2026, 11, 28, 11, 30, 1)},
    # First local day of the week at midnight: in; one second earlier: out
    {"id": "r9", "categoria": "SPAM", "confianca": 0.95, "created_at": local(2026, 11, 24)},
    {"id": "r10", "categoria": "ELOGIO", "confianca": 0.9, "tags": ["feat_letra"],
     "created_at": local(2026, 11, 23, 23, 59, 59)},
    # Exactly the as-of instant: in; one second after: out
    {"id": "r11", "categoria": "SPAM", "confianca": 0.85, "created_at": local(2026, 11, 30, 11, 30)},
    {"id": "r12", "categoria": "ELOGIO", "confianca": 0.9, "tags": ["feat_letra"],
     "created_at": local(2026, 11, 30, 11, 30, 1)},
    # The model said ELOGIO/feat_letra; a human corrected it to CRÍTICA/fix_audio
    {"id": "r13", "categoria": "ELOGIO", "confianca": 0.65, "tags": ["feat_letra"],
     "categoria_corrigida": "CRÍTICA", "tags_corrigidas": ["fix_audio"],
     "created_at": local(2026, 11, 30, 10, 15)},
]  # fmt: skip


def charts(
    engine: sa.Engine, timezone_name: str = "America/Sao_Paulo", as_of: datetime = AS_OF
) -> dict[str, Any]:
    with engine.connect() as conn:
        return compute_reports(conn, Windows.ending_at(as_of, ZoneInfo(timezone_name)))


def day(data: str, **counts: int) -> dict[str, Any]:
    return {"data": data, **dict.fromkeys(CATEGORIES, 0), **counts}


def hours_with(counts: dict[str, int], first: datetime, offset: str) -> list[dict[str, Any]]:
    labels = [(first + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%S") for h in range(24)]
    return [{"hora": label + offset, "quantidade": counts.get(label, 0)} for label in labels]


def test_every_chart_matches_the_hand_computed_figures(
    seed: Callable[[Sequence[dict[str, Any]]], None], clean_db: sa.Engine
) -> None:
    # Given the boundary rows
    seed(ROWS)

    # When the charts are computed as of 11:30 in São Paulo
    reports = charts(clean_db)

    # Then 11 comments are in the week (r10 before it, r12 after the as-of instant)
    assert reports["distribuicao_categorias"] == {
        "ELOGIO": 27.27, "CRÍTICA": 27.27, "SUGESTÃO": 9.09, "DÚVIDA": 18.18, "SPAM": 18.18,
    }  # fmt: skip
    assert list(reports["distribuicao_categorias"]) == list(CATEGORIES)
    # Mean confidence with the correction counted under CRÍTICA
    assert reports["confianca_media_por_categoria"] == {
        "ELOGIO": 0.8333, "CRÍTICA": 0.4833, "SUGESTÃO": 0.8, "DÚVIDA": 0.5, "SPAM": 0.9,
    }  # fmt: skip
    # Every local day present, zeros included, r4 on Nov 29 and r3 on Nov 30
    assert reports["evolucao_temporal"] == [
        day("2026-11-24", SPAM=1),
        day("2026-11-25"),
        day("2026-11-26"),
        day("2026-11-27"),
        day("2026-11-28", ELOGIO=1, CRÍTICA=1),
        day("2026-11-29", SUGESTÃO=1, DÚVIDA=2),
        day("2026-11-30", ELOGIO=2, CRÍTICA=2, SPAM=1),
    ]
    # The corrected tags count, the model's do not; r7 sits exactly on the 48-hour edge (out)
    assert reports["top_tags_48h"] == [
        {"tag": "feat_letra", "frequencia": 2},
        {"tag": "fix_volume", "frequencia": 2},
        {"tag": "feat_clipe", "frequencia": 1},
        {"tag": "feat_turne", "frequencia": 1},
        {"tag": "fix_audio", "frequencia": 1},
    ]
    # 24 local hours from 12:00 yesterday to the current 11:00, r6 one second too early
    assert reports["comentarios_por_hora"] == hours_with(
        {
            "2026-11-29T12:00:00": 1,
            "2026-11-29T23:00:00": 1,
            "2026-11-30T00:00:00": 1,
            "2026-11-30T10:00:00": 1,
            "2026-11-30T11:00:00": 3,
        },
        datetime(2026, 11, 29, 12),
        "-03:00",
    )


def test_utc_product_zone_moves_the_day_and_hour_boundaries(
    seed: Callable[[Sequence[dict[str, Any]]], None], clean_db: sa.Engine
) -> None:
    seed(ROWS)

    reports = charts(clean_db, "UTC")

    # r4 (02:59:59Z) is now on Nov 30; r10 (02:59:59Z Nov 24) is inside the week
    assert reports["evolucao_temporal"][0] == day("2026-11-24", ELOGIO=1, SPAM=1)
    assert reports["evolucao_temporal"][-1] == day(
        "2026-11-30", ELOGIO=2, CRÍTICA=2, SUGESTÃO=1, SPAM=1
    )
    assert reports["evolucao_temporal"][-2] == day("2026-11-29", DÚVIDA=2)
    # Hours run from 15:00Z yesterday: r5 (15:00Z) in, r6 (14:59:59Z) out
    hourly = reports["comentarios_por_hora"]
    assert hourly[0] == {"hora": "2026-11-29T15:00:00+00:00", "quantidade": 1}
    assert hourly[-1] == {"hora": "2026-11-30T14:00:00+00:00", "quantidade": 3}
    assert sum(point["quantidade"] for point in hourly) == 7


def test_half_hour_offset_zone_buckets_on_its_own_hours(
    seed: Callable[[Sequence[dict[str, Any]]], None], clean_db: sa.Engine
) -> None:
    seed(ROWS)

    # 14:30Z is 20:00 in Kolkata (UTC+05:30)
    hourly = charts(clean_db, "Asia/Kolkata")["comentarios_por_hora"]

    assert hourly[-1] == {"hora": "2026-11-30T20:00:00+05:30", "quantidade": 1}  # r11
    assert hourly[-2] == {"hora": "2026-11-30T19:00:00+05:30", "quantidade": 2}  # r1, r2
    assert hourly[-3] == {"hora": "2026-11-30T18:00:00+05:30", "quantidade": 1}  # r13


def test_top_tags_keep_the_ten_most_frequent_with_ties_by_name(
    seed: Callable[[Sequence[dict[str, Any]]], None], clean_db: sa.Engine
) -> None:
    # Given 12 tags on 12, 11, ... 1 comments, and feat_aa on 3 comments, tied with feat_t09
    when = AS_OF - timedelta(hours=1)
    rows = [
        {"id": f"t{t}-{n}", "categoria": "SUGESTÃO", "tags": [f"feat_t{t:02d}"], "created_at": when}
        for t in range(12)
        for n in range(12 - t)
    ]
    rows += [
        {"id": f"aa-{n}", "categoria": "SUGESTÃO", "tags": ["feat_aa"], "created_at": when}
        for n in range(3)
    ]
    seed(rows)

    top = charts(clean_db)["top_tags_48h"]

    # Then ten tags, most frequent first, and the tie for tenth place goes to the first name
    assert len(top) == 10
    assert [t["frequencia"] for t in top] == [12, 11, 10, 9, 8, 7, 6, 5, 4, 3]
    assert top[-1] == {"tag": "feat_aa", "frequencia": 3}
    assert all(t["tag"] not in ("feat_t09", "feat_t10", "feat_t11") for t in top)


def test_an_empty_database_gives_every_bucket_with_zeros(clean_db: sa.Engine) -> None:
    reports = charts(clean_db)

    assert reports["distribuicao_categorias"] == dict.fromkeys(CATEGORIES, 0.0)
    assert reports["confianca_media_por_categoria"] == dict.fromkeys(CATEGORIES)
    assert [d["data"] for d in reports["evolucao_temporal"]] == [
        f"2026-11-{d}" for d in range(24, 31)
    ]
    assert all(d == day(d["data"]) for d in reports["evolucao_temporal"])
    assert len(reports["comentarios_por_hora"]) == 24
    assert {p["quantidade"] for p in reports["comentarios_por_hora"]} == {0}
    assert reports["top_tags_48h"] == []
