"""The third blind scenario: `python -m tooling.evals.insights.blind3.build` rewrites digests.json.

Twelve closed ISO weeks across a year boundary, 2025-W44 (27/10/2025) to 2026-W03 (18/01/2026),
"today" 2026-01-21, a Wednesday of 2026-W04, which has no digest yet. Every count is written by hand
in the tables below so each movement is designed (see README.md); the stats and the text are
derived from them as for the other blind sets (`tooling.evals.insights.designed`: the digest's SQL
arithmetic, the product's template writer). Four warm-up weeks (2025-W40..W43) exist only so every
"previous week" and "four weeks before" figure of W44 is real.

Recurring criticisms take every tag of a CRÍTICA comment, so complaints about prices, ads and the
catalogue (`feat_*` tags) are listed with the bugs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-01-21"
FIRST: Final = IsoWeek(2025, 44)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2025-W43..2026-W03; W43 is
# warm-up.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2025-W43": (400, 280, 170, 120, 50),
    "2025-W44": (404, 276, 172, 118, 52),
    "2025-W45": (398, 282, 168, 122, 50),  # nothing moves: the insignificant week
    "2025-W46": (380, 390, 170, 120, 50),  # payment outage: CRÍTICA jumps (significant)
    "2025-W47": (392, 310, 168, 124, 48),  # CRÍTICA falls back
    "2025-W48": (420, 300, 175, 130, 55),
    "2025-W49": (430, 320, 300, 125, 55),  # one-week burst of year-in-review requests
    "2025-W50": (410, 345, 180, 128, 52),  # new prices announced: CRÍTICA rises for weeks
    "2025-W51": (380, 368, 170, 130, 50),
    "2025-W52": (300, 330, 120, 95, 40),  # Christmas: the fewest; CRÍTICA count down, share up
    "2026-W01": (440, 340, 175, 125, 50),  # New Year: praise count up, CRÍTICA share down
    "2026-W02": (470, 300, 172, 140, 48),
    "2026-W03": (500, 275, 170, 150, 50),
}

# Mentions per tag inside CRÍTICA comments, 2025-W40..2026-W03 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # crashes: the every-week complaint, 10 to 13 mentions
    "fix_travamento": (11, 12, 10, 13, 12, 11, 13, 10, 12, 11, 13, 12, 10, 12, 11, 13),
    # payment: background noise, an early spike in W46 (an outage) and its tail in W47
    "fix_pagamento": (3, 4, 3, 4, 3, 4, 82, 26, 4, 3, 4, 3, 2, 3, 4, 3),
    # prices: new prices announced in December, rising W49..W52, falling W01..W03
    "feat_preco": (5, 6, 5, 6, 3, 6, 5, 6, 7, 12, 20, 31, 44, 25, 14, 7),
    # catalogue: albums removed in January, rising week after week to the latest
    "feat_catalogo": (3, 2, 3, 2, 3, 2, 3, 4, 3, 2, 3, 4, 3, 9, 16, 27),
    # ads: small and steady, sometimes listed, never a spike
    "feat_anuncio": (4, 3, 4, 3, 4, 5, 4, 3, 7, 6, 5, 4, 3, 5, 4, 6),
    "perf_bateria": (7, 8, 7, 8, 7, 8, 6, 8, 7, 3, 7, 6, 8, 7, 3, 7),
    "perf_carregamento": (6, 7, 6, 5, 7, 6, 7, 5, 6, 7, 6, 5, 3, 7, 6, 5),
    "ui_layout": (5, 6, 5, 6, 5, 6, 5, 6, 5, 4, 5, 6, 5, 6, 5, 6),
}

# Mentions per tag inside SUGESTÃO comments, 2025-W40..2026-W03.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # lyrics on screen: asked for every week, 9 to 11 mentions
    "feat_letra": (10, 9, 11, 10, 10, 9, 11, 10, 9, 11, 10, 9, 10, 11, 9, 10),
    # year in review: 120 mentions in W49, the week other services published theirs
    "feat_retrospectiva": (1, 0, 1, 2, 1, 0, 2, 1, 3, 120, 4, 1, 0, 2, 1, 0),
    "feat_playlist": (7, 6, 7, 8, 6, 7, 3, 7, 6, 7, 5, 3, 6, 7, 8, 6),
    "feat_equalizador": (6, 7, 6, 5, 7, 6, 5, 7, 6, 5, 7, 6, 5, 6, 7, 5),
    "feat_download": (5, 6, 5, 7, 6, 5, 7, 6, 5, 6, 8, 5, 7, 5, 6, 7),
    "feat_aovivo": (4, 5, 4, 5, 5, 4, 6, 5, 4, 6, 5, 7, 4, 6, 5, 4),
    "feat_clipe": (6, 5, 6, 5, 5, 7, 6, 4, 7, 5, 6, 5, 6, 4, 7, 6),
    "feat_podcast": (5, 4, 5, 6, 4, 5, 5, 6, 5, 4, 6, 5, 5, 7, 5, 6),
}

# What listeners wrote, per tag; a week shows up to three, rotating through the list.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "fix_travamento": (
        "o player trava quando troco de faixa",
        "the app freezes every time I open a playlist",
        "fecha sozinho no meio da música",
        "crashes on launch since the update",
    ),
    "fix_pagamento": (
        "meu cartão foi recusado três vezes",
        "I was charged twice this month",
        "o Pix da assinatura não compensou",
        "payment page keeps throwing an error",
    ),
    "feat_preco": (
        "aumentaram a mensalidade sem avisar",
        "the new price is too steep for a student",
        "R$ 5 a mais por mês não dá",
        "I'll cancel if the family plan goes up again",
    ),
    "feat_catalogo": (
        "tiraram o álbum ao vivo de 2012 do catálogo",
        "the Christmas EP vanished from the catalogue",
        "cadê as faixas do primeiro disco?",
        "half the live album is greyed out now",
    ),
    "feat_anuncio": (
        "anúncio demais entre as faixas",
        "too many ads on the free tier",
    ),
    "perf_bateria": (
        "acaba a bateria em duas horas ouvindo",
        "drains my battery overnight",
    ),
    "perf_carregamento": (
        "demora pra carregar a faixa no 4G",
        "tracks take ages to start",
    ),
    "ui_layout": (
        "o botão de repetir sumiu da tela",
        "the new layout hides the queue",
    ),
    "feat_letra": (
        "mostra a letra enquanto toca, por favor",
        "I want lyrics on screen while the song plays",
        "sem letra fica difícil cantar junto",
    ),
    "feat_retrospectiva": (
        "cadê a retrospectiva do ano da banda?",
        "where is my year in review?",
        "queria saber quantas horas ouvi em 2025",
        "please make a yearly recap like the other apps",
    ),
    "feat_playlist": (
        "deixa eu ordenar a playlist por data",
        "collaborative playlists please",
    ),
    "feat_equalizador": (
        "falta um equalizador decente",
        "a bass boost setting would be nice",
    ),
    "feat_download": (
        "queria baixar o álbum inteiro de uma vez",
        "let me download over mobile data",
    ),
    "feat_aovivo": (
        "lança a gravação do show de Curitiba",
        "release the live set from the festival",
    ),
    "feat_clipe": (
        "faz um clipe pra faixa três",
        "we need a music video for the single",
    ),
    "feat_podcast": (
        "um podcast com os bastidores seria ótimo",
        "a behind-the-scenes podcast please",
    ),
}

# Open questions: about Black Friday before W49, about the new prices and the recap from W49 on.
EARLY_QUESTIONS: Final = (
    "o desconto de Black Friday vale pro plano família?",
    "does the Black Friday deal apply to existing subscribers?",
    "até quando vai a promoção de novembro?",
    "can I gift a subscription for Christmas?",
)
LATE_QUESTIONS: Final = (
    "o preço novo vale pra quem já assina?",
    "when does the new price start?",
    "vai ter retrospectiva em janeiro?",
    "is the student discount still available?",
    "por que o álbum ao vivo saiu do app?",
)


SCENARIO: Final = Scenario(
    first=FIRST,
    weeks=WEEKS,
    categories=CATEGORY_COUNTS,
    criticisms=CRITICISM_COUNTS,
    suggestions=SUGGESTION_COUNTS,
    examples=EXAMPLES,
    early_questions=EARLY_QUESTIONS,
    late_questions=LATE_QUESTIONS,
    late_from=IsoWeek(2025, 49),
    first_id=90000,
)


def all_weeks() -> list[IsoWeek]:
    """2025-W40..2026-W03: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
