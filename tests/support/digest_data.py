"""Realistic classified comments spread over ISO weeks, written straight to the comments table.

`seed_week` stores `counts[categoria]` comments created inside one ISO week of the product's zone,
with tags drawn from `tags[categoria]` (tag -> share of that category's comments), texts written
like listeners write them, confidences around 0.9, and some flagged for review or corrected.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from shared import rollups
from shared.timezone import IsoWeek

TEXTS: dict[str, list[str]] = {
    "fix_volume": [
        "o volume dessa faixa tá bem mais baixo que as outras do álbum",
        "toda vez que muda de música o volume dá um pulo, muito chato",
        "volume oscilando no meio da música, parece bug",
        "the volume keeps jumping between tracks, please fix it",
        "a mixagem até é boa mas o volume fica desigual entre as faixas",
    ],
    "perf_carregamento": [
        "demora demais pra carregar a faixa no 4g",
        "o app fica carregando infinito antes de tocar",
        "loading takes forever since the last update",
        "cada música leva uns segundos pra começar, antes era instantâneo",
        "carregamento lento demais na playlist grande",
    ],
    "fix_travamento": [
        "o player trava quando pulo a música",
        "app travou três vezes hoje no meio do refrão",
        "keeps freezing when I open the lyrics",
        "trava tudo quando tento mudar de faixa rápido",
    ],
    "ui_layout": [
        "o novo layout escondeu o botão de repetir",
        "a tela do player ficou confusa depois da atualização",
        "the new layout is cluttered and hard to read",
    ],
    "feat_letra": [
        "podiam colocar a letra da música no app",
        "please add lyrics to this song",
        "queria muito ver a letra enquanto escuto",
        "seria ótimo ter a letra completa aqui",
    ],
    "feat_clipe": [
        "essa música merece um clipe animado",
        "que tal lançar um clipe com a banda tocando ao vivo?",
        "would love a music video for this one",
    ],
    "feat_aovivo": [
        "lança uma versão ao vivo dessa, por favor",
        "podiam gravar essa no show e lançar",
        "a live version would be amazing",
    ],
}

PLAIN: dict[str, list[str]] = {
    "ELOGIO": [
        "que música linda, tô ouvindo sem parar",
        "essa produção ficou impecável",
        "on repeat all week, what a chorus",
        "me lembrou minha adolescência, perfeita",
        "a voz dela nessa faixa é de arrepiar",
        "melhor lançamento do ano fácil",
    ],
    "CRÍTICA": [
        "achei essa bem fraca comparada ao álbum anterior",
        "a batida é repetitiva demais",
        "boring, sounds like every other song",
    ],
    "SUGESTÃO": ["podiam fazer um remix dessa", "seria legal uma versão acústica"],
    "DÚVIDA": [
        "alguém sabe em qual álbum está essa música?",
        "vai ter turnê no Brasil esse ano?",
        "quem produziu essa faixa?",
        "which album is this from?",
        "essa música vai entrar no spotify também?",
    ],
    "SPAM": [
        "sigam meu canal, sorteio de fone toda semana",
        "ganhe seguidores grátis em www.seguidores-gratis.com",
        "first!!!",
        "me chama no zap +55 11 98765-4321 pra parceria",
    ],
}


_COLUMNS = (
    "id text, texto text, categoria text, tags_funcionalidades text[], confianca real, "
    "needs_review boolean, model_name text, model_version text, source text, "
    "created_at timestamptz, categoria_corrigida text, corrected_by text, corrected_at timestamptz"
)
# The rows and their rollups in one statement, as the store writes them.
_INSERT_JSON = sa.text(
    "WITH changed AS ("
    "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, needs_review, "
    "model_name, model_version, source, created_at, categoria_corrigida, corrected_by, "
    "corrected_at) SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(" + _COLUMNS + ") "
    f"RETURNING {rollups.CONTRIBUTION}, 1 AS weight), {rollups.ADD_CHANGED} "
    f"SELECT {rollups.WRITTEN}"
)


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def local_instant(day: Any, timezone: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(timezone))


def seed_week(
    engine: sa.Engine,
    week: IsoWeek,
    counts: Mapping[str, int],
    *,
    tags: Mapping[str, Mapping[str, float]] | None = None,
    timezone: str = "America/Sao_Paulo",
    seed: int = 7,
    prefix: str | None = None,
    review_share: float = 0.05,
    corrected_share: float = 0.02,
) -> int:
    """Store the comments of one week; returns how many."""
    rng = random.Random(f"{seed}:{week}")
    rows: list[dict[str, Any]] = []
    label = prefix or f"w{week.year}{week.week:02d}"
    serial = 0
    for categoria, count in counts.items():
        mix = (tags or {}).get(categoria, {})
        for _ in range(count):
            serial += 1
            chosen = [tag for tag, share in mix.items() if rng.random() < share][:2]
            parts = [rng.choice(TEXTS[tag]) for tag in chosen if tag in TEXTS]
            texto = " e ".join(parts) if parts else rng.choice(PLAIN[categoria])
            day = week.monday + timedelta(days=rng.randrange(7))
            created = local_instant(day, timezone, rng.randrange(24), rng.randrange(60))
            confianca = round(rng.uniform(0.55, 0.99), 3)
            corrected = rng.random() < corrected_share
            rows.append(
                {
                    "id": f"{label}-{serial}",
                    "texto": texto,
                    "categoria": categoria,
                    "tags_funcionalidades": chosen,
                    "confianca": confianca,
                    "needs_review": confianca < 0.6 or rng.random() < review_share,
                    "model_name": "seeded",
                    "model_version": "1",
                    "source": "ingest",
                    "created_at": created,
                    "categoria_corrigida": categoria if corrected else None,
                    "corrected_by": "ana" if corrected else None,
                    "corrected_at": created + timedelta(days=1) if corrected else None,
                }
            )
    return insert_comments(engine, rows)


def insert_comments(engine: sa.Engine, rows: list[dict[str, Any]]) -> int:
    """Store comment rows (the columns of `comments` seed_week fills) with their rollups."""
    # One statement with one JSON parameter: executemany would send the rows one by one.
    with engine.begin() as conn:
        conn.execute(_INSERT_JSON, {"rows": json.dumps(rows, default=_iso)})
    return len(rows)


STEADY_TAGS: dict[str, dict[str, float]] = {
    "CRÍTICA": {
        "fix_volume": 0.3,
        "perf_carregamento": 0.15,
        "fix_travamento": 0.1,
        "ui_layout": 0.05,
    },
    "SUGESTÃO": {"feat_letra": 0.4, "feat_clipe": 0.2, "feat_aovivo": 0.1},
}

SPIKE_TAGS: dict[str, dict[str, float]] = {
    "CRÍTICA": {
        "fix_volume": 0.35,
        "perf_carregamento": 0.45,
        "fix_travamento": 0.1,
        "ui_layout": 0.08,
    },
    "SUGESTÃO": {"feat_letra": 0.45, "feat_clipe": 0.2, "feat_aovivo": 0.12},
}


def seed_history(engine: sa.Engine, week: IsoWeek, *, timezone: str = "America/Sao_Paulo") -> None:
    """Five ordinary weeks before `week`, then `week` itself with more criticism and a loading spike."""
    for offset in range(5, 0, -1):
        seed_week(
            engine,
            week.shifted(-offset),
            {"ELOGIO": 420, "CRÍTICA": 160, "SUGESTÃO": 110, "DÚVIDA": 70, "SPAM": 40},
            tags=STEADY_TAGS,
            timezone=timezone,
            seed=offset,
        )
    seed_week(
        engine,
        week,
        {"ELOGIO": 380, "CRÍTICA": 230, "SUGESTÃO": 120, "DÚVIDA": 75, "SPAM": 35},
        tags=SPIKE_TAGS,
        timezone=timezone,
    )
