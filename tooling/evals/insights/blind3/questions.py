"""The third blind questions: `python -m tooling.evals.insights.blind3.questions` rewrites
questions.json.

Written from the designed weeks of `build.py` (see README.md), never from the answerer's code or
answers. The conventions are the other blind sets': a fact is what a correct answer must state, a
tuple lists accepted alternatives, "@CRÍTICA" is a category's words and "#feat_preco" a tag's (tag
ids are not among them: a person expects words), any other string is a figure or a listener's words,
checked against the digests of the question's weeks when the file is written.

"Today" is 2026-01-21, a Wednesday of 2026-W04 (no digest yet): "essa semana" / "last week" =
2026-W03, the last closed week; "mês passado" = December 2025; a month is the weeks whose Thursday
falls in it (November = 2025-W45..W48, December = 2025-W49..W52, January so far = 2026-W01..W03;
2025-W44 is October's last week and the only one of October held, so no question names October);
"the last N weeks" = the last N digests; "every week" and "since the start" = all 12.
"""

from __future__ import annotations

from typing import Any, Final

from tooling.evals.insights.blind3.build import HERE, TODAY
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"
DIGESTS_PATH: Final = HERE / "digests.json"

TAG_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "fix_travamento": (
        "travamento", "travamentos", "trava", "travando", "travar", "crash", "crashes",
        "crashing", "freezes", "freezing", "freeze",
    ),
    "fix_pagamento": (
        "pagamento", "pagamentos", "cobrança", "cobranças", "payment", "payments", "billing",
    ),
    "feat_preco": (
        "preço", "preços", "price", "prices", "pricing", "mensalidade", "caro", "expensive",
    ),
    "feat_catalogo": (
        "catálogo", "catalogo", "catalogue", "catalog", "músicas fora do catálogo",
        "missing songs", "removed albums",
    ),
    "feat_anuncio": (
        "anúncio", "anúncios", "propaganda", "propagandas", "ads", "advertising", "adverts",
    ),
    "feat_letra": ("letra", "letras", "letras das músicas", "lyrics"),
    "feat_retrospectiva": (
        "retrospectiva", "retrospectiva anual", "year in review", "recap", "yearly recap",
        "year-end recap", "wrapped",
    ),
    "perf_bateria": ("bateria", "battery"),
}  # fmt: skip

LABELS: Final = [
    *(f"2025-W{n}" for n in range(44, 53)),
    *(f"2026-W0{n}" for n in range(1, 4)),
]


def span(first: str, last: str) -> list[str]:
    """The covered weeks from `first` to `last`, both included."""
    return LABELS[LABELS.index(first) : LABELS.index(last) + 1]


def one(week: str) -> list[str]:
    return span(week, week)


ALL = LABELS
W44, W45, W46, W47, W48, W49, W50, W51, W52, J01, J02, J03 = LABELS
NOVEMBER = span(W45, W48)
DECEMBER = span(W49, W52)
JANUARY = span(J01, J03)  # so far: W04 has no digest yet
LAST4 = span(W52, J03)
LAST6 = span(W50, J03)
LAST8 = span(W48, J03)

PAYMENT_SAID: Final = ("cartão foi recusado", "charged twice", "Pix da assinatura", "payment page")
PRICE_SAID: Final = ("mensalidade", "too steep", "family plan goes up", "R$ 5")
CATALOGUE_SAID: Final = ("álbum ao vivo de 2012", "Christmas EP", "primeiro disco", "greyed out")
CRASH_SAID: Final = ("troco de faixa", "freezes", "fecha sozinho", "crashes on launch")
RECAP_SAID: Final = ("retrospectiva do ano", "year in review", "quantas horas", "yearly recap")
LYRICS_SAID: Final = ("letra enquanto toca", "lyrics on screen", "cantar junto")
EARLY_ASKED: Final = ("Black Friday", "promoção de novembro", "gift a subscription")
LATE_ASKED: Final = (
    "preço novo", "new price", "retrospectiva em janeiro", "student discount",
    "álbum ao vivo saiu",
)  # fmt: skip

QUESTIONS: Final[list[Q]] = [
    # --- general: the latest digest, or the period named --------------------------------------
    answer("pt", "general", "quais são as tendências recentes?", ["#feat_catalogo", "27"], one(J03)),
    answer("pt", "general", "como andam os comentários?", ["#feat_catalogo", "27"], one(J03)),
    answer("en", "general", "how are things going?", ["#feat_catalogo", "27"], one(J03)),
    answer("en", "general", "any news from the listeners lately?", ["#feat_catalogo"], one(J03)),
    answer("pt", "general", "oq tá rolando de novo nos feedbacks?", ["#feat_catalogo"], one(J03)),
    answer("en", "general", "give me the big picture for December", ["#feat_retrospectiva", "#feat_preco"], DECEMBER),
    answer("pt", "general", "me faz um resumão do mês passado", ["#feat_retrospectiva", "#feat_preco"], DECEMBER),
    answer("en", "general", "what's been happening in January so far?", ["#feat_catalogo", "27"], JANUARY),
    # --- last week ----------------------------------------------------------------------------
    answer("pt", "last_week", "quantos comentários chegaram semana passada?", ["1145"], one(J03)),
    answer("en", "last_week", "how many comments did we get last week?", ["1145"], one(J03)),
    answer("pt", "last_week", "qual foi a maior reclamação essa semana?", ["#feat_catalogo", "27"], one(J03)),
    answer("en", "last_week", "top suggestion last week?", ["#feat_letra", "10"], one(J03)),
    answer("pt", "last_week", "o que tá em alta na última semana?", ["#feat_catalogo", ("3.4", "27")], one(J03)),
    answer("en", "last_week", "what share of last week's comments was praise?", ["@ELOGIO", "43.7"], one(J03)),
    answer("pt", "last_week", "teve alguma mudança significativa semana passada?", [("sem mudança significativa", "estável", "not significant", "no significant")], one(J03)),
    answer("en", "last_week", "which open questions did listeners ask last week?", [LATE_ASKED], one(J03)),
    # --- when: peaks, spikes, falls -----------------------------------------------------------
    answer("pt", "when", "quando estourou a reclamação de pagamento?", ["#fix_pagamento", "82"], one(W46)),
    answer("en", "when", "When did the payment complaints spike?", ["#fix_pagamento", "82"], one(W46)),
    answer("pt", "when", "em que semana as críticas de preço chegaram no pico?", ["#feat_preco", "44"], one(W52)),
    answer("en", "when", "which week had the most price complaints?", ["#feat_preco", "44"], one(W52)),
    answer("pt", "when", "quando o pessoal mais pediu retrospectiva?", ["#feat_retrospectiva", "120"], one(W49)),
    answer("en", "when", "when did the year in review requests blow up?", ["#feat_retrospectiva", "120"], one(W49)),
    answer("pt", "when", "qual semana teve menos comentários?", ["885"], one(W52)),
    answer("en", "when", "which week was the quietest?", ["885"], one(W52)),
    answer("pt", "when", "qual semana teve mais comentário?", ["1230"], one(W49)),
    answer("en", "when", "What was our busiest week?", ["1230"], one(W49)),
    answer("pt", "when", "em que semana a fatia de críticas mais caiu?", ["@CRÍTICA", ("-7.2", "30.1")], one(J01)),
    answer("en", "when", "when did the share of criticism fall the most?", ["@CRÍTICA", ("-7.2", "30.1")], one(J01)),
    answer("pt", "when", "qnd os elogios tiveram o maior salto?", ["@ELOGIO", ("5.0", "38.9", "440")], one(J01)),
    answer("en", "when", "when did the catalogue complaints start spiking?", ["#feat_catalogo", "9"], one(J01)),
    answer("pt", "when", "em que semana as sugestões dispararam?", ["@SUGESTÃO", ("300", "24.4")], one(W49)),
    answer("en", "when", "when was criticism at its highest share?", ["@CRÍTICA", "37.3"], one(W52)),
    # --- most / least, by volume and by recurrence ---------------------------------------------
    answer("pt", "most_least", "qual crítica aparece toda semana?", ["#fix_travamento"], ALL),
    answer("en", "most_least", "which complaint keeps coming back every single week?", ["#fix_travamento"], ALL),
    answer("pt", "most_least", "qual sugestão é a mais recorrente?", ["#feat_letra"], ALL),
    answer("en", "most_least", "what's the most persistent suggestion since the start?", ["#feat_letra"], ALL),
    answer("pt", "most_least", "qual foi a maior crítica num única semana?", ["#fix_pagamento", "82"], one(W46)),
    answer("en", "most_least", "biggest single-week suggestion?", ["#feat_retrospectiva", "120"], one(W49)),
    answer("pt", "most_least", "qual foi a crítica mais citada em dezembro?", ["#feat_preco", "44"], DECEMBER),
    answer("en", "most_least", "top complaint in November?", ["#fix_pagamento", "82"], NOVEMBER),
    answer("pt", "most_least", "qual reclamação mais cresceu em janeiro?", ["#feat_catalogo", "27"], JANUARY),
    answer("en", "most_least", "which week of the last 6 had the fewest comments?", ["885"], LAST6),
    answer("pt", "most_least", "nas últimas 4 semanas qual semana teve mais elogios?", ["500"], LAST4),
    answer("en", "most_least", "most talked-about complaint in the last 8 weeks?", ["#feat_preco", "44"], LAST8),
    answer("pt", "most_least", "qual categoria tem mais comentário semana passada?", ["@ELOGIO", "500"], one(J03)),
    answer("en", "most_least", "which category was the smallest last week?", [("SPAM", "spam"), "50"], one(J03)),
    # --- compare two weeks or periods ---------------------------------------------------------
    answer("pt", "compare", "compara as críticas da semana 46 com a 45", ["390", "282"], [W45, W46]),
    answer("en", "compare", "compare week 52 with week 51 in total comments", ["885", "1098"], [W51, W52]),
    answer("pt", "compare", "elogios na semana 3 vs semana 2 de janeiro?", ["500", "470"], [J02, J03]),
    answer("en", "compare", "How do price complaints in week 50 compare to week 51?", ["20", "31"], [W50, W51]),
    answer("pt", "compare", "sugestões semana 49 x semana 50", ["300", "180"], [W49, W50]),
    answer("en", "compare", "compare the catalogue complaints of the first and second weeks of January", ["9", "16"], [J01, J02]),
    answer("pt", "compare", "a semana do natal foi mais fraca que a de ano novo?", ["885", "1130"], [W52, J01]),
    answer("en", "compare", "criticism share in week 47 versus week 46?", ["29.8", "35.1"], [W46, W47]),
    answer("pt", "compare", "como a semana de 8 de dezembro se compara com a de 1º de dezembro em críticas?", ["345", "320"], [W49, W50]),
    answer("en", "compare", "dúvidas in week 3 vs week 1, how did they change?", ["150", "125"], [J01, J03]),
    # --- trend of one subject over N weeks ------------------------------------------------------
    answer("pt", "trend", "como evoluíram as reclamações de preço nas últimas 6 semanas?", ["#feat_preco", "44", "7"], LAST6),
    answer("en", "trend", "price complaints trend over December?", ["#feat_preco", "12", "44"], DECEMBER),
    answer("pt", "trend", "o catálogo tá piorando em janeiro?", ["#feat_catalogo", "9", "27"], JANUARY),
    answer("en", "trend", "how have the catalogue complaints moved in the last three weeks?", ["#feat_catalogo", "9", "16", "27"], JANUARY),
    answer("pt", "trend", "tendência dos elogios nas últimas 4 semanas", ["@ELOGIO", ("33.9", "300"), ("43.7", "500")], LAST4),
    answer("en", "trend", "how did praise do over the last 4 weeks?", ["@ELOGIO", ("300", "33.9"), ("500", "43.7")], LAST4),
    answer("pt", "trend", "as críticas subiram em dezembro?", ["@CRÍTICA", ("26.0", "320"), ("37.3", "330")], DECEMBER),
    answer("en", "trend", "trend of doubts/questions over the last four weeks", [("dúvidas", "questions", "DÚVIDA"), ("95", "10.7"), ("150", "13.1")], LAST4),
    answer("pt", "trend", "como foi a reclamação de pagamento em novembro?", ["#fix_pagamento", "82", "26"], NOVEMBER),
    answer("en", "trend", "Did the crash complaints grow over the last 6 weeks?", ["#fix_travamento", "13"], LAST6),
    # --- what people said -----------------------------------------------------------------------
    answer("pt", "samples", "o que o pessoal falou sobre pagamento na semana 46?", [PAYMENT_SAID], one(W46)),
    answer("en", "samples", "what did listeners say about the new prices in week 52?", [PRICE_SAID], one(W52)),
    answer("pt", "samples", "o que estão dizendo do catálogo semana passada?", [CATALOGUE_SAID], one(J03)),
    answer("en", "samples", "show me some comments about the catalogue last week", [CATALOGUE_SAID], one(J03)),
    answer("pt", "samples", "exemplos de comentários pedindo retrospectiva", [RECAP_SAID], one(W49)),
    answer("en", "samples", "what exactly did people write about the year in review?", [RECAP_SAID], one(W49)),
    answer("pt", "samples", "o que falaram dos travamentos na semana 50?", [CRASH_SAID], one(W50)),
    answer("en", "samples", "quotes about lyrics from last week?", [LYRICS_SAID], one(J03)),
    answer("pt", "samples", "que dúvidas ficaram sem resposta na semana 47?", [EARLY_ASKED], one(W47)),
    answer("en", "samples", "what were people asking in week 51?", [LATE_ASKED], one(W51)),
    answer("pt", "samples", "o que disseram sobre preço em dezembro?", [PRICE_SAID], DECEMBER),
    # --- share of a category or tag in a week --------------------------------------------------
    answer("pt", "share", "qual a porcentagem de críticas na semana 52?", ["@CRÍTICA", "37.3"], one(W52)),
    answer("en", "share", "what % of comments were suggestions in week 49?", ["@SUGESTÃO", "24.4"], one(W49)),
    answer("pt", "share", "quanto os elogios representaram na semana de 12 de janeiro?", ["@ELOGIO", "43.7"], one(J03)),
    answer("en", "share", "praise share in the week of Nov 10?", ["@ELOGIO", "34.2"], one(W46)),
    answer("pt", "share", "qual o percentual de spam na semana 44?", [("SPAM", "spam"), "5.1"], one(W44)),
    answer("en", "share", "What share were doubts in week 2 of January?", [("dúvidas", "questions", "DÚVIDA"), "12.4"], one(J02)),
    answer("pt", "share", "quantos % foram críticas na semana 46?", ["@CRÍTICA", "35.1"], one(W46)),
    answer("en", "share", "how many comments were criticism in the week of 22/12?", ["@CRÍTICA", "330"], one(W52)),
    answer("pt", "share", "quantas menções de pagamento tiveram na semana 46?", ["#fix_pagamento", "82"], one(W46)),
    answer("en", "share", "how many times was the year in review mentioned in week 49?", ["#feat_retrospectiva", "120"], one(W49)),
    # --- a category change: share vs count --------------------------------------------------
    answer("pt", "change", "as críticas caíram na semana do natal?", ["330", "37.3"], one(W52)),
    answer("en", "change", "did criticism go up or down in week 52?", ["330", "37.3"], one(W52)),
    answer("pt", "change", "as críticas aumentaram na primeira semana de janeiro?", ["340", "30.1"], one(J01)),
    answer("en", "change", "what happened to praise in week 50?", ["410", "36.8"], one(W50)),
    answer("pt", "change", "a variação das sugestões na semana 50 foi significativa?", [("180", "16.1"), "-8.3"], one(W50)),
    answer("en", "change", "was the jump in criticism in week 46 significant?", [("390", "35.1"), "7.5"], one(W46)),
    answer("pt", "change", "o que mudou nas categorias na semana 45?", [("sem mudança significativa", "estável", "not significant", "no significant")], one(W45)),
    # --- unanswerable: periods the digests do not cover -----------------------------------------
    refuse("pt", "period", "uncovered", "como foi a semana 40 de 2025?"),
    refuse("en", "period", "uncovered", "what were the top complaints in September 2025?"),
    refuse("pt", "period", "uncovered", "resumo de fevereiro de 2026"),
    refuse("en", "compare", "uncovered", "Compare this January with January 2025"),
    refuse("pt", "trend", "uncovered", "como estavam as críticas no meio de 2025?"),
    refuse("en", "share", "uncovered", "praise share in week 6 of 2026?"),
    refuse("pt", "period", "uncovered", "o que rolou na semana de 2 de março?"),
    refuse("en", "samples", "uncovered", "What did listeners say about lyrics in 2026-W06?"),
    # --- unanswerable: years before the data ------------------------------------------------------
    refuse("pt", "general", "year", "como foi o ano de 2024 nos comentários?"),
    refuse("en", "when", "year", "When did price complaints peak in 2023?"),
    refuse("pt", "compare", "year", "compara o natal de 2025 com o de 2024"),
    refuse("en", "general", "year", "summary of 2022 please"),
    # --- unanswerable: figures the digests do not hold ------------------------------------------
    refuse("pt", "share", "metric", "quanto faturamos em dezembro?"),
    refuse("en", "share", "metric", "What was our revenue after the price change?"),
    refuse("pt", "share", "metric", "quantos assinantes cancelaram depois do aumento?"),
    refuse("en", "share", "metric", "How many paying subscribers do we have?"),
    refuse("pt", "share", "metric", "qual a nota do app na loja?"),
    refuse("en", "share", "metric", "What's our NPS this quarter?"),
    refuse("pt", "share", "metric", "quantos downloads o app teve em janeiro?"),
    refuse("en", "share", "metric", "average listening time per user in December?"),
    refuse("pt", "share", "metric", "quantos comentários chegaram ontem às 15h?"),
    refuse("pt", "share", "metric", "quanto custa o plano família hoje?"),
    # --- unanswerable: the future -----------------------------------------------------------------
    refuse("pt", "trend", "future", "as reclamações de catálogo vão continuar subindo em fevereiro?"),
    refuse("en", "trend", "future", "Will criticism go down next week?"),
    refuse("pt", "when", "future", "quando vai ser o próximo pico de comentários?"),
    refuse("en", "share", "future", "what share of praise should we expect in March?"),
    refuse("pt", "general", "future", "o que vai acontecer se a gente baixar o preço?"),
    refuse("en", "general", "future", "predict next month's top complaint"),
    refuse("pt", "most_least", "future", "qual sugestão vai ser a mais pedida no carnaval?"),
    # --- unanswerable: a named person's opinion -------------------------------------------------
    refuse("pt", "samples", "person", "o que a Juliana do marketing achou do aumento?"),
    refuse("en", "samples", "person", "What does the drummer think about the year in review?"),
    refuse("pt", "samples", "person", "qual a opinião do diretor financeiro sobre os preços?"),
    refuse("en", "samples", "person", "Did Pedro like the new layout?"),
    refuse("pt", "samples", "person", "O Caetano Veloso comentou alguma coisa?"),
    # --- unanswerable: one user's data ------------------------------------------------------------
    refuse("en", "samples", "user", "Show me everything user 77812 commented in December."),
    refuse("pt", "samples", "user", "quem é o usuário que reclamou de cobrança em dobro?"),
    refuse("en", "most_least", "user", "Which listener posted the most complaints about prices?"),
    refuse("pt", "samples", "user", "me passa o email de quem pediu retrospectiva"),
    refuse("en", "samples", "user", "what's the phone number of the guy whose card was declined?"),
    # --- unanswerable: other products --------------------------------------------------------------
    refuse("pt", "samples", "entity", "o que falam do YouTube Music?"),
    refuse("en", "when", "entity", "when did complaints about Apple Music peak?"),
    refuse("pt", "trend", "entity", "como evoluiu a opinião sobre o app de karaokê da concorrência?"),
    refuse("en", "samples", "entity", "what do people think of Tidal's prices?"),
    refuse("pt", "share", "entity", "qual a porcentagem de críticas ao SoundCloud em dezembro?"),
    # --- unanswerable: off-topic ----------------------------------------------------------------------
    refuse("pt", "off_topic", "off_topic", "qual a previsão do tempo pra amanhã em Curitiba?"),
    refuse("en", "off_topic", "off_topic", "Translate 'good morning' to French."),
    refuse("pt", "off_topic", "off_topic", "quanto é 17 vezes 23?"),
    refuse("en", "off_topic", "off_topic", "Recommend a good pizza place near the office."),
    refuse("pt", "off_topic", "off_topic", "quem ganhou o Oscar de melhor filme?"),
    refuse("en", "off_topic", "off_topic", "Tell me a joke about drummers."),
]  # fmt: skip


def build() -> dict[str, Any]:
    return build_questions(
        QUESTIONS,
        TAG_WORDS,
        DIGESTS_PATH,
        prefix="d",
        today=TODAY,
        descricao=(
            "Third blind held-out set over the designed weeks of build.py (see README.md), "
            "across a year boundary; a fact given as a list is stated when any one of its "
            "wordings is."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
