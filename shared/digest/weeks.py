"""ISO weeks of the product's time zone: parsing "2026-W47", bounds, the last closed week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.errors import InvalidInput

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W47` -> IsoWeek(2026, 47); InvalidInput for anything else or a week that does not exist."""
        match = _WEEK_RE.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(f"week {text!r} is not an ISO week like 2026-W47")
        year, week = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(
                f"week {text!r} does not exist (year {year} has no week {week})"
            ) from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def last_closed_before(cls, instant: datetime, timezone: str) -> IsoWeek:
        """The latest ISO week that had ended, in `timezone`, at `instant`."""
        local_day = instant.astimezone(ZoneInfo(timezone)).date()
        return cls.containing(local_day - timedelta(days=local_day.weekday() + 7))

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"
