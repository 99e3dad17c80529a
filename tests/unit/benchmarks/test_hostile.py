"""`alumusic bench hostile`: its hostile requests and how their answers are tallied."""

from __future__ import annotations

import time

from tooling.benchmarks.hostile import AttackTally, Schedule, attacks


def test_the_attack_sends_each_hostile_body_the_design_names() -> None:
    # Given the attack plan
    plan = {(a.kind, a.path): a for a in attacks()}
    # Then the login, refresh and a dashboard file get 16 MB bodies
    for kind, path in (
        ("login_16mb", "/api/auth/login"),
        ("refresh_16mb", "/api/auth/refresh"),
        ("static_16mb", "/painel/app.js"),
    ):
        assert len(plan[(kind, path)].body) == 16_000_000, kind
    # And the insights question gets 16,000 brackets, the login a 5,000-digit name
    assert plan[("deep_json", "/api/insights/perguntar")].body == b"[" * 16_000
    assert b"9" * 5000 in plan[("long_number", "/api/auth/login")].body
    # And the ingest gets NDJSON lines far past its 10,000-item limit
    flood = plan[("ndjson_flood", "/api/comentarios/ingest")]
    assert flood.headers["Content-Type"] == "application/x-ndjson"
    assert flood.body.count(b"\n") > 100 * 10_000


def test_the_tally_counts_statuses_cut_offs_and_server_errors_per_kind() -> None:
    # Given answers of two kinds, one of them a 5xx and one a connection cut before an answer
    tally = AttackTally()
    tally.add("login_16mb", 413, 0.2, 16)
    tally.add("login_16mb", None, 0.4, 16)
    tally.add("deep_json", 500, 0.1, 4)
    # Then each kind has its requests, statuses and mean, and the 5xx is counted
    summary = tally.summary()
    assert summary["login_16mb"] == {
        "requests": 2,
        "mean_ms": 300.0,
        "statuses": {"413": 1},
        "cut_off": 1,
    }
    assert tally.server_errors == 1
    assert tally.sent_bytes == 36


def test_the_attack_schedule_spaces_turns_at_the_fixed_rate() -> None:
    # Given a schedule of 20 turns a second that started a second ago
    schedule = Schedule(20.0, start=time.monotonic() - 1.0)
    # When three turns are taken
    turns = [schedule.next_turn() for _ in range(3)]
    # Then they are numbered in order, the first ones overdue and each due 1/20 s after the last
    assert [n for n, _ in turns] == [0, 1, 2]
    assert turns[0][1] <= -0.99
    assert abs((turns[2][1] - turns[1][1]) - 0.05) < 0.01
    # And the turn a second later is still ahead, none is skipped or doubled
    later = [schedule.next_turn() for _ in range(20)]
    assert [n for n, _ in later] == list(range(3, 23))
    assert later[-1][1] > 0
