"""The eighth blind set's questions: `python -m tooling.evals.insights.blind8.questions` rewrites
questions.json from the designed tables in `build.py` (run `build` first).

Written from the tables alone, without knowing how the answerer reads a question. Every figure is
one the digests of the question's weeks state, and is checked against them when the file is
written; every question is in the `heldout` split. Conventions (see README.md): a month is the ISO
weeks whose Thursday falls in it (September = W36-W39, October = W40-W43, November = W44-W47);
"this week" and "last week" are W47, the last closed week (W48, today's, has no digest); "as
últimas semanas" with no number are the last four (W44-W47); a general question with no period
is about W47.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from tooling.evals.insights.blind8 import build as scenario
from tooling.evals.insights.designed import (
    WARMUP,
    Q,
    answer,
    build_questions,
    refuse,
    write_json,
)

HERE: Final = Path(__file__).parent
QUESTIONS_PATH: Final = HERE / "questions.json"

LABELS: Final = [str(week) for week in scenario.all_weeks()[WARMUP:]]
SEPTEMBER: Final = LABELS[0:4]
OCTOBER: Final = LABELS[4:8]
NOVEMBER: Final = LABELS[8:12]
LAST4: Final = NOVEMBER
W36, W37, W38, W39, W40, W41, W42, W43, W44, W45, W46, W47 = LABELS

# The words a person accepts for each tag, per language (from the digest vocabulary, plus the
# everyday forms a listener would use).
TAG_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "feat_lancamento": {
        "pt": ("lançamentos", "lançamento", "novos lançamentos"),
        "en": ("new releases", "releases", "release"),
    },
    "sec_privacidade": {"pt": ("privacidade",), "en": ("privacy",)},
    "perf_lentidao": {"pt": ("lentidão", "lento", "lenta"), "en": ("slowness", "slow", "sluggish")},
    "feat_tv": {"pt": ("app de TV", "TV"), "en": ("TV app", "TV")},
    "api_importacao": {
        "pt": ("importação de playlists", "importar playlists", "importação", "importar"),
        "en": ("playlist import", "import", "importing playlists"),
    },
    "feat_colaboracao": {
        "pt": ("colaborações entre artistas", "colaborações", "colaboração", "parcerias"),
        "en": ("artist collaborations", "collaborations", "collaboration", "collabs"),
    },
    "fix_bug": {"pt": ("erros no app", "erros"), "en": ("app errors", "errors", "bugs")},
    "ui_tema": {"pt": ("tema visual", "tema"), "en": ("visual theme", "theme")},
}


def tp(tag: str) -> str:
    """A tag's Portuguese words, as a fact of a PT-BR question."""
    return f"#{tag}:pt"


def te(tag: str) -> str:
    """A tag's English words, as a fact of an English question."""
    return f"#{tag}:en"


def said(tag: str) -> tuple[str, ...]:
    """Any comment written for `tag`: a sample quoted from the asked weeks."""
    return tuple(scenario.EXAMPLES[tag])


def open_questions(week: str) -> tuple[str, ...]:
    """The open questions `week` lists: two a week from the early pool, three from the late one,
    rotating by the week's place, as `designed` picks them."""
    index = WARMUP + LABELS.index(week)
    late = LABELS.index(week) >= LABELS.index(str(scenario.SCENARIO.late_from))
    pool = scenario.LATE_QUESTIONS if late else scenario.EARLY_QUESTIONS
    return tuple(pool[(index + k) % len(pool)] for k in range(3 if late else 2))


def flat_tag_words() -> dict[str, tuple[str, ...]]:
    return {
        f"{tag}:{language}": words[language]
        for tag, words in TAG_WORDS.items()
        for language in ("pt", "en")
    }


NOT_HELD: Final = "the digests hold no such figure"
NO_DIGEST: Final = "no digest covers that period"
FUTURE: Final = "a prediction: the digests only describe closed weeks"
OTHER: Final = "another subject"
PERSONAL: Final = "a personal question, not about the feedback"
AMBIGUOUS: Final = "nothing in the question says what it asks about"
ABSENT: Final = "no digest lists that subject"

QUESTIONS: Final[list[Q]] = [
    # --- general --------------------------------------------------------------------------------
    answer("pt", "general", "como foram as ultimas semanas?", [tp("perf_lentidao")], LAST4),
    answer("en", "general", "give me the highlights", ["858", te("feat_lancamento")], [W47]),
    answer("pt", "general", "eae, como ta o feedback?", ["858"], [W47]),
    answer("en", "general", "summarize october for me pls", [te("api_importacao")], OCTOBER),
    answer("pt", "general", "resume setembro pra mim", [tp("sec_privacidade")], SEPTEMBER),
    answer("en", "general", "any news?", ["858"], [W47]),
    answer(
        "pt",
        "general",
        "qual o panorama geral de novembro ate agora?",
        [tp("perf_lentidao")],
        NOVEMBER,
    ),
    answer(
        "en",
        "general",
        "Hi! Could you give me a quick overview of how listeners felt over the last four weeks?",
        [te("perf_lentidao")],
        LAST4,
    ),
    # --- when -----------------------------------------------------------------------------------
    answer("pt", "when", "quando teve o pico de reclamacoes sobre privacidade?", ["72"], [W38]),
    answer("en", "when", "when did the privacy complaints spike?", ["72"], [W38]),
    answer("pt", "when", "em que semana explodiu o pedido pra importar playlist?", ["88"], [W41]),
    answer("en", "when", "which week did playlist import requests blow up", ["88"], [W41]),
    answer("pt", "when", "quando a lentidao voltou?", ["19"], [W44]),
    answer(
        "en",
        "when",
        "when did people start complaining about the app being slow again?",
        ["19"],
        [W44],
    ),
    answer(
        "pt",
        "when",
        "quando apareceram pela primeira vez os pedidos de colaboracao com outros artistas?",
        ["7"],
        [W43],
    ),
    answer("en", "when", "when did collabs first show up in the suggestions?", ["7"], [W43]),
    answer("pt", "when", "qual semana teve menos comentarios?", ["739"], [W46]),
    answer("en", "when", "which was the quietest week?", ["739"], [W46]),
    answer("pt", "when", "qual foi a semana com mais comentario?", ["1000"], [W41]),
    answer("en", "when", "busiest week?", ["1000"], [W41]),
    answer("pt", "when", "quando os elogios tiveram a maior fatia do total?", ["49.5"], [W43]),
    answer("en", "when", "when did praise peak as a share of all comments?", ["49.5"], [W43]),
    answer(
        "pt", "when", "em qual semana as criticas tiveram a maior porcentagem?", ["33.0"], [W38]
    ),
    answer(
        "en",
        "when",
        "when did the total drop the most from one week to the next?",
        ["739"],
        [W46],
    ),
    answer("en", "when", "when did suggestions hit their biggest share?", ["26.0"], [W41]),
    # --- most / least ---------------------------------------------------------------------------
    answer(
        "pt",
        "most-least",
        "qual foi a maior reclamacao em setembro?",
        [tp("sec_privacidade")],
        SEPTEMBER,
    ),
    answer(
        "en",
        "most-least",
        "what was the top complaint in september?",
        [te("sec_privacidade")],
        SEPTEMBER,
    ),
    answer(
        "pt",
        "most-least",
        "qual critica ficou mais vezes em primeiro lugar nessas 12 semanas?",
        [tp("feat_lancamento")],
        LABELS,
    ),
    answer(
        "en",
        "most-least",
        "which complaint was number one in the most weeks?",
        [te("feat_lancamento")],
        LABELS,
    ),
    answer(
        "pt", "most-least", "qual sugestao apareceu em todas as semanas?", [tp("feat_tv")], LABELS
    ),
    answer(
        "en", "most-least", "which suggestion shows up every single week?", [te("feat_tv")], LABELS
    ),
    answer(
        "pt",
        "most-least",
        "qual a sugestao mais pedida em outubro?",
        [tp("api_importacao")],
        OCTOBER,
    ),
    answer(
        "en",
        "most-least",
        "in october, which feature request had the most mentions, and which one was asked for "
        "every week?",
        [te("api_importacao"), te("feat_tv")],
        OCTOBER,
    ),
    answer(
        "pt",
        "most-least",
        "qual foi a maior reclamacao desde setembro, somando tudo?",
        [tp("feat_lancamento")],
        LABELS,
    ),
    answer(
        "en",
        "most-least",
        "overall, what did people complain about the most?",
        [te("feat_lancamento")],
        LABELS,
    ),
    answer(
        "pt",
        "most-least",
        "qual categoria teve mais comentarios em novembro?",
        ["@ELOGIO"],
        NOVEMBER,
    ),
    answer(
        "en",
        "most-least",
        "which category had the fewest comments last week?",
        ["@SPAM", "38"],
        [W47],
    ),
    answer(
        "en",
        "most-least",
        "in november, what was the biggest complaint?",
        [te("perf_lentidao")],
        NOVEMBER,
    ),
    # --- compare --------------------------------------------------------------------------------
    answer("pt", "compare", "compara a semana 38 com a 39", ["910", "848"], [W38, W39]),
    answer("en", "compare", "how did week 40 compare to week 41?", ["880", "1000"], [W40, W41]),
    answer(
        "en",
        "compare",
        "compare the first week of september with the first week of november",
        ["831", "962"],
        [W36, W44],
    ),
    answer(
        "pt", "compare", "as criticas aumentaram da semana 43 pra 44?", ["185", "240"], [W43, W44]
    ),
    answer(
        "en", "compare", "was there more praise in week 42 or week 43?", ["450", "470"], [W42, W43]
    ),
    answer(
        "pt",
        "compare",
        "comparando 13/11 a 19/11 com a semana anterior, o que mudou?",
        ["739", "936"],
        [W45, W46],
    ),
    answer(
        "en",
        "compare",
        "How does last week stack up against the week before?",
        ["739", "858"],
        [W46, W47],
    ),
    answer("pt", "compare", "spam subiu ou caiu da semana 45 pra 46?", ["41", "32"], [W45, W46]),
    answer("en", "compare", "privacy complaints in week 38 vs week 39?", ["72", "21"], [W38, W39]),
    # --- trend ----------------------------------------------------------------------------------
    answer(
        "pt",
        "trend",
        "como evoluiu a porcentagem de elogios em outubro?",
        ["43.2", "40.0", "47.9", "49.5"],
        OCTOBER,
    ),
    answer(
        "en",
        "trend",
        "how did praise's share move from week 43 to week 45?",
        ["49.5", "43.7", "40.6"],
        [W43, W44, W45],
    ),
    answer(
        "pt",
        "trend",
        "tendencia das criticas nas ultimas 4 semanas",
        ["24.9", "27.8", "27.9", "25.1"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "trend of slowness complaints over the last 4 weeks?",
        ["19", "14", "10", "11"],
        LAST4,
    ),
    answer(
        "pt",
        "trend",
        "como andaram os pedidos de parceria com outros artistas em novembro?",
        ["9", "8", "6", "7"],
        NOVEMBER,
    ),
    answer(
        "pt",
        "trend",
        "o total de comentarios subiu ou desceu nas ultimas tres semanas?",
        ["936", "739", "858"],
        [W45, W46, W47],
    ),
    answer(
        "en",
        "trend",
        "how did the share of suggestions go in weeks 40 through 42?",
        ["18.2", "26.0", "17.0"],
        [W40, W41, W42],
    ),
    answer(
        "pt", "trend", "evolucao das duvidas em setembro", ["98", "102", "110", "105"], SEPTEMBER
    ),
    answer(
        "en",
        "trend",
        "how did the TV app requests trend over october?",
        ["7", "6", "7", "8"],
        OCTOBER,
    ),
    answer(
        "en",
        "trend",
        "How did the complaints' share of all comments change across September?",
        ["25.5", "25.1", "33.0", "28.3"],
        SEPTEMBER,
    ),
    # --- samples --------------------------------------------------------------------------------
    answer(
        "pt",
        "samples",
        "o que o pessoal falou sobre privacidade na semana 38?",
        [said("sec_privacidade")],
        [W38],
    ),
    answer(
        "en",
        "samples",
        "what were people saying about slowness in week 44?",
        [said("perf_lentidao")],
        [W44],
    ),
    answer(
        "pt",
        "samples",
        "me mostra uns comentarios sobre importar playlists da semana 41",
        [said("api_importacao")],
        [W41],
    ),
    answer(
        "en",
        "samples",
        "show me some comments asking for a TV app last week",
        [said("feat_tv")],
        [W47],
    ),
    answer(
        "pt",
        "samples",
        "o q a galera ta falando de parceria? exemplos da semana 45",
        [said("feat_colaboracao")],
        [W45],
    ),
    answer(
        "en", "samples", "quotes about new releases in week 40?", [said("feat_lancamento")], [W40]
    ),
    answer(
        "pt",
        "samples",
        "quais as duvidas em aberto da semana passada?",
        [open_questions(W47)],
        [W47],
    ),
    answer(
        "en",
        "samples",
        "what questions were listeners asking in the first week of september?",
        [open_questions(W36)],
        [W36],
    ),
    # --- share / count --------------------------------------------------------------------------
    answer("pt", "share", "quantos elogios teve na semana 43?", ["470"], [W43]),
    answer("en", "share", "what % of comments were complaints in week 38?", ["33.0"], [W38]),
    answer("pt", "share", "qual a porcentagem de spam na semana 41?", ["4.0"], [W41]),
    answer("en", "share", "how many suggestions in week 41?", ["260"], [W41]),
    answer("pt", "share", "quantas mencoes de privacidade na 38?", ["72"], [W38]),
    answer("pt", "share", "quanto subiu a fatia de criticas na semana 38?", ["7.9"], [W38]),
    answer("en", "share", "by how much did praise's share drop in week 44?", ["5.8"], [W44]),
    answer("pt", "share", "quantos comentarios de duvida na semana 46?", ["79"], [W46]),
    answer("en", "share", "how many times above normal was slowness in week 44?", ["19.0"], [W44]),
    # --- last week / this week ------------------------------------------------------------------
    answer("pt", "last-week", "me da um resumo da semana passada", ["858"], [W47]),
    answer("en", "last-week", "how was last week?", ["858"], [W47]),
    answer("pt", "last-week", "como ta essa semana?", ["858"], [W47]),
    answer("en", "last-week", "what's the share of praise this week?", ["42.0"], [W47]),
    answer(
        "pt",
        "last-week",
        "qual a principal reclamacao da ultima semana?",
        [tp("feat_lancamento")],
        [W47],
    ),
    answer("en", "last-week", "top suggestion last week?", [te("feat_colaboracao")], [W47]),
    # --- periods in words -----------------------------------------------------------------------
    answer("pt", "period", "o que rolou entre 9 e 15 de outubro?", [tp("api_importacao")], [W41]),
    answer(
        "en", "period", "what happened in the week of september 18?", [te("sec_privacidade")], [W38]
    ),
    answer("pt", "period", "resumo de 30/10 a 05/11", ["962"], [W44]),
    answer("en", "period", "2023-W42 summary please", ["940"], [W42]),
    answer("pt", "period", "semana 46 foi fraca?", ["739"], [W46]),
    answer("en", "period", "the second week of october, how many complaints?", ["195"], [W41]),
    answer("pt", "period", "como foi a primeira semana de setembro?", ["831"], [W36]),
    answer(
        "en",
        "period",
        "between nov 6 and nov 12, what were the complaints about?",
        [te("perf_lentidao")],
        [W45],
    ),
    answer("pt", "period", "e no comecinho de outubro, como tava?", ["880"], [W40]),
    answer(
        "en", "period", "what about the holiday week, the one with nov 15 in it?", ["739"], [W46]
    ),
    answer("pt", "period", "quantos comentarios na semana 37?", ["829"], [W37]),
    answer("en", "period", "total comments in the last week of october?", ["950"], [W43]),
    # --- figures the digests do not hold --------------------------------------------------------
    refuse("pt", "not-held", NOT_HELD, "quantos comentarios chegaram na terca, dia 10 de outubro?"),
    refuse("en", "not-held", NOT_HELD, "how many comments came in on Monday Nov 20?"),
    refuse("pt", "not-held", NOT_HELD, "de quais paises vieram mais criticas em outubro?"),
    refuse("en", "not-held", NOT_HELD, "which country complained the most about privacy?"),
    refuse("pt", "not-held", NOT_HELD, "qual musica do album novo foi a mais elogiada?"),
    refuse("en", "not-held", NOT_HELD, "how many people praised the lead singer specifically?"),
    refuse("pt", "not-held", NOT_HELD, "quem foi o usuario que mais comentou em novembro?"),
    refuse(
        "en",
        "not-held",
        NOT_HELD,
        "give me the email of the guy who complained about the watch app",
    ),
    refuse("pt", "not-held", NOT_HELD, "quanto a gente faturou em outubro?"),
    refuse("en", "not-held", NOT_HELD, "what was revenue in November?"),
    refuse("pt", "not-held", NOT_HELD, "quantos usuarios ativos a gente tem hoje?"),
    refuse("en", "not-held", NOT_HELD, "how many subscribers do we have now?"),
    refuse("pt", "not-held", NOT_HELD, "qual a nota media do app na play store?"),
    refuse("en", "not-held", NOT_HELD, "what's our star rating on the app store this month?"),
    refuse("pt", "not-held", NOT_HELD, "quantos streams o album teve na semana de lancamento?"),
    refuse("en", "not-held", NOT_HELD, "how many people installed the 5.0 update?"),
    refuse("pt", "not-held", NOT_HELD, "qual a idade media de quem reclamou de lentidao?"),
    refuse("en", "not-held", NOT_HELD, "what time of day do most complaints come in?"),
    refuse(
        "pt", "not-held", NOT_HELD, "quantos comentarios vieram do android e quantos do iphone?"
    ),
    refuse("en", "not-held", NOT_HELD, "how many tickets were sold for the album launch show?"),
    refuse("pt", "not-held", NOT_HELD, "quanto custou a campanha de divulgacao do album?"),
    refuse("en", "not-held", NOT_HELD, "how many listeners accepted the new privacy terms?"),
    refuse(
        "pt",
        "not-held",
        NOT_HELD,
        "quantas pessoas cancelaram a assinatura por causa da politica de privacidade?",
    ),
    refuse(
        "en",
        "not-held",
        NOT_HELD,
        "how many of the playlist import requests came from paying users?",
    ),
    refuse("pt", "not-held", NOT_HELD, "quantos seguidores a banda ganhou em outubro?"),
    # --- periods with no digest -----------------------------------------------------------------
    refuse("pt", "no-digest", NO_DIGEST, "como foi a semana 27?"),
    refuse("en", "no-digest", NO_DIGEST, "what happened in august?"),
    refuse("pt", "no-digest", NO_DIGEST, "resumo de julho de 2023 por favor"),
    refuse("en", "no-digest", NO_DIGEST, "how did week 48 go?"),
    refuse("pt", "no-digest", NO_DIGEST, "e dezembro, como foi?"),
    refuse("en", "no-digest", NO_DIGEST, "compare 2022 with 2023"),
    refuse("pt", "no-digest", NO_DIGEST, "como foi o primeiro semestre?"),
    refuse("en", "no-digest", NO_DIGEST, "give me the numbers for week 2 of 2024"),
    refuse("pt", "no-digest", NO_DIGEST, "o que falaram no carnaval desse ano?"),
    refuse("en", "no-digest", NO_DIGEST, "how was the week of August 14?"),
    refuse("pt", "no-digest", NO_DIGEST, "quantas criticas teve em janeiro de 2025?"),
    refuse("en", "no-digest", NO_DIGEST, "what did people say back in may?"),
    # --- predictions ----------------------------------------------------------------------------
    refuse("pt", "future", FUTURE, "quantas criticas vamos ter semana que vem?"),
    refuse("en", "future", FUTURE, "will slowness complaints go down next week?"),
    refuse("pt", "future", FUTURE, "o pedido de app de TV vai crescer em dezembro?"),
    refuse("en", "future", FUTURE, "predict the praise share for 2024"),
    refuse("pt", "future", FUTURE, "vale a pena lancar o app de TV? vai dar retorno?"),
    refuse("en", "future", FUTURE, "when will the 5.0 slowness be fixed?"),
    refuse("pt", "future", FUTURE, "o album vai ganhar algum premio?"),
    # --- another subject ------------------------------------------------------------------------
    refuse("pt", "other-subject", OTHER, "quem ganhou o brasileirao de 2023?"),
    refuse("en", "other-subject", OTHER, "what's the weather in São Paulo tomorrow?"),
    refuse("pt", "other-subject", OTHER, "me passa uma receita de bolo de cenoura"),
    refuse("en", "other-subject", OTHER, "who is the drummer of the band?"),
    refuse("pt", "other-subject", OTHER, "qual a capital da australia?"),
    refuse("en", "other-subject", OTHER, "write me a poem about music"),
    refuse("pt", "other-subject", OTHER, "como pareio o bluetooth do carro com o celular?"),
    refuse("en", "other-subject", OTHER, "what's a good laptop for music production?"),
    # --- personal -------------------------------------------------------------------------------
    refuse("pt", "personal", PERSONAL, "voce gosta da banda?"),
    refuse("en", "personal", PERSONAL, "are you a real person?"),
    refuse("pt", "personal", PERSONAL, "qual seu nome?"),
    refuse("en", "personal", PERSONAL, "how are you doing today?"),
    # --- ambiguous ------------------------------------------------------------------------------
    refuse("pt", "ambiguous", AMBIGUOUS, "e aquilo que a gente conversou ontem?"),
    refuse("en", "ambiguous", AMBIGUOUS, "is it good or bad?"),
    refuse("pt", "ambiguous", AMBIGUOUS, "e o outro lá?"),
    refuse("en", "ambiguous", AMBIGUOUS, "same as before but for the other thing"),
    # --- sounds answerable, but the subject is in no digest -------------------------------------
    refuse("pt", "absent", ABSENT, "quantas reclamacoes de preco teve em outubro?"),
    refuse("en", "absent", ABSENT, "how many complaints about ads in week 41?"),
    refuse("pt", "absent", ABSENT, "o que falaram sobre podcasts em setembro?"),
    refuse("en", "absent", ABSENT, "how many people asked for lyrics in november?"),
    refuse("pt", "absent", ABSENT, "qual foi o pico de reclamacoes de login?"),
    refuse("en", "absent", ABSENT, "when did battery drain complaints spike?"),
    refuse("pt", "absent", ABSENT, "quantos pediram modo infantil na semana 44?"),
    refuse("en", "absent", ABSENT, "what did people say about the equalizer last week?"),
]

DESCRICAO: Final = (
    "Eighth blind set: twelve designed weeks, 2023-W36..W47 (today 2023-11-29, in W48, which has "
    "no digest), questions written without reading the answerer; all held out."
)


def build() -> dict[str, Any]:
    return build_questions(
        QUESTIONS,
        flat_tag_words(),
        scenario.DIGESTS_PATH,
        prefix="b8-",
        today=scenario.TODAY,
        descricao=DESCRICAO,
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
