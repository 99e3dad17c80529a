"""The rollups against the comments they count, on the real database: random comments stored by
concurrent writers through both store paths, redelivered, replayed, clashing and corrected, then
the five charts and the digest's figures computed from the rollups and straight from the rows
(`tests/support/row_counts.py`) in zones with a DST change and odd offsets, number for number."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.charts.queries import Windows, compute_reports
from shared.classifier import CATEGORIES, Classification
from shared.comments.corrections import correct_comment
from shared.comments.store import classify_and_store, store_classified
from shared.comments.types import CommentIn, Correction
from shared.config import Settings
from shared.digest.stats import compute_stats
from shared.rollups import rebuild
from shared.timezone import IsoWeek
from tests.support.row_counts import CHARTS_FROM_ROWS, DIGEST_FROM_ROWS

pytestmark = pytest.mark.integration

TAGS = ("feat_letra", "fix_volume", "perf_carregamento", "ui_layout", "feat_clipe", "fix_audio")
FIRST = datetime(2026, 9, 14, tzinfo=UTC)
LAST = datetime(2026, 11, 12, tzinfo=UTC)
# New York leaves DST on 2026-11-01 (a 25-hour day, 01:00-02:00 twice); Lord Howe enters its
# half-hour DST on 2026-10-04; Kathmandu is +05:45 all year.
ZONES = ("America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo")
AS_OF = (
    datetime(2026, 11, 1, 5, 37, 12, 345678, tzinfo=UTC),  # New York's repeated hour
    datetime(2026, 11, 3, 15, 0, tzinfo=UTC),  # on a bucket boundary
    datetime(2026, 11, 2, 4, 14, 59, 999999, tzinfo=UTC),  # a microsecond before one
)
WEEKS = (IsoWeek.parse("2026-W44"), IsoWeek.parse("2026-W45"), IsoWeek.parse("2026-W43"))


def answer(rng: random.Random) -> Classification:
    tags = tuple(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))))
    return Classification(rng.choice(CATEGORIES), tags, rng.random(), "fake", "1")


class FakeClassifier:
    """Answers from the text alone, so a replayed sync request gets the same answer."""

    name = "fake"
    version = "1"

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        return [answer(random.Random(text)) for text in texts]


def instant(rng: random.Random) -> datetime:
    # Some comments sit exactly on the instants the windows start or end at.
    edges = [t + shift for t in AS_OF for shift in (timedelta(0), timedelta(hours=-48))]
    if rng.random() < 0.03:
        return rng.choice(edges) + timedelta(microseconds=rng.choice((-1, 0, 1)))
    return FIRST + (LAST - FIRST) * rng.random()


@pytest.fixture
def sync_app(settings: Settings, clean_db: sa.Engine) -> Iterator[App]:
    application = App(settings=settings, classifier_factory=lambda _settings: FakeClassifier())
    try:
        yield application
    finally:
        application.close()


@pytest.fixture
def stored(sync_app: App) -> sa.Engine:
    """Comments written by four concurrent writers, then corrected while writers go on."""
    rng = random.Random(23)
    engine = sync_app.engine
    threshold = sync_app.settings.review_threshold
    batches = [
        [
            CommentIn(f"c{b}-{i}", f"comentário {b}-{i}", instant(rng))
            for i in range(rng.randint(1, 120))
        ]
        for b in range(80)
    ]

    def ingest(batch: list[CommentIn]) -> Callable[[], object]:
        results = [answer(random.Random(comment.texto)) for comment in batch]
        return lambda: store_classified(
            engine, batch, results, source="ingest", review_threshold=threshold
        )

    def sync(batch: list[CommentIn]) -> Callable[[], object]:
        return lambda: classify_and_store(sync_app, batch)

    writes: list[Callable[[], object]] = []
    for number, batch in enumerate(batches):
        write = sync(batch) if number % 5 == 0 else ingest(batch)
        # A redelivery (or a replayed request) of most batches, in any order.
        writes.extend([write, write] if rng.random() < 0.6 else [write])
    rng.shuffle(writes)
    run_concurrently(writes)

    everyone = [comment for batch in batches for comment in batch]
    # Half old ids, half new; an old id with another text (recorded, never stored).
    mixed = rng.sample(everyone, 40) + [
        CommentIn(f"late-{i}", f"tardio {i}", instant(rng)) for i in range(40)
    ]
    clash = [CommentIn(everyone[0].id, "outro texto", everyone[0].criado_em)]
    corrections: list[Callable[[], object]] = [ingest(mixed), ingest(clash)]
    for comment in rng.sample(everyone, len(everyone) // 8):
        for _ in range(rng.choice((1, 1, 2))):
            kind = rng.random()
            correction = Correction(
                categoria=rng.choice(CATEGORIES) if kind < 0.7 else None,
                tags=tuple(rng.sample(TAGS, rng.randint(0, 2))) if kind > 0.4 else None,
            )
            corrections.append(
                lambda c=comment, k=correction: correct_comment(engine, c.id, k, by="ana")
            )
    rng.shuffle(corrections)
    run_concurrently(corrections)
    return engine


def run_concurrently(calls: list[Callable[[], object]]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(call) for call in calls]:
            future.result(timeout=120)


def test_rollups_equal_a_recomputation_from_the_comments(stored: sa.Engine) -> None:
    # Given comments stored, redelivered and corrected by concurrent writers
    # When the rollups are compared with a recomputation, changing nothing
    outcome = rebuild(stored, fix=False)
    # Then none differ, and there was something to compare
    assert outcome.differing == 0, [table.shown for table in outcome.tables]
    assert all(table.compared > 1000 for table in outcome.tables)
    with stored.connect() as conn:
        corrected = conn.execute(
            sa.text("SELECT count(*) FROM comments WHERE corrected_at IS NOT NULL")
        ).scalar_one()
    assert corrected > 300


@pytest.mark.parametrize("zone", ZONES)
def test_the_charts_from_rollups_equal_the_charts_from_rows(stored: sa.Engine, zone: str) -> None:
    for as_of in AS_OF:
        # Given a refresh as of an instant in that zone
        windows = Windows.ending_at(as_of, ZoneInfo(zone))
        # When the charts are computed from the rollups and straight from the rows
        with stored.connect() as conn:
            from_rollups = compute_reports(conn, windows)
        with stored.connect() as conn:
            from_rows = compute_reports(conn, windows, CHARTS_FROM_ROWS)
        # Then every number is the same, and there were numbers
        assert from_rollups == from_rows, (zone, as_of)
        assert sum(point["quantidade"] for point in from_rows["comentarios_por_hora"]) > 0
        assert len(from_rows["top_tags_48h"]) == len(TAGS)


@pytest.mark.parametrize("zone", ZONES)
def test_the_digest_from_rollups_equals_the_digest_from_rows(stored: sa.Engine, zone: str) -> None:
    for week in WEEKS:
        # When a week's stats are computed from the rollups and straight from the rows
        from_rollups: Any = compute_stats(stored, week, zone)
        from_rows: Any = compute_stats(stored, week, zone, DIGEST_FROM_ROWS)
        # Then every figure is the same, and there were figures
        assert from_rollups == from_rows, (zone, week)
        assert from_rows["total"] > 0
        assert from_rows["total_anterior"] > 0
        assert from_rows["criticas_recorrentes"]
        assert from_rows["revisao"]["correcoes_humanas"] > 0
