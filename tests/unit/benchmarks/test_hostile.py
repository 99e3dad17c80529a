"""`alumusic bench hostile`: its hostile requests and how their answers are tallied."""

from __future__ import annotations

from tooling.benchmarks.hostile import AttackTally, attacks


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
