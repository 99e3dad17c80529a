"""The charts' and the digest's counts as they were computed before the rollups: straight from the
rows of `comments`. The reference the rollups must equal, number for number.

Only the counting parts differ from the product's statements (`shared.charts.queries`,
`shared.digest.stats`); how counts become charts and digest figures is the product's own.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa

from shared.charts.queries import build_statement
from shared.digest.stats import WeekCounts
from shared.models import comments
from shared.timezone import sql_hour_start


def _instant(name: str) -> Any:
    return sa.bindparam(name, type_=sa.DateTime(timezone=True))


def _hourly_counts() -> Any:
    week_rows = (
        sa.select(
            sql_hour_start(comments.c.created_at, _instant("week_start")).label("instante"),
            comments.c.categoria_final.label("categoria"),
            sa.cast(comments.c.confianca, sa.Double()).label("confianca"),
        )
        .where(
            comments.c.created_at >= _instant("week_start"),
            comments.c.created_at <= _instant("as_of"),
        )
        .subquery("week_rows")
    )
    return (
        sa.select(
            week_rows.c.instante,
            week_rows.c.categoria,
            sa.func.count().label("n"),
            sa.func.sum(week_rows.c.confianca).label("soma_confianca"),
        )
        .group_by(week_rows.c.instante, week_rows.c.categoria)
        .subquery("hourly_groups")
    )


def _tag_counts() -> Any:
    tag_rows = (
        sa.select(sa.func.unnest(comments.c.tags_final).label("tag"))
        .where(
            comments.c.created_at > _instant("tags_since"),
            comments.c.created_at <= _instant("as_of"),
        )
        .subquery("tag_rows")
    )
    return (
        sa.select(tag_rows.c.tag, sa.func.count().label("frequencia"))
        .group_by(tag_rows.c.tag)
        .subquery("tag_counts")
    )


CHARTS_FROM_ROWS: Final = build_statement(_hourly_counts(), _tag_counts())

DIGEST_FROM_ROWS: Final = WeekCounts(
    categories="""
        SELECT categoria_final AS categoria,
               count(*) FILTER (WHERE created_at >= :start) AS n1,
               count(*) FILTER (WHERE created_at < :start) AS n0
        FROM comments
        WHERE created_at >= :previous_start AND created_at < :end
        GROUP BY categoria_final""",
    tags="""
        SELECT tag,
               count(*) FILTER (WHERE created_at >= :start) AS n1,
               count(*) FILTER (WHERE created_at < :start) AS n0
        FROM comments CROSS JOIN LATERAL unnest(tags_final) AS tag
        WHERE categoria_final = :categoria
          AND created_at >= :previous_start AND created_at < :end
          AND tag ~ :pattern
        GROUP BY tag""",
    spikes="""
        SELECT tag,
               count(*) FILTER (WHERE created_at >= :start) AS n1,
               count(*) FILTER (WHERE created_at < :start) AS n4
        FROM comments CROSS JOIN LATERAL unnest(tags_final) AS tag
        WHERE created_at >= :four_weeks_start AND created_at < :end
          AND categoria_final <> 'SPAM'
        GROUP BY tag""",
    history="""
        SELECT count(*) AS n FROM comments
        WHERE created_at >= :four_weeks_start AND created_at < :start""",
    review="""
        SELECT count(*) FILTER (WHERE needs_review AND corrected_at IS NULL) AS precisa_revisao,
               count(*) FILTER (WHERE corrected_at IS NOT NULL) AS correcoes_humanas
        FROM comments
        WHERE created_at >= :start AND created_at < :end""",
)
