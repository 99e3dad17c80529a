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

from pathlib import Path
from typing import Any, Final

from shared.timezone import IsoWeek
from tooling.evals.insights.designed import Scenario, build_digests, write_json

HERE: Final = Path(__file__).parent
DIGESTS_PATH: Final = HERE / "digests.json"
TODAY: Final = "2026-12-02"
FIRST: Final = IsoWeek(2026, 37)
WEEKS: Final = 12

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


SCENARIO: Final = Scenario(
    first=FIRST,
    weeks=WEEKS,
    categories=CATEGORY_COUNTS,
    criticisms=CRITICISM_COUNTS,
    suggestions=SUGGESTION_COUNTS,
    examples=EXAMPLES,
    early_questions=EARLY_QUESTIONS,
    late_questions=ALBUM_QUESTIONS,
    late_from=IsoWeek(2026, 43),
    first_id=40000,
)


def all_weeks() -> list[IsoWeek]:
    """W33..W48: the warm-up weeks first, then the twelve covered weeks."""
    return SCENARIO.all_weeks()


def build() -> list[dict[str, Any]]:
    return build_digests(SCENARIO)


def main() -> None:
    write_json(DIGESTS_PATH, build())


if __name__ == "__main__":
    main()
