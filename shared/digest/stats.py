"""The numbers of a weekly digest, all computed by PostgreSQL.

One closed ISO week of PRODUCT_TIMEZONE against the week before: comments per category (count,
share, change in points and percent, and a two-proportion z-test so noise is not reported as news),
the recurring criticisms (every tag of a CRÍTICA comment, whatever its scope), the relevant
suggestions, tags that spiked against the four weeks before,
open questions, and the review counts. Comments are bucketed by `comments.created_at`; labels are
the final ones (a human correction wins). The shape is `shared.digest.contract.WeekStats`.

Every count comes from the rollups (`shared/rollups.py`), so a week costs the same whatever its
volume; only the comments shown (theme samples, open questions) are read from `comments`.

Python only picks which comments illustrate a theme (near-duplicates out, personal data masked);
every number comes out of SQL as it is stored and shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from functools import cache
from typing import Any, Final, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared import rollups
from shared.classifier import CATEGORIES
from shared.digest.contract import CategoryStats, OpenQuestion, TagSpike, TagTheme, WeekStats
from shared.digest.samples import pick_samples
from shared.themes.service import largest_new_theme
from shared.timezone import IsoWeek, zone_named

TOP_TAGS: Final = 5
SAMPLES_PER_THEME: Final = 3
CANDIDATES_PER_THEME: Final = 25
STATS_WORK_MEM: Final = "64MB"
OPEN_QUESTIONS: Final = 3
SPIKE_MIN_COUNT: Final = 5
SPIKE_MIN_FACTOR: Final = 2
ALPHA: Final = 0.05
# Every tag of a CRÍTICA comment is a criticism: complaints about ads or price are tagged
# feat_anuncio / feat_preco, and a listener counts them as complaints like any crash.
CRITICISM_TAG_PATTERN: Final = r"."


@dataclass(frozen=True)
class WeekBounds:
    """Instants (aware) where weeks start in the product's zone: the four weeks before this one,
    the previous week, this week, and the end of this week."""

    four_weeks_start: datetime
    previous_start: datetime
    start: datetime
    end: datetime

    @classmethod
    def of(cls, week: IsoWeek, zone: tzinfo) -> WeekBounds:
        start, end = week.bounds(zone)
        return cls(
            four_weeks_start=week.shifted(-4).start(zone),
            previous_start=week.shifted(-1).start(zone),
            start=start,
            end=end,
        )


@dataclass(frozen=True)
class WeekCounts:
    """The counting parts of the digest's statements: SQL over the parameters `_compute` binds
    (the bounds of `WeekBounds` and the rollup windows `week`, `previous` and `history`)."""

    categories: str  # categoria, n1 (this week), n0 (the week before)
    tags: str  # tag, n1, n0: the tags of :categoria that match :pattern
    spikes: str  # tag, n1, n4 (the four weeks before this one), SPAM left out
    history: str  # n: comments in the four weeks before this one
    review: str  # precisa_revisao, correcoes_humanas: this week


def _by_window(source: Callable[[str], str], *windows: str) -> str:
    """SQL: the rows of `source` over each of `windows`, each labelled with its name (`janela`)."""
    return " UNION ALL ".join(
        f"SELECT '{window}' AS janela, s.* FROM ({source(window)}) AS s" for window in windows
    )


def _sum_in(window: str) -> str:
    return f"CAST(coalesce(sum(comments) FILTER (WHERE janela = '{window}'), 0) AS bigint)"


ROLLUP_COUNTS: Final = WeekCounts(
    categories=f"""
        SELECT categoria, {_sum_in("week")} AS n1, {_sum_in("previous")} AS n0
        FROM ({_by_window(rollups.category_source, "week", "previous")}) AS counted
        GROUP BY categoria""",
    tags=f"""
        SELECT tag, {_sum_in("week")} AS n1, {_sum_in("previous")} AS n0
        FROM ({_by_window(rollups.tag_source, "week", "previous")}) AS counted
        WHERE categoria = :categoria AND tag ~ :pattern
        GROUP BY tag""",
    spikes=f"""
        SELECT tag, {_sum_in("week")} AS n1, {_sum_in("history")} AS n4
        FROM ({_by_window(rollups.tag_source, "week", "history")}) AS counted
        WHERE categoria <> 'SPAM'
        GROUP BY tag""",
    history=f"""
        SELECT coalesce(sum(comments), 0) AS n FROM ({rollups.category_source("history")}) AS h""",
    review=f"""
        SELECT coalesce(sum(awaiting_review), 0) AS precisa_revisao,
               coalesce(sum(corrected), 0) AS correcoes_humanas
        FROM ({rollups.category_source("week")}) AS week""",
)

_CATEGORIES_SQL = """
    WITH counts AS ({counts}),
    joined AS (
        SELECT c.categoria, c.ord,
               coalesce(n.n1, 0) AS n1, coalesce(n.n0, 0) AS n0,
               sum(coalesce(n.n1, 0)) OVER () AS t1, sum(coalesce(n.n0, 0)) OVER () AS t0
        FROM unnest(CAST(:categories AS text[])) WITH ORDINALITY AS c (categoria, ord)
        LEFT JOIN counts AS n USING (categoria)
    ),
    shares AS (
        SELECT *,
               CASE WHEN t1 > 0 THEN round(100.0 * n1 / t1, 1) ELSE 0.0 END AS p1,
               CASE WHEN t0 > 0 THEN round(100.0 * n0 / t0, 1) ELSE 0.0 END AS p0,
               -- two-proportion z statistic with the pooled share; undefined without both weeks
               CASE WHEN t1 > 0 AND t0 > 0 AND n1 + n0 > 0 AND n1 + n0 < t1 + t0 THEN
                   (n1::float8 / t1 - n0::float8 / t0)
                   / sqrt(((n1 + n0)::float8 / (t1 + t0)) * (1 - (n1 + n0)::float8 / (t1 + t0))
                          * (1.0 / t1 + 1.0 / t0))
               END AS z
        FROM joined
    ),
    tested AS (
        -- two-sided p = erfc(|z| / sqrt 2), Abramowitz-Stegun 7.1.26 (error < 1.5e-7);
        -- |z| is capped so exp() cannot underflow (p is 0.0000 long before that)
        -- (least() skips NULLs, so a missing z is kept NULL explicitly)
        SELECT *, 1.0 / (1.0 + 0.3275911 * x) AS t
        FROM shares,
             LATERAL (SELECT CASE WHEN z IS NOT NULL THEN least(abs(z) / sqrt(2.0), 26.0) END
                      AS x) AS capped
    ),
    valued AS (
        SELECT *,
               round((t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                     + t * (-1.453152027 + t * 1.061405429)))) * exp(-x * x))::numeric, 4)
                   AS p_valor
        FROM tested
    )
    SELECT categoria, n1 AS total, n0 AS total_anterior, t1, t0,
           p1 AS percentual, p0 AS percentual_anterior, p1 - p0 AS variacao_pontos,
           CASE WHEN n0 > 0 THEN round((n1 - n0) * 100.0 / n0, 1) END AS variacao_percentual,
           p_valor, coalesce(p_valor < :alpha, false) AS significativa
    FROM valued
    ORDER BY ord
    """

_TAGS_SQL = """
    SELECT tag, n1 AS total, n0 AS total_anterior, n1 - n0 AS variacao
    FROM ({counts}) AS counts
    WHERE n1 > 0
    ORDER BY total DESC, tag
    LIMIT :top
    """

_TAG_CANDIDATES_SQL = sa.text(
    """
    SELECT tag, id, texto FROM (
        SELECT tag, id, texto,
               row_number() OVER (
                   PARTITION BY tag
                   -- a human-confirmed label first, then the model's most confident answers
                   ORDER BY (corrected_at IS NOT NULL) DESC, confianca DESC, id
               ) AS rank
        FROM comments CROSS JOIN LATERAL unnest(tags_final) AS tag
        WHERE categoria_final = :categoria AND created_at >= :start AND created_at < :end
          AND tag = ANY(CAST(:tags AS text[]))
    ) AS ranked
    WHERE rank <= :per_tag
    ORDER BY tag, rank
    """
)

_SPIKES_SQL = """
    WITH counts AS ({counts}), history AS ({history})
    SELECT tag, n1 AS total, round(n4 / 4.0, 2) AS media_4_semanas,
           CASE WHEN n4 > 0 THEN round(n1 / (n4 / 4.0), 1) END AS fator
    FROM counts, history
    WHERE history.n > 0 AND n1 >= :min_count AND n1 >= :min_factor * n4 / 4.0
    ORDER BY n1 - n4 / 4.0 DESC, tag
    LIMIT :top
    """

_QUESTIONS_SQL = sa.text(
    """
    SELECT id, texto, round(confianca::numeric, 2) AS confianca
    FROM comments
    WHERE categoria_final = 'DÚVIDA' AND created_at >= :start AND created_at < :end
      AND strpos(texto, '?') > 0
    ORDER BY (corrected_at IS NOT NULL) DESC, confianca DESC, id
    LIMIT :limit
    """
)


@dataclass(frozen=True)
class _Statements:
    categories: sa.TextClause
    tags: sa.TextClause
    spikes: sa.TextClause
    review: sa.TextClause

    @classmethod
    @cache
    def of(cls, counts: WeekCounts) -> _Statements:
        return cls(
            categories=sa.text(_CATEGORIES_SQL.format(counts=counts.categories)),
            tags=sa.text(_TAGS_SQL.format(counts=counts.tags)),
            spikes=sa.text(_SPIKES_SQL.format(counts=counts.spikes, history=counts.history)),
            review=sa.text(counts.review),
        )


def _number(value: Any) -> Any:
    """SQL numerics as JSON numbers: integers stay integers, decimals become floats."""
    if isinstance(value, Decimal):
        exact_integer = value.as_tuple().exponent == 0
        return int(value) if exact_integer else float(value)
    return value


def compute_stats(
    engine: Engine, week: IsoWeek, timezone: str, counts: WeekCounts = ROLLUP_COUNTS
) -> WeekStats:
    """The stats of `week` (see the module docstring), in one repeatable-read snapshot."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # Ranking a week's comments per theme for the sample comments sorts about 110,000
            # rows at 10,000,000 comments: with the default 4MB that sort spilled to disk and
            # the query took 1.15-1.3 s, in memory 0.69-0.71 s. Once a week, this transaction only.
            conn.execute(sa.text(f"SET LOCAL work_mem = '{STATS_WORK_MEM}'"))
            return _compute(conn, week, timezone, _Statements.of(counts))


def _compute(conn: Connection, week: IsoWeek, timezone: str, sql: _Statements) -> WeekStats:
    bounds = WeekBounds.of(week, zone_named(timezone))
    window = {
        **asdict(bounds),
        **rollups.window_params("week", bounds.start, bounds.end),
        **rollups.window_params("previous", bounds.previous_start, bounds.start),
        **rollups.window_params("history", bounds.four_weeks_start, bounds.start),
    }
    rows = (
        conn.execute(sql.categories, {**window, "categories": list(CATEGORIES), "alpha": ALPHA})
        .mappings()
        .all()
    )
    total = int(rows[0]["t1"]) if rows else 0
    total_anterior = int(rows[0]["t0"]) if rows else 0
    categorias = [
        cast(CategoryStats, {key: _number(row[key]) for key in CategoryStats.__annotations__})
        for row in rows
    ]
    shown: list[str] = []
    criticas = _tag_theme(conn, sql, window, "CRÍTICA", CRITICISM_TAG_PATTERN, shown)
    sugestoes = _tag_theme(conn, sql, window, "SUGESTÃO", ".", shown)
    spikes = [
        cast(TagSpike, {key: _number(value) for key, value in row.items()})
        for row in conn.execute(
            sql.spikes,
            {
                **window,
                "min_count": SPIKE_MIN_COUNT,
                "min_factor": SPIKE_MIN_FACTOR,
                "top": TOP_TAGS,
            },
        ).mappings()
    ]
    question_rows = (
        conn.execute(_QUESTIONS_SQL, {**window, "limit": CANDIDATES_PER_THEME}).mappings().all()
    )
    confidence = {row["id"]: _number(row["confianca"]) for row in question_rows}
    questions: list[OpenQuestion] = [
        {**sample, "confianca": confidence[sample["id"]]}
        for sample in pick_samples(
            ((row["id"], row["texto"]) for row in question_rows),
            limit=OPEN_QUESTIONS,
            exclude=shown,
        )
    ]
    review = conn.execute(sql.review, window).mappings().one()
    previous = week.shifted(-1)
    new_theme = largest_new_theme(conn, week)
    stats: WeekStats = {
        "semana": str(week),
        "inicio": week.monday.isoformat(),
        "fim": week.sunday.isoformat(),
        "semana_anterior": str(previous),
        "timezone": timezone,
        "total": total,
        "total_anterior": total_anterior,
        "categorias": categorias,
        "criticas_recorrentes": criticas,
        "sugestoes_relevantes": sugestoes,
        "tags_em_alta": spikes,
        "duvidas_abertas": questions,
        "revisao": {
            "precisa_revisao": int(review["precisa_revisao"]),
            "correcoes_humanas": int(review["correcoes_humanas"]),
        },
    }
    if new_theme is not None:
        stats["tema_novo"] = new_theme
    return stats


def _tag_theme(
    conn: Connection,
    sql: _Statements,
    window: dict[str, Any],
    categoria: str,
    pattern: str,
    shown: list[str],
) -> list[TagTheme]:
    tags = (
        conn.execute(
            sql.tags, {**window, "categoria": categoria, "pattern": pattern, "top": TOP_TAGS}
        )
        .mappings()
        .all()
    )
    if not tags:
        return []
    candidates: dict[str, list[tuple[str, str]]] = {}
    for row in conn.execute(
        _TAG_CANDIDATES_SQL,
        {
            **window,
            "categoria": categoria,
            "tags": [row["tag"] for row in tags],
            "per_tag": CANDIDATES_PER_THEME,
        },
    ).mappings():
        candidates.setdefault(row["tag"], []).append((row["id"], row["texto"]))
    theme: list[TagTheme] = []
    for row in tags:
        exemplos = pick_samples(
            candidates.get(row["tag"], []), limit=SAMPLES_PER_THEME, exclude=shown
        )
        shown.extend(sample["texto"] for sample in exemplos)
        theme.append(
            {
                "tag": row["tag"],
                "total": int(row["total"]),
                "total_anterior": int(row["total_anterior"]),
                "variacao": int(row["variacao"]),
                "exemplos": exemplos,
            }
        )
    return theme
