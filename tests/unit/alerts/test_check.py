"""The alerts' test and thresholds, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from scipy.stats import poisson

from shared.alerts.check import (
    Observation,
    Thresholds,
    Window,
    findings,
    judge,
    poisson_lower_tail,
    poisson_upper_tail,
)

LIMITS = Thresholds(min_count=20, min_ratio=2.0, max_p_value=0.001)
HOUR = Window(
    "hora", datetime(2026, 11, 30, 13, tzinfo=UTC), datetime(2026, 11, 30, 14, tzinfo=UTC)
)
DAY = Window("dia", datetime(2026, 11, 29, 14, tzinfo=UTC), datetime(2026, 11, 30, 14, tzinfo=UTC))


def observation(count: int, baseline: tuple[int, ...], window: Window = HOUR) -> Observation:
    return Observation(
        scope="tag",
        key="fix_travamento",
        window=window,
        count=count,
        baseline_counts=baseline,
        baseline_mean=Decimal(sum(baseline)) / 4,
    )


@pytest.mark.parametrize(
    ("k", "mean"),
    [
        (0, 1.0),
        (1, 1.0),
        (5, 2.0),
        (20, 2.5),
        (200, 2.0),
        (60, 60.0),
        (75, 60.0),
        (130, 100.0),
        (5, 60.0),
        (45, 60.0),
        (900, 1000.0),
        (12_000, 10_000.0),
    ],
)
def test_the_tails_are_those_of_the_poisson_distribution(k: int, mean: float) -> None:
    assert poisson_upper_tail(k, mean) == pytest.approx(
        poisson.sf(k - 1, mean), rel=1e-9, abs=1e-300
    )
    assert poisson_lower_tail(k, mean) == pytest.approx(poisson.cdf(k, mean), rel=1e-9, abs=1e-300)


def test_a_spike_over_a_quiet_baseline_is_found() -> None:
    finding = judge(observation(200, (2, 2, 2, 2)), LIMITS)
    assert finding is not None
    assert (finding.direction, finding.rule) == ("alta", "tag:fix_travamento:alta")
    assert finding.p_value < 1e-100


def test_a_first_burst_on_a_silent_rule_is_tested_against_a_mean_of_one() -> None:
    finding = judge(observation(25, (0, 0, 0, 0)), LIMITS)
    assert finding is not None
    assert finding.p_value == pytest.approx(poisson.sf(24, 1.0))


@pytest.mark.parametrize(
    ("count", "baseline"),
    [
        (19, (0, 0, 0, 0)),  # under the minimum count
        (150, (100, 100, 100, 100)),  # significant, but under the ratio
        (22, (10, 12, 9, 11)),  # twice the mean, but not significant
        (15, (30, 30, 30, 30)),  # a drop to half that the test does not carry (p ~ 0.002)
        (4, (10, 10, 10, 10)),  # a drop from under the minimum count
        (60, (60, 60, 60, 60)),  # steady
    ],
)
def test_what_is_not_an_alert(count: int, baseline: tuple[int, ...]) -> None:
    assert judge(observation(count, baseline), LIMITS) is None


def test_a_drop_is_found() -> None:
    finding = judge(observation(5, (60, 60, 60, 60)), LIMITS)
    assert finding is not None
    assert (finding.direction, finding.rule) == ("queda", "tag:fix_travamento:queda")
    assert finding.p_value == pytest.approx(poisson.cdf(5, 60.0))


def test_the_hour_comes_before_the_day() -> None:
    found = findings(
        [observation(500, (2, 2, 2, 2), DAY), observation(200, (2, 2, 2, 2), HOUR)], LIMITS
    )
    assert [f.observation.window.name for f in found] == ["hora", "dia"]
