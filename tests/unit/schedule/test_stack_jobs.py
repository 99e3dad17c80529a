"""Scheduled jobs in infra/stack.json: read, validated, listed by `alumusic schedule list`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.cli import main
from tooling.devstack.stack import JobSpec, load_stack, parse_stack


def _document(**job: Any) -> dict[str, Any]:
    base = {"name": "tick", "schedule": "* * * * *", "time_zone": "UTC", "topic": "t", "body": {}}
    return {"topics": [{"name": "t"}], "jobs": [{**base, **job}]}


def test_the_repository_declares_the_chart_and_digest_jobs():
    # Given infra/stack.json
    spec = load_stack(env={})
    # Then both jobs are there, with topics the stack creates
    assert spec.job("charts-refresh") == JobSpec(
        "charts-refresh", "* * * * *", "America/Sao_Paulo", "charts-tick", {}
    )
    assert spec.job("weekly-digest") == JobSpec(
        "weekly-digest", "0 8 * * 1", "America/Sao_Paulo", "digest-tick", {}
    )
    assert {job.topic for job in spec.jobs} <= set(spec.topics)
    with pytest.raises(KeyError, match="charts-refresh, weekly-digest"):
        spec.job("nightly")


def test_a_stack_without_jobs_has_none():
    assert parse_stack({"topics": [{"name": "t"}]}).jobs == ()


def test_a_job_body_is_kept():
    (job,) = parse_stack(_document(body={"kind": "full"})).jobs
    assert job.body == {"kind": "full"}


@pytest.mark.parametrize(
    ("job", "message"),
    [
        ({"topic": "nowhere"}, "job 'tick' publishes to unknown topic 'nowhere'"),
        (
            {"schedule": "every minute"},
            "job 'tick': cron schedule 'every minute' must have 5 fields",
        ),
        (
            {"schedule": "0 24 * * *"},
            "job 'tick': cron schedule '0 24 \\* \\* \\*' has a value out of range",
        ),
        (
            {"time_zone": "America/Springfield"},
            "job 'tick': time zone 'America/Springfield' is not an IANA",
        ),
        ({"time_zone": ""}, "job 'tick' needs time_zone"),
        ({"schedule": None, "topic": None}, "job 'tick' needs schedule, topic"),
        ({"name": "weekly digest"}, "job name 'weekly digest' must be"),
        ({"body": ["x"]}, "job 'tick': body must be a JSON object"),
        ({"body": {"job": "other"}}, "job 'tick': body must not set job"),
    ],
)
def test_bad_jobs_are_refused_with_a_clear_error(job, message):
    with pytest.raises(ValueError, match=message):
        parse_stack(_document(**job))


def test_job_names_are_unique():
    document = _document()
    document["jobs"].append(dict(document["jobs"][0]))
    with pytest.raises(ValueError, match=r"job names .* must be unique"):
        parse_stack(document)


def test_schedule_list_shows_each_job_with_its_next_run(capsys):
    # When listing the repository's jobs as of Monday 2026-11-30 08:30 in Sao Paulo
    assert main(["schedule", "list", "--at", "2026-11-30T08:30:00-03:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Then each job shows its next run in its zone and in UTC
    assert lines[0].split()[:2] == ["job", "schedule"]
    charts = next(line for line in lines if line.startswith("charts-refresh"))
    digest = next(line for line in lines if line.startswith("weekly-digest"))
    assert "2026-11-30 08:31 Mon" in charts
    assert "2026-11-30T11:31:00Z" in charts
    assert "2026-12-07 08:00 Mon" in digest
    assert "2026-12-07T11:00:00Z" in digest


def test_schedule_commands_refuse_unknown_jobs_bad_times_and_bad_stacks(capsys, tmp_path):
    assert main(["schedule", "run", "nightly"]) == 2
    assert "no job named 'nightly'" in capsys.readouterr().err
    assert main(["schedule", "list", "--at", "tomorrow"]) == 2
    assert "--at 'tomorrow' is not an ISO-8601 time" in capsys.readouterr().err
    broken = tmp_path / "stack.json"
    broken.write_text(json.dumps(_document(time_zone="Nowhere/Land")))
    assert main(["schedule", "list", "--stack", str(broken)]) == 2
    assert "time zone 'Nowhere/Land'" in capsys.readouterr().err
