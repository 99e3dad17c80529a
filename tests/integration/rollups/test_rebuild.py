"""`alumusic rollups rebuild`: rollups that went astray are found, reported and replaced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shared.classifier import Classification
from shared.cli import main
from shared.comments.store import store_classified
from shared.comments.types import CommentIn
from shared.rollups import rebuild

pytestmark = pytest.mark.integration

EARLY = datetime(2026, 11, 2, 10, 7, tzinfo=UTC)
LATE = datetime(2026, 11, 20, 16, 52, tzinfo=UTC)


@pytest.fixture
def two_comments(clean_db: sa.Engine) -> sa.Engine:
    comments = [CommentIn("early", "cedo", EARLY), CommentIn("late", "tarde", LATE)]
    results = [Classification("ELOGIO", ("feat_letra",), 0.9, "m", "1")] * 2
    store_classified(clean_db, comments, results, source="ingest", review_threshold=0.6)
    return clean_db


def rollup_rows(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                sa.text(
                    "SELECT 'c', bucket, categoria, sum(comments) FROM category_rollups "
                    "GROUP BY 2, 3 UNION ALL "
                    "SELECT 't', bucket, tag, sum(comments) FROM tag_rollups GROUP BY 2, 3 "
                    "ORDER BY 1, 2, 3"
                )
            )
        ]


def test_rollups_kept_by_the_store_need_no_fix(
    cli_env: None, two_comments: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rollup_rows(two_comments)
    assert main(["rollups", "rebuild"]) == 0
    assert "rollups equal to the comments" in capsys.readouterr().out
    assert rollup_rows(two_comments) == before


def test_astray_rollups_are_reported_and_replaced(
    cli_env: None, two_comments: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the late comment's category row lost and a tag counted that no comment has
    expected = rollup_rows(two_comments)
    with two_comments.begin() as conn:
        conn.execute(sa.text("DELETE FROM category_rollups WHERE bucket = '2026-11-20 16:45Z'"))
        conn.execute(
            sa.text(
                "INSERT INTO tag_rollups VALUES ('2026-11-02 10:00Z', 'ELOGIO', 'fix_volume', 5, 3)"
            )
        )
    # When a check runs: both reported, nothing changed, exit 1
    assert main(["rollups", "rebuild", "--check"]) == 1
    out = capsys.readouterr().out
    assert "category_rollups (every bucket): 2 rows compared, 1 differ" in out
    assert (
        "2026-11-20T16:45:00+00:00 ELOGIO: stored (0, 0, 0, 0), comments give (1, 0.899999976158142, 0, 0)"
        in out
    )
    assert "2026-11-02T10:00:00+00:00 ELOGIO fix_volume: stored (3), comments give (0)" in out
    assert "nothing changed (--check)" in out
    # When a rebuild from a later instant runs: only the late bucket is fixed
    assert main(["rollups", "rebuild", "--since", "2026-11-10T00:00:00-03:00"]) == 1
    assert "rollups replaced by the recomputation" in capsys.readouterr().out
    assert rebuild(two_comments, fix=False).differing == 1
    # When a full rebuild runs: everything is as the store left it, and the next run says so
    assert main(["rollups", "rebuild"]) == 1
    assert rollup_rows(two_comments) == expected
    assert main(["rollups", "rebuild"]) == 0


def test_a_since_without_offset_is_refused(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rollups", "rebuild", "--since", "2026-11-10T00:00:00"]) == 2
    assert "needs an offset" in capsys.readouterr().err
