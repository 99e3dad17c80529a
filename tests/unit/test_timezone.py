"""Days, hours and ISO weeks of the product's time zone; PRODUCT_TIMEZONE checked at cold start."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from shared.config import Settings
from shared.timezone import (
    IsoWeek,
    day_bounds,
    hour_bounds,
    hour_start,
    local_day,
    week_bounds,
    zone_named,
)

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_sao_paulo_day_runs_from_03_00_utc_to_03_00_utc() -> None:
    assert day_bounds(date(2026, 11, 30), SAO_PAULO) == (
        datetime(2026, 11, 30, 3, tzinfo=UTC),
        datetime(2026, 12, 1, 3, tzinfo=UTC),
    )


def test_one_in_the_morning_utc_belongs_to_the_previous_sao_paulo_day() -> None:
    # Given 01:00 UTC on the 30th (22:00 on the 29th in São Paulo)
    instant = datetime(2026, 11, 30, 1, tzinfo=UTC)
    # Then its product day is the 29th, and that day's bounds hold it
    assert local_day(instant, SAO_PAULO) == date(2026, 11, 29)
    start, end = day_bounds(date(2026, 11, 29), SAO_PAULO)
    assert start <= instant < end


def test_days_of_a_zone_with_daylight_saving_are_23_or_25_hours_long() -> None:
    start, end = day_bounds(date(2026, 3, 8), NEW_YORK)  # clocks go forward
    assert (end - start).total_seconds() == 23 * 3600
    start, end = day_bounds(date(2026, 11, 1), NEW_YORK)  # clocks go back
    assert (end - start).total_seconds() == 25 * 3600


def test_local_day_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        local_day(datetime(2026, 11, 30, 1), SAO_PAULO)


def test_hours_are_whole_hours_of_the_zone_clock() -> None:
    instant = datetime(2026, 11, 30, 14, 59, 59, 999999, tzinfo=UTC)
    assert hour_start(instant, SAO_PAULO) == datetime(2026, 11, 30, 14, tzinfo=UTC)
    # India is UTC+5:30: its hours start at half past the UTC hour
    assert hour_bounds(instant, ZoneInfo("Asia/Kolkata")) == (
        datetime(2026, 11, 30, 14, 30, tzinfo=UTC),
        datetime(2026, 11, 30, 15, 30, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("text", "week", "monday"),
    [
        ("2026-W47", IsoWeek(2026, 47), date(2026, 11, 16)),
        ("2026-W01", IsoWeek(2026, 1), date(2025, 12, 29)),
        ("2026-W53", IsoWeek(2026, 53), date(2026, 12, 28)),
    ],
)
def test_iso_weeks_parse_and_format(text: str, week: IsoWeek, monday: date) -> None:
    assert IsoWeek.parse(text) == week
    assert str(week) == text
    assert week.monday == monday
    assert IsoWeek.of_date(monday) == week


@pytest.mark.parametrize("text", ["2025-W53", "2026-W00", "2026-W54", "2026W47", "2026-w47", "x"])
def test_what_is_not_an_iso_week_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO week"):
        IsoWeek.parse(text)


def test_a_week_of_the_product_zone_starts_monday_at_local_midnight() -> None:
    assert week_bounds("2026-W49", SAO_PAULO) == (
        datetime(2026, 11, 30, 3, tzinfo=UTC),
        datetime(2026, 12, 7, 3, tzinfo=UTC),
    )
    # Sunday 23:30 in São Paulo is Monday 02:30 UTC, still the earlier week
    assert IsoWeek.of(datetime(2026, 11, 30, 2, 30, tzinfo=UTC), SAO_PAULO) == IsoWeek(2026, 48)
    assert IsoWeek(2026, 49).shifted(-1) == IsoWeek(2026, 48)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)


def test_product_timezone_defaults_to_sao_paulo_and_must_be_an_iana_name() -> None:
    assert Settings().product_zone == SAO_PAULO
    assert Settings(product_timezone="UTC").product_zone == ZoneInfo("UTC")
    for bad in ("Mars/Olympus", "", "-03:00", " America/Sao_Paulo", "../etc/passwd"):
        with pytest.raises(ValidationError, match="not an IANA time zone"):
            Settings(product_timezone=bad)
    with pytest.raises(ValueError, match="not an IANA"):
        zone_named("Brasil")
