"""The fifth blind scenario: `python -m tooling.evals.insights.blind5.build` rewrites digests.json.

Twelve closed ISO weeks, 2025-W27 (30/06/2025) to 2025-W38 (21/09/2025), "today" 2025-09-24, a
Wednesday of 2025-W39, which has no digest yet. Every count is written by hand in the tables below
so each movement is designed (see README.md); the stats and the text are derived from them as for
the other blind sets (`tooling.evals.insights.designed`: the digest's SQL arithmetic, the
product's template writer). Four warm-up weeks (2025-W23..W26) exist only so every "previous week"
and "four weeks before" figure of W27 is real.

The story: listeners complain about the recommendations every week; the winter festival's live
stream (W29) breaks up with audio glitches; the band's festival set is released on video and the
week after it (W31) brings a one-week burst of requests for music videos; a half-price plan
promotion (W33) lifts praise; synced lyrics launch in W35, battery drain complaints come back after
weeks of quiet, requests for track credits rise to the latest week and questions pile up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2025-09-24"
FIRST: Final = IsoWeek(2025, 27)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2025-W26..W38; W26 is warm-up.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2025-W26": (380, 240, 160, 100, 40),
    "2025-W27": (384, 236, 162, 102, 41),  # nothing moves
    "2025-W28": (390, 242, 158, 98, 43),  # nothing moves
    "2025-W29": (372, 330, 160, 104, 42),  # festival stream breaks up: CRÍTICA jumps
    "2025-W30": (396, 250, 164, 100, 40),  # CRÍTICA's biggest fall, count and share
    "2025-W31": (410, 244, 290, 108, 44),  # music-video burst: the most comments
    "2025-W32": (352, 214, 150, 96, 38),  # the fewest comments, the biggest total fall
    "2025-W33": (430, 230, 156, 112, 42),  # half-price promotion: ELOGIO's highest share
    "2025-W34": (425, 228, 158, 118, 41),  # ELOGIO starts falling, DÚVIDA rising
    "2025-W35": (410, 246, 160, 132, 42),  # synced lyrics launch: battery complaints are back
    "2025-W36": (398, 238, 170, 148, 40),
    "2025-W37": (385, 232, 176, 166, 43),
    "2025-W38": (372, 226, 182, 185, 41),
}

# Mentions per tag inside CRÍTICA comments, 2025-W23..W38 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # recommendations: the every-week complaint, 9 to 12 mentions, not a bug
    "feat_recomendacao": (10, 11, 9, 12, 10, 11, 12, 9, 11, 10, 12, 11, 9, 12, 10, 11),
    # audio glitches: background noise, an early spike in W29 (the festival stream), tail in W30
    "fix_audio": (3, 2, 4, 3, 2, 3, 74, 22, 3, 2, 3, 4, 2, 3, 2, 3),
    # battery drain: listed W27-W28, quiet W29-W34, back from W35 (synced lyrics)
    "perf_bateria": (7, 8, 7, 8, 8, 9, 2, 1, 2, 1, 2, 2, 16, 11, 9, 8),
    "perf_carregamento": (6, 5, 6, 7, 5, 7, 6, 5, 6, 7, 2, 6, 4, 6, 5, 7),
    "ui_layout": (5, 6, 5, 4, 6, 5, 4, 6, 5, 4, 6, 5, 6, 5, 7, 4),
    "feat_autoplay": (4, 5, 4, 5, 5, 4, 5, 3, 7, 5, 4, 6, 5, 4, 6, 5),
    "sec_privacidade": (3, 4, 3, 4, 4, 3, 3, 4, 3, 4, 3, 4, 3, 4, 3, 4),
}

# Mentions per tag inside SUGESTÃO comments, 2025-W23..W38.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # desktop app: asked for every week, 6 to 8 mentions
    "feat_desktop": (7, 6, 8, 7, 7, 8, 6, 7, 8, 7, 6, 7, 8, 6, 7, 8),
    # music videos: 88 mentions in W31, the week after the festival set came out on video
    "feat_clipe": (1, 2, 0, 1, 2, 1, 3, 2, 88, 2, 1, 0, 2, 1, 2, 1),
    # track credits: rising from W35 (synced lyrics) to the latest week
    "feat_creditos": (2, 3, 2, 2, 3, 2, 3, 2, 3, 2, 3, 2, 6, 11, 17, 26),
    "feat_tv": (5, 6, 5, 4, 6, 5, 4, 6, 5, 7, 5, 6, 3, 5, 6, 4),
    "feat_carro": (4, 5, 6, 5, 5, 4, 6, 5, 6, 4, 5, 3, 6, 4, 5, 6),
    "feat_biblioteca": (6, 4, 5, 6, 4, 6, 5, 4, 6, 5, 4, 6, 5, 6, 4, 5),
    "feat_repeticao": (3, 4, 3, 4, 4, 3, 5, 4, 3, 4, 6, 5, 4, 3, 5, 4),
    "api_smartwatch": (4, 3, 4, 3, 3, 4, 3, 5, 4, 3, 4, 5, 4, 5, 3, 4),
}

# What listeners wrote, per tag; a week shows up to three, rotating through the list.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_recomendacao": (
        "as recomendações só me mostram as mesmas cinco músicas",
        "the recommended mix keeps pushing songs I skipped",
        "o app insiste em recomendar sertanejo pra mim",
        "recommendations ignore everything I actually like",
    ),
    "fix_audio": (
        "a transmissão do festival ficou sem som no meio do show",
        "the festival stream audio kept cutting out during the encore",
        "o áudio da live chiava e atrasava da imagem",
        "sound dropped every few minutes on the live stream",
    ),
    "perf_bateria": (
        "com a letra sincronizada aberta a bateria derrete",
        "battery drains fast since the lyrics screen came out",
        "o celular esquenta e a bateria some em uma hora",
        "my phone dies after one album with lyrics on",
    ),
    "perf_carregamento": (
        "a faixa demora pra começar a tocar",
        "songs take ages to load on 4G",
    ),
    "ui_layout": (
        "o botão de curtir ficou escondido",
        "the new home screen layout is cluttered",
    ),
    "feat_autoplay": (
        "o autoplay começa outra banda quando o disco acaba",
        "autoplay keeps starting random stuff after the album",
    ),
    "sec_privacidade": (
        "não quero que vejam o que eu escuto",
        "why does the app need my contacts?",
    ),
    "feat_desktop": (
        "falta um app de computador decente",
        "please make a proper desktop app for Windows",
        "queria ouvir no notebook sem abrir o navegador",
    ),
    "feat_clipe": (
        "soltem o clipe do show do festival inteiro",
        "we need a music video for the festival version of the single",
        "queria os clipes antigos remasterizados no app",
        "more music videos please, the festival set was amazing",
    ),
    "feat_creditos": (
        "mostra quem tocou cada instrumento na faixa",
        "show the songwriter credits next to the lyrics",
        "queria saber quem produziu cada música",
        "track credits would go great with the synced lyrics",
    ),
    "feat_tv": (
        "um app pra smart TV ajudaria",
        "a TV app for the living room please",
    ),
    "feat_carro": (
        "o modo carro precisa de botões maiores",
        "better Android Auto support",
    ),
    "feat_biblioteca": (
        "deixa eu organizar a biblioteca por ano",
        "let me sort my library by date added",
    ),
    "feat_repeticao": (
        "um botão de repetir uma faixa só",
        "repeat one song is hard to find",
    ),
    "api_smartwatch": (
        "controlar pelo relógio seria ótimo",
        "a smartwatch app to skip tracks",
    ),
}

# Open questions: about the festival before W33, about the promotion and the lyrics from W33 on.
EARLY_QUESTIONS: Final = (
    "o show do festival vai ficar gravado no app?",
    "will the festival stream be available again?",
    "quando sai o vídeo do show de inverno?",
    "is the festival set coming out as a live album?",
)
LATE_QUESTIONS: Final = (
    "até quando vale o plano pela metade do preço?",
    "does the half-price plan renew at full price?",
    "a letra sincronizada funciona offline?",
    "can I turn off synced lyrics to save battery?",
    "vai ter letra traduzida também?",
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
    late_from=IsoWeek(2025, 33),
    first_id=150000,
)


def all_weeks() -> list[IsoWeek]:
    """2025-W23..W38: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
