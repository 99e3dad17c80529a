"""`alumusic bench store` refuses counts that would measure nothing, before touching a database."""

from __future__ import annotations

import pytest

from shared.cli import build_parser


@pytest.mark.parametrize("flags", [["--batches", "0"], ["--writers", "0"], ["--batches", "-3"]])
def test_a_count_below_one_is_a_usage_error(flags: list[str], capsys: pytest.CaptureFixture[str]):
    # Given a database URL no server answers, which a run that went on would fail to reach
    args = build_parser().parse_args(
        ["bench", "store", *flags, "--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/x"]
    )
    # When the benchmark runs
    status = args.handler(args)
    # Then it stops with a usage error naming the flags
    assert status == 2
    assert "--batches and --writers must be positive" in capsys.readouterr().err
