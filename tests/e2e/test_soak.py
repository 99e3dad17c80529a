"""A bounded soak against the stack: steady ingest with the list and insights readers running.

The full run (`alumusic bench soak --minutes 10`, 5,000 comments/s) is a benchmark whose figures
are reported; this one runs 15 seconds at 200 comments/s and checks only what must hold on any
machine: every accepted comment stored exactly once, readers answered, memory read per function.
Latency and memory-growth bars are timing figures, never asserted here.
"""

from __future__ import annotations

import argparse
import json

import pytest

from tests.e2e.conftest import RunningStack
from tooling.benchmarks.soak import add_arguments, run
from tooling.devstack.stack import load_stack

pytestmark = pytest.mark.e2e


def test_a_short_soak_loses_and_duplicates_nothing(
    stack: RunningStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the running stack and the soak pointed at it
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("ADMIN_PASSWORD", stack.admin_password)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--minutes", "0.25",
            "--rate", "200",
            "--per-request", "100",
            "--warmup-seconds", "0",
            "--list-pause", "0.2",
            "--question-pause", "1",
            "--drain-timeout", "180",
            "--gateway", stack.gateway_url,
            "--state-dir", str(stack.state_dir),
        ]
    )  # fmt: skip

    # When it runs (its exit code also judges latency and memory, which this test does not)
    run(args)
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    # Then every comment sent was accepted and stored once
    assert result["sent"] == 3000
    assert result["refused_requests"] == 0
    assert result["stored"] == 3000
    assert result["lost"] == 0
    assert result["duplicated"] == 0
    # And the list reader was answered every time
    assert result["list_requests"] > 0
    assert set(result["list_statuses"]) == {"200"}
    # And each function's memory was read at start and end
    functions = {f.name for f in load_stack(env={}).functions}
    assert set(result["memory"]) == functions
    assert all(m["start_mb"] > 0 and m["end_mb"] > 0 for m in result["memory"].values())
