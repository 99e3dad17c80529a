"""The blind insights scenario: `python -m tooling.evals.insights.blind.build` rewrites digests.json.

Twelve closed ISO weeks, 2026-W37 (07/09) to 2026-W48 (29/11), "today" 2026-12-02 (W49 has no
digest yet). Every count is written by hand in the tables below, so each movement is designed (see
README.md) rather than drawn at random; the stats are then derived exactly as the digest's SQL
derives them (`shared.digest.stats`: shares rounded half up to 1 decimal, the two-proportion test
with the same erfc approximation, top 5 tags per list ordered by count then tag, spikes against the
mean of the four weeks before) and the text is the product's own template writer's
(`shared.digest.writer.write_template`). Four warm-up weeks (W33-W36) exist only so every
"previous week" and "four weeks before" figure of W37 is real.

One deliberate departure from today's SQL: recurring criticisms cover every tag of a CRÍTICA
comment, not only `fix_`/`perf_`/`ui_` ones (issue 21, item 4), so the ads and price complaints are
listed there, as a listener would count them.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
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

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-12-02"
FIRST: Final = IsoWeek(2026, 37)
WEEKS: Final = 12
WARMUP: Final = 4  # W33..W36: only for the previous-week and four-week figures
TIMEZONE: Final = "America/Sao_Paulo"
TOP_TAGS: Final = 5
SPIKE_MIN_COUNT: Final = 5
SPIKE_MIN_FACTOR: Final = 2
ALPHA: Final = 0.05

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), W36..W48; W36 is warm-up.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2026-W36": (430, 250, 150, 110, 60),
    "2026-W37": (436, 255, 153, 114, 62),
    "2026-W38": (431, 258, 150, 112, 61),  # nothing moves: the insignificant week
    "2026-W39": (445, 262, 155, 116, 62),
    "2026-W40": (430, 440, 176, 128, 64),  # crash spike: CRÍTICA jumps (significant)
    "2026-W41": (452, 322, 160, 112, 60),  # CRÍTICA falls back (significant)
    "2026-W42": (450, 265, 160, 126, 60),
    "2026-W43": (425, 262, 158, 150, 60),  # DÚVIDA starts rising, ELOGIO starts falling
    "2026-W44": (398, 258, 160, 172, 59),
    "2026-W45": (381, 262, 318, 214, 57),  # one-week burst of synced-lyrics suggestions
    "2026-W46": (318, 255, 172, 240, 58),
    "2026-W47": (335, 392, 198, 310, 65),  # price complaints; ELOGIO count up, share down
    "2026-W48": (270, 290, 168, 345, 60),
}

# Mentions per tag inside CRÍTICA comments, W33..W48 (first four values: warm-up W33..W36).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # ads: the every-week complaint, 11 to 14 mentions, never a spike
    "feat_anuncio": (12, 11, 13, 12, 13, 12, 11, 14, 12, 13, 12, 11, 13, 12, 14, 12),
    # crashes: background noise, then an early spike in W40 and its tail in W41
    "fix_travamento": (3, 4, 3, 4, 3, 4, 3, 120, 45, 4, 3, 3, 4, 3, 4, 3),
    # price: nearly absent until a price rise (W46-W48), peak in W47
    "feat_preco": (1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 2, 1, 2, 9, 52, 21),
    "perf_carregamento": (8, 9, 8, 9, 9, 8, 10, 7, 8, 9, 7, 8, 6, 8, 7, 6),
    "fix_login": (6, 7, 6, 7, 7, 9, 6, 8, 6, 5, 9, 7, 8, 6, 5, 8),
    "fix_audio": (7, 6, 8, 7, 6, 7, 9, 6, 9, 8, 6, 9, 7, 5, 6, 7),
    "fix_volume": (5, 6, 5, 6, 8, 6, 5, 5, 7, 6, 8, 6, 5, 7, 8, 5),
    "perf_bateria": (5, 5, 6, 5, 5, 7, 5, 6, 5, 7, 5, 5, 9, 5, 6, 9),
    "ui_layout": (4, 5, 4, 5, 6, 5, 7, 4, 5, 4, 5, 7, 6, 5, 4, 5),
}

# Mentions per tag inside SUGESTÃO comments, W33..W48.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # live versions: asked for every week, 6 to 9 mentions
    "feat_aovivo": (7, 8, 6, 9, 7, 8, 6, 9, 7, 8, 6, 7, 9, 8, 6, 7),
    # synced lyrics: 150 mentions in W45 and almost nothing around it
    "feat_sincronia": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 150, 4, 2, 0),
    "feat_letra": (9, 8, 9, 8, 9, 7, 9, 8, 5, 9, 8, 5, 8, 9, 5, 8),
    "feat_playlist": (7, 8, 7, 6, 8, 9, 5, 7, 9, 5, 7, 9, 5, 7, 9, 6),
    "feat_download": (6, 5, 6, 7, 5, 6, 8, 5, 6, 8, 5, 6, 7, 5, 7, 9),
    "feat_equalizador": (5, 6, 5, 5, 6, 5, 7, 6, 8, 5, 7, 6, 5, 8, 5, 6),
    "feat_clipe": (5, 5, 6, 5, 5, 7, 5, 6, 5, 7, 9, 5, 6, 5, 8, 5),
}

# What listeners wrote, per tag; a week shows up to three, rotating through the list.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_anuncio": (
        "muito anúncio entre uma música e outra, cansa",
        "too many ads, I can't even finish a song",
        "propaganda no meio do álbum quebra totalmente o clima",
        "os anúncios estão cada vez mais longos",
        "an ad right before the chorus, seriously?",
    ),
    "fix_travamento": (
        "o app trava toda vez que abro o álbum novo",
        "app keeps crashing when I open the playlist",
        "fecha sozinho no meio da música",
        "travou de novo depois da atualização",
        "crashes every time I skip a track",
    ),
    "feat_preco": (
        "esse reajuste da assinatura veio sem aviso nenhum",
        "reajuste de novo? tá ficando caro demais",
        "the price increase is too much for a student plan",
        "com esse reajuste vou cancelar o plano família",
    ),
    "perf_carregamento": (
        "demora demais pra carregar a faixa",
        "songs take forever to load",
        "fica carregando e não toca nada",
    ),
    "fix_login": (
        "não consigo entrar na minha conta desde ontem",
        "keeps logging me out",
        "o login pelo celular não funciona",
    ),
    "fix_audio": (
        "o áudio picota no refrão",
        "crackling audio on the bridge",
        "som abafado nessa versão",
    ),
    "fix_volume": (
        "o volume dessa faixa é bem mais baixo que as outras",
        "volume jumps between songs",
    ),
    "perf_bateria": (
        "o app come a bateria do celular",
        "battery drains fast while streaming",
    ),
    "ui_layout": (
        "o layout novo ficou confuso",
        "the new home screen is cluttered",
    ),
    "feat_aovivo": (
        "lança a versão ao vivo do show de sábado!",
        "please release the live version of this song",
        "queria muito o álbum ao vivo",
    ),
    "feat_sincronia": (
        "a letra sincronizada sumiu, volta com ela por favor",
        "please bring back synced lyrics",
        "a letra não acompanha a música, tá atrasada",
        "synced lyrics were the best feature, where did they go?",
    ),
    "feat_letra": (
        "podiam colocar a letra dessa música",
        "please add lyrics to this one",
    ),
    "feat_playlist": (
        "queria poder criar pastas de playlist",
        "collaborative playlists please",
    ),
    "feat_download": (
        "deixa baixar o álbum pra ouvir offline",
        "let us download albums for offline",
    ),
    "feat_equalizador": (
        "falta um equalizador no app",
        "add an equalizer please",
    ),
    "feat_clipe": (
        "essa música merece um clipe",
        "this song needs a music video",
    ),
}

# Open questions: about the catalogue early on, about the announced album as DÚVIDA rises.
EARLY_QUESTIONS: Final = (
    "em qual álbum está essa música?",
    "who wrote this song?",
    "essa faixa tem versão instrumental?",
    "is this the remastered version?",
)
ALBUM_QUESTIONS: Final = (
    "quando sai o álbum novo?",
    "when does the new album come out?",
    "a pré-venda do álbum já começou?",
    "o álbum novo vai ter versão em vinil?",
    "will the new album be on all platforms the same day?",
    "vai ter show de lançamento do álbum?",
)


def all_weeks() -> list[IsoWeek]:
    """W33..W48: the warm-up weeks first, then the twelve covered weeks."""
    return [FIRST.shifted(k - WARMUP) for k in range(WARMUP + WEEKS)]


def _half_up(value: Decimal, places: str = "0.1") -> float:
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _share(count: int, total: int) -> float:
    return _half_up(Decimal(100) * count / total) if total else 0.0


def _p_value(n1: int, t1: int, n0: int, t0: int) -> float | None:
    """The digest's two-sided p (Abramowitz-Stegun 7.1.26, as its SQL computes it)."""
    if not (t1 > 0 and t0 > 0 and 0 < n1 + n0 < t1 + t0):
        return None
    pooled = (n1 + n0) / (t1 + t0)
    z = (n1 / t1 - n0 / t0) / math.sqrt(pooled * (1 - pooled) * (1 / t1 + 1 / t0))
    x = min(abs(z) / math.sqrt(2), 26.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = 0.254829592 + t * (
        -0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))
    )
    return _half_up(Decimal(t * poly * math.exp(-x * x)), "0.0001")


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
        next_id[0] += 7
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
            mean = n4 / 4
            spike: TagSpike = {
                "tag": tag,
                "total": n1,
                "media_4_semanas": _half_up(Decimal(n4) / 4, "0.01"),
                "fator": _half_up(Decimal(n1) / (Decimal(n4) / 4)) if n4 else None,
            }
            found.append((-(n1 - mean), tag, spike))
    return [spike for _, _, spike in sorted(found, key=lambda item: item[:2])][:TOP_TAGS]


def _questions(index: int, next_id: list[int]) -> list[OpenQuestion]:
    week = all_weeks()[index]
    pool = ALBUM_QUESTIONS if week >= IsoWeek(2026, 43) else EARLY_QUESTIONS
    out: list[OpenQuestion] = []
    for k in range(3 if pool is ALBUM_QUESTIONS else 2):
        next_id[0] += 5
        out.append(
            {
                "id": f"c-{next_id[0]}",
                "texto": pool[(index + k) % len(pool)],
                "confianca": round(0.97 - 0.04 * k - 0.01 * (index % 3), 2),
            }
        )
    return out


def build() -> list[dict[str, Any]]:
    weeks = all_weeks()
    next_id = [40000]
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
                "precisa_revisao": 12 + (index * 7) % 23,
                "correcoes_humanas": 3 + (index * 5) % 9,
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
