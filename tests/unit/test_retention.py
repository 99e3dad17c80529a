"""Retention's day arithmetic and archive lines (no database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from shared.retention import archive_key, archive_line, expiry_cutoff

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
KATHMANDU = ZoneInfo("Asia/Kathmandu")


def test_the_cutoff_is_the_start_of_the_first_local_day_still_kept() -> None:
    # Given a tick at 01:30 UTC on 2026-12-01 (22:30 on 2026-11-30 in São Paulo), 30 days kept
    now = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    # When the cutoff is computed
    cutoff = expiry_cutoff(now, 30, SAO_PAULO)
    # Then every comment before 2026-10-31 00:00 local (03:00 UTC) is due, whole days only
    assert cutoff == datetime(2026, 10, 31, 3, 0, tzinfo=UTC)
    # And in a zone 5:45 ahead the local day, and so the cutoff, differ
    assert expiry_cutoff(now, 30, KATHMANDU) == datetime(2026, 10, 31, 18, 15, tzinfo=UTC)


def test_an_archive_line_holds_every_column_with_instants_in_utc() -> None:
    # Given a comment row as the database returns it
    row = {
        "id": "c-1",
        "texto": "ação \u2028 linha",
        "tags_final": ["feat_letra"],
        "confianca": 0.5,
        "corrected_at": None,
        "created_at": datetime(2026, 10, 20, 10, 0, tzinfo=SAO_PAULO),
    }
    # When it is written as an archive line
    line = archive_line(row)  # type: ignore[arg-type]
    # Then it is one JSON line that reads back as the row, the instant in UTC
    assert line.endswith(b"\n")
    assert len(line.decode("ascii").splitlines()) == 1
    assert json.loads(line) == {
        **row,
        "created_at": "2026-10-20T13:00:00+00:00",
    }
    assert archive_key(datetime(2026, 10, 20).date()) == "archive/comments/2026-10-20.jsonl.gz"
