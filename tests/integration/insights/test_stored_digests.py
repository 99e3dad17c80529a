"""`weekly_digests` read and written through the one store: stats off the contract are named, never
taken for the shape this release knows."""

from __future__ import annotations

import copy

import pytest

from shared.digest.contract import UnreadableStats
from shared.digest.store import (
    UnreadableDigest,
    digests_of_weeks,
    find_digest,
    insert_digest,
    recent_digests,
)
from shared.digest.writer import WrittenText
from tests.integration.insights.conftest import Caller

pytestmark = pytest.mark.integration


@pytest.fixture
def rows_with_one_unreadable(eval_digest_rows):
    """The evaluation digests, 2026-W47's stats without their categories."""
    rows = copy.deepcopy(eval_digest_rows)
    broken = next(row for row in rows if row["semana"] == "2026-W47")
    del broken["stats"]["categorias"]
    return rows


def test_readers_of_many_digests_leave_an_unreadable_one_out(
    store_digests, rows_with_one_unreadable, digests_table, caplog
):
    # Given nine stored digests, one of them off the contract
    store_digests(rows_with_one_unreadable)
    # When the recent ones and some weeks are read
    recent = [d.semana for d in recent_digests(digests_table, 8)]
    chosen = [d.semana for d in digests_of_weeks(digests_table, ["2026-W46", "2026-W47"])]
    # Then every other week is there, that one is not, and the log says why
    assert recent == [f"2026-W{n}" for n in (41, 42, 43, 44, 45, 46, 48)]
    assert chosen == ["2026-W46"]
    left_out = [r for r in caplog.records if r.getMessage() == "stored digest left out"]
    assert left_out
    assert left_out[0].semana == "2026-W47"
    assert "categorias" in left_out[0].reason


def test_insights_answers_from_the_readable_digests(
    analyst: Caller, store_digests, rows_with_one_unreadable
):
    store_digests(rows_with_one_unreadable)
    body = analyst.ask({"pergunta": "Quais foram as principais críticas da 2026-W45?"}).get_json()
    assert body["suportada"] is True
    assert body["semanas"] == ["2026-W45"]


def test_the_reader_of_one_week_says_it_cannot_read_it(
    store_digests, rows_with_one_unreadable, digests_table
):
    store_digests(rows_with_one_unreadable)
    assert find_digest(digests_table, "2026-W46") is not None
    with pytest.raises(UnreadableDigest, match=r"2026-W47.*categorias"):
        find_digest(digests_table, "2026-W47")


def test_stats_off_the_contract_are_not_stored(digests_table, eval_digest_rows):
    stats = copy.deepcopy(eval_digest_rows[0]["stats"])
    stats["total"] = "1025"
    with pytest.raises(UnreadableStats, match="total"):
        insert_digest(digests_table, stats, WrittenText("Olá!", "template"), html="")
    assert find_digest(digests_table, "2026-W40") is None
