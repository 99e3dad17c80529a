"""The periods themes are found in: a local day or an ISO week of `PRODUCT_TIMEZONE`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Final, Literal

from shared.errors import InvalidInput
from shared.timezone import IsoWeek, day_bounds, local_day

PeriodKind = Literal["dia", "semana"]
PERIOD_KINDS: Final[tuple[PeriodKind, ...]] = ("dia", "semana")


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    key: str  # "2026-12-05" or "2026-W49"
    start: datetime
    end: datetime

    @classmethod
    def of_day(cls, day: date, zone: tzinfo) -> Period:
        start, end = day_bounds(day, zone)
        return cls("dia", day.isoformat(), start, end)

    @classmethod
    def of_week(cls, week: IsoWeek, zone: tzinfo) -> Period:
        start, end = week.bounds(zone)
        return cls("semana", str(week), start, end)

    def previous(self, zone: tzinfo) -> Period:
        if self.kind == "dia":
            return Period.of_day(date.fromisoformat(self.key) - timedelta(days=1), zone)
        return Period.of_week(IsoWeek.parse(self.key).shifted(-1), zone)


def period_kind(raw: str) -> PeriodKind:
    if raw == "dia":
        return "dia"
    if raw == "semana":
        return "semana"
    raise InvalidInput(f"period {raw!r} is not one of: dia, semana")


def parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"date {raw!r} is not an ISO date like 2026-12-05") from None


def choose_period(
    kind: PeriodKind, zone: tzinfo, now: datetime, *, day: str | None, week: str | None
) -> Period:
    """The period a run covers: the given day or week, else the last one closed before `now`."""
    if kind == "dia":
        if week is not None:
            raise InvalidInput("--week goes with --period semana; a day is chosen with --date")
        chosen = parse_day(day) if day is not None else local_day(now, zone) - timedelta(days=1)
        return Period.of_day(chosen, zone)
    if day is not None:
        return Period.of_week(IsoWeek.of_date(parse_day(day)), zone)
    chosen_week = IsoWeek.parse(week) if week is not None else IsoWeek.last_closed_before(now, zone)
    return Period.of_week(chosen_week, zone)


def periods_for_tick(scheduled_time: datetime, zone: tzinfo) -> tuple[Period, Period]:
    """A daily tick's work: the day closed before it, and the week that day belongs to (so a
    week's themes are refreshed every day and final after its Sunday)."""
    day = local_day(scheduled_time, zone) - timedelta(days=1)
    return Period.of_day(day, zone), Period.of_week(IsoWeek.of_date(day), zone)
