"""The five charts as one SQL statement over the comments' final labels.

The counts come from the rollups (`shared/rollups.py`): per quarter hour and category for the
week, per quarter hour and tag for the 48 hours, plus the rows of the quarter hours the windows
cut through. They are grouped by local hour and category (at most 7 x 24 x 5 rows); the daily,
per-category and hourly charts are all read from that small aggregate, and the tag chart reads
the 48 hours apart. `generate_series` supplies the days and hours without comments, so every
bucket is present. PostgreSQL builds the JSON document itself: each count, percentage and mean
a person reads is computed there.

Windows, for a refresh "as of" instant T in the product time zone:
- days: the local day of T and the six before it (T's day is partial);
- hours: the local hour of T and the 23 before it (T's hour is partial);
- share and mean confidence: the same seven days as the daily chart, so each category's share
  agrees with the sum of its daily counts;
- tags: the 48 hours ending at T.
Comments are counted up to and including T; a comment stamped after T belongs to a later refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from shared import rollups
from shared.classifier import CATEGORIES
from shared.timezone import (
    day_start,
    hour_start,
    local_day,
    sql_hour_start,
    sql_wall_clock,
    wall_clock,
)

DAYS: Final = 7
HOURS: Final = 24
TAG_HOURS: Final = 48
TOP_TAGS: Final = 10
SHARE_DECIMALS: Final = 2
CONFIDENCE_DECIMALS: Final = 4
STATEMENT_TIMEOUT_MS: Final = 30_000
_STEP: Final = timedelta(microseconds=1)


@dataclass(frozen=True)
class Windows:
    """The instants and local labels that bound one refresh."""

    as_of: datetime  # aware, UTC
    zone: ZoneInfo
    first_day: date  # local
    last_day: date  # local, the day of as_of
    week_start: datetime  # aware: local midnight of first_day
    first_hour: datetime  # naive local wall time of the first hourly bucket
    last_hour: datetime  # naive local wall time of as_of's hour
    tags_since: datetime  # aware: as_of - 48 h

    @classmethod
    def ending_at(cls, as_of: datetime, zone: ZoneInfo) -> Windows:
        last_day = local_day(as_of, zone)
        first_day = last_day - timedelta(days=DAYS - 1)
        last_hour = wall_clock(hour_start(as_of, zone), zone)
        return cls(
            as_of=as_of.astimezone(UTC),
            zone=zone,
            first_day=first_day,
            last_day=last_day,
            week_start=day_start(first_day, zone),
            first_hour=last_hour - timedelta(hours=HOURS - 1),
            last_hour=last_hour,
            tags_since=as_of - timedelta(hours=TAG_HOURS),
        )

    def params(self) -> dict[str, Any]:
        # T is counted and the instant 48 hours before it is not: as half-open windows,
        # [week_start, T] ends a microsecond (timestamptz's step) after T.
        after_as_of = self.as_of + _STEP
        return {
            "tz": self.zone.key,
            "as_of": self.as_of,
            "tags_since": self.tags_since,
            "week_start": self.week_start,
            "first_day": datetime.combine(self.first_day, time(0)),
            "last_day": datetime.combine(self.last_day, time(0)),
            "first_hour": self.first_hour,
            "last_hour": self.last_hour,
            **rollups.window_params("week", self.week_start, after_as_of),
            **rollups.window_params("tags", self.tags_since + _STEP, after_as_of),
        }


def _param(name: str, type_: Any) -> Any:
    return sa.bindparam(name, type_=type_)


def _interval(text: str) -> Any:
    return sa.cast(sa.literal(text), postgresql.INTERVAL)


def _series(start: str, stop: str, step: str, column: str, name: str) -> Any:
    return (
        sa.func.generate_series(
            _param(start, sa.DateTime()), _param(stop, sa.DateTime()), _interval(step)
        )
        .table_valued(column)
        .render_derived(name=name)
    )


def _local_iso(column: Any, fmt: str) -> Any:
    return sa.func.to_char(column, fmt)


def hourly_counts() -> Any:
    """The week per local hour and category, from the rollups: a subquery (instante, categoria,
    n, soma_confianca) of at most 7 x 24 x 5 rows."""
    week = (
        sa.text(rollups.category_source("week"))
        .columns(
            sa.column("bucket", sa.DateTime(timezone=True)),
            sa.column("categoria", sa.Text()),
            sa.column("comments", sa.BigInteger()),
            sa.column("confianca_sum", sa.Numeric()),
        )
        .subquery("week")
    )
    # Local hours start on quarter hours, so each bucket lies in one hour.
    return (
        sa.select(
            sql_hour_start(week.c.bucket, _param("week_start", sa.DateTime(timezone=True))).label(
                "instante"
            ),
            week.c.categoria,
            sa.cast(sa.func.sum(week.c.comments), sa.BigInteger).label("n"),
            sa.func.sum(week.c.confianca_sum).label("soma_confianca"),
        )
        .group_by(sa.literal_column("1"), week.c.categoria)
        .subquery("hourly_groups")
    )


def tag_counts() -> Any:
    """The 48 hours' comments per tag, from the rollups: a subquery (tag, frequencia)."""
    tags = (
        sa.text(rollups.tag_source("tags"))
        .columns(sa.column("tag", sa.Text()), sa.column("comments", sa.BigInteger()))
        .subquery("tag_rows")
    )
    return (
        sa.select(
            tags.c.tag, sa.cast(sa.func.sum(tags.c.comments), sa.BigInteger).label("frequencia")
        )
        .group_by(tags.c.tag)
        # A correction can leave a tag at zero in a bucket.
        .having(sa.func.sum(tags.c.comments) > 0)
        .subquery("tag_counts")
    )


def build_statement(hourly_groups: Any, tags: Any) -> sa.Select[Any]:
    """The statement over the counts `hourly_groups` (as `hourly_counts`) and `tags` (as
    `tag_counts`); bind it with `Windows.params()`."""
    tz = _param("tz", sa.Text())
    buckets = sa.select(
        sql_wall_clock(hourly_groups.c.instante, tz).label("hora"),
        hourly_groups.c.categoria,
        hourly_groups.c.n,
        hourly_groups.c.soma_confianca,
    ).cte("buckets")
    categories = (
        sa.values(
            sa.column("categoria", sa.Text()), sa.column("ordem", sa.Integer()), name="categories"
        )
        .data([(category, position) for position, category in enumerate(CATEGORIES)])
        .cte("categories")
    )

    # 1 and 4: share and mean confidence per category, every category present.
    per_category = (
        sa.select(
            categories.c.categoria,
            categories.c.ordem,
            sa.func.coalesce(sa.func.sum(buckets.c.n), 0).label("n"),
            sa.func.sum(buckets.c.soma_confianca).label("soma_confianca"),
        )
        .select_from(categories.outerjoin(buckets, buckets.c.categoria == categories.c.categoria))
        .group_by(categories.c.categoria, categories.c.ordem)
        .cte("per_category")
    )
    total = sa.func.sum(per_category.c.n).over()
    share_rows = sa.select(
        per_category.c.categoria,
        per_category.c.ordem,
        sa.func.coalesce(
            sa.func.round(
                sa.cast(per_category.c.n, sa.Numeric) * 100 / sa.func.nullif(total, 0),
                SHARE_DECIMALS,
            ),
            0,
        ).label("pct"),
        sa.func.round(
            sa.cast(
                per_category.c.soma_confianca / sa.func.nullif(per_category.c.n, 0), sa.Numeric
            ),
            CONFIDENCE_DECIMALS,
        ).label("media"),
    ).subquery("share_rows")
    # json_object_agg takes two arguments, which aggregate_order_by cannot order: written out.
    distribution = sa.select(
        sa.text("json_object_agg(share_rows.categoria, share_rows.pct ORDER BY share_rows.ordem)")
    ).select_from(share_rows)
    confidence = sa.select(
        sa.text("json_object_agg(share_rows.categoria, share_rows.media ORDER BY share_rows.ordem)")
    ).select_from(share_rows)

    # 2: per day and category, every day present.
    days = _series("first_day", "last_day", "1 day", "dia", "days")
    per_day_columns = [
        sa.cast(
            sa.func.coalesce(sa.func.sum(buckets.c.n).filter(buckets.c.categoria == category), 0),
            sa.BigInteger,
        ).label(f"c{position}")
        for position, category in enumerate(CATEGORIES)
    ]
    per_day = (
        sa.select(days.c.dia, *per_day_columns)
        .select_from(
            days.outerjoin(buckets, sa.func.date_trunc("day", buckets.c.hora) == days.c.dia)
        )
        .group_by(days.c.dia)
        .subquery("per_day")
    )
    day_object = sa.func.json_build_object(
        "data",
        _local_iso(per_day.c.dia, "YYYY-MM-DD"),
        *[
            item
            for position, category in enumerate(CATEGORIES)
            for item in (sa.literal(category), per_day.c[f"c{position}"])
        ],
    )
    evolution = sa.select(_ordered_json_agg(day_object, per_day.c.dia)).select_from(per_day)

    # 5: per hour, every hour present.
    hours = _series("first_hour", "last_hour", "1 hour", "hora", "hours")
    per_hour = (
        sa.select(
            hours.c.hora,
            sa.cast(sa.func.coalesce(sa.func.sum(buckets.c.n), 0), sa.BigInteger).label("n"),
        )
        .select_from(hours.outerjoin(buckets, buckets.c.hora == hours.c.hora))
        .group_by(hours.c.hora)
        .subquery("per_hour")
    )
    hourly = sa.select(
        _ordered_json_agg(
            sa.func.json_build_object(
                "hora",
                _local_iso(per_hour.c.hora, 'YYYY-MM-DD"T"HH24:MI:SS'),
                "quantidade",
                per_hour.c.n,
            ),
            per_hour.c.hora,
        )
    ).select_from(per_hour)

    # 3: the ten most frequent tags of the last 48 hours (ties by name).
    top = (
        sa.select(tags.c.tag, tags.c.frequencia)
        .order_by(tags.c.frequencia.desc(), tags.c.tag)
        .limit(TOP_TAGS)
        .subquery("top_tags")
    )
    top_tags = sa.select(
        sa.func.coalesce(
            sa.func.json_agg(
                aggregate_order_by(
                    sa.func.json_build_object("tag", top.c.tag, "frequencia", top.c.frequencia),
                    top.c.frequencia.desc(),
                    top.c.tag,
                )
            ),
            sa.text("'[]'::json"),
        )
    ).select_from(top)

    return sa.select(
        sa.func.json_build_object(
            "distribuicao_categorias",
            distribution.scalar_subquery(),
            "evolucao_temporal",
            evolution.scalar_subquery(),
            "top_tags_48h",
            top_tags.scalar_subquery(),
            "confianca_media_por_categoria",
            confidence.scalar_subquery(),
            "comentarios_por_hora",
            hourly.scalar_subquery(),
        )
    )


def _ordered_json_agg(element: Any, order_by: Any) -> Any:
    return sa.func.json_agg(aggregate_order_by(element, order_by))


STATEMENT: Final = build_statement(hourly_counts(), tag_counts())


def compute_reports(
    conn: Connection, windows: Windows, statement: sa.Select[Any] = STATEMENT
) -> dict[str, Any]:
    """The five charts in the earlier system's shape (`relatorios`), read in one statement."""
    # The planner cannot know the hourly aggregate is tiny, so its cost can cross jit_above_cost
    # and PostgreSQL compiles the plan: 100-200 ms of JIT for a query of tens of ms. Off for this
    # transaction only.
    conn.execute(sa.text("SET LOCAL jit = off"))
    # A few thousand rollup rows and minutes of comments: parallel workers cost more to start
    # and coordinate than they save, and on a busy server they queue behind other work.
    conn.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    # A refresh stuck behind an overloaded server fails (and is redelivered) well before the
    # push's ack deadline, instead of piling up behind the next minute's tick.
    conn.execute(sa.text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
    document = conn.execute(statement, windows.params()).scalar_one()
    if isinstance(document, str):  # a driver that does not decode json
        import json

        document = json.loads(document)
    reports: dict[str, Any] = dict(document)
    # Local wall-clock labels gain their UTC offset (it changes across a DST switch).
    for point in reports["comentarios_por_hora"]:
        point["hora"] = (
            datetime.fromisoformat(point["hora"]).replace(tzinfo=windows.zone).isoformat()
        )
    return reports
