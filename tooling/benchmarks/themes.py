"""The weekly themes run: a week of 250,000 comments within 1,000,000 stored.

Fills a database of its own (`alumusic_bench_themes` on the server of DATABASE_URL, kept between
runs and refilled only when its size or generator changes) with comments spread evenly over 28
days (a quarter in each ISO week), written in time order, then times `run_period` of the last full
ISO week (reading the uncovered comments of the week and of the week before, grouping, storing)
and reports its seconds and the process's peak memory. Texts are built from listener phrases: a
few subjects the taxonomy has no tag for, mixed with fillers and endings so most comments of the
week are distinct texts; a fifth of them carry a tag and two in five are praise or spam, as in
the stream.

Run: `alumusic bench themes --comments 1000000`.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.config import get_settings
from tooling.benchmarks.charts import ensure_database
from tooling.progress import progress_bar

BENCH_DATABASE = "alumusic_bench_themes"
BAR_SECONDS = 60.0
DAYS_SPREAD = 28
LOAD_BATCH_ROWS = 200_000
DATA_VERSION = "themes-bench-1"

_SUBJECTS = [
    "esse boato de que a banda vai se separar",
    "o refrão coração de neon",
    "a dancinha do tiktok dessa música",
    "a participação do MC Trovão",
    "essa acusação de plágio",
    "aquela entrevista polêmica do baterista",
    "o autotune na voz",
    "a camisa do time no vídeo",
    "o preço do ingresso da turnê",
    "a versão que vazou antes do lançamento",
    "a mudança de gravadora",
    "o cachorro que aparece na capa",
]
_FILLERS = [
    "",
    "sinceramente",
    "gente",
    "pqp",
    "olha",
    "mano do céu",
    "na boa",
    "juro",
    "de verdade",
    "sério",
    "socorro",
    "aff",
    "nossa",
    "vish",
    "caramba",
    "eita",
    "ai ai",
    "meu deus",
    "bicho",
    "oxe",
]
_ENDINGS = [
    "é verdade?",
    "alguém confirma?",
    "me deixou triste",
    "tá em todo lugar",
    "precisa de resposta oficial",
    "não pode ser",
    "que vergonha",
    "podia ser diferente",
    "ninguém aguenta mais",
    "de onde saiu isso?",
    "tô chocada",
    "queria entender",
    "isso é sério?",
    "cansei disso",
    "vamos falar disso",
    "que absurdo",
]
_NOISE = [
    "que hino",
    "amei demais",
    "a letra é linda",
    "o app trava toda hora",
    "cadê o clipe",
    "ouvindo no repeat",
    "música perfeita",
    "volume baixo demais",
]

# Comment g of N is written at `end - spread + g * spread / N`. Categories: g mod 5 -> ELOGIO,
# CRÍTICA, SUGESTÃO, DÚVIDA, SPAM; a fifth of the rest tagged.
_LOAD_SQL = """
INSERT INTO comments (
    id, texto, categoria, tags_funcionalidades, confianca, needs_review,
    model_name, model_version, source, created_at, classified_at
)
SELECT
    'bench-' || g,
    CASE WHEN mod(g, 5) IN (0, 4)
         THEN (CAST(:noise AS text[]))[1 + mod(g * 7, :nnoise)] || ' ' || mod(g, 1000)
         ELSE (CAST(:subjects AS text[]))[1 + mod(g * 13, :nsubjects)] || ' '
              || (CAST(:fillers AS text[]))[1 + mod(g / 7, :nfillers)] || ' '
              || (CAST(:endings AS text[]))[1 + mod(g / 11, :nendings)]
              || CASE WHEN mod(g, 3) = 0 THEN ' ' || mod(g / 3, 500) ELSE '' END END,
    (ARRAY['ELOGIO', 'CRÍTICA', 'SUGESTÃO', 'DÚVIDA', 'SPAM'])[1 + mod(g, 5)],
    CASE WHEN mod(g, 5) NOT IN (0, 4) AND mod(g / 5, 5) = 0 THEN ARRAY['feat_letra']
         ELSE ARRAY[]::text[] END,
    0.9, false, 'bench', '1', 'ingest', t, t
FROM (
    SELECT g, CAST(:end AS timestamptz) - :spread * interval '1 second'
               + g * (:spread / CAST(:rows AS double precision)) * interval '1 second' AS t
    FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g
) AS s
"""


def fill(engine: sa.Engine, rows: int, end: datetime) -> float:
    """Make the table hold exactly `rows` generated comments; seconds spent loading (0 if kept)."""
    marker = f"{DATA_VERSION}:{rows}:{end.date().isoformat()}"
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT obj_description('comments'::regclass)")).scalar()
    if version == marker:
        return 0.0
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE comments, themes, theme_members, analyst_tags CASCADE"))
    bar = progress_bar(total=rows, unit="rows", desc="loading comments")
    params = {
        "subjects": _SUBJECTS,
        "nsubjects": len(_SUBJECTS),
        "fillers": _FILLERS,
        "nfillers": len(_FILLERS),
        "endings": _ENDINGS,
        "nendings": len(_ENDINGS),
        "noise": _NOISE,
        "nnoise": len(_NOISE),
        "end": end,
        "spread": DAYS_SPREAD * 86400,
        "rows": rows,
    }
    for first in range(1, rows + 1, LOAD_BATCH_ROWS):
        last = min(rows, first + LOAD_BATCH_ROWS - 1)
        with engine.begin() as conn:
            conn.execute(sa.text(_LOAD_SQL), {**params, "first": first, "last": last})
        bar.update(last - first + 1)
    bar.close()
    autocommit = sa.create_engine(engine.url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with autocommit.connect() as conn:
            conn.execute(sa.text("VACUUM ANALYZE comments"))
            conn.execute(sa.text(f"COMMENT ON TABLE comments IS '{marker}'"))
    finally:
        autocommit.dispose()
    return time.perf_counter() - started


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> int:
    import logging

    from shared.db import create_db_engine, upgrade
    from shared.themes.periods import Period
    from shared.themes.service import run_period
    from shared.timezone import IsoWeek

    base = get_settings()
    database_url = args.database_url or make_url(base.database_url).set(
        database=BENCH_DATABASE
    ).render_as_string(hide_password=False)
    ensure_database(database_url)
    upgrade(database_url)
    settings = base.model_copy(update={"database_url": database_url})
    engine = create_db_engine(settings)
    zone = settings.product_zone
    logging.getLogger().setLevel(logging.WARNING)
    try:
        # The data ends at the start of this week: the last closed week is full.
        this_week = IsoWeek.of(datetime.now(UTC), zone)
        end = this_week.start(zone)
        load_seconds = fill(engine, args.comments, end)
        period = Period.of_week(this_week.shifted(-1), zone)
        with engine.connect() as conn:
            in_week = conn.execute(
                sa.text("SELECT count(*) FROM comments WHERE created_at >= :s AND created_at < :e"),
                {"s": period.start, "e": period.end},
            ).scalar_one()
        before_mb = _peak_mb()
        seconds: list[float] = []
        outcome = None
        for _ in range(args.repeats):
            started = time.perf_counter()
            outcome = run_period(engine, period, zone)
            seconds.append(time.perf_counter() - started)
        assert outcome is not None
        median = statistics.median(seconds)
        passed = median <= args.bar_seconds
        print(
            json.dumps(
                {
                    "comments": args.comments,
                    "week": period.key,
                    "comments_in_week": int(in_week),
                    "uncovered_in_week": outcome.comments,
                    "units": outcome.units,
                    "themes": outcome.themes,
                    "load_seconds": round(load_seconds, 1),
                    "run_seconds": round(median, 2),
                    "runs_seconds": [round(s, 2) for s in seconds],
                    "peak_rss_mb_before": round(before_mb, 1),
                    "peak_rss_mb": round(_peak_mb(), 1),
                    "bar_seconds": args.bar_seconds,
                    "passed": passed,
                }
            ),
            flush=True,
        )
        return 0 if passed else 1
    finally:
        engine.dispose()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments stored")
    parser.add_argument("--repeats", type=int, default=3, help="timed weekly runs")
    parser.add_argument("--bar-seconds", type=float, default=BAR_SECONDS)
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"default: database {BENCH_DATABASE} on DATABASE_URL's server",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tooling.benchmarks.themes", description=__doc__
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
