"""`make dev` runs the local scheduler: it starts with the stack, publishes ticks, stops with it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.schedule import floor_to_minute
from tests.e2e.conftest import start_stack
from tooling.devstack.scheduler import write_state_file
from tooling.devstack.stack import load_stack
from tooling.devstack.state import SCHEDULER_STATE_FILE, STATE_FILE
from tooling.devstack.supervisor import process_running
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.e2e


def _logged(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_the_stack_runs_the_scheduler_which_publishes_to_the_emulator(
    tmp_path: Path, e2e_database: str
) -> None:
    # Given a state directory whose scheduler last published charts ten minutes ago
    started = datetime.now(UTC)
    write_state_file(
        tmp_path / SCHEDULER_STATE_FILE,
        {"charts-refresh": floor_to_minute(started) - timedelta(minutes=10)},
    )
    # When the stack starts
    running = start_stack(tmp_path, e2e_database)
    try:
        state = json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))
        scheduler_pid = state["pids"]["scheduler"]
        assert process_running(scheduler_pid)
        assert "scheduler   charts-refresh (* * * * *), weekly-digest (0 8 * * 1)" in (
            running.output()
        )
        # Then the scheduler catches up the latest charts run on the emulator, logged as JSON
        log_path = tmp_path / "logs" / "scheduler.log"

        def charts_published() -> bool:
            return any(
                line["message"] == "tick published" and line["job"] == "charts-refresh"
                for line in _logged(log_path)
            )

        assert wait_until(charts_published, timeout=60), log_path.read_text(errors="replace")
        lines = _logged(log_path)
        assert lines[0]["message"] == "scheduler started"
        assert set(lines[0]["jobs"]) == {job.name for job in load_stack().jobs}
        published = next(line for line in lines if line["message"] == "tick published")
        assert published["message_id"]
        assert published["topic"] == "charts-tick"
        assert str(published["scheduled_time"]) >= floor_to_minute(started).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        # When the stack is stopped
        code = running.stop()
    finally:
        if running.process.poll() is None:
            running.stop()
    # Then the scheduler stopped with it
    assert code == 0, running.output()[-3000:]
    assert wait_until(lambda: not process_running(scheduler_pid), timeout=10)
    assert _logged(log_path)[-1]["message"] == "scheduler stopped"
