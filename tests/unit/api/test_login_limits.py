"""Growing login delays and fixed rate-limit windows, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from shared.auth import address_key, login_delay
from shared.ratelimit import window_start


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 0), (2, 0), (3, 1), (4, 2), (5, 4), (6, 8), (12, 512), (13, 900), (10_000, 900)],
)
def test_delay_doubles_after_the_free_failures_up_to_the_cap(failures, expected):
    assert login_delay(failures, free=3, base_seconds=1, max_seconds=900) == expected


def test_delays_grow_strictly_until_the_cap():
    delays = [login_delay(n, free=3, base_seconds=2, max_seconds=60) for n in range(3, 12)]
    capped = delays.index(60)
    assert all(a < b for a, b in pairwise(delays[: capped + 1]))
    assert set(delays[capped:]) == {60}


def test_windows_are_aligned_to_their_length():
    moment = datetime(2026, 11, 30, 12, 34, 56, tzinfo=UTC)
    assert window_start(moment, 60) == datetime(2026, 11, 30, 12, 34, tzinfo=UTC)
    assert window_start(moment, 3600) == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert window_start(moment, 86_400) == datetime(2026, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("unknown", "unknown"),
    ],
)
def test_an_ipv6_address_is_throttled_as_its_64_and_ipv4_as_itself(address, key):
    assert address_key(address) == key
