"""Days, hours and ISO weeks of the product's time zone (setting PRODUCT_TIMEZONE).

Comments are stored with an absolute instant (`comments.created_at`, timestamptz). Whoever groups
them by day, hour or week (filters, charts, digests, insights) asks this module where a bucket
starts and ends, so every part of the product draws the same boundaries. Bounds are half-open
`[start, end)` aware UTC instants, ready to compare with stored times or to bind as parameters;
a day is not assumed to be 24 hours long (a zone with daylight saving time has 23- and 25-hour
days). What a query must compute row by row (the local hour of each comment) is handed out as SQL
expressions that agree with the Python answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import InvalidInput

if TYPE_CHECKING:
    import sqlalchemy as sa

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
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


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
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def wall_clock(instant: datetime, zone: tzinfo) -> datetime:
    """What the clocks of `zone` read at `instant`, as a naive datetime (the SQL side:
    `sql_wall_clock`)."""
    _require_aware(instant)
    return instant.astimezone(zone).replace(tzinfo=None)


# --- ISO weeks ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday), written `2026-W47`. A week that does not exist (week
    53 of most years, week 0) is InvalidInput, whether parsed or built."""

    year: int
    week: int

    def __post_init__(self) -> None:
        # date.fromisocalendar knows which years have a week 53.
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise InvalidInput(
                f"week '{self}' does not exist (year {self.year} has no week {self.week})"
            ) from None

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W47` -> IsoWeek(2026, 47); InvalidInput for anything else."""
        match = _ISO_WEEK_RE.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(f"week {text!r} is not an ISO week like 2026-W47")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def of(cls, instant: datetime, zone: tzinfo) -> IsoWeek:
        """The week of `zone` that `instant` falls in."""
        return cls.of_date(local_day(instant, zone))

    @classmethod
    def last_closed_before(cls, instant: datetime, zone: tzinfo) -> IsoWeek:
        """The latest week that had ended, in `zone`, at `instant`."""
        return cls.of(instant, zone).shifted(-1)

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

    def start(self, zone: tzinfo) -> datetime:
        """Monday 00:00 in `zone`, as a UTC instant."""
        return day_start(self.monday, zone)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """`[Monday 00:00, next Monday 00:00)` in `zone`, as UTC instants."""
        return self.start(zone), self.shifted(1).start(zone)


# --- in SQL -------------------------------------------------------------------------------------
# SQLAlchemy is imported where these are called, not above: the settings import this module, and
# a process that only classifies (the embedded classifier's cold start) should not pay 0.2 s for it.


def sql_wall_clock(instant: Any, zone_name: Any) -> sa.ColumnElement[datetime]:
    """SQL: what the clocks of the zone named `zone_name` read at the stored `instant` (a
    timestamp without time zone), as `wall_clock` answers in Python."""
    import sqlalchemy as sa

    return sa.func.timezone(zone_name, instant)


def sql_hour_start(instant: Any, origin: Any) -> sa.ColumnElement[datetime]:
    """SQL: the start of the zone's hour that holds the stored `instant`, as an instant, given
    `origin`, the start of any hour of the zone (e.g. a `day_start` bound as a parameter).

    date_bin is integer arithmetic on the instant; converting every row to local time costs three
    times as much. Hours counted from a local hour start are local hours, also across a DST switch
    (offsets change by whole hours everywhere but Lord Howe Island).
    """
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    one_hour = sa.cast(sa.literal("1 hour"), postgresql.INTERVAL)
    return sa.func.date_bin(one_hour, instant, origin)
