"""The SQL that shared/timezone.py hands out gives, in PostgreSQL, the answers its Python gives."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from shared.timezone import day_start, hour_start, sql_hour_start, sql_wall_clock, wall_clock

pytestmark = pytest.mark.integration

# Every half hour across São Paulo's last two daylight-saving changes (clocks forward at midnight
# on 2018-11-04, back at midnight on 2019-02-17), and a day of Kolkata's half-hour offset.
CASES = [
    (ZoneInfo("America/Sao_Paulo"), date(2018, 11, 3)),
    (ZoneInfo("America/Sao_Paulo"), date(2019, 2, 16)),
    (ZoneInfo("Asia/Kolkata"), date(2026, 11, 30)),
]


@pytest.mark.parametrize(("zone", "day"), CASES, ids=lambda case: str(case))
def test_sql_hours_and_wall_clocks_match_python(
    db_engine: sa.Engine, zone: ZoneInfo, day: date
) -> None:
    # Given instants every 30 minutes over two local days, and that zone's first midnight
    origin = day_start(day, zone)
    instants = [origin + timedelta(minutes=30 * n) for n in range(96)]
    instant = sa.bindparam("instant", type_=sa.DateTime(timezone=True))
    statement = sa.select(
        sql_hour_start(instant, sa.bindparam("origin", type_=sa.DateTime(timezone=True))),
        sql_wall_clock(instant, sa.bindparam("zone", type_=sa.Text())),
    )

    # When PostgreSQL computes each one's hour start and wall clock
    with db_engine.connect() as conn:
        answers = [
            tuple(conn.execute(statement, {"instant": i, "origin": origin, "zone": zone.key}).one())
            for i in instants
        ]

    # Then they are what Python says
    assert answers == [(hour_start(i, zone), wall_clock(i, zone)) for i in instants]
