"""PostgreSQL restarted in the middle of an ingest: every comment accepted is stored, once.

The stack (`alumusic dev up` on free ports) runs against a PostgreSQL server of its own, started
for this test in a temporary folder, because that server is stopped and started again while the
comments flow; the machine's shared server is never touched. `alumusic bench faults` is the same
run with 100,000 comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling.benchmarks.faults import ingest_through_restart, private_postgres, private_stack

pytestmark = pytest.mark.e2e

COMMENTS = 20_000


def test_a_postgres_restart_mid_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    with private_postgres() as postgres:
        database_url = postgres.url("alumusic")
        with private_stack(database_url, tmp_path / "stack") as (gateway, username, password):
            # Given comments ingested through the gateway, in requests of 500
            # When the database is stopped once a quarter of them is stored, and started again
            outcome = ingest_through_restart(
                postgres,
                database_url,
                gateway,
                username,
                password,
                comments=COMMENTS,
                per_request=500,
                down_seconds=3.0,
                timeout=400.0,
            )

    # Then the restart happened while comments were still arriving
    assert 0 < outcome.stored_when_down < COMMENTS
    # ...and the ids stored are exactly the ids accepted: none lost, none twice, none foreign
    assert outcome.accepted == COMMENTS
    assert (outcome.stored, outcome.lost, outcome.duplicated) == (COMMENTS, 0, 0), outcome
