"""The check: each tag's and category's count in the last hour and the last day against the same
hours of the previous 4 weeks, read from the rollups (never from `comments`), and the test that
says whether a change is significant.

Windows end at the last closed quarter hour (`floor_bucket(now)`), so they are whole rollup
buckets and a run every 5 minutes sees the same window three times: the window is part of the
alert's key. The baseline of a window is the same window 7, 14, 21 and 28 days earlier (4
samples); its mean is computed in SQL with the counts.

The test is one-sided Poisson: for a spike, p = P(X >= count) with X ~ Poisson(baseline mean); for
a drop, p = P(X <= count). A baseline mean below 1 is tested as 1, so a rule that was quiet is not
made infinitely surprising by its first comments; ALERTS_MIN_COUNT and ALERTS_MIN_RATIO keep
large, slightly busier rules (where any difference is "significant") from alerting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.rollups import floor_bucket

Scope = Literal["tag", "categoria"]
WindowName = Literal["hora", "dia"]
Direction = Literal["alta", "queda"]

WINDOWS: Final[dict[WindowName, timedelta]] = {
    "hora": timedelta(hours=1),
    "dia": timedelta(days=1),
}
BASELINE_WEEKS: Final = 4
WEEK: Final = timedelta(days=7)
# The least baseline mean the test assumes (see the module's docstring).
MEAN_FLOOR: Final = 1.0
_MAX_TERMS: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_count: int
    min_ratio: float
    max_p_value: float


@dataclass(frozen=True, slots=True)
class Window:
    name: WindowName
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Observation:
    """One rule's counts for one window, as SQL summed them."""

    scope: Scope
    key: str
    window: Window
    count: int
    baseline_counts: tuple[int, ...]
    baseline_mean: Decimal


@dataclass(frozen=True, slots=True)
class Finding:
    """An observation the test found significant."""

    observation: Observation
    direction: Direction
    p_value: float

    @property
    def rule(self) -> str:
        """What the cool-down is kept per: a tag or category and a direction, whichever window
        saw it, so a spike seen by the hour and the day is told once."""
        o = self.observation
        return f"{o.scope}:{o.key}:{self.direction}"


def findings(observations: Sequence[Observation], thresholds: Thresholds) -> list[Finding]:
    """The significant changes, the shorter window's first: when the hour and the day of one
    rule both show it, the hour (the sharper news) is the one stored."""
    found = [f for o in observations if (f := judge(o, thresholds)) is not None]
    return sorted(
        found,
        key=lambda f: (WINDOWS[f.observation.window.name], f.observation.scope, f.observation.key),
    )


def windows_ending(now: datetime) -> list[Window]:
    """The windows a check at `now` looks at: each ends at the last closed quarter hour."""
    end = floor_bucket(now)
    return [Window(name, end - length, end) for name, length in WINDOWS.items()]


# One row per (scope, key, window): the window's count, the 4 baseline counts oldest-last (1 week
# back first) and their mean. The periods overlap (the hour lies inside the day); each is a range
# scan of the rollups' primary key, whose first column is the bucket.
_COUNTS_SQL: Final = sa.text(
    f"""
    WITH periods AS (
        SELECT * FROM unnest(
            CAST(:names AS text[]), CAST(:weeks AS int[]),
            CAST(:starts AS timestamptz[]), CAST(:ends AS timestamptz[])
        ) AS p(janela, semana, inicio, fim)
    ),
    counts AS (
        SELECT 'tag' AS escopo, r.tag AS chave, p.janela, p.semana, sum(r.comments) AS n
        FROM periods AS p JOIN tag_rollups AS r ON r.bucket >= p.inicio AND r.bucket < p.fim
        GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT 'categoria', r.categoria, p.janela, p.semana, sum(r.comments)
        FROM periods AS p JOIN category_rollups AS r ON r.bucket >= p.inicio AND r.bucket < p.fim
        GROUP BY 1, 2, 3, 4
    )
    SELECT escopo, chave, janela,
           CAST(coalesce(sum(n) FILTER (WHERE semana = 0), 0) AS bigint) AS contagem,
           ARRAY[{
        ", ".join(
            f"CAST(coalesce(sum(n) FILTER (WHERE semana = {week}), 0) AS bigint)"
            for week in range(1, BASELINE_WEEKS + 1)
        )
    }] AS contagens_base,
           coalesce(sum(n) FILTER (WHERE semana > 0), 0) / {BASELINE_WEEKS}.0 AS media_base
    FROM counts
    GROUP BY 1, 2, 3
    HAVING sum(n) <> 0
    ORDER BY 1, 2, 3
    """
)


def observe(conn: Connection, windows: Sequence[Window]) -> list[Observation]:
    """Every tag's and category's counts in `windows` and their baselines, from the rollups."""
    names: list[str] = []
    weeks: list[int] = []
    starts: list[datetime] = []
    ends: list[datetime] = []
    for window in windows:
        for week in range(BASELINE_WEEKS + 1):
            names.append(window.name)
            weeks.append(week)
            starts.append(window.start - week * WEEK)
            ends.append(window.end - week * WEEK)
    by_name = {window.name: window for window in windows}
    rows = conn.execute(
        _COUNTS_SQL, {"names": names, "weeks": weeks, "starts": starts, "ends": ends}
    )
    return [
        Observation(
            scope=row.escopo,
            key=row.chave,
            window=by_name[row.janela],
            count=int(row.contagem),
            baseline_counts=tuple(int(n) for n in row.contagens_base),
            baseline_mean=Decimal(row.media_base),
        )
        for row in rows
    ]


def judge(observation: Observation, thresholds: Thresholds) -> Finding | None:
    """The significant change `observation` shows, or None."""
    count = observation.count
    mean = float(observation.baseline_mean)
    tested_mean = max(mean, MEAN_FLOOR)
    if count >= thresholds.min_count and count >= thresholds.min_ratio * tested_mean:
        p_value = poisson_upper_tail(count, tested_mean)
        if p_value < thresholds.max_p_value:
            return Finding(observation, "alta", p_value)
    elif mean >= thresholds.min_count and count * thresholds.min_ratio <= mean:
        p_value = poisson_lower_tail(count, mean)
        if p_value < thresholds.max_p_value:
            return Finding(observation, "queda", p_value)
    return None


# --- the Poisson tails ---------------------------------------------------------------------------


def _log_pmf(k: int, mean: float) -> float:
    return k * math.log(mean) - mean - math.lgamma(k + 1)


def _sum_from(k: int, mean: float, step: int) -> float:
    """The pmf summed from `k` away from the mean (step +1 or -1), where terms only shrink."""
    total = 0.0
    i = k
    for _ in range(_MAX_TERMS):
        if i < 0:
            break
        term = math.exp(_log_pmf(i, mean))
        total += term
        if term <= total * 1e-17:
            break
        i += step
    return min(total, 1.0)


def poisson_upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), mean > 0."""
    if k <= 0:
        return 1.0
    if k > mean:
        return _sum_from(k, mean, +1)
    return max(0.0, 1.0 - _sum_from(k - 1, mean, -1))


def poisson_lower_tail(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), mean > 0."""
    if k < 0:
        return 0.0
    if k < mean:
        return _sum_from(k, mean, -1)
    return max(0.0, 1.0 - _sum_from(k + 1, mean, +1))
