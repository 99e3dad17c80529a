"""The sixth blind scenario: `python -m tooling.evals.insights.blind6.build` rewrites digests.json.

Twelve closed ISO weeks, 2025-W01 (30/12/2024) to 2025-W12 (23/03/2025), "today" 2025-03-26, a
Wednesday of 2025-W13, which has no digest yet. Every count is written by hand in the tables below
(see README.md); stats and text are derived by `tooling.evals.insights.designed`. Four warm-up
weeks (2024-W49..W52) exist only so every "previous week" and "four weeks before" figure is real.

The story: listeners complain about the search every week; a wave of taken-over accounts (W04)
brings account security complaints; the family plan launches in W05 and the week after (W06)
brings a one-week burst of kids mode requests; praise climbs through the carnival season
(W07-W12) while criticism shrinks; uneven volume, quiet for five weeks, comes back with the
carnival remixes (W09).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2025-03-26"
FIRST: Final = IsoWeek(2025, 1)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2024-W52..2025-W12.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2024-W52": (300, 200, 150, 90, 30),
    "2025-W01": (305, 198, 152, 88, 31),  # nothing moves
    "2025-W02": (310, 204, 148, 92, 29),  # nothing moves
    "2025-W03": (300, 210, 150, 90, 30),
    "2025-W04": (290, 300, 150, 110, 32),  # taken-over accounts: CRÍTICA jumps
    "2025-W05": (250, 210, 140, 95, 28),  # the biggest total fall, the fewest comments
    "2025-W06": (290, 205, 260, 100, 30),  # kids mode burst; ELOGIO count up, share down
    "2025-W07": (330, 200, 160, 95, 30),  # carnival season: ELOGIO rises, CRÍTICA falls
    "2025-W08": (360, 190, 158, 96, 31),
    "2025-W09": (400, 180, 160, 98, 30),  # carnival remixes: uneven volume is back
    "2025-W10": (440, 170, 162, 97, 29),
    "2025-W11": (470, 160, 160, 95, 30),
    "2025-W12": (480, 150, 158, 96, 31),
}

# Mentions per tag inside CRÍTICA comments, 2024-W49..2025-W12 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # search: the every-week complaint, 10 to 13 mentions, not a bug
    "feat_busca": (11, 12, 10, 13, 12, 11, 13, 12, 11, 12, 10, 13, 12, 11, 12, 13),
    # account security: an early spike in W04 (taken-over accounts), tail in W05
    "sec_conta": (2, 3, 2, 3, 3, 2, 3, 68, 19, 3, 2, 3, 2, 3, 2, 3),
    # uneven volume: listed W01-W03, quiet W04-W08, back from W09 (carnival remixes)
    "fix_volume": (7, 8, 7, 8, 8, 7, 8, 1, 1, 0, 1, 1, 18, 12, 10, 9),
    "perf_memoria": (6, 5, 6, 7, 5, 7, 6, 5, 6, 7, 5, 2, 6, 5, 7, 6),
    "ui_acessibilidade": (5, 4, 5, 6, 4, 5, 6, 4, 5, 4, 6, 5, 4, 5, 6, 5),
    "perf_armazenamento": (4, 5, 4, 4, 5, 4, 4, 5, 4, 5, 4, 4, 5, 4, 4, 5),
    "feat_fila": (3, 4, 3, 3, 4, 3, 3, 4, 3, 4, 3, 3, 4, 3, 3, 4),
}

# Mentions per tag inside SUGESTÃO comments, 2024-W49..2025-W12.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # playback speed: asked for every week, 6 or 7 mentions
    "feat_velocidade": (6, 7, 6, 7, 7, 6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 6),
    # kids mode: 95 mentions in W06, the week after the family plan launched
    "feat_infantil": (1, 2, 1, 1, 2, 1, 2, 1, 1, 95, 2, 1, 2, 1, 1, 2),
    "feat_audiolivro": (4, 3, 4, 5, 3, 4, 5, 4, 3, 5, 4, 3, 4, 5, 3, 4),
    "api_assistente": (3, 4, 3, 4, 4, 3, 3, 5, 4, 3, 4, 5, 3, 4, 4, 3),
    "feat_social": (5, 4, 3, 4, 3, 5, 4, 3, 5, 4, 3, 4, 5, 3, 4, 5),
    "api_lastfm": (3, 3, 4, 3, 4, 3, 4, 4, 3, 3, 4, 3, 3, 4, 3, 3),
    "feat_capa": (4, 5, 4, 3, 5, 4, 3, 3, 4, 4, 5, 4, 4, 3, 5, 4),
}

EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_busca": (
        "a busca não acha a música se eu erro uma letra",
        "search never finds the live version I typed",
        "procuro o álbum e aparece podcast",
        "searching by lyrics line returns nothing",
    ),
    "sec_conta": (
        "invadiram minha conta e trocaram o e-mail",
        "someone logged into my account from another country",
        "apareceram playlists estranhas na minha conta",
        "my password was changed and I never did it",
    ),
    "fix_volume": (
        "os remixes de carnaval estouram o volume",
        "the carnival remixes are way louder than the rest",
        "uma faixa baixinha e a próxima no talo",
        "volume jumps between songs in the party playlist",
    ),
    "perf_memoria": ("o app ocupa memória demais", "the app eats all my RAM"),
    "ui_acessibilidade": (
        "o leitor de tela não lê os botões",
        "text is too small even with large font on",
    ),
    "perf_armazenamento": ("o cache enche o celular", "downloads take too much space"),
    "feat_fila": ("a fila some quando fecho o app", "the play queue forgets my order"),
    "feat_velocidade": (
        "queria ouvir os episódios em 1.5x",
        "please add a playback speed control",
        "deixa mudar a velocidade da faixa pra ensaiar",
    ),
    "feat_infantil": (
        "com o plano família preciso de um modo infantil",
        "a kids profile with only clean songs please",
        "meu filho usa o app, falta controle parental",
        "the family plan needs a kids mode",
    ),
    "feat_audiolivro": ("tem audiolivro?", "audiobooks would be nice"),
    "api_assistente": ("tocar pela Alexa", "let me ask Google Assistant to play the album"),
    "feat_social": ("ver o que meus amigos ouvem", "share listening with friends"),
    "api_lastfm": ("scrobble pro Last.fm", "Last.fm scrobbling please"),
    "feat_capa": ("capas animadas seriam legais", "higher resolution cover art"),
}

EARLY_QUESTIONS: Final = (
    "como recupero minha conta invadida?",
    "does the app have two-factor login?",
    "quanto custa o plano família?",
    "how many people fit in the family plan?",
)
LATE_QUESTIONS: Final = (
    "a playlist de carnaval fica até quando?",
    "will the carnival remixes be on the album?",
    "o plano família tem perfil infantil?",
    "can I download the carnival playlist?",
    "vai ter bloco da banda no carnaval?",
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
    late_from=IsoWeek(2025, 7),
    first_id=170000,
)


def all_weeks() -> list[IsoWeek]:
    """2024-W49..2025-W12: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
