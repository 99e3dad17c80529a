"""The eighth blind scenario: `python -m tooling.evals.insights.blind8.build` rewrites digests.json.

Twelve closed ISO weeks, 2023-W36 (04/09/2023) to 2023-W47 (20/11-26/11/2023), "today" 2023-11-29, a
Wednesday of 2023-W48, which has no digest yet. Every count is written by hand in the tables below
(see README.md); stats and text are derived by `tooling.evals.insights.designed`. Four warm-up
weeks (2023-W32..W35) exist only so every "previous week" and "four weeks before" figure is real.

The story: listeners complain every week that new releases reach the app late (not a bug); a
privacy policy change in W38 brings a wave of privacy complaints, with a tail in W39; the album
comes out in W40 and praise climbs to its highest share in W43, then falls back; a rival service
shuts down and W41 brings a one-week burst of playlist import requests, while a TV app is asked
for every week at low volume; artist collaborations are first asked for in W43 and stay; slowness,
listed in early September, is gone for five weeks and comes back with the 5.0 update (W44); W46,
the week of the 15 November holiday, is the quietest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2023-11-29"
FIRST: Final = IsoWeek(2023, 36)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2023-W35..2023-W47.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2023-W35": (320, 210, 160, 100, 40),
    "2023-W36": (318, 212, 162, 98, 41),  # nothing moves
    "2023-W37": (322, 208, 158, 102, 39),  # nothing moves
    "2023-W38": (300, 300, 160, 110, 40),  # privacy policy change: CRÍTICA jumps
    "2023-W39": (310, 240, 155, 105, 38),  # the tail
    "2023-W40": (380, 200, 160, 100, 40),  # the album is out: ELOGIO up
    "2023-W41": (400, 195, 260, 105, 40),  # playlist import burst; ELOGIO count up, share down
    "2023-W42": (450, 190, 160, 100, 40),  # ELOGIO share climbs...
    "2023-W43": (470, 185, 158, 98, 39),  # ...to its peak
    "2023-W44": (420, 240, 160, 102, 40),  # the 5.0 update: slowness back, ELOGIO share falls
    "2023-W45": (380, 260, 155, 100, 41),
    "2023-W46": (300, 206, 122, 79, 32),  # the holiday week: the fewest comments, nothing moves
    "2023-W47": (360, 215, 150, 95, 38),
}

# Mentions per tag inside CRÍTICA comments, 2023-W32..2023-W47 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # new releases arrive late: the every-week complaint, 11 to 14 mentions, not a bug
    "feat_lancamento": (12, 11, 13, 12, 13, 12, 11, 14, 12, 13, 12, 11, 13, 12, 14, 12),
    # privacy: an early spike in W38 (the policy change), tail in W39
    "sec_privacidade": (2, 3, 2, 3, 3, 2, 72, 21, 3, 2, 3, 2, 3, 2, 3, 2),
    # slowness: listed W36-W38, gone W39-W43, back with the 5.0 update (W44)
    "perf_lentidao": (7, 8, 8, 7, 8, 9, 8, 1, 0, 1, 2, 1, 19, 14, 10, 11),
    "fix_bug": (6, 5, 7, 6, 6, 7, 5, 6, 7, 5, 6, 7, 6, 5, 7, 6),
    "ui_tema": (5, 4, 5, 5, 5, 4, 5, 5, 4, 5, 4, 5, 5, 4, 5, 5),
    "feat_hifi": (4, 4, 5, 4, 4, 5, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4),
    "api_smartwatch": (3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3),
}

# Mentions per tag inside SUGESTÃO comments, 2023-W32..2023-W47.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # TV app: asked for every week, 6 to 8 mentions
    "feat_tv": (7, 6, 7, 8, 7, 6, 8, 7, 7, 6, 7, 8, 6, 7, 7, 6),
    # playlist import: 88 mentions in W41, the week a rival service shut down
    "api_importacao": (1, 0, 1, 1, 1, 2, 1, 0, 1, 88, 2, 1, 1, 2, 1, 1),
    # artist collaborations: first asked for in W43, after the duet was announced
    "feat_colaboracao": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 9, 8, 6, 7),
    "feat_cover": (5, 6, 5, 5, 5, 6, 5, 5, 6, 3, 5, 6, 5, 5, 6, 5),
    "api_discord": (4, 5, 4, 4, 4, 5, 4, 5, 4, 4, 5, 3, 4, 5, 4, 4),
    "feat_perfil": (4, 4, 5, 4, 5, 4, 4, 4, 5, 5, 4, 5, 3, 4, 4, 5),
    "api_compartilhamento": (3, 4, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3),
}

EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_lancamento": (
        "o single saiu sexta e só apareceu aqui na segunda",
        "new releases show up here days after everywhere else",
        "nenhum aviso de lançamento, descobri pelo instagram",
        "the new single is still greyed out in my country",
    ),
    "sec_privacidade": (
        "a nova política de privacidade compartilha meus dados com anunciantes?",
        "why does the new privacy policy want my contacts",
        "não aceitei os termos novos e o app travou na tela",
        "I want to opt out of the data sharing in the new terms",
    ),
    "perf_lentidao": (
        "depois da versão 5.0 o app ficou muito lento",
        "since the 5.0 update everything takes ages to open",
        "a tela inicial demora uma eternidade",
        "the app got sluggish after the update",
    ),
    "fix_bug": ("o botão de curtir não funciona", "the like button does nothing"),
    "ui_tema": ("o modo escuro ficou cinza demais", "the new colours hurt my eyes"),
    "feat_hifi": ("o som parece comprimido", "please offer lossless audio"),
    "api_smartwatch": ("o app do relógio não abre", "the watch app keeps disconnecting"),
    "feat_tv": (
        "queria o app na smart TV da sala",
        "please make an app for Android TV",
        "falta app pra TV, espelhar o celular é ruim",
    ),
    "api_importacao": (
        "o outro app fechou, como trago minhas playlists pra cá?",
        "let me import my playlists from the service that shut down",
        "importar playlist por link seria perfeito",
        "I have 40 playlists to move over, please add an import tool",
    ),
    "feat_colaboracao": (
        "mais parcerias como o dueto novo, por favor",
        "a collab with other indie bands would be amazing",
        "o feat com a cantora ficou incrível, façam mais",
    ),
    "feat_cover": ("gravem um cover de MPB", "a cover of an old 80s song please"),
    "api_discord": ("mostrar a música no status do Discord", "Discord rich presence please"),
    "feat_perfil": (
        "queria ver a bio da banda no app",
        "the band profile needs photos and tour dates",
    ),
    "api_compartilhamento": (
        "compartilhar trecho no stories",
        "share a song to WhatsApp in one tap",
    ),
}

EARLY_QUESTIONS: Final = (
    "o que mudou na política de privacidade?",
    "can I delete the data you collected?",
    "quando sai o álbum novo?",
    "will the album be on vinyl?",
)
LATE_QUESTIONS: Final = (
    "como importo minhas playlists do outro app?",
    "is the duet coming out as a single?",
    "dá pra voltar pra versão antiga do app?",
    "when does the 5.0 slowness get fixed?",
    "vai ter show de lançamento do álbum?",
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
    late_from=IsoWeek(2023, 41),
    first_id=220000,
)


def all_weeks() -> list[IsoWeek]:
    """2023-W32..2023-W47: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
