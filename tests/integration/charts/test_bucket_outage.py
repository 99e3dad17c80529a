"""The bucket unreachable during chart refreshes, on the real S3 API (moto's server).

The database row is the snapshot of record, so a refresh whose bucket copy fails still serves its
charts fresh; what the bucket holds is then the last good copy it received, and a reader that has
only the bucket (PostgreSQL down) gets that copy, marked stale once it is old.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from shared.bootstrap import App
from shared.charts.snapshots import refresh, weekly_report
from shared.config import Settings
from shared.storage import S3ObjectStore
from tests.integration.charts.conftest import snapshot_rows
from tests.integration.charts.test_snapshots import TICK, Seed, some_comments
from tooling.devstack.bootstrap import s3_client
from tooling.devstack.services import free_port

pytestmark = pytest.mark.integration


def test_refreshes_without_the_bucket_keep_its_last_good_copy_served_stale(
    app: App,
    settings: Settings,
    seed: Seed,
    s3_emulator: str,
    unreachable_database_url: str,
    clean_db,
) -> None:
    # Given a refresh at TICK that reached the database and a real S3 bucket
    bucket = f"charts-{secrets.token_hex(4)}"
    s3_client(s3_emulator, settings.aws_region).create_bucket(Bucket=bucket)
    reachable = S3ObjectStore(bucket, endpoint_url=s3_emulator, region=settings.aws_region)
    some_comments(seed)
    app.storage_factory = lambda _settings: reachable
    assert refresh(app, TICK).stored_in_bucket

    # When the bucket is unreachable for the next refreshes (nothing listens at its address)
    unreachable = S3ObjectStore(
        bucket, endpoint_url=f"http://127.0.0.1:{free_port()}", region=settings.aws_region
    )
    without_bucket = App(settings=settings, storage_factory=lambda _settings: unreachable)
    try:
        outcomes = [refresh(without_bucket, TICK + timedelta(minutes=m)) for m in (1, 2, 3)]
        # Then each refresh still stored its snapshot, and the charts are served fresh from it
        assert [(o.created, o.stored_in_bucket) for o in outcomes] == [(True, False)] * 3
        assert len(snapshot_rows(clean_db)) == 4
        served = weekly_report(without_bucket, now=TICK + timedelta(minutes=3, seconds=5))
        assert (served["fonte"], served["stale"]) == ("snapshot", False)
        assert served["gerado_em"] == "2026-11-30T14:33:00Z"
    finally:
        without_bucket.close()

    # And a reader left with only the bucket gets its last good copy (TICK's), marked stale
    only_bucket = App(
        settings=settings.model_copy(update={"database_url": unreachable_database_url}),
        storage_factory=lambda _settings: reachable,
    )
    try:
        body = weekly_report(only_bucket, now=TICK + timedelta(minutes=3, seconds=5))
    finally:
        only_bucket.close()
    assert (body["fonte"], body["gerado_em"], body["stale"]) == (
        "bucket",
        "2026-11-30T14:30:00Z",
        True,
    )
    assert body["relatorios"]["distribuicao_categorias"]["ELOGIO"] == 50.0
