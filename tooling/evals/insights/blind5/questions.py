"""The fifth blind set's questions: `python -m tooling.evals.insights.blind5.questions` rewrites
questions.json, checking every expected figure and listener's words against digests.json first.

Written from the designed weeks (`build.py`), without reading the answerer. A fact is what an
answer must state: a figure as the digest states it, a tag in the question's language ("#tag"
expands to its words), a category ("@CRÍTICA" expands to its words). "In July" / "em agosto" are
the ISO weeks whose Thursday falls in that month: July 2025 is W27-W31, August W32-W35, September
W36-W38. "Today" is 2025-09-24 (W39, no digest yet): "this week" and "last week" are W38, the last
closed week; "last month" is August.
"""

from __future__ import annotations

from typing import Any, Final

from tooling.evals.insights.blind5.build import DIGESTS_PATH, HERE, TODAY
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"


def _w(number: int) -> str:
    return f"2025-W{number:02d}"


LABELS: Final = [_w(n) for n in range(27, 39)]
ALL: Final = LABELS
JULY: Final = [_w(n) for n in range(27, 32)]
AUGUST: Final = [_w(n) for n in range(32, 36)]
SEPTEMBER: Final = [_w(n) for n in range(36, 39)]
LAST: Final = [_w(38)]
LAST4: Final = [_w(n) for n in range(35, 39)]

# A tag's words: the digest vocabulary's (shared.digest.vocabulary) and what a reader would accept.
TAG_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "feat_recomendacao": {"pt": ("recomendações", "recomendação"), "en": ("recommendations",)},
    "fix_audio": {"pt": ("falhas de áudio", "falha de áudio"), "en": ("audio glitches",)},
    "perf_bateria": {"pt": ("consumo de bateria", "bateria"), "en": ("battery drain", "battery")},
    "perf_carregamento": {"pt": ("demora no carregamento",), "en": ("slow loading",)},
    "ui_layout": {"pt": ("layout",), "en": ("layout",)},
    "feat_autoplay": {"pt": ("reprodução automática",), "en": ("autoplay",)},
    "feat_desktop": {
        "pt": ("app para computador", "computador"),
        "en": ("desktop app", "desktop"),
    },
    "feat_clipe": {"pt": ("clipes", "clipe"), "en": ("music videos", "music video")},
    "feat_creditos": {
        "pt": ("créditos das faixas", "créditos"),
        "en": ("track credits", "credits"),
    },
    "feat_tv": {"pt": ("app de TV",), "en": ("TV app",)},
    "feat_carro": {"pt": ("uso no carro",), "en": ("car mode",)},
}

_TAGS = {f"#{tag}" for tag in TAG_WORDS}


NO_DIGEST: Final = "no digest covers that period"
OTHER: Final = "another subject than listeners' comments"
PERSON: Final = "a single listener's identity or contact, which digests do not hold"
REVENUE: Final = "revenue, subscriptions or sales, which digests do not hold"
FUTURE: Final = "a prediction about weeks not yet closed"
IDS: Final = "individual comments or their ids beyond the samples, which digests do not hold"
ABSENT: Final = "a figure digests do not hold"


QUESTIONS: Final[list[Q]] = [
    # --- general -----------------------------------------------------------------------------
    answer("pt", "general", "como estão as coisas?", ["1006", "#feat_creditos"], LAST),
    answer("en", "general", "any news?", ["1006", "#feat_creditos"], LAST),
    answer("pt", "general", "e aí, alguma novidade nos comentários?", ["1006"], LAST),
    answer(
        "en",
        "general",
        "hey, I just got back from vacation and have no idea what's going on with the listeners, "
        "can you give me the quick version of how things look right now?",
        ["1006", "37.0"],
        LAST,
    ),
    answer(
        "pt", "general", "resume setembro pra mim", ["#feat_creditos", "#perf_bateria"], SEPTEMBER
    ),
    answer("en", "general", "sum up august", ["850", "#perf_bateria"], AUGUST),
    answer(
        "pt", "general", "resumo de julho por favor", ["1096", "#fix_audio", "#feat_clipe"], JULY
    ),
    answer("en", "general", "overview of the whole quarter pls", ["1096", "850"], ALL),
    answer("pt", "general", "tudo tranquilo por aqui?", ["1006"], LAST),
    # --- when: peaks, spikes and falls in earlier weeks ---------------------------------------
    answer("pt", "when", "quando as falhas de áudio explodiram?", ["74", "24.7"], [_w(29)]),
    answer("en", "when", "when did the audio glitches spike?", ["74", "24.7"], [_w(29)]),
    answer(
        "pt",
        "when",
        "em que semana teve aquele pico de reclamação de som na transmissão do festival?",
        ["74", "#fix_audio"],
        [_w(29)],
    ),
    answer("en", "when", "which week had the most comments?", ["1096"], [_w(31)]),
    answer("pt", "when", "qual foi a semana mais movimentada?", ["1096"], [_w(31)]),
    answer("en", "when", "what was the quietest week", ["850"], [_w(32)]),
    answer("pt", "when", "semana com menos comentário?", ["850"], [_w(32)]),
    answer(
        "en", "when", "when did people ask the most for music videos?", ["88", "44.0"], [_w(31)]
    ),
    answer("pt", "when", "quando pediram clipe em massa?", ["88"], [_w(31)]),
    answer(
        "en",
        "when",
        "when did the criticism share peak, and when did it fall the most?",
        ["32.7", "6.4"],
        [_w(29), _w(30)],
    ),
    answer("pt", "when", "qual semana as críticas mais caíram?", ["6.4", "250"], [_w(30)]),
    answer(
        "en", "when", "biggest drop in total comments week over week?", ["850", "1096"], [_w(32)]
    ),
    answer(
        "pt",
        "when",
        "maior queda no total de comentários de uma semana pra outra",
        ["850"],
        [_w(32)],
    ),
    answer("en", "when", "when did praise reach its highest share?", ["44.3"], [_w(33)]),
    answer("pt", "when", "quando os elogios tiveram a maior fatia?", ["44.3"], [_w(33)]),
    answer("en", "when", "when did the battery complaints come back?", ["16", "9.1"], [_w(35)]),
    answer(
        "pt",
        "when",
        "a bateria sumiu das reclamações por um tempo né? quando ela voltou?",
        ["16", "#perf_bateria"],
        [_w(35)],
    ),
    answer("en", "when", "biggest fall of the suggestions share?", ["8.9"], [_w(32)]),
    # --- the most / the least: volume vs recurrence -------------------------------------------
    answer(
        "pt",
        "most-least",
        "qual a reclamação que aparece toda semana?",
        ["#feat_recomendacao"],
        ALL,
    ),
    answer(
        "en",
        "most-least",
        "which complaint keeps showing up every single week?",
        ["#feat_recomendacao"],
        ALL,
    ),
    answer(
        "pt",
        "most-least",
        "qual sugestão o pessoal pede sempre, toda semana, mesmo que pouco?",
        ["#feat_desktop"],
        ALL,
    ),
    answer("en", "most-least", "most persistent feature request?", ["#feat_desktop"], ALL),
    answer(
        "en",
        "most-least",
        "biggest single-week pile of one request, whats it?",
        ["#feat_clipe", "88"],
        ALL,
    ),
    answer("pt", "most-least", "maior spike do trimestre?", ["#feat_clipe", "44.0"], ALL),
    answer(
        "pt",
        "most-least",
        "qual crítica teve mais menções numa semana só?",
        ["#fix_audio", "74"],
        ALL,
    ),
    answer(
        "en",
        "most-least",
        "top complaint last week",
        ["#feat_recomendacao", "11"],
        LAST,
    ),
    answer(
        "pt", "most-least", "o que mais pediram semana passada?", ["#feat_creditos", "26"], LAST
    ),
    answer(
        "en",
        "most-least",
        "what did ppl ask for most in july 28 week",
        ["#feat_clipe", "88"],
        [_w(31)],
    ),
    answer(
        "pt",
        "most-least",
        "qual a categoria menor na última semana?",
        ["@SPAM", "4.1"],
        LAST,
    ),
    answer("en", "most-least", "which category was biggest last week?", ["@ELOGIO", "37.0"], LAST),
    answer(
        "pt",
        "most-least",
        "na semana 38 teve mais dúvida ou sugestão?",
        ["185", "182"],
        LAST,
    ),
    # --- compare two named weeks or periods ----------------------------------------------------
    answer(
        "pt",
        "compare",
        "compara a semana 29 com a 30",
        ["1008", "950", "32.7", "26.3"],
        [_w(29), _w(30)],
    ),
    answer(
        "en",
        "compare",
        "compare week 31 vs week 32",
        ["1096", "850"],
        [_w(31), _w(32)],
    ),
    answer(
        "pt",
        "compare",
        "como foi a semana de 14/07 comparada com a de 07/07?",
        ["1008", "931"],
        [_w(28), _w(29)],
    ),
    answer(
        "en",
        "compare",
        "W33 vs W38, how did praise change?",
        ["44.3", "37.0"],
        [_w(33), _w(38)],
    ),
    answer(
        "en",
        "compare",
        "praise in the first week vs the last one?",
        ["41.5", "37.0"],
        [_w(27), _w(38)],
    ),
    answer(
        "pt",
        "compare",
        "as dúvidas na semana 34 e na 38, quanto mudou?",
        ["12.2", "18.4"],
        [_w(34), _w(38)],
    ),
    answer(
        "en",
        "compare",
        "was the week of sept 8 busier than the week of sept 15?",
        ["1002", "1006"],
        [_w(37), _w(38)],
    ),
    answer(
        "pt",
        "compare",
        "julho x agosto: onde teve mais reclamação de bateria?",
        ["#perf_bateria"],
        JULY + AUGUST,
    ),
    # --- trend over N weeks ---------------------------------------------------------------------
    answer(
        "pt",
        "trend",
        "como andaram as dúvidas nas últimas 6 semanas?",
        ["11.5", "18.4"],
        [_w(n) for n in range(33, 39)],
    ),
    answer(
        "en",
        "trend",
        "are questions going up lately? last 4 weeks",
        ["13.3", "18.4"],
        LAST4,
    ),
    answer(
        "pt",
        "trend",
        "os elogios estão caindo? últimas 4 semanas",
        ["41.4", "37.0"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "praise share trend since the week of aug 11",
        ["44.3", "37.0"],
        [_w(n) for n in range(33, 39)],
    ),
    answer(
        "pt",
        "trend",
        "pedido de créditos das faixas tá subindo?",
        ["6", "11", "17", "26"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "track credits requests over the last four weeks?",
        ["6", "11", "17", "26"],
        LAST4,
    ),
    answer(
        "pt",
        "trend",
        "a bateria melhorou depois da volta? últimas 4 semanas",
        ["16", "11", "9", "8"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "how have recommendations complaints moved over the last 3 weeks",
        ["12", "10", "11"],
        SEPTEMBER,
    ),
    answer(
        "pt",
        "trend",
        "tendência das sugestões nas últimas 3 semanas",
        ["17.1", "17.6", "18.1"],
        SEPTEMBER,
    ),
    answer(
        "en",
        "trend",
        "criticism share over the last 4 weeks, up or down?",
        ["24.8", "22.5"],
        LAST4,
    ),
    # --- what people said (samples) ---------------------------------------------------------------
    answer(
        "pt",
        "samples",
        "o que o pessoal falou da live do festival na semana 29?",
        ["#fix_audio", ("sem som", "chiava", "cutting out", "dropped")],
        [_w(29)],
    ),
    answer(
        "en",
        "samples",
        "what were people saying about the festival stream's sound? week 29",
        ["#fix_audio", ("sem som", "chiava", "cutting out", "dropped")],
        [_w(29)],
    ),
    answer(
        "pt",
        "samples",
        "me mostra uns comentários sobre bateria da semana 35",
        ["#perf_bateria", ("bateria", "battery")],
        [_w(35)],
    ),
    answer(
        "en",
        "samples",
        "quotes about music videos from the week of jul 28?",
        ["#feat_clipe", ("festival", "clipe", "clipes")],
        [_w(31)],
    ),
    answer(
        "en",
        "samples",
        "what do listeners actually write about recommendations? last week",
        ["#feat_recomendacao"],
        LAST,
    ),
    answer(
        "pt",
        "samples",
        "exemplos de quem pediu créditos das faixas semana passada",
        ["#feat_creditos", "26"],
        LAST,
    ),
    answer(
        "en",
        "samples",
        "any examples of the desktop app asks, from the last week?",
        ["#feat_desktop", "8"],
        LAST,
    ),
    # --- a category's or tag's share in a given week ---------------------------------------------
    answer("pt", "share", "quanto % foi crítica na semana 29?", ["32.7", "330"], [_w(29)]),
    answer("en", "share", "share of suggestions in week 31?", ["26.5", "290"], [_w(31)]),
    answer("pt", "share", "percentual de elogios na semana de 11/08", ["44.3"], [_w(33)]),
    answer("en", "share", "what % was spam in W27", ["4.4"], [_w(27)]),
    answer("pt", "share", "fatia das dúvidas na semana 36?", ["14.9", "148"], [_w(36)]),
    answer("en", "share", "how many audio glitch mentions in week 30?", ["22"], [_w(30)]),
    answer("pt", "share", "quantos pediram app pra computador na semana 28?", ["8"], [_w(28)]),
    answer(
        "en",
        "share",
        "criticism percentage in the week of 21/07 and was it significant?",
        ["26.3", "6.4"],
        [_w(30)],
    ),
    # --- last week / this week -------------------------------------------------------------------
    answer("pt", "last week", "semana passada", ["1006"], LAST),
    answer("en", "last week", "how did last week go?", ["1006", "1002"], LAST),
    answer("pt", "last week", "como tá essa semana?", ["1006"], LAST),
    answer("en", "last week", "what's up this week", ["1006"], LAST),
    answer(
        "pt",
        "last week",
        "semana passada as dúvidas passaram as sugestões? e quanto foi cada uma",
        ["185", "182"],
        LAST,
    ),
    answer(
        "en",
        "last week",
        "last week's top suggestion and how many mentions did it get",
        ["#feat_creditos", "26"],
        LAST,
    ),
    answer(
        "pt", "last week", "teve algo em alta na última semana?", ["#feat_creditos", "2.9"], LAST
    ),
    answer(
        "en",
        "last week",
        "so what's trending rn, like the stuff blowing up",
        ["#feat_creditos", "2.9"],
        LAST,
    ),
    # --- periods in words ---------------------------------------------------------------------------
    answer("pt", "period", "mês passado", ["850", "#perf_bateria"], AUGUST),
    answer("en", "period", "how was last month?", ["850", "#perf_bateria"], AUGUST),
    answer("pt", "period", "nas últimas 4 semanas o que mais cresceu?", ["#feat_creditos"], LAST4),
    answer(
        "en",
        "period",
        "in the last 4 weeks, did anything spike?",
        ["#feat_creditos", "#perf_bateria"],
        LAST4,
    ),
    answer("pt", "period", "o que rolou em julho?", ["#fix_audio", "#feat_clipe"], JULY),
    answer(
        "en",
        "period",
        "in july, what were the big spikes?",
        ["#fix_audio", "#feat_clipe", "74", "88"],
        JULY,
    ),
    answer("pt", "period", "semana 33", ["970", "44.3"], [_w(33)]),
    answer("en", "period", "week 35?", ["990", "#perf_bateria"], [_w(35)]),
    answer("pt", "period", "como foi a semana do dia 12/08?", ["970"], [_w(33)]),
    answer("en", "period", "what happened the week of 07/21", ["950"], [_w(30)]),
    answer("pt", "period", "e no comecinho de julho, semana de 30/06?", ["925"], [_w(27)]),
    answer(
        "en",
        "period",
        "the weeks of aug 4 and aug 11, comment totals?",
        ["850", "970"],
        [_w(32), _w(33)],
    ),
    answer(
        "en",
        "period",
        "so in agosto, what were the recurring complaints? the main ones",
        ["#feat_recomendacao"],
        AUGUST,
    ),
    answer(
        "en",
        "general",
        "quick one: what's the vibe in the comentários lately, tipo last 2 weeks?",
        ["1002", "1006"],
        [_w(37), _w(38)],
    ),
    answer(
        "pt",
        "period",
        "primeiras duas semanas de setembro, quantos comentários?",
        ["994", "1002"],
        [_w(36), _w(37)],
    ),
    # --- unanswerable: no digest for the period -------------------------------------------------
    refuse("pt", "period", NO_DIGEST, "como foi a semana 20?"),
    refuse("en", "period", NO_DIGEST, "how was may?"),
    refuse("pt", "period", NO_DIGEST, "resume outubro"),
    refuse("en", "period", NO_DIGEST, "compare 2023 with 2024"),
    refuse("pt", "period", NO_DIGEST, "e em dezembro do ano passado?"),
    refuse("en", "period", NO_DIGEST, "week 45 numbers please"),
    refuse("pt", "period", NO_DIGEST, "quantos comentários na semana de 02/06?"),
    refuse("en", "period", NO_DIGEST, "what did listeners say in january 2025?"),
    refuse("pt", "period", NO_DIGEST, "teve pico de falhas de áudio em maio?"),
    refuse("en", "period", NO_DIGEST, "2025-W12 summary"),
    refuse("pt", "period", NO_DIGEST, "como estavam os elogios no carnaval?"),
    refuse("en", "period", NO_DIGEST, "the week of november 3rd, how was it?"),
    # --- unanswerable: other subjects -----------------------------------------------------------
    refuse("pt", "other", OTHER, "vai chover amanhã em São Paulo?"),
    refuse("en", "other", OTHER, "who won the champions league final?"),
    refuse("pt", "other", OTHER, "me passa uma receita de bolo de cenoura"),
    refuse("en", "other", OTHER, "write me a setlist for the next tour"),
    refuse("pt", "other", OTHER, "qual a capital da Austrália?"),
    refuse("en", "other", OTHER, "translate 'saudade' to english"),
    refuse("pt", "other", OTHER, "quanto é 17 vezes 23?"),
    refuse("en", "other", OTHER, "what's the best guitar amp under 500 dollars?"),
    # --- unanswerable: a single listener ---------------------------------------------------------
    refuse("pt", "person", PERSON, "quem foi o usuário que mais reclamou da live?"),
    refuse("en", "person", PERSON, "what's the email of the guy who asked for the desktop app?"),
    refuse("pt", "person", PERSON, "qual o nome de quem escreveu sobre a bateria?"),
    refuse("en", "person", PERSON, "which listener posted the most comments in july?"),
    refuse("pt", "person", PERSON, "me passa o telefone do fã que pediu os créditos"),
    refuse("en", "person", PERSON, "where does the person who complained about autoplay live?"),
    # --- unanswerable: revenue, sales, subscriptions ---------------------------------------------
    refuse("pt", "revenue", REVENUE, "quanto a promoção do plano pela metade do preço faturou?"),
    refuse("en", "revenue", REVENUE, "how many people signed up for the half-price plan?"),
    refuse("pt", "revenue", REVENUE, "quantos ingressos do festival foram vendidos?"),
    refuse("en", "revenue", REVENUE, "what was our revenue in august?"),
    refuse("pt", "revenue", REVENUE, "quantos assinantes cancelaram em setembro?"),
    refuse("en", "revenue", REVENUE, "how many streams did the festival single get?"),
    # --- unanswerable: predictions -----------------------------------------------------------------
    refuse("pt", "future", FUTURE, "quantos comentários vamos ter semana que vem?"),
    refuse("en", "future", FUTURE, "will credits requests keep rising in october?"),
    refuse("pt", "future", FUTURE, "a reclamação de bateria vai acabar até o fim do mês?"),
    refuse("en", "future", FUTURE, "predict next week's praise share"),
    refuse("pt", "future", FUTURE, "qual vai ser o próximo pico?"),
    # --- unanswerable: individual comments, ids, things digests do not hold -------------------------
    refuse("pt", "comments", IDS, "me dá o id do comentário sobre o som da live"),
    refuse("en", "comments", IDS, "list every comment from week 31"),
    refuse("pt", "comments", IDS, "mostra todos os 185 comentários de dúvida da semana passada"),
    refuse("en", "comments", IDS, "what's the comment id of the first music video request?"),
    refuse("pt", "absent", ABSENT, "qual a nota do app na loja?"),
    refuse("en", "absent", ABSENT, "what's our app store rating this month?"),
    refuse("pt", "absent", ABSENT, "quantos usuários ativos tivemos em julho?"),
    refuse("en", "absent", ABSENT, "how many minutes did the festival stream stay offline?"),
    refuse("pt", "absent", ABSENT, "qual a idade média de quem comenta?"),
    refuse("en", "future", FUTURE, "what will the top complaint be next week?"),
    refuse("pt", "person", PERSON, "qual o @ do instagram de quem pediu clipe?"),
    refuse("en", "period", NO_DIGEST, "how did things look in the week of 29/09?"),
    refuse("pt", "other", OTHER, "qual o melhor álbum da banda na sua opinião?"),
    refuse("en", "revenue", REVENUE, "how much merch did we sell at the festival?"),
    refuse("en", "absent", ABSENT, "which country sends the most comments?"),
]


def build() -> dict[str, Any]:
    # A tag fact expands to the words of the question's language only: "#tag" becomes
    # "#tag:pt" or "#tag:en", each a key of its own in the words handed to the builder.
    words = {f"{tag}:{lang}": w[lang] for tag, w in TAG_WORDS.items() for lang in ("pt", "en")}
    per_lang = [
        Q(
            question.lang,
            question.kind,
            question.pergunta,
            [
                f"{f}:{question.lang}" if isinstance(f, str) and f in _TAGS else f
                for f in question.facts
            ],
            question.weeks,
            question.refusal,
        )
        for question in QUESTIONS
    ]
    return build_questions(
        per_lang,
        words,
        DIGESTS_PATH,
        prefix="b5-",
        today=TODAY,
        descricao=(
            "Fifth blind set: twelve designed weeks 2025-W27..W38, questions written without "
            "reading the answerer; every question held out."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
