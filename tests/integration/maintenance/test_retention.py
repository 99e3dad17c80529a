"""Comment retention through the table-maintenance function, against real PostgreSQL and the S3
API (moto's server): expired days archived to the bucket, then deleted, never lost."""

from __future__ import annotations

import gzip
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.config import Settings
from shared.maintenance import run_tick
from shared.retention import archive_key, expire_comments
from shared.rollups import rebuild
from shared.schedule import Tick
from shared.storage import S3ObjectStore, StorageUnavailable
from tests.integration.maintenance.test_maintenance import PUSH_PATH, push_of
from tooling.devstack.bootstrap import s3_client
from tooling.devstack.services import free_port
from tooling.devstack.stack import repo_root

pytestmark = pytest.mark.integration

# A tick at 09:00 São Paulo on 2026-12-01; with 30 days kept, every comment before
# 2026-11-01T00:00-03:00 (03:00 UTC) is due.
TICK = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
RETENTION_DAYS = 30
CUTOFF = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)

_INSERT = sa.text(
    """
    INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, needs_review,
                          model_name, model_version, source, created_at)
    VALUES (:id, :texto, :categoria, CAST(:tags AS text[]), 0.8, false, 'test', '1', 'ingest',
            :created_at)
    """
)


def store_comments(engine: sa.Engine, rows: list[tuple[str, datetime]]) -> None:
    with engine.begin() as conn:
        conn.execute(
            _INSERT,
            [
                {
                    "id": comment_id,
                    "texto": f"amei a faixa {comment_id}",
                    "categoria": "ELOGIO" if index % 2 else "CRÍTICA",
                    "tags": ["feat_letra"] if index % 3 == 0 else [],
                    "created_at": created_at,
                }
                for index, (comment_id, created_at) in enumerate(rows)
            ],
        )


def stored_ids(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT id FROM comments")).scalars())


def rollup_totals(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    "SELECT bucket, categoria, sum(comments) FROM category_rollups "
                    "GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ).all()
        )


def archived_lines(store: S3ObjectStore, day: date) -> list[dict[str, Any]]:
    data = store.get_bytes(archive_key(day))
    assert data is not None, f"no archive object for {day}"
    return [json.loads(line) for line in gzip.decompress(data).decode().splitlines()]


@pytest.fixture
def bucket_store(s3_emulator: str, settings: Settings) -> S3ObjectStore:
    bucket = f"archive-{secrets.token_hex(4)}"
    s3_client(s3_emulator, settings.aws_region).create_bucket(Bucket=bucket)
    return S3ObjectStore(bucket, endpoint_url=s3_emulator, region=settings.aws_region)


@pytest.fixture
def retention_app(
    settings: Settings, clean_db: sa.Engine, bucket_store: S3ObjectStore
) -> Iterator[App]:
    app = App(
        settings=settings.model_copy(update={"comments_retention_days": RETENTION_DAYS}),
        storage_factory=lambda _settings: bucket_store,
    )
    set_app(app)
    try:
        yield app
    finally:
        set_app(None)
        app.close()


# Two expired local days (one with a comment at 23:59 local, already the next UTC day), the last
# minute before the cutoff, and comments to keep from the cutoff on.
EXPIRED = [
    ("old-1", datetime(2026, 10, 20, 13, 0, tzinfo=UTC)),
    ("old-2", datetime(2026, 10, 21, 2, 59, tzinfo=UTC)),  # 2026-10-20 23:59 local
    ("old-3", datetime(2026, 10, 21, 15, 0, tzinfo=UTC)),
    ("old-4", datetime(2026, 11, 1, 2, 59, tzinfo=UTC)),  # 2026-10-31 23:59 local
]
KEPT = [
    ("new-1", CUTOFF),
    ("new-2", datetime(2026, 11, 20, 12, 0, tzinfo=UTC)),
    ("new-3", datetime(2026, 12, 1, 11, 0, tzinfo=UTC)),
]


def test_a_tick_archives_each_expired_day_to_the_bucket_then_deletes_it(
    retention_app: App, clean_db: sa.Engine, bucket_store: S3ObjectStore
) -> None:
    # Given comments on both sides of the retention cutoff, counted in the rollups
    store_comments(clean_db, EXPIRED + KEPT)
    rebuild(clean_db)
    rollups_before = rollup_totals(clean_db)

    # When the table-maintenance tick is pushed to the function
    client = functions_framework.create_app(  # type: ignore[no-untyped-call]
        "run_maintenance", str(repo_root() / "functions" / "maintenance" / "main.py"), "cloudevent"
    ).test_client()
    response = client.post(PUSH_PATH, json=push_of(Tick("table-maintenance", TICK)))

    # Then the expired comments are gone and the others stay
    assert response.status_code == 200
    assert stored_ids(clean_db) == {comment_id for comment_id, _ in KEPT}
    # And each expired local day is one gzip JSON-lines object holding its comments, every column
    assert [line["id"] for line in archived_lines(bucket_store, date(2026, 10, 20))] == [
        "old-1",
        "old-2",
    ]
    assert [line["id"] for line in archived_lines(bucket_store, date(2026, 10, 21))] == ["old-3"]
    [last] = archived_lines(bucket_store, date(2026, 10, 31))
    assert last["id"] == "old-4"
    assert last["created_at"] == "2026-11-01T02:59:00+00:00"
    assert last["texto"] == "amei a faixa old-4"
    assert last["categoria_final"] == "ELOGIO"
    assert last["confianca"] == pytest.approx(0.8)
    # And the rollups keep the archived days' counts, which a rebuild leaves alone
    assert rollup_totals(clean_db) == rollups_before
    assert rebuild(clean_db, fix=False).differing == 0
    with clean_db.connect() as conn:
        archives = conn.execute(
            sa.text("SELECT day, rows, object_key FROM comment_archives ORDER BY day")
        ).all()
    assert [(a.day, a.rows) for a in archives] == [
        (date(2026, 10, 20), 2),
        (date(2026, 10, 21), 1),
        (date(2026, 10, 31), 1),
    ]


def test_a_bucket_that_fails_leaves_every_comment_in_place(
    settings: Settings, clean_db: sa.Engine
) -> None:
    # Given expired comments and a bucket nobody answers for
    store_comments(clean_db, EXPIRED + KEPT)
    unreachable = S3ObjectStore(
        "nowhere", endpoint_url=f"http://127.0.0.1:{free_port()}", region=settings.aws_region
    )
    app = App(
        settings=settings.model_copy(update={"comments_retention_days": RETENTION_DAYS}),
        storage_factory=lambda _settings: unreachable,
    )
    try:
        # When a tick runs, Then it fails (to be delivered again) and nothing was deleted
        with pytest.raises(StorageUnavailable):
            run_tick(app, TICK)
    finally:
        app.close()
    assert stored_ids(clean_db) == {comment_id for comment_id, _ in EXPIRED + KEPT}
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM comment_archives")).scalar_one() == 0


def test_a_late_comment_of_an_archived_day_joins_its_object(
    retention_app: App, clean_db: sa.Engine, bucket_store: S3ObjectStore
) -> None:
    # Given a day already archived
    store_comments(clean_db, EXPIRED[:1])
    assert run_tick(retention_app, TICK).retention.rows == 1

    # When a comment of that day arrives afterwards and the next tick runs
    store_comments(clean_db, [("late-1", datetime(2026, 10, 20, 18, 0, tzinfo=UTC))])
    outcome = run_tick(retention_app, TICK + timedelta(minutes=2))

    # Then the day's object holds both, the first one still there
    assert outcome.retention.rows == 1
    assert [line["id"] for line in archived_lines(bucket_store, date(2026, 10, 20))] == [
        "old-1",
        "late-1",
    ]
    assert stored_ids(clean_db) == set()
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT rows FROM comment_archives")).scalar_one() == 2


def test_a_run_archives_a_bounded_number_of_days_and_the_next_ones_continue(
    settings: Settings, clean_db: sa.Engine, bucket_store: S3ObjectStore
) -> None:
    # Given three expired days
    store_comments(clean_db, EXPIRED)

    # When runs may archive two days each
    first, second = (
        expire_comments(
            clean_db,
            bucket_store,
            retention_days=RETENTION_DAYS,
            now=TICK,
            zone=settings.product_zone,
            days_per_run=2,
        )
        for _run in range(2)
    )

    # Then the first takes the two oldest and says more are due, the second the rest
    assert [d.day for d in first.days] == [date(2026, 10, 20), date(2026, 10, 21)]
    assert first.more_due
    assert [d.day for d in second.days] == [date(2026, 10, 31)]
    assert not second.more_due
    assert first.cutoff == CUTOFF
    assert stored_ids(clean_db) == set()


def test_without_a_retention_nothing_is_deleted(
    settings: Settings, clean_db: sa.Engine, bucket_store: S3ObjectStore
) -> None:
    # Given old comments and COMMENTS_RETENTION_DAYS unset (the default)
    store_comments(clean_db, EXPIRED)
    app = App(settings=settings, storage_factory=lambda _settings: bucket_store)
    try:
        # When a tick runs
        outcome = run_tick(app, TICK)
    finally:
        app.close()

    # Then nothing is archived or deleted
    assert settings.comments_retention_days is None
    assert outcome.retention.cutoff is None
    assert outcome.retention.days == ()
    assert stored_ids(clean_db) == {comment_id for comment_id, _ in EXPIRED}
