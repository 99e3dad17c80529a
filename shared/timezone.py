"""Days, hours and ISO weeks of the product's time zone (setting PRODUCT_TIMEZONE).

Comments are stored with an absolute instant (`comments.created_at`, timestamptz). Whoever groups
them by day, hour or week (filters, charts, digests, insights) asks this module where a bucket
starts and ends, so every part of the product draws the same boundaries. Bounds are half-open
`[start, end)` aware UTC instants, ready to compare with stored times; a day is not assumed to be
24 hours long (a zone with daylight saving time has 23- and 25-hour days).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_PRODUCT_TIMEZONE: Final = "America/Sao_Paulo"
_ISO_WEEK_RE: Final = re.compile(r"(\d{4})-W(\d{2})")


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name` (e.g. America/Sao_Paulo), or ValueError saying why it is not one."""
    if not name or name != name.strip():
        raise ValueError(f"{name!r} is not an IANA time zone name (e.g. America/Sao_Paulo)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not an IANA time zone name (e.g. America/Sao_Paulo, UTC)"
        ) from None


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC)


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant!r} has no UTC offset; an absolute instant is needed")


# --- days ---------------------------------------------------------------------------------------


def local_day(instant: datetime, zone: tzinfo) -> date:
    """The day of `zone` that `instant` falls on."""
    _require_aware(instant)
    return instant.astimezone(zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC."""
    return _utc(datetime.combine(day, time.min, tzinfo=zone))


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """`[start, end)` of `day` in `zone`, as UTC instants."""
    return day_start(day, zone), day_start(day + timedelta(days=1), zone)


# --- hours --------------------------------------------------------------------------------------


def hour_start(instant: datetime, zone: tzinfo) -> datetime:
    """The start of the hour of `zone` that holds `instant`, in UTC.

    Hours are whole hours of the zone's clock; for zones whose offset is whole hours (all of
    Brazil's) they coincide with UTC hours.
    """
    _require_aware(instant)
    local = instant.astimezone(zone)
    floored = local.replace(minute=0, second=0, microsecond=0)
    return _utc(floored)


def hour_bounds(instant: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    start = hour_start(instant, zone)
    return start, start + timedelta(hours=1)


# --- ISO weeks ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday), written `2026-W47`."""

    year: int
    week: int

    def __post_init__(self) -> None:
        # date.fromisocalendar knows which years have a week 53.
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise ValueError(f"{self.year}-W{self.week:02d} is not an ISO week") from None

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W47` -> IsoWeek(2026, 47); ValueError for anything else."""
        match = _ISO_WEEK_RE.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not an ISO week (e.g. 2026-W47)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def of(cls, instant: datetime, zone: tzinfo) -> IsoWeek:
        """The week of `zone` that `instant` falls in."""
        return cls.of_date(local_day(instant, zone))

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    def shifted(self, weeks: int) -> IsoWeek:
        """The week `weeks` later (negative: earlier)."""
        return IsoWeek.of_date(self.monday + timedelta(weeks=weeks))

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """`[Monday 00:00, next Monday 00:00)` in `zone`, as UTC instants."""
        return day_start(self.monday, zone), day_start(self.monday + timedelta(weeks=1), zone)


def week_bounds(week: IsoWeek | str, zone: tzinfo) -> tuple[datetime, datetime]:
    """`[start, end)` of an ISO week (an IsoWeek or its `2026-W47` text) in `zone`, in UTC."""
    return (week if isinstance(week, IsoWeek) else IsoWeek.parse(week)).bounds(zone)
