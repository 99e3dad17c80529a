"""Cron schedules in a time zone: unix-cron only, next fire times across daylight-saving changes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tooling.devstack.cron import CronSchedule, load_zone, validate_cron

NEW_YORK = ZoneInfo("America/New_York")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _fires(schedule: CronSchedule, start: datetime, count: int) -> list[datetime]:
    fires, after = [], start
    for _ in range(count):
        after = schedule.next_after(after)
        fires.append(after)
    return fires


def _utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_weekly_digest_runs_monday_8_in_sao_paulo_all_year():
    # Given the weekly digest's schedule in Sao Paulo (UTC-3, no daylight saving since 2019)
    schedule = CronSchedule("0 8 * * 1", "America/Sao_Paulo")
    # When asked for a year of runs from a Monday afternoon
    fires = _fires(schedule, datetime(2026, 11, 30, 15, 0, tzinfo=SAO_PAULO), 53)
    # Then every run is Monday 08:00 local = 11:00 UTC, one week apart
    assert fires[0] == _utc(2026, 12, 7, 11, 0)
    assert all(f.astimezone(SAO_PAULO).weekday() == 0 for f in fires)
    assert {(f.hour, f.minute) for f in fires} == {(11, 0)}
    assert {b - a for a, b in itertools.pairwise(fires)} == {timedelta(weeks=1)}


def test_a_daily_job_keeps_its_local_time_across_both_new_york_changes():
    schedule = CronSchedule("0 8 * * *", "America/New_York")
    # Spring forward (2026-03-08): 08:00 EST is 13:00 UTC, 08:00 EDT is 12:00 UTC
    spring = _fires(schedule, _utc(2026, 3, 7, 0, 0), 2)
    assert spring == [_utc(2026, 3, 7, 13, 0), _utc(2026, 3, 8, 12, 0)]
    # Fall back (2026-11-01): back to 13:00 UTC
    autumn = _fires(schedule, _utc(2026, 10, 31, 0, 0), 2)
    assert autumn == [_utc(2026, 10, 31, 12, 0), _utc(2026, 11, 1, 13, 0)]


def test_a_time_skipped_by_spring_forward_fires_once_right_after_the_gap():
    # Given 02:30 every day in New York, where 2026-03-08 has no 02:00-02:59
    schedule = CronSchedule("30 2 * * *", "America/New_York")
    fires = _fires(schedule, _utc(2026, 3, 7, 12, 0), 3)
    # Then that day's run is at 03:00 EDT (07:00 UTC), the others at 02:30 local
    assert fires == [_utc(2026, 3, 8, 7, 0), _utc(2026, 3, 9, 6, 30), _utc(2026, 3, 10, 6, 30)]


def test_a_fixed_time_in_the_repeated_hour_fires_once():
    # Given 01:30 every day in New York, where 2026-11-01 has 01:00-01:59 twice
    schedule = CronSchedule("30 1 * * *", "America/New_York")
    fires = _fires(schedule, _utc(2026, 10, 31, 12, 0), 2)
    # Then that day runs once, at the first 01:30 (EDT, 05:30 UTC)
    assert fires == [_utc(2026, 11, 1, 5, 30), _utc(2026, 11, 2, 6, 30)]


def test_an_every_minute_job_keeps_its_pace_through_both_changes():
    schedule = CronSchedule("* * * * *", "America/New_York")
    # Fall back: 01:00-01:59 happens twice; the job runs every minute of both (120 runs)
    start = _utc(2026, 11, 1, 4, 59)
    fires = _fires(schedule, start, 180)
    assert {b - a for a, b in zip([start, *fires], fires, strict=False)} == {timedelta(minutes=1)}
    # Spring forward: the skipped hour simply is not there; still one run per real minute
    start = _utc(2026, 3, 8, 6, 30)
    fires = _fires(schedule, start, 60)
    assert {b - a for a, b in zip([start, *fires], fires, strict=False)} == {timedelta(minutes=1)}
    assert fires[29].astimezone(NEW_YORK).hour == 3  # 01:59 EST is followed by 03:00 EDT


@pytest.mark.parametrize(
    ("expression", "now", "not_before", "expected"),
    [
        # The last run at or before now, exactly on a fire time
        (
            "* * * * *",
            _utc(2026, 11, 30, 11, 32),
            _utc(2026, 11, 30, 11, 0),
            _utc(2026, 11, 30, 11, 32),
        ),
        # Between fire times, long after not_before: only the latest one
        (
            "*/15 * * * *",
            _utc(2026, 11, 30, 11, 44, 59),
            _utc(2026, 11, 1),
            _utc(2026, 11, 30, 11, 30),
        ),
        # Nothing since not_before
        ("0 8 * * 1", _utc(2026, 12, 2), _utc(2026, 11, 30, 13, 0), None),
        # A month asleep: found without walking every minute
        ("* * * * *", _utc(2026, 12, 30, 0, 0, 30), _utc(2026, 11, 30), _utc(2026, 12, 30, 0, 0)),
        # Fixed time in New York's repeated hour: the first 01:30, not the second
        ("30 1 * * *", _utc(2026, 11, 1, 6, 45), _utc(2026, 10, 31), _utc(2026, 11, 1, 5, 30)),
    ],
)
def test_latest_run_at_or_before_now(expression, now, not_before, expected):
    schedule = CronSchedule(expression, "America/New_York")
    assert schedule.latest_at_or_before(now, not_before=not_before) == expected


def test_latest_run_agrees_with_walking_forward_across_changes():
    # Given fire times walked forward over both 2026 New York changes
    for expression in ("*/20 * * * *", "30 1 * * *", "30 2 * * *", "0 */3 * * *"):
        schedule = CronSchedule(expression, "America/New_York")
        for day in (_utc(2026, 3, 7, 12), _utc(2026, 10, 31, 12)):
            fires = _fires(schedule, day, 40)
            # Then the backward search finds each of them from a moment after it
            for previous, fire in zip([day, *fires], fires, strict=False):
                probe = fire + timedelta(seconds=30)
                assert schedule.latest_at_or_before(probe, not_before=previous) == fire


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "must have 5 fields"),
        ("0 0 * * * *", "must have 5 fields"),
        ("61 * * * *", "out of range"),
        ("0 25 * * *", "out of range"),
        ("0 8 * * MON#1", "not unix-cron"),
        ("0 8 L * *", "not unix-cron"),
        ("H * * * *", "not unix-cron"),
        ("0 8 ? * 1", "not unix-cron"),
        ("*/x * * * *", "bad step"),
        ("@daily", "must have 5 fields"),
    ],
)
def test_expressions_cloud_scheduler_would_refuse_are_refused(expression, message):
    with pytest.raises(ValueError, match=message):
        validate_cron(expression)


def test_unix_cron_names_ranges_steps_and_lists_are_accepted():
    for expression in ("0 8 * * MON", "0 8 * JAN-MAR mon-fri", "*/5 9-17 * * 1,3,5", "0 0 1 */2 *"):
        assert validate_cron(expression) == expression
    assert validate_cron("  0   8 * * 1 ") == "0 8 * * 1"


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "America/Sao Paulo", " UTC", "../etc"])
def test_unknown_zones_are_refused(name):
    with pytest.raises(ValueError, match="IANA zone"):
        load_zone(name)
    with pytest.raises(ValueError, match="IANA zone"):
        CronSchedule("* * * * *", name)


def test_cron_evaluation_needs_an_aware_time():
    with pytest.raises(ValueError, match="aware"):
        CronSchedule("* * * * *", "UTC").next_after(datetime(2026, 11, 30))
