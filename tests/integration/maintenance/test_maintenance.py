"""The table-maintenance job's function under functions-framework, against real PostgreSQL.

The push body in tests/fixtures/events/maintenance_tick_push.json has the shape the emulator
pushes for a scheduled tick (job table-maintenance, scheduled 2026-11-30T11:32:00Z).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.config import Settings
from shared.maintenance import Thresholds, maintain_tables, read_table_stats
from shared.schedule import Tick, encode_tick, format_scheduled_time
from tooling.devstack.stack import repo_root
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events"
PUSH_PATH = "/projects/alumusic-local/topics/maintenance-tick"

_INSERT_SQL = sa.text(
    """
    INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, needs_review,
                          model_name, model_version, source)
    SELECT :prefix || g, 'amei essa faixa ' || g, 'ELOGIO', ARRAY[]::text[], 0.9, false,
           'test', '1', 'ingest'
    FROM generate_series(1, :rows) AS g
    """
)


@pytest.fixture
def maintenance_app(settings: Settings, clean_db: sa.Engine) -> Iterator[App]:
    app = App(settings=settings)
    set_app(app)
    try:
        yield app
    finally:
        set_app(None)
        app.close()


@pytest.fixture
def client(maintenance_app: App) -> Any:
    source = str(repo_root() / "functions" / "maintenance" / "main.py")
    return functions_framework.create_app(  # type: ignore[no-untyped-call]
        "run_maintenance", source, "cloudevent"
    ).test_client()


def recorded_tick() -> dict[str, Any]:
    return dict(json.loads((EVENTS / "maintenance_tick_push.json").read_text(encoding="utf-8")))


def push_of(tick: Tick) -> dict[str, Any]:
    data, attributes = encode_tick(tick)
    return {
        "subscription": "projects/alumusic-local/subscriptions/maintenance-tick-push",
        "message": {
            "data": base64.b64encode(data).decode(),
            "attributes": attributes,
            "messageId": "8",
            "publishTime": datetime.now(UTC).isoformat(),
        },
    }


def ingest_rows(engine: sa.Engine, prefix: str, rows: int) -> None:
    """Insert rows and wait until the server's statistics count them (flushed about every second)."""
    with engine.begin() as conn:
        conn.execute(_INSERT_SQL, {"prefix": prefix, "rows": rows})
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_force_next_flush()"))

    def counted() -> bool:
        with engine.connect() as conn:
            [stats] = read_table_stats(conn, ["comments"])
        return stats.inserted_since_vacuum >= rows

    assert wait_until(counted, timeout=30, interval=0.2)


def comments_stats(engine: sa.Engine) -> Any:
    with engine.connect() as conn:
        [stats] = read_table_stats(conn, ["comments"])
    return stats


def test_a_tick_after_a_bulk_ingest_vacuums_and_analyses_the_comments(
    client: Any, maintenance_app: App, clean_db: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # Given 5,000 comments inserted and never vacuumed nor analysed
    ingest_rows(clean_db, "bulk-", 5000)
    # ...and a warm instance whose pooled connection was used (pre-ping opens a transaction)
    with maintenance_app.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))

    # When the next tick is pushed to the function
    tick = Tick("table-maintenance", datetime.now(UTC))
    with caplog.at_level(logging.INFO):
        response = client.post(PUSH_PATH, json=push_of(tick))

    # Then it acknowledges and the comments table was vacuumed and analysed for that tick
    assert response.status_code == 200
    stats = comments_stats(clean_db)
    assert stats.last_vacuumed is not None
    assert stats.last_vacuumed >= tick.scheduled_time
    assert stats.last_analyzed is not None
    assert stats.last_analyzed >= tick.scheduled_time
    assert stats.inserted_since_vacuum == 0
    # And the log says what it did, for which tick
    handled = [r for r in caplog.records if r.getMessage() == "tick handled"]
    # (other product tables, such as the rollups earlier tests wrote, may be due as well)
    assert len(handled) == 1
    assert "vacuum_analyze comments" in getattr(handled[0], "maintained", [])
    assert getattr(handled[0], "scheduled_time", None) == format_scheduled_time(tick.scheduled_time)


def test_a_redelivered_tick_changes_nothing(client: Any, clean_db: sa.Engine) -> None:
    # Given a tick that was handled after a bulk ingest
    ingest_rows(clean_db, "bulk-", 5000)
    tick = Tick("table-maintenance", datetime.now(UTC))
    assert client.post(PUSH_PATH, json=push_of(tick)).status_code == 200
    first = comments_stats(clean_db)
    assert first.last_vacuumed is not None
    assert first.last_vacuumed >= tick.scheduled_time
    # ...and more rows written since
    ingest_rows(clean_db, "more-", 5000)

    # When the same tick is delivered again, and so is the recorded (earlier) one
    response = client.post(PUSH_PATH, json=push_of(tick))
    recorded = client.post(PUSH_PATH, json=recorded_tick())

    # Then both are acknowledged and nothing is vacuumed again for those scheduled times
    assert (response.status_code, recorded.status_code) == (200, 200)
    again = comments_stats(clean_db)
    assert again.last_vacuumed == first.last_vacuumed
    assert again.inserted_since_vacuum >= 5000


def test_a_later_tick_with_few_changes_does_nothing(
    maintenance_app: App, clean_db: sa.Engine
) -> None:
    # Given comments that were just maintained, then 10 more rows
    ingest_rows(clean_db, "bulk-", 5000)
    thresholds = Thresholds(min_rows=1000, fraction=0.05)
    first = maintain_tables(clean_db, datetime.now(UTC), thresholds)
    assert [a.table for a in first.actions] == ["comments"]
    ingest_rows(clean_db, "few-", 10)
    before = comments_stats(clean_db)

    # When a later tick runs
    outcome = maintain_tables(clean_db, datetime.now(UTC), thresholds)

    # Then every product table was checked and none was touched
    assert outcome.tables_checked >= 3
    assert outcome.actions == ()
    assert comments_stats(clean_db).last_vacuumed == before.last_vacuumed


def test_the_autovacuum_setting_is_reported(
    maintenance_app: App, clean_db: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # Given the server this test runs against
    with clean_db.connect() as conn:
        autovacuum = conn.execute(sa.text("SHOW autovacuum")).scalar_one()

    # When maintenance runs
    with caplog.at_level(logging.INFO):
        outcome = maintain_tables(
            clean_db, datetime.now(UTC), Thresholds(min_rows=1000, fraction=0.05)
        )

    # Then the outcome says what the server runs with, and a warning is logged exactly when off
    assert outcome.autovacuum_on is (autovacuum == "on")
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and "autovacuum" in r.getMessage()
    ]
    assert len(warnings) == (0 if outcome.autovacuum_on else 1)


def not_json_tick() -> dict[str, Any]:
    garbage = recorded_tick()
    garbage["message"]["data"] = base64.b64encode(b"not json").decode()
    garbage["message"]["attributes"] = {}
    return garbage


@pytest.mark.parametrize(
    "unhandled",
    [not_json_tick(), push_of(Tick("weekly-digest", datetime(2026, 11, 30, 11, tzinfo=UTC)))],
    ids=["not-json", "another-job"],
)
def test_an_unreadable_or_foreign_tick_is_acknowledged_and_does_nothing(
    client: Any, clean_db: sa.Engine, unhandled: dict[str, Any]
) -> None:
    # Given rows that would make the table due
    ingest_rows(clean_db, "bulk-", 5000)

    # When a tick whose data is not JSON, or a tick of another job, arrives
    response = client.post(PUSH_PATH, json=unhandled)

    # Then it is acknowledged (redelivery could never help) and nothing is vacuumed
    assert response.status_code == 200
    assert comments_stats(clean_db).inserted_since_vacuum >= 5000


def test_vacuum_runs_throttled_like_autovacuum(maintenance_app: App, clean_db: sa.Engine) -> None:
    # Given a table due for a vacuum, and every statement sent to the server recorded
    ingest_rows(clean_db, "bulk-", 5000)
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        # When maintenance runs with a 7 ms cost delay
        outcome = maintain_tables(
            clean_db,
            datetime.now(UTC),
            Thresholds(min_rows=1000, fraction=0.05),
            cost_delay_ms=7,
        )
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)

    # Then the session set that delay before its VACUUM ran
    assert [a.action for a in outcome.actions] == ["vacuum_analyze"]
    statements = [statement for statement, _ in sent]
    delay_at = next(i for i, s in enumerate(statements) if "vacuum_cost_delay" in s)
    vacuum_at = next(i for i, s in enumerate(statements) if s.startswith("VACUUM"))
    assert delay_at < vacuum_at
    assert "7ms" in str(sent[delay_at][1])


def test_a_tick_deletes_expired_refresh_tokens_and_keeps_the_others(
    client: Any, clean_db: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    # Given one refresh token that expired a minute ago and one that expires in a day
    with clean_db.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO refresh_tokens (jti, family, username, expires_at) VALUES "
                "('expired', 'f1', 'ana', now() - interval '1 minute'), "
                "('live', 'f2', 'ana', now() + interval '1 day')"
            )
        )

    # When a tick is pushed to the function
    with caplog.at_level(logging.INFO):
        response = client.post(
            PUSH_PATH, json=push_of(Tick("table-maintenance", datetime.now(UTC)))
        )

    # Then only the unexpired token is left, and the log counts the deleted one
    assert response.status_code == 200
    with clean_db.connect() as conn:
        left = conn.execute(sa.text("SELECT jti FROM refresh_tokens")).scalars().all()
    assert left == ["live"]
    handled = [r for r in caplog.records if r.getMessage() == "tick handled"]
    assert [getattr(r, "refresh_tokens_deleted", None) for r in handled] == [1]
