"""`alumusic charts refresh` against the test database."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.cli import main
from tests.integration.charts.conftest import snapshot_rows

pytestmark = pytest.mark.integration


def test_refresh_prints_the_snapshot_and_its_duration(
    charts_app: App,
    seed: Callable[[Sequence[dict[str, Any]]], None],
    clean_db: sa.Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    at = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    seed([{"id": "k", "categoria": "CRÍTICA", "created_at": at - timedelta(hours=3)}])

    code = main(["charts", "refresh", "--at", "2026-11-30T11:30:00-03:00"])

    out = capsys.readouterr().out
    document, _, summary = out.rpartition("}\n")
    snapshot = json.loads(document + "}")
    assert code == 0
    assert snapshot["relatorios"]["distribuicao_categorias"]["CRÍTICA"] == 100.0
    assert snapshot["snapshot"]["scheduled_time"] == "2026-11-30T14:30:00Z"
    assert summary.startswith("refreshed: ")
    assert " ms in all, charts computed in " in summary
    assert [row[0] for row in snapshot_rows(clean_db)] == [at]

    # Run again for the same instant: nothing changes, and it says so
    assert main(["charts", "refresh", "--at", "2026-11-30T14:30:00Z"]) == 0
    assert "already stored for that time, unchanged" in capsys.readouterr().out
    assert len(snapshot_rows(clean_db)) == 1


def test_refresh_refuses_an_instant_without_offset(
    charts_app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["charts", "refresh", "--at", "2026-11-30T14:30:00"]) == 2
    assert "needs an offset" in capsys.readouterr().err
