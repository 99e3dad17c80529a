"""The fourth blind scenario: `python -m tooling.evals.insights.blind4.build` rewrites digests.json.

Twelve closed ISO weeks, 2026-W10 (02/03/2026) to 2026-W21 (24/05/2026), "today" 2026-05-28, a
Thursday of 2026-W22, which has no digest yet. Every count is written by hand in the tables below
so each movement is designed (see README.md); the stats and the text are derived from them as for
the other blind sets (`tooling.evals.insights.designed`: the digest's SQL arithmetic, the
product's template writer). Four warm-up weeks (2026-W06..W09) exist only so every "previous week"
and "four weeks before" figure of W10 is real.

The story: a band's remastered albums (out in February) draw complaints about the new mix every
week; app update 5.2 breaks Bluetooth playback in mid-March; Easter week is quiet; the band's
20th-anniversary show (W16) brings a one-week burst of requests for official merchandise; an
instrumental single (W18) starts a rising run of requests for instrumental versions; a new
notification setting (W19) brings back notification complaints that had been quiet since March.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-05-28"
FIRST: Final = IsoWeek(2026, 10)
WEEKS: Final = 12

# Comments per category (ELOGIO, CRÍTICA, SUGESTÃO, DÚVIDA, SPAM), 2026-W09..W21; W09 is warm-up.
CATEGORY_COUNTS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "2026-W09": (420, 270, 150, 110, 50),
    "2026-W10": (424, 268, 152, 108, 52),  # nothing moves
    "2026-W11": (430, 276, 148, 112, 49),  # nothing moves
    "2026-W12": (402, 382, 150, 115, 50),  # Bluetooth broken by update 5.2: CRÍTICA jumps
    "2026-W13": (432, 290, 154, 114, 52),  # CRÍTICA's biggest fall, count and share
    "2026-W14": (342, 226, 122, 88, 40),  # Easter: the fewest comments, the biggest total fall
    "2026-W15": (452, 262, 160, 118, 52),
    "2026-W16": (460, 268, 330, 125, 55),  # anniversary show: merchandise burst, the most comments
    "2026-W17": (470, 250, 168, 118, 50),  # SUGESTÃO falls back: the biggest share fall
    "2026-W18": (455, 245, 180, 116, 52),  # instrumental single: SUGESTÃO starts rising
    "2026-W19": (450, 262, 200, 114, 50),  # notification complaints are back
    "2026-W20": (440, 250, 225, 112, 51),
    "2026-W21": (445, 240, 250, 115, 52),
}

# Mentions per tag inside CRÍTICA comments, 2026-W06..W21 (first four values: warm-up).
CRITICISM_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # the remaster's mix: the every-week complaint, 10 to 13 mentions, not a bug
    "feat_mixagem": (11, 12, 10, 13, 12, 11, 13, 10, 12, 11, 13, 12, 10, 12, 11, 13),
    # Bluetooth: background noise, an early spike in W12 (update 5.2) and its tail in W13
    "api_bluetooth": (3, 2, 3, 4, 3, 4, 88, 27, 3, 3, 2, 3, 4, 3, 2, 3),
    # notifications: listed in W10-W11, quiet W12-W18, back from W19 (a new push setting)
    "feat_notificacao": (7, 8, 7, 8, 8, 9, 2, 1, 2, 1, 2, 3, 2, 15, 10, 9),
    "perf_dados": (6, 5, 6, 7, 6, 7, 5, 6, 4, 7, 6, 5, 7, 6, 5, 6),
    "fix_volume": (5, 6, 5, 6, 7, 5, 6, 5, 5, 6, 7, 6, 5, 7, 6, 5),
    "ui_tema": (4, 5, 6, 5, 5, 6, 7, 6, 5, 5, 6, 7, 6, 5, 6, 7),
    "feat_podcast": (5, 4, 5, 6, 4, 5, 6, 7, 5, 6, 5, 4, 6, 5, 7, 6),
}

# Mentions per tag inside SUGESTÃO comments, 2026-W06..W21.
SUGGESTION_COUNTS: Final[dict[str, tuple[int, ...]]] = {
    # sleep timer: asked for every week, 6 to 8 mentions
    "feat_timer": (7, 6, 7, 8, 7, 8, 6, 7, 7, 8, 6, 7, 8, 7, 6, 7),
    # official merchandise: 96 mentions in W16, the week of the anniversary show
    "feat_merch": (1, 0, 2, 1, 0, 2, 1, 3, 1, 2, 96, 3, 1, 2, 0, 1),
    # instrumental versions: rising from W18 (the instrumental single) to the latest week
    "feat_instrumental": (2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 3, 4, 7, 12, 19, 30),
    "feat_fila": (5, 6, 5, 4, 6, 5, 4, 6, 5, 7, 5, 6, 3, 5, 6, 4),
    "feat_widget": (4, 5, 6, 5, 5, 4, 6, 5, 6, 4, 5, 3, 6, 4, 5, 6),
    "feat_historico": (6, 4, 5, 6, 4, 6, 5, 4, 6, 5, 4, 6, 5, 6, 4, 5),
    "feat_velocidade": (3, 4, 3, 4, 4, 3, 5, 4, 3, 4, 6, 5, 4, 3, 5, 4),
    "feat_cover": (4, 3, 4, 3, 3, 4, 3, 5, 4, 3, 4, 5, 4, 5, 3, 4),
}

# What listeners wrote, per tag; a week shows up to three, rotating through the list.
EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "feat_mixagem": (
        "a remasterização deixou a bateria abafada",
        "the remastered album sounds flat and too loud",
        "a voz ficou enterrada na mixagem nova",
        "bring back the original mix of the first record",
    ),
    "api_bluetooth": (
        "depois da atualização o fone bluetooth desconecta sozinho",
        "since 5.2 my car stereo drops the Bluetooth connection",
        "o som pelo bluetooth picota a cada minuto",
        "bluetooth headphones cut out after the update",
    ),
    "feat_notificacao": (
        "chegam cinco notificações por dia agora",
        "too many push notifications since the new setting",
        "não consigo desligar o aviso de lançamento",
        "the notification sound plays even on silent",
    ),
    "perf_dados": (
        "o app gasta meu plano de dados rapidinho",
        "streaming eats my mobile data",
    ),
    "fix_volume": (
        "uma faixa alta e a outra baixinha",
        "volume jumps between tracks",
    ),
    "ui_tema": (
        "o modo escuro ficou cinza demais",
        "the new theme is hard to read at night",
    ),
    "feat_podcast": (
        "os episódios do podcast da banda estão longos demais",
        "the band's podcast audio is really quiet",
    ),
    "feat_timer": (
        "falta um timer pra desligar a música quando eu durmo",
        "please add a sleep timer",
        "queria programar o app pra parar depois de meia hora",
    ),
    "feat_merch": (
        "vendam a camiseta da turnê de 20 anos no app",
        "where can I buy the anniversary t-shirt?",
        "queria um pôster oficial do show",
        "please open an official merch store",
    ),
    "feat_instrumental": (
        "lança a versão instrumental do disco todo",
        "more instrumental versions please, I study with them",
        "queria as faixas sem voz pra tocar junto",
        "an instrumental playlist of every album would be great",
    ),
    "feat_fila": (
        "deixa eu reordenar a fila de reprodução",
        "let me save the play queue",
    ),
    "feat_widget": (
        "um widget na tela inicial ajudaria",
        "a lock screen widget please",
    ),
    "feat_historico": (
        "quero ver o que ouvi semana passada",
        "show my listening history by month",
    ),
    "feat_velocidade": (
        "opção de tocar mais rápido",
        "a playback speed control for the podcast",
    ),
    "feat_cover": (
        "gravem um cover de rock nacional",
        "a cover of an old classic would be fun",
    ),
}

# Open questions: about the anniversary show before W16, about merchandise and the new releases
# from W16 on.
EARLY_QUESTIONS: Final = (
    "o show de 20 anos vai ser transmitido no app?",
    "what time does the anniversary stream start?",
    "a versão original do álbum vai voltar?",
    "is the Bluetooth fix coming in the next update?",
)
LATE_QUESTIONS: Final = (
    "onde compro a camiseta dos 20 anos?",
    "does the official store ship abroad?",
    "vai sair um álbum instrumental completo?",
    "can I turn off the new release notifications?",
    "o show de aniversário vai ficar gravado no app?",
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
    late_from=IsoWeek(2026, 16),
    first_id=120000,
)


def all_weeks() -> list[IsoWeek]:
    """2026-W06..W21: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
