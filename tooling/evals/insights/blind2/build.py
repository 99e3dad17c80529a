"""The second blind scenario: `python -m tooling.evals.insights.blind2.build` rewrites digests.json.

Twelve closed ISO weeks, 2026-W30 (20/07) to 2026-W41 (11/10), "today" 2026-10-14, a Wednesday of
W42, which has no digest yet. Every count is written by hand in the tables below so each movement is
designed (see README.md); the stats and the text are derived from them as for the first blind set
(`tooling.evals.insights.designed`: the digest's SQL arithmetic, the product's template writer).
Four warm-up weeks (W26-W29) exist only so every "previous week" and "four weeks before" figure of
W30 is real.

As in the first blind set, recurring criticisms take every tag of a CRÍTICA comment, so complaints
about ads, prices and the catalogue (`feat_*` tags) are listed with the bugs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-10-14"
FIRST: Final = IsoWeek(2026, 30)
WEEKS: Final = 12

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


SCENARIO: Final = Scenario(
    first=FIRST,
    weeks=WEEKS,
    categories=CATEGORY_COUNTS,
    criticisms=CRITICISM_COUNTS,
    suggestions=SUGGESTION_COUNTS,
    examples=EXAMPLES,
    early_questions=ALBUM_QUESTIONS,
    late_questions=TOUR_QUESTIONS,
    late_from=IsoWeek(2026, 36),
    first_id=70000,
)


def all_weeks() -> list[IsoWeek]:
    """W26..W41: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
