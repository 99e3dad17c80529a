"""Where a window's whole buckets end and its edge rows begin (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.rollups import BUCKET, floor_bucket, window_params


def at(hour: int, minute: int, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, second, micro, tzinfo=UTC)


def test_a_bucket_starts_on_a_utc_quarter_hour() -> None:
    assert floor_bucket(at(14, 44, 59, 999999)) == at(14, 30)
    assert floor_bucket(at(14, 45)) == at(14, 45)
    # An offset of +05:45 (Kathmandu) lands on a quarter hour too
    kathmandu_midnight = datetime(2026, 11, 30, 18, 15, tzinfo=UTC)
    assert floor_bucket(kathmandu_midnight) == kathmandu_midnight
    assert timedelta(minutes=15) == BUCKET


def test_a_window_on_boundaries_reads_no_rows() -> None:
    params = window_params("w", at(3, 0), at(14, 15))
    assert params["w_whole_start"] == params["w_start"] == at(3, 0)
    assert params["w_whole_end"] == params["w_end"] == at(14, 15)


def test_the_cut_quarter_hours_at_both_ends_are_read_from_rows() -> None:
    # Given a window from 02:59:59.5 to 14:31:07
    params = window_params("w", at(2, 59, 59, 500000), at(14, 31, 7))
    # Then [02:59:59.5, 03:00) and [14:30, 14:31:07) are rows, the rest whole buckets
    assert params["w_whole_start"] == at(3, 0)
    assert params["w_whole_end"] == at(14, 30)


def test_a_window_inside_one_bucket_or_across_one_boundary_is_all_rows() -> None:
    for start, end in ((at(14, 31), at(14, 40)), (at(14, 40), at(14, 50))):
        params = window_params("w", start, end)
        # No whole bucket: rows over [start, end), nothing from the rollups
        assert params["w_whole_start"] == params["w_whole_end"] == end
