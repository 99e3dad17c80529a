"""Demo comments: rows of the project's labelled corpus under fresh ids, spread over eight weeks.

The local stack (`alumusic dev up --demo N`) and the pipeline benchmark use real listener texts,
not invented ones, so what the dashboard shows and what the benchmark measures look like
production traffic. Ids are new on every run, so loading the demo twice adds comments instead of
being ignored as redeliveries.

Each comment carries a `criado_em` within the last DEMO_WEEKS weeks, so charts and digests have
history from the first run, with stories to find in it:
- volume grows a little week on week, with a daily rhythm of São Paulo's clock (quiet before
  dawn, a lunch bump, an evening peak) and busier weekends;
- criticism of ads (CRÍTICA tagged `feat_anuncio`) rises sharply over the last weeks;
- suggestions of collaborations (SUGESTÃO tagged `feat_colaboracao`) grow steadily;
- spam bots post mostly at night.
The same seed and `now` give the same comments and times.
"""

from __future__ import annotations

import csv
import random
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from shared.timezone import DEFAULT_PRODUCT_TIMEZONE

CORPUS_DIR: Final = Path(__file__).resolve().parent / "classifier" / "corpus"
DEMO_WEEKS: Final = 8
DEFAULT_SEED: Final = 20261130
RISING_CRITICISM: Final = ("CRÍTICA", "feat_anuncio")
GROWING_SUGGESTION: Final = ("SUGESTÃO", "feat_colaboracao")
# Relative volume per hour of the local clock, 00h to 23h.
HOURLY_RHYTHM: Final = (
    3, 2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 8, 10, 10, 8, 7, 7, 8, 10, 12, 14, 14, 11, 6,
)  # fmt: skip
# Monday to Sunday.
WEEKDAY_RHYTHM: Final = (1.0, 0.95, 0.95, 1.0, 1.15, 1.35, 1.3)
WEEKLY_GROWTH: Final = 0.06
NIGHT_HOURS: Final = frozenset({0, 1, 2, 3, 4, 5})


@dataclass(frozen=True, slots=True)
class CorpusRow:
    texto: str
    categoria: str
    idioma: str


@lru_cache(maxsize=4)
def load_corpus(corpus_dir: Path = CORPUS_DIR) -> tuple[CorpusRow, ...]:
    """Every labelled row of the corpus CSVs (header texto,categoria,idioma) in `corpus_dir`."""
    rows: list[CorpusRow] = []
    for path in sorted(corpus_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                texto = (record.get("texto") or "").strip()
                if texto:
                    rows.append(
                        CorpusRow(
                            texto=texto,
                            categoria=(record.get("categoria") or "").strip(),
                            idioma=(record.get("idioma") or "").strip(),
                        )
                    )
    if not rows:
        raise RuntimeError(f"no labelled comments found in {corpus_dir}/*.csv")
    return tuple(rows)


def run_prefix(kind: str = "demo") -> str:
    """A prefix no earlier run used, e.g. `demo-3f9a1c2e`."""
    return f"{kind}-{secrets.token_hex(4)}"


@dataclass(frozen=True, slots=True)
class _Pools:
    """Corpus texts to draw from: all of them, and those that tell each story."""

    everything: tuple[str, ...]
    rising_criticism: tuple[str, ...]
    growing_suggestion: tuple[str, ...]
    spam: tuple[str, ...]


@lru_cache(maxsize=4)
def _pools(corpus_dir: Path) -> _Pools:
    from shared.classifier.tags import extract_tags

    rows = load_corpus(corpus_dir)
    tags = extract_tags([row.texto for row in rows])

    def labelled(categoria: str, tag: str | None = None) -> tuple[str, ...]:
        return tuple(
            row.texto
            for row, found in zip(rows, tags, strict=True)
            if row.categoria == categoria and (tag is None or tag in found)
        )

    everything = tuple(row.texto for row in rows)
    # A corpus without the story's rows (another corpus_dir) still yields comments.
    return _Pools(
        everything=everything,
        rising_criticism=labelled(*RISING_CRITICISM) or everything,
        growing_suggestion=labelled(*GROWING_SUGGESTION) or everything,
        spam=labelled("SPAM") or everything,
    )


def _hour_starts(now: datetime, zone: tzinfo, weeks: int) -> tuple[list[datetime], list[float]]:
    """Every local hour of the window that started before `now`, and its relative volume."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=7 * weeks - 1)
    starts: list[datetime] = []
    weights: list[float] = []
    for offset in range(7 * weeks):
        day: date = first + timedelta(days=offset)
        growth = 1.0 + WEEKLY_GROWTH * offset / 7
        for hour in range(24):
            start = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
            if start >= now:
                break
            starts.append(start)
            weights.append(growth * WEEKDAY_RHYTHM[day.weekday()] * HOURLY_RHYTHM[hour])
    return starts, weights


def _pick_text(rng: random.Random, pools: _Pools, position: float, local_hour: int) -> str:
    """A text for a comment written at `position` (0: start of the window, 1: now)."""
    draw = rng.random()
    criticism = 0.005 + 0.12 * position**3
    suggestion = 0.01 + 0.05 * position
    spam_at_night = 0.2 if local_hour in NIGHT_HOURS else 0.0
    chosen: Sequence[str] = pools.everything
    if draw < criticism:
        chosen = pools.rising_criticism
    elif draw < criticism + suggestion:
        chosen = pools.growing_suggestion
    elif draw < criticism + suggestion + spam_at_night:
        chosen = pools.spam
    return chosen[rng.randrange(len(chosen))]


def demo_comments(
    count: int,
    *,
    prefix: str | None = None,
    seed: int | None = None,
    corpus_dir: Path = CORPUS_DIR,
    now: datetime | None = None,
    weeks: int = DEMO_WEEKS,
    zone: tzinfo | None = None,
) -> list[dict[str, str]]:
    """`count` comments `{id, texto, criado_em}` from the corpus, ids `<prefix>-<n>`."""
    return list(
        iter_demo_comments(
            count,
            prefix=prefix,
            seed=seed,
            corpus_dir=corpus_dir,
            now=now,
            weeks=weeks,
            zone=zone,
        )
    )


def demo_id_width(count: int) -> int:
    """Digits of the number in the ids of a run of `count` demo comments (at least six)."""
    return max(6, len(str(count)))


def demo_comment_id(prefix: str, number: int, width: int) -> str:
    """The id of demo comment `number` of a run: `{prefix}-{number}`, zero-padded to `width`."""
    return f"{prefix}-{number:0{width}d}"


def iter_demo_comments(
    count: int,
    *,
    prefix: str | None = None,
    seed: int | None = None,
    corpus_dir: Path = CORPUS_DIR,
    now: datetime | None = None,
    weeks: int = DEMO_WEEKS,
    zone: tzinfo | None = None,
) -> Iterator[dict[str, str]]:
    """The comments one by one, in id order (their times are not in order, as in real traffic).

    `seed` (default DEFAULT_SEED) and `now` (default: the current time) fix texts and times;
    `zone` (default America/Sao_Paulo) is whose clock the daily rhythm follows.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    pools = _pools(corpus_dir)
    prefix = prefix or run_prefix()
    rng = random.Random(DEFAULT_SEED if seed is None else seed)
    zone = zone or ZoneInfo(DEFAULT_PRODUCT_TIMEZONE)
    end = (now or datetime.now(UTC)).astimezone(UTC)
    starts, weights = _hour_starts(end, zone, weeks)
    window_start = starts[0]
    window = (end - window_start).total_seconds()
    cumulative = list(_accumulate(weights))
    width = demo_id_width(count)
    for number in range(count):
        [hour_start] = rng.choices(starts, cum_weights=cumulative)
        # Never after `now`, even in the current hour.
        room = min(3600.0, (end - hour_start).total_seconds())
        instant = hour_start + timedelta(microseconds=int(rng.random() * room * 1e6))
        position = (instant - window_start).total_seconds() / window
        texto = _pick_text(rng, pools, position, hour_start.astimezone(zone).hour)
        yield {
            "id": demo_comment_id(prefix, number, width),
            "texto": texto,
            "criado_em": instant.isoformat(),
        }


def _accumulate(values: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total
