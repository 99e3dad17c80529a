"""The seventh blind scenario: `python -m tooling.evals.insights.blind7.build` rewrites digests.json.

Twelve closed ISO weeks, 2024-W18 (29/04/2024) to 2024-W29 (15/07-21/07/2024), "today" 2024-07-22,
the Monday of 2024-W30, which has no digest yet. Every count is written by hand in the tables below
(see README.md); stats and text are derived by `tooling.evals.insights.designed`. Four warm-up
weeks (2024-W14..W17) exist only so every "previous week" and "four weeks before" figure is real.

The story: listeners complain about the shuffle every week; an app update (W20) breaks casting to
TVs and speakers; the Corpus Christi holiday week (W22) is the quietest; the band's poll on where
to play next (W24) brings a one-week burst of concert requests while track transitions are asked
for every week; the vinyl pre-sale (announced in W25) makes questions climb to W27 and fall after;
layout complaints, gone for five weeks, come back with the redesign of the artist page (W26).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2024-07-22"
FIRST: Final = IsoWeek(2024, 18)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2024-W17..W29.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2024-W17": (420, 270, 160, 110, 50),
    "2024-W18": (424, 268, 162, 112, 49),  # nothing moves
    "2024-W19": (418, 274, 158, 108, 52),  # nothing moves
    "2024-W20": (400, 400, 165, 115, 50),  # casting broken by the update: CRÍTICA jumps
    "2024-W21": (430, 300, 160, 112, 48),  # the fix ships: CRÍTICA's biggest fall
    "2024-W22": (350, 230, 130, 90, 40),  # Corpus Christi: the fewest comments, nothing moves
    "2024-W23": (440, 280, 170, 115, 45),
    "2024-W24": (454, 275, 330, 119, 47),  # concert poll burst; ELOGIO count up, share down
    "2024-W25": (450, 270, 175, 160, 45),  # vinyl pre-sale announced: DÚVIDA starts to climb
    "2024-W26": (445, 300, 172, 200, 48),  # artist page redesign: layout complaints are back
    "2024-W27": (430, 285, 170, 245, 46),  # DÚVIDA's peak
    "2024-W28": (460, 270, 168, 180, 47),  # DÚVIDA falls
    "2024-W29": (480, 262, 170, 130, 48),  # and falls again
}

# Mentions per tag inside CRÍTICA comments, 2024-W14..W29 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # shuffle: the every-week complaint, 10 to 13 mentions, not a bug, never a spike
    "feat_aleatorio": (11, 12, 10, 13, 12, 11, 13, 10, 12, 11, 13, 12, 11, 13, 12, 11),
    # casting: an early spike in W20 (the update), tail in W21, 1-3 (unlisted) elsewhere
    "api_chromecast": (2, 3, 2, 3, 3, 3, 76, 23, 2, 1, 2, 3, 2, 1, 2, 3),
    # layout: listed W18-W20, quiet W21-W25, back from W26 (the artist page redesign)
    "ui_layout": (8, 9, 8, 9, 8, 9, 8, 1, 2, 1, 0, 1, 19, 14, 11, 9),
    "fix_bug": (6, 5, 7, 6, 6, 5, 7, 2, 5, 4, 6, 7, 5, 6, 2, 6),
    "doc_ajuda": (5, 4, 5, 6, 5, 6, 4, 5, 6, 4, 5, 4, 6, 5, 4, 5),
    "sec_privacidade": (4, 5, 4, 4, 5, 4, 5, 4, 4, 3, 4, 5, 4, 5, 4, 4),
    "feat_biblioteca": (3, 4, 3, 4, 4, 3, 4, 3, 4, 3, 3, 4, 3, 4, 3, 4),
}

# Mentions per tag inside SUGESTÃO comments, 2024-W14..W29.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # track transitions (crossfade, gapless): asked for every week, 6 to 8 mentions
    "feat_transicao": (7, 6, 8, 7, 7, 6, 8, 7, 6, 7, 8, 7, 6, 8, 7, 7),
    # concerts: 118 mentions in W24, the week of the band's poll on where to play
    "feat_show": (1, 0, 2, 1, 1, 2, 0, 1, 2, 1, 118, 3, 1, 2, 0, 1),
    "api_discord": (5, 4, 5, 4, 5, 4, 6, 5, 1, 5, 5, 6, 1, 5, 6, 5),
    "feat_tv": (4, 5, 4, 3, 4, 5, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3),
    "feat_carro": (3, 4, 4, 5, 4, 3, 5, 3, 4, 3, 4, 5, 3, 4, 3, 4),
    "feat_idioma": (3, 3, 2, 4, 3, 4, 3, 4, 3, 4, 3, 4, 3, 3, 4, 3),
    "api_smartwatch": (2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 4, 3, 2, 3),
}

EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_aleatorio": (
        "o aleatório toca sempre as mesmas cinco músicas",
        "shuffle keeps playing the same few songs over and over",
        "modo aleatório que não é aleatório, sempre começa pela faixa um",
        "shuffle ignores half of the discography",
    ),
    "api_chromecast": (
        "depois da atualização não consigo mais transmitir pra TV",
        "casting to my speaker drops after every song since the update",
        "o botão de transmitir sumiu do player",
        "can't cast to the living room TV anymore",
    ),
    "ui_layout": (
        "a página da banda é confusa, não acho a discografia",
        "the artist page hides the albums",
        "botões muito pequenos na página do artista",
        "the layout puts merch above the songs, why",
    ),
    "fix_bug": ("o app fecha quando abro a letra", "the app freezes on the lock screen"),
    "doc_ajuda": (
        "o suporte nunca responde meus e-mails",
        "help center articles are out of date",
    ),
    "sec_privacidade": (
        "por que o app pede minha localização?",
        "I don't want my listening shared with ads partners",
    ),
    "feat_biblioteca": (
        "a biblioteca mistura álbuns e singles",
        "can't sort my library by release date",
    ),
    "feat_transicao": (
        "queria crossfade entre as faixas do álbum ao vivo",
        "please add gapless playback, the live album has silences",
        "transição suave entre músicas seria ótimo",
    ),
    "feat_show": (
        "vem tocar em Recife!",
        "please play Lisbon on the next tour",
        "show em Belo Horizonte por favor",
        "come to Buenos Aires, we are waiting",
    ),
    "api_discord": ("mostrar no Discord o que estou ouvindo", "Discord status integration please"),
    "feat_tv": ("app pra smart TV", "a TV app for the living room"),
    "feat_carro": ("modo carro com botões grandes", "better Android Auto support"),
    "feat_idioma": ("legendas em espanhol nos clipes", "lyrics translated to English"),
    "api_smartwatch": ("controlar pelo relógio", "a smartwatch app for running"),
}

EARLY_QUESTIONS: Final = (
    "quando volta a transmissão pra TV?",
    "is casting fixed in the latest version?",
    "onde vota na enquete dos shows?",
    "will the band tour Europe this year?",
)
LATE_QUESTIONS: Final = (
    "quando abre a pré-venda do vinil?",
    "does the vinyl ship abroad?",
    "o vinil vem autografado?",
    "how many vinyl copies are there?",
    "a banda vai tocar no festival de julho?",
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
    late_from=IsoWeek(2024, 25),
    first_id=190000,
)


def all_weeks() -> list[IsoWeek]:
    """2024-W14..W29: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
