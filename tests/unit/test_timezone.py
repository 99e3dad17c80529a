"""Days, hours and ISO weeks of the product's time zone; PRODUCT_TIMEZONE checked at cold start.

Daylight-saving edges are tested here, once: São Paulo's last DST (clocks forward at midnight on
2018-11-04, back at midnight on 2019-02-17) and New York's (clocks change at 02:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from shared.config import Settings
from shared.errors import InvalidInput
from shared.timezone import (
    IsoWeek,
    day_bounds,
    day_start,
    hour_start,
    local_day,
    wall_clock,
    zone_named,
)

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)


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
    assert end - start == 23 * HOUR
    start, end = day_bounds(date(2026, 11, 1), NEW_YORK)  # clocks go back
    assert end - start == 25 * HOUR


def test_a_day_whose_midnight_never_happened_starts_at_its_first_instant() -> None:
    # Given 2018-11-04 in São Paulo: at 00:00 (-03) the clocks jumped to 01:00 (-02)
    start, end = day_bounds(date(2018, 11, 4), SAO_PAULO)
    # Then the day starts at 01:00 local, the instant midnight would have been, and lasts 23 hours
    assert start == datetime(2018, 11, 4, 3, tzinfo=UTC)
    assert wall_clock(start, SAO_PAULO) == datetime(2018, 11, 4, 1)
    assert local_day(start - timedelta(microseconds=1), SAO_PAULO) == date(2018, 11, 3)
    assert end - start == 23 * HOUR


def test_a_day_whose_last_hour_repeats_is_25_hours_long() -> None:
    # Given 2019-02-16 in São Paulo: at midnight (-02) the clocks went back to 23:00 (-03)
    start, end = day_bounds(date(2019, 2, 16), SAO_PAULO)
    assert (start, end) == (
        datetime(2019, 2, 16, 2, tzinfo=UTC),
        datetime(2019, 2, 17, 3, tzinfo=UTC),
    )
    # Both 23:30s belong to the 16th, and the hour after them starts the 17th
    first, second = (
        datetime(2019, 2, 17, 1, 30, tzinfo=UTC),
        datetime(2019, 2, 17, 2, 30, tzinfo=UTC),
    )
    assert (
        wall_clock(first, SAO_PAULO)
        == wall_clock(second, SAO_PAULO)
        == datetime(2019, 2, 16, 23, 30)
    )
    assert local_day(first, SAO_PAULO) == local_day(second, SAO_PAULO) == date(2019, 2, 16)
    assert day_start(date(2019, 2, 17), SAO_PAULO) == end


def test_hours_across_a_daylight_saving_change_are_whole_hours_of_the_clock() -> None:
    # New York, 2026-11-01: 01:00-02:00 happens twice (EDT, then EST); each is its own hour
    first = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)  # 01:45 EDT
    second = datetime(2026, 11, 1, 6, 45, tzinfo=UTC)  # 01:45 EST
    assert hour_start(first, NEW_YORK) == datetime(2026, 11, 1, 5, tzinfo=UTC)
    assert hour_start(second, NEW_YORK) == datetime(2026, 11, 1, 6, tzinfo=UTC)
    # 2026-03-08: 02:00-03:00 never happens; 03:15 EDT is in the hour that starts at 03:00 EDT
    assert hour_start(datetime(2026, 3, 8, 7, 15, tzinfo=UTC), NEW_YORK) == datetime(
        2026, 3, 8, 7, tzinfo=UTC
    )


def test_a_week_with_a_daylight_saving_change_is_not_168_hours_long() -> None:
    forward = IsoWeek.of_date(date(2018, 11, 4))  # Sunday 2018-11-04 ends 2018-W44
    start, end = forward.bounds(SAO_PAULO)
    assert end - start == 167 * HOUR
    back = IsoWeek.of_date(date(2019, 2, 16))
    start, end = back.bounds(SAO_PAULO)
    assert end - start == 169 * HOUR


def test_local_day_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        local_day(datetime(2026, 11, 30, 1), SAO_PAULO)


def test_hours_are_whole_hours_of_the_zone_clock() -> None:
    instant = datetime(2026, 11, 30, 14, 59, 59, 999999, tzinfo=UTC)
    assert hour_start(instant, SAO_PAULO) == datetime(2026, 11, 30, 14, tzinfo=UTC)
    # India is UTC+5:30: its hours start at half past the UTC hour
    assert hour_start(instant, ZoneInfo("Asia/Kolkata")) == datetime(
        2026, 11, 30, 14, 30, tzinfo=UTC
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
    assert week.sunday == monday + timedelta(days=6)
    assert IsoWeek.of_date(monday) == week


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-W53", "does not exist"),
        ("2026-W00", "does not exist"),
        ("2026-W54", "does not exist"),
        ("2026W47", "not an ISO week"),
        ("2026-47", "not an ISO week"),
        ("2026-W5", "not an ISO week"),
        ("2026-w47", "not an ISO week"),
        (" 2026-W47x", "not an ISO week"),
        ("x", "not an ISO week"),
    ],
)
def test_what_is_not_an_iso_week_is_invalid_input(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        IsoWeek.parse(text)


def test_a_week_that_does_not_exist_cannot_be_built_either() -> None:
    with pytest.raises(InvalidInput, match="year 2025 has no week 53"):
        IsoWeek(2025, 53)


def test_a_week_of_the_product_zone_starts_monday_at_local_midnight() -> None:
    assert IsoWeek.parse("2026-W49").bounds(SAO_PAULO) == (
        datetime(2026, 11, 30, 3, tzinfo=UTC),
        datetime(2026, 12, 7, 3, tzinfo=UTC),
    )
    # Sunday 23:30 in São Paulo is Monday 02:30 UTC, still the earlier week
    assert IsoWeek.of(datetime(2026, 11, 30, 2, 30, tzinfo=UTC), SAO_PAULO) == IsoWeek(2026, 48)
    assert IsoWeek(2026, 49).shifted(-1) == IsoWeek(2026, 48)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).shifted(-1) == IsoWeek(2026, 53)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # The Monday 08:00 job in São Paulo (11:00 UTC): the week that ended last night.
        (datetime(2026, 11, 30, 11, 0, tzinfo=UTC), IsoWeek(2026, 48)),
        # Monday 01:00 UTC is still Sunday 22:00 in São Paulo: W48 has not ended there yet.
        (datetime(2026, 11, 30, 1, 0, tzinfo=UTC), IsoWeek(2026, 47)),
        (datetime(2026, 12, 3, 15, 0, tzinfo=UTC), IsoWeek(2026, 48)),
    ],
)
def test_last_closed_week_is_that_of_the_product_zone(instant: datetime, expected: IsoWeek) -> None:
    assert IsoWeek.last_closed_before(instant, SAO_PAULO) == expected


def test_product_timezone_defaults_to_sao_paulo_and_must_be_an_iana_name() -> None:
    assert Settings().product_zone == SAO_PAULO
    assert Settings(product_timezone="UTC").product_zone == ZoneInfo("UTC")
    for bad in ("Mars/Olympus", "", "-03:00", " America/Sao_Paulo", "../etc/passwd"):
        with pytest.raises(ValidationError, match="not an IANA time zone"):
            Settings(product_timezone=bad)
    with pytest.raises(ValueError, match="not an IANA"):
        zone_named("Brasil")
