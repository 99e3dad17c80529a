"""When a table is due for maintenance: the thresholds, and the tick's scheduled time as the key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared import models
from shared.maintenance import TableStats, Thresholds, product_tables

TICK = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
THRESHOLDS = Thresholds(min_rows=1000, fraction=0.05)


def stats(
    *,
    live: int = 1_000_000,
    dead: int = 0,
    modified: int = 0,
    inserted: int = 0,
    vacuumed: datetime | None = None,
    analyzed: datetime | None = None,
) -> TableStats:
    return TableStats("comments", live, dead, modified, inserted, vacuumed, analyzed)


def test_the_limit_grows_with_the_table() -> None:
    assert THRESHOLDS.limit(stats(live=0)) == 1000
    assert THRESHOLDS.limit(stats(live=1_000_000)) == 51_000


def test_a_table_that_barely_changed_is_left_alone() -> None:
    assert THRESHOLDS.action_for(stats(modified=50_999, inserted=50_999), TICK) is None


def test_a_bulk_ingest_makes_the_table_due_for_vacuum_with_analyze() -> None:
    assert THRESHOLDS.action_for(stats(modified=300_000, inserted=300_000), TICK) == (
        "vacuum_analyze"
    )


def test_dead_rows_make_the_table_due_for_vacuum() -> None:
    assert THRESHOLDS.action_for(stats(dead=60_000), TICK) == "vacuum_analyze"


def test_updates_alone_make_the_table_due_for_analyze() -> None:
    assert THRESHOLDS.action_for(stats(modified=60_000), TICK) == "analyze"


def test_a_table_maintained_at_or_after_the_scheduled_time_is_not_maintained_again() -> None:
    # Given a redelivered tick: the table was vacuumed and analysed for it already
    after = TICK + timedelta(seconds=3)
    done = stats(modified=60_000, inserted=60_000, vacuumed=after, analyzed=after)
    assert THRESHOLDS.action_for(done, TICK) is None
    # But maintenance done before the tick does not count for it
    before = TICK - timedelta(minutes=2)
    earlier = stats(modified=60_000, inserted=60_000, vacuumed=before, analyzed=before)
    assert THRESHOLDS.action_for(earlier, TICK) == "vacuum_analyze"


def test_a_vacuumed_table_still_due_for_analyze_gets_it() -> None:
    # Vacuumed for this tick (by autovacuum, say) but updated rows since its last analyze
    vacuumed = stats(modified=60_000, vacuumed=TICK + timedelta(seconds=1))
    assert THRESHOLDS.action_for(vacuumed, TICK) == "analyze"


def test_the_product_tables_are_those_of_the_metadata() -> None:
    assert set(product_tables()) == set(models.metadata.tables)
    assert "comments" in product_tables()
