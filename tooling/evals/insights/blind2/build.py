"""The second blind scenario: `python -m tooling.evals.insights.blind2.build` rewrites digests.json.

Twelve closed ISO weeks, 2026-W30 (20/07) to 2026-W41 (11/10), "today" 2026-10-14, a Wednesday of
W42, which has no digest yet. Every count is written by hand in the tables below so each movement is
designed (see README.md); the stats are derived as the digest's SQL derives them, with the first
blind set's arithmetic (shares rounded half up, the same two-proportion test), and the text is the
product's own template writer's. Four warm-up weeks (W26-W29) exist only so every "previous week"
and "four weeks before" figure of W30 is real.

As in the first blind set, recurring criticisms take every tag of a CRÍTICA comment, so complaints
about ads, prices and the catalogue (`feat_*` tags) are listed with the bugs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from shared.classifier import CATEGORIES
from shared.digest.contract import (
    CategoryStats,
    OpenQuestion,
    Sample,
    TagSpike,
    TagTheme,
    WeekStats,
    read_stats,
)
from shared.digest.writer import write_template
from shared.timezone import IsoWeek
from tooling.evals.insights.blind.build import (
    ALPHA,
    SPIKE_MIN_COUNT,
    SPIKE_MIN_FACTOR,
    TIMEZONE,
    TOP_TAGS,
    _half_up,
    _p_value,
    _share,
)

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-10-14"
FIRST: Final = IsoWeek(2026, 30)
WEEKS: Final = 12
WARMUP: Final = 4  # W26..W29: only for the previous-week and four-week figures

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), W29..W41; W29 is warm-up.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2026-W29": (380, 300, 160, 150, 70),
    "2026-W30": (384, 296, 162, 152, 70),
    "2026-W31": (378, 304, 158, 154, 68),  # nothing moves: the insignificant week
    "2026-W32": (360, 430, 160, 150, 70),  # login outage: CRÍTICA jumps (significant)
    "2026-W33": (372, 330, 156, 168, 66),  # CRÍTICA falls back
    "2026-W34": (350, 240, 130, 150, 60),  # the quietest week; ELOGIO count down, share up
    "2026-W35": (420, 265, 150, 170, 62),  # the album is out: praise starts rising
    "2026-W36": (500, 270, 270, 140, 60),  # one-week burst of tour-date suggestions
    "2026-W37": (530, 268, 165, 118, 62),
    "2026-W38": (566, 262, 160, 102, 60),
    "2026-W39": (612, 282, 164, 82, 60),  # praise at its highest share
    "2026-W40": (530, 345, 160, 75, 62),  # ads complaints: CRÍTICA up, praise down
    "2026-W41": (498, 372, 158, 70, 58),
}

# Mentions per tag inside CRÍTICA comments, W26..W41 (first four values: warm-up W26..W29).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # catalogue: songs gone from the catalogue, the every-week complaint, 10 to 13 mentions
    "feat_catalogo": (11, 12, 10, 11, 12, 11, 13, 10, 12, 11, 13, 12, 10, 12, 11, 13),
    # login: background noise, an early spike in W32 (an outage) and its tail in W33
    "fix_login": (4, 3, 4, 3, 4, 3, 95, 30, 4, 3, 4, 3, 4, 3, 4, 3),
    # ads: a new ad format from W38, rising week after week
    "feat_anuncio": (3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 4, 9, 17, 38, 54),
    # price: steady, sometimes listed, never a spike
    "feat_preco": (6, 5, 7, 6, 5, 7, 6, 5, 7, 6, 5, 6, 7, 5, 6, 7),
    "perf_lentidao": (8, 7, 9, 8, 9, 8, 7, 9, 8, 7, 9, 8, 7, 8, 9, 8),
    "fix_audio": (7, 8, 7, 9, 7, 4, 8, 7, 9, 4, 7, 9, 8, 4, 7, 8),
    "perf_dados": (6, 7, 6, 7, 8, 6, 7, 8, 6, 8, 7, 6, 8, 7, 6, 7),
    "ui_tema": (5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6),
}

# Mentions per tag inside SUGESTÃO comments, W26..W41.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # acoustic versions: asked for every week, 8 to 10 mentions
    "feat_acustico": (9, 8, 9, 10, 9, 8, 10, 9, 8, 9, 10, 8, 9, 10, 8, 9),
    # tour dates: 110 mentions in W36, the week a tour was announced, almost nothing around it
    "feat_turne": (1, 0, 2, 1, 0, 1, 2, 1, 0, 2, 110, 3, 1, 0, 2, 1),
    # translated lyrics: rise over W33..W36, fall over W37..W39
    "feat_traducao": (3, 4, 3, 4, 3, 4, 3, 6, 10, 15, 19, 12, 7, 4, 3, 4),
    "feat_hifi": (7, 6, 7, 8, 6, 7, 3, 7, 6, 7, 8, 3, 6, 7, 3, 6),
    "feat_busca": (6, 7, 6, 5, 7, 6, 5, 7, 6, 5, 7, 6, 7, 6, 5, 7),
    "feat_widget": (5, 6, 5, 7, 5, 6, 7, 5, 7, 6, 5, 7, 5, 6, 7, 5),
    "feat_timer": (6, 5, 6, 5, 6, 7, 5, 6, 5, 7, 6, 5, 6, 5, 6, 6),
}

# What listeners wrote, per tag; a week shows up to three, rotating through the list.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_catalogo": (
        "sumiu aquela faixa bônus do catálogo, cadê?",
        "half of my old playlist is greyed out now",
        "tiraram o primeiro disco do catálogo, absurdo",
        "why is the 2019 EP no longer available?",
    ),
    "fix_login": (
        "não consigo logar desde a manhã de segunda",
        "login screen just spins forever",
        "pede a senha toda hora e não aceita",
        "can't sign in with my Google account anymore",
    ),
    "feat_anuncio": (
        "agora tem anúncio em vídeo no meio da faixa?",
        "the new video ads are unbearable",
        "três propagandas seguidas antes de tocar o single",
        "ads now interrupt the album halfway, please stop",
    ),
    "feat_preco": (
        "o plano premium tá caro pra quem é estudante",
        "family plan costs too much here",
        "queria um plano mais barato só de áudio",
    ),
    "perf_lentidao": (
        "o app ficou lento depois da última versão",
        "everything is sluggish on my old phone",
    ),
    "fix_audio": (
        "o som estala no começo da faixa",
        "audio cuts out for a second on every track",
    ),
    "perf_dados": (
        "gasta muito dado móvel no 4G",
        "it ate my whole data plan in two days",
    ),
    "ui_tema": (
        "o modo escuro deixa a letra ilegível",
        "dark mode colours are off",
    ),
    "feat_acustico": (
        "faz uma versão acústica dessa, por favor",
        "an acoustic version of this would be perfect",
        "sonho com um álbum acústico completo",
    ),
    "feat_turne": (
        "passa em Recife na turnê, por favor!",
        "when are the tour dates for Europe?",
        "coloca uma data extra em São Paulo",
        "please add a show in Lisbon to the tour",
    ),
    "feat_traducao": (
        "queria a tradução das letras em inglês",
        "please add Portuguese lyric translations",
        "tradução da letra ajudaria muito os fãs de fora",
    ),
    "feat_hifi": (
        "cadê a qualidade sem perdas?",
        "lossless audio please",
    ),
    "feat_busca": (
        "a busca não acha a música pelo trecho da letra",
        "search should find songs by lyrics",
    ),
    "feat_widget": (
        "queria um widget na tela inicial",
        "a home screen widget would be great",
    ),
    "feat_timer": (
        "falta um timer pra dormir ouvindo",
        "a sleep timer please",
    ),
}

# Open questions: about the album's release before it came out (W35), about the tour after.
ALBUM_QUESTIONS: Final = (
    "que dia sai o álbum novo?",
    "what time does the album drop?",
    "o álbum vai ter faixa bônus?",
    "will there be a deluxe edition?",
)
TOUR_QUESTIONS: Final = (
    "quando abre a venda de ingressos?",
    "how much are the tour tickets?",
    "vai ter meia-entrada na turnê?",
    "is there a presale for fan club members?",
    "a turnê passa por Portugal?",
)


def all_weeks() -> list[IsoWeek]:
    """W26..W41: the warm-up weeks first, then the twelve covered weeks."""
    return [FIRST.shifted(k - WARMUP) for k in range(WARMUP + WEEKS)]


def _categories(week: str, previous: str) -> list[CategoryStats]:
    now, before = CATEGORY_COUNTS[week], CATEGORY_COUNTS[previous]
    t1, t0 = sum(now), sum(before)
    out: list[CategoryStats] = []
    for name, n1, n0 in zip(CATEGORIES, now, before, strict=True):
        p1, p0 = _share(n1, t1), _share(n0, t0)
        p = _p_value(n1, t1, n0, t0)
        out.append(
            {
                "categoria": name,
                "total": n1,
                "percentual": p1,
                "total_anterior": n0,
                "percentual_anterior": p0,
                "variacao_pontos": _half_up(Decimal(str(p1)) - Decimal(str(p0))),
                "variacao_percentual": _half_up(Decimal((n1 - n0) * 100) / n0) if n0 else None,
                "p_valor": p,
                "significativa": p is not None and p < ALPHA,
            }
        )
    return out


def _samples(tag: str, index: int, next_id: list[int]) -> list[Sample]:
    pool = EXAMPLES[tag]
    chosen = [pool[(index + k) % len(pool)] for k in range(min(3, len(pool)))]
    samples: list[Sample] = []
    for text in chosen:
        next_id[0] += 11
        samples.append({"id": f"c-{next_id[0]}", "texto": text})
    return samples


def _themes(counts: dict[str, tuple[int, ...]], index: int, next_id: list[int]) -> list[TagTheme]:
    """The top tags of week `index` (into all_weeks()), as the digest's SQL ranks them."""
    present = [tag for tag in counts if counts[tag][index] > 0]
    ranked = sorted(present, key=lambda tag: (-counts[tag][index], tag))[:TOP_TAGS]
    return [
        {
            "tag": tag,
            "total": counts[tag][index],
            "total_anterior": counts[tag][index - 1],
            "variacao": counts[tag][index] - counts[tag][index - 1],
            "exemplos": _samples(tag, index, next_id),
        }
        for tag in ranked
    ]


def _spikes(index: int) -> list[TagSpike]:
    counts = {**CRITICISM_COUNTS, **SUGGESTION_COUNTS}
    found: list[tuple[float, str, TagSpike]] = []
    for tag, series in counts.items():
        n1, n4 = series[index], sum(series[index - 4 : index])
        if n1 >= SPIKE_MIN_COUNT and n1 >= SPIKE_MIN_FACTOR * n4 / 4:
            spike: TagSpike = {
                "tag": tag,
                "total": n1,
                "media_4_semanas": _half_up(Decimal(n4) / 4, "0.01"),
                "fator": _half_up(Decimal(n1) / (Decimal(n4) / 4)) if n4 else None,
            }
            found.append((-(n1 - n4 / 4), tag, spike))
    return [spike for _, _, spike in sorted(found, key=lambda item: item[:2])][:TOP_TAGS]


def _questions(index: int, next_id: list[int]) -> list[OpenQuestion]:
    week = all_weeks()[index]
    pool = TOUR_QUESTIONS if week >= IsoWeek(2026, 36) else ALBUM_QUESTIONS
    out: list[OpenQuestion] = []
    for k in range(3 if pool is TOUR_QUESTIONS else 2):
        next_id[0] += 3
        out.append(
            {
                "id": f"c-{next_id[0]}",
                "texto": pool[(index + k) % len(pool)],
                "confianca": round(0.96 - 0.05 * k - 0.01 * (index % 4), 2),
            }
        )
    return out


def build() -> list[dict[str, Any]]:
    weeks = all_weeks()
    next_id = [70000]
    digests: list[dict[str, Any]] = []
    for index in range(WARMUP, WARMUP + WEEKS):
        week, previous = weeks[index], weeks[index - 1]
        label = str(week)
        stats: WeekStats = {
            "semana": label,
            "inicio": week.monday.isoformat(),
            "fim": week.sunday.isoformat(),
            "semana_anterior": str(previous),
            "timezone": TIMEZONE,
            "total": sum(CATEGORY_COUNTS[label]),
            "total_anterior": sum(CATEGORY_COUNTS[str(previous)]),
            "categorias": _categories(label, str(previous)),
            "criticas_recorrentes": _themes(CRITICISM_COUNTS, index, next_id),
            "sugestoes_relevantes": _themes(SUGGESTION_COUNTS, index, next_id),
            "tags_em_alta": _spikes(index),
            "duvidas_abertas": _questions(index, next_id),
            "revisao": {
                "precisa_revisao": 9 + (index * 5) % 19,
                "correcoes_humanas": 2 + (index * 3) % 7,
            },
        }
        digests.append(
            {
                "semana": label,
                "inicio": stats["inicio"],
                "fim": stats["fim"],
                "stats": read_stats(stats),
                "texto": write_template(stats),
            }
        )
    return digests


def main() -> None:
    text = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    DIGESTS_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
