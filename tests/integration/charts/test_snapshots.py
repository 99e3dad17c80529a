"""Refresh, store and serve snapshots: idempotent ticks, corrections, bucket and database outages."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.charts.snapshots import LATEST_OBJECT, refresh, weekly_report
from shared.comments.corrections import correct_comment
from shared.comments.types import Correction
from shared.config import Settings
from shared.errors import TransientFailure
from shared.storage import InMemoryObjectStore, S3ObjectStore
from tests.integration.charts.conftest import snapshot_rows
from tooling.devstack.bootstrap import s3_client
from tooling.devstack.services import free_port

pytestmark = pytest.mark.integration

TICK = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
Seed = Callable[[Sequence[dict[str, Any]]], None]


def some_comments(seed: Seed) -> None:
    seed(
        [
            {"id": "a", "categoria": "ELOGIO", "tags": ["feat_letra"],
             "created_at": TICK - timedelta(hours=1)},
            {"id": "b", "categoria": "ELOGIO", "created_at": TICK - timedelta(hours=2)},
            {"id": "c", "categoria": "CRÍTICA", "tags": ["fix_volume"],
             "created_at": TICK - timedelta(days=1)},
            {"id": "d", "categoria": "SPAM", "created_at": TICK - timedelta(days=3)},
        ]
    )  # fmt: skip


def test_refresh_stores_the_snapshot_keyed_by_its_tick(
    charts_app: App, seed: Seed, clean_db: sa.Engine, store: InMemoryObjectStore
) -> None:
    some_comments(seed)

    outcome = refresh(charts_app, TICK)

    assert outcome.created
    assert outcome.stored_in_bucket
    [(scheduled, payload, _generated)] = snapshot_rows(clean_db)
    assert scheduled == TICK
    assert payload["relatorios"]["distribuicao_categorias"]["ELOGIO"] == 50.0
    assert payload["gerado_em"] == "2026-11-30T14:30:00Z"
    assert outcome.snapshot.duration_ms >= 0
    # And the bucket holds the same document under the tick's name and as `latest`
    latest = store.get_json(f"charts/{LATEST_OBJECT}")
    assert latest == store.get_json("charts/2026-11-30T14:30:00Z.json")
    assert latest["relatorios"] == payload["relatorios"]
    assert latest["snapshot"]["scheduled_time"] == "2026-11-30T14:30:00Z"


def test_a_redelivered_tick_changes_nothing(
    charts_app: App, seed: Seed, clean_db: sa.Engine, store: InMemoryObjectStore
) -> None:
    # Given a tick already refreshed
    some_comments(seed)
    first = refresh(charts_app, TICK)
    before = snapshot_rows(clean_db)
    objects_before = dict(store.objects)

    # When the same tick arrives again after more comments were stored
    seed([{"id": "late", "categoria": "SPAM", "created_at": TICK - timedelta(minutes=5)}])
    again = refresh(charts_app, TICK)

    # Then nothing changed: the same row, the same payload, the same objects
    assert not again.created
    assert again.snapshot == first.snapshot
    assert snapshot_rows(clean_db) == before
    assert store.objects == objects_before


def test_a_correction_changes_the_next_refresh(
    charts_app: App, seed: Seed, clean_db: sa.Engine
) -> None:
    some_comments(seed)
    refresh(charts_app, TICK)
    assert (
        weekly_report(charts_app, now=TICK)["relatorios"]["distribuicao_categorias"]["SPAM"] == 25.0
    )

    # When an analyst relabels comment "a" as SPAM with no tags
    correct_comment(clean_db, "a", Correction(categoria="SPAM", tags=()), by="ana")
    refresh(charts_app, TICK + timedelta(minutes=1))

    # Then the served charts count it as SPAM, and its tag is gone
    body = weekly_report(charts_app, now=TICK + timedelta(minutes=1))
    reports = body["relatorios"]
    assert reports["distribuicao_categorias"]["SPAM"] == 50.0
    assert reports["distribuicao_categorias"]["ELOGIO"] == 25.0
    assert reports["top_tags_48h"] == [{"tag": "fix_volume", "frequencia": 1}]
    assert body["gerado_em"] == "2026-11-30T14:31:00Z"


def test_a_late_tick_does_not_replace_a_newer_latest_object(
    charts_app: App, seed: Seed, store: InMemoryObjectStore
) -> None:
    some_comments(seed)
    refresh(charts_app, TICK)
    refresh(charts_app, TICK - timedelta(minutes=3))

    assert store.get_json(f"charts/{LATEST_OBJECT}")["gerado_em"] == "2026-11-30T14:30:00Z"
    assert store.get_json("charts/2026-11-30T14:27:00Z.json") is not None


def test_old_snapshots_are_pruned_after_the_retention(charts_app: App, clean_db: sa.Engine) -> None:
    hours = charts_app.settings.charts_retention_hours
    refresh(charts_app, TICK - timedelta(hours=hours, minutes=1))
    refresh(charts_app, TICK - timedelta(hours=1))
    refresh(charts_app, TICK)

    assert [row[0] for row in snapshot_rows(clean_db)] == [TICK - timedelta(hours=1), TICK]


def test_served_report_is_stale_only_when_old(charts_app: App, seed: Seed) -> None:
    some_comments(seed)
    refresh(charts_app, TICK)
    stale_after = charts_app.settings.charts_stale_after_seconds

    fresh = weekly_report(charts_app, now=TICK + timedelta(seconds=30))
    old = weekly_report(charts_app, now=TICK + timedelta(seconds=stale_after + 1))

    assert (fresh["stale"], fresh["fonte"], fresh["reload"]) == (False, "snapshot", False)
    assert (old["stale"], old["fonte"]) == (True, "snapshot")
    assert old["relatorios"] == fresh["relatorios"]


def test_before_the_first_refresh_the_charts_are_computed_on_the_spot(
    charts_app: App, seed: Seed, clean_db: sa.Engine
) -> None:
    some_comments(seed)

    body = weekly_report(charts_app, now=TICK)

    assert body["fonte"] == "computed"
    assert body["stale"] is False
    assert body["relatorios"]["distribuicao_categorias"]["ELOGIO"] == 50.0
    assert snapshot_rows(clean_db) == []  # a read stores nothing


def test_failing_refresh_leaves_the_last_good_snapshot_served_stale(
    charts_app: App,
    seed: Seed,
    settings: Settings,
    unreachable_database_url: str,
    store: InMemoryObjectStore,
) -> None:
    # Given a good snapshot at TICK
    some_comments(seed)
    refresh(charts_app, TICK)

    # When the next ticks' refreshes fail (their database is unreachable)
    broken = App(
        settings=settings.model_copy(update={"database_url": unreachable_database_url}),
        storage_factory=lambda _settings: store,
    )
    try:
        for minute in (1, 2, 3):
            with pytest.raises(sa.exc.DBAPIError):
                refresh(broken, TICK + timedelta(minutes=minute))
    finally:
        broken.close()

    # Then the API still serves the TICK snapshot, now marked stale
    body = weekly_report(charts_app, now=TICK + timedelta(minutes=3))
    assert body["gerado_em"] == "2026-11-30T14:30:00Z"
    assert body["stale"] is True
    assert body["relatorios"]["distribuicao_categorias"]["ELOGIO"] == 50.0


def test_unreachable_bucket_still_stores_the_snapshot_and_logs_it(
    charts_app: App,
    seed: Seed,
    clean_db: sa.Engine,
    store: InMemoryObjectStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    some_comments(seed)
    store.fail = True

    with caplog.at_level(logging.WARNING, logger="shared.charts.snapshots"):
        outcome = refresh(charts_app, TICK)

    # The database row is the source of truth: stored, and served fresh
    assert outcome.created
    assert not outcome.stored_in_bucket
    assert [row[0] for row in snapshot_rows(clean_db)] == [TICK]
    assert any("not in the bucket" in r.getMessage() for r in caplog.records)
    body = weekly_report(charts_app, now=TICK + timedelta(seconds=10))
    assert (body["fonte"], body["stale"]) == ("snapshot", False)


def test_unreachable_database_serves_the_bucket_copy(
    charts_app: App,
    seed: Seed,
    settings: Settings,
    unreachable_database_url: str,
    store: InMemoryObjectStore,
) -> None:
    # Given a refresh that reached both the database and the bucket
    some_comments(seed)
    refresh(charts_app, TICK)
    down = App(
        settings=settings.model_copy(update={"database_url": unreachable_database_url}),
        storage_factory=lambda _settings: store,
    )
    try:
        # When the database is down, the bucket's latest copy is served, stale once old
        body = weekly_report(down, now=TICK + timedelta(seconds=20))
        assert (body["fonte"], body["stale"]) == ("bucket", False)
        assert body["relatorios"]["distribuicao_categorias"]["ELOGIO"] == 50.0
        assert "snapshot" not in body
        assert weekly_report(down, now=TICK + timedelta(minutes=10))["stale"] is True

        # And with the bucket down too, the caller gets a retryable 503
        store.fail = True
        with pytest.raises(TransientFailure):
            weekly_report(down, now=TICK)
    finally:
        down.close()


# --- the real S3 API (moto server) --------------------------------------------------------------


@pytest.fixture
def s3_bucket(s3_emulator: str, settings: Settings) -> str:
    name = f"charts-{secrets.token_hex(4)}"
    s3_client(s3_emulator, settings.aws_region).create_bucket(Bucket=name)
    return name


def test_refresh_writes_both_objects_to_an_s3_bucket(
    app: App, settings: Settings, seed: Seed, s3_emulator: str, s3_bucket: str
) -> None:
    some_comments(seed)
    storage = S3ObjectStore(s3_bucket, endpoint_url=s3_emulator, region=settings.aws_region)
    app.storage_factory = lambda _settings: storage

    outcome = refresh(app, TICK)

    assert outcome.stored_in_bucket
    client = s3_client(s3_emulator, settings.aws_region)
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket)["Contents"])
    assert keys == ["charts/2026-11-30T14:30:00Z.json", "charts/latest.json"]
    head = client.head_object(Bucket=s3_bucket, Key="charts/latest.json")
    assert head["ContentType"] == "application/json"
    assert storage.get_json("charts/latest.json") == outcome.snapshot.document()
    assert storage.get_json("charts/missing.json") is None


def test_s3_store_at_a_closed_port_is_unavailable_not_a_crash(
    app: App, settings: Settings, seed: Seed, clean_db: sa.Engine
) -> None:
    some_comments(seed)
    storage = S3ObjectStore(
        "nowhere", endpoint_url=f"http://127.0.0.1:{free_port()}", region=settings.aws_region
    )
    app.storage_factory = lambda _settings: storage

    outcome = refresh(app, TICK)

    assert outcome.created
    assert not outcome.stored_in_bucket
    assert [row[0] for row in snapshot_rows(clean_db)] == [TICK]
