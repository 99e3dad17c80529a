"""The windows a refresh covers, in the product time zone: days and hours at their boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.charts.queries import Windows


def test_sao_paulo_days_and_hours_are_local() -> None:
    # Given 02:30 UTC on Nov 30, which is 23:30 on Nov 29 in São Paulo (UTC-3, no DST since 2019)
    windows = Windows.ending_at(
        datetime(2026, 11, 30, 2, 30, tzinfo=UTC), ZoneInfo("America/Sao_Paulo")
    )

    # Then the last day is the local one, and the week starts at local midnight six days before
    assert windows.last_day == date(2026, 11, 29)
    assert windows.first_day == date(2026, 11, 23)
    assert windows.week_start == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    # And the 24 hourly buckets end at the local hour of the instant
    assert windows.last_hour == datetime(2026, 11, 29, 23, 0)
    assert windows.first_hour == datetime(2026, 11, 29, 0, 0)
    assert windows.tags_since == datetime(2026, 11, 28, 2, 30, tzinfo=UTC)


def test_utc_zone_uses_utc_days() -> None:
    windows = Windows.ending_at(datetime(2026, 11, 30, 2, 30, tzinfo=UTC), ZoneInfo("UTC"))
    assert windows.last_day == date(2026, 11, 30)
    assert windows.week_start == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert windows.last_hour == datetime(2026, 11, 30, 2, 0)


def test_half_hour_offset_zone_buckets_on_local_hours() -> None:
    # Given Kolkata (UTC+05:30): 18:29 UTC is 23:59 local, 18:30 UTC is already the next day
    kolkata = ZoneInfo("Asia/Kolkata")
    before = Windows.ending_at(datetime(2026, 11, 30, 18, 29, tzinfo=UTC), kolkata)
    after = Windows.ending_at(datetime(2026, 11, 30, 18, 30, tzinfo=UTC), kolkata)

    assert (before.last_day, before.last_hour) == (date(2026, 11, 30), datetime(2026, 11, 30, 23))
    assert (after.last_day, after.last_hour) == (date(2026, 12, 1), datetime(2026, 12, 1, 0))
    # Local midnight as an instant is on the half hour in UTC
    assert after.week_start == datetime(2026, 11, 24, 18, 30, tzinfo=UTC)


def test_as_of_in_another_offset_is_normalised_to_utc() -> None:
    moment = datetime(2026, 11, 30, 8, 0, tzinfo=timezone(timedelta(hours=-3)))
    windows = Windows.ending_at(moment, ZoneInfo("America/Sao_Paulo"))
    assert windows.as_of == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert windows.params()["tz"] == "America/Sao_Paulo"


def test_naive_as_of_is_refused() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        Windows.ending_at(datetime(2026, 11, 30, 8, 0), ZoneInfo("UTC"))
