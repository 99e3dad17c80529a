"""Cron schedules in a time zone, for the local scheduler (Cloud Scheduler evaluates them in production).

Expressions are the five-field unix-cron dialect Cloud Scheduler accepts (minute hour day-of-month
month day-of-week; numbers, `*`, ranges, steps, lists, month and weekday names), so a schedule
that runs locally also deploys. croniter finds the wall-clock matches in the job's zone; around a
daylight-saving change the rule is the cron daemon's:

- a wall-clock time the spring-forward gap skips fires once, at the first minute after the gap;
- a wall-clock time the fall-back overlap repeats fires twice when the schedule has a wildcard
  minute or hour (an every-minute job keeps its pace through the repeated hour) and once, the
  first time, when both are fixed (a daily 01:30 job runs once that day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_WEEKDAYS: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NAMES: Final = frozenset(_MONTHS + _WEEKDAYS)
_TOKEN_RE: Final = re.compile(r"^[0-9A-Za-z]+$")
FIELD_NAMES: Final = ("minute", "hour", "day of month", "month", "day of week")


def validate_cron(expression: str) -> str:
    """The expression with single spaces, or ValueError saying what is wrong with it."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron schedule {expression!r} must have 5 fields "
            f"({', '.join(FIELD_NAMES)}), not {len(fields)}"
        )
    for name, value in zip(FIELD_NAMES, fields, strict=True):
        for part in value.split(","):
            base, _, step = part.partition("/")
            if step and not step.isdigit():
                raise ValueError(f"cron schedule {expression!r}: bad step in {name} {value!r}")
            for token in base.split("-") if base != "*" else ():
                if not _TOKEN_RE.match(token) or (
                    not token.isdigit() and token.lower() not in _NAMES
                ):
                    raise ValueError(
                        f"cron schedule {expression!r}: {name} {value!r} is not unix-cron "
                        "(numbers, *, ranges a-b, steps /n, lists a,b, month or weekday names)"
                    )
    normalised = " ".join(fields)
    if not croniter.is_valid(normalised):
        raise ValueError(f"cron schedule {expression!r} has a value out of range")
    return normalised


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone, or ValueError naming it."""
    if not name or name != name.strip():
        raise ValueError(f"time zone {name!r} is not an IANA zone name like America/Sao_Paulo")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"time zone {name!r} is not an IANA zone name like America/Sao_Paulo"
        ) from error


def _is_repeated_wall_time(local: datetime) -> bool:
    """True for the second pass (fold=1) of a wall-clock time the fall-back change repeats."""
    return bool(local.fold) and local.replace(fold=0).utcoffset() != local.utcoffset()


@dataclass(frozen=True)
class CronSchedule:
    expression: str
    time_zone: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "expression", validate_cron(self.expression))
        load_zone(self.time_zone)

    @cached_property
    def zone(self) -> ZoneInfo:
        return load_zone(self.time_zone)

    @property
    def fixed_time(self) -> bool:
        """Neither minute nor hour is a wildcard: the job runs at set times of the day."""
        minute, hour = self.expression.split()[:2]
        return not minute.startswith("*") and not hour.startswith("*")

    def next_after(self, after: datetime) -> datetime:
        """The first fire time strictly after `after` (aware), in UTC."""
        if after.tzinfo is None or after.utcoffset() is None:
            raise ValueError("cron evaluation needs an aware time")
        after_utc = after.astimezone(UTC)
        matches = croniter(self.expression, after_utc.astimezone(self.zone))
        while True:
            local: datetime = matches.get_next(datetime)
            fire = local.astimezone(UTC)
            if fire <= after_utc:
                continue
            if self.fixed_time and _is_repeated_wall_time(local):
                continue
            return fire

    def latest_at_or_before(self, now: datetime, *, not_before: datetime) -> datetime | None:
        """The last fire time in (not_before, now], or None when none falls there.

        Searched backwards from `now`, so a scheduler that slept for a month finds it at once.
        """
        now_utc = now.astimezone(UTC)
        matches = croniter(self.expression, (now_utc + timedelta(seconds=1)).astimezone(self.zone))
        while True:
            local: datetime = matches.get_prev(datetime)
            fire = local.astimezone(UTC)
            if fire > now_utc:
                continue
            if fire <= not_before:
                return None
            if self.fixed_time and _is_repeated_wall_time(local):
                continue
            return fire
