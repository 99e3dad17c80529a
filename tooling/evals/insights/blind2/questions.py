"""The second blind questions: `python -m tooling.evals.insights.blind2.questions` rewrites
questions.json.

Written from the designed weeks of `build.py` (see README.md), never from the answerer's code or
answers. The conventions are the first blind set's: a fact is what a correct answer must state, a
tuple lists accepted alternatives, "@ELOGIO" is a category's words and "#feat_anuncio" a tag's (tag
ids are not among them: a person expects words), any other string is a figure or a listener's words,
checked against the digests of the question's weeks when the file is written.

"Today" is 2026-10-14, a Wednesday of W42 (no digest yet): "essa semana" / "last week" = W41, the
last closed week; "mês passado" = September; a month is the weeks whose Thursday falls in it (July =
W30-W31, August = W32-W35, September = W36-W39, October so far = W40-W41); "the last weeks" with no
number = the last 8 digests (W34-W41); "every week" and "since July" = all 12.
"""

from __future__ import annotations

from typing import Any, Final

from tooling.evals.insights.blind2.build import HERE, TODAY
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"
DIGESTS_PATH: Final = HERE / "digests.json"

TAG_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "fix_login": (
        "login", "logar", "logon", "entrar na conta", "sign in", "signing in", "log in",
        "logging in",
    ),
    "feat_catalogo": (
        "catálogo", "catalogo", "catalogue", "catalog", "músicas fora do catálogo",
        "missing songs",
    ),
    "feat_anuncio": (
        "anúncio", "anúncios", "propaganda", "propagandas", "ads", "ad", "advertising",
        "advertisements", "adverts",
    ),
    "feat_preco": ("preço", "preços", "price", "prices", "pricing", "caro", "expensive"),
    "feat_acustico": (
        "acústico", "acústica", "acústicos", "acústicas", "versão acústica", "versões acústicas",
        "acoustic",
    ),
    "feat_turne": ("turnê", "turne", "tour", "tour dates", "datas da turnê", "datas de turnê"),
    "feat_traducao": (
        "tradução", "traduções", "traduzidas", "translation", "translations", "translated",
    ),
    "feat_widget": ("widget", "widgets"),
}  # fmt: skip

W_LABELS: Final = [f"2026-W{n}" for n in range(30, 42)]


def weeks(first: int, last: int) -> list[str]:
    return [f"2026-W{n}" for n in range(first, last + 1)]


W = weeks
ALL = W_LABELS
LAST8 = W(34, 41)
JULY = W(30, 31)
AUGUST = W(32, 35)
SEPTEMBER = W(36, 39)
OCTOBER = W(40, 41)  # so far: W42 has no digest yet

LOGIN_SAID: Final = (
    "não consigo logar",
    "spins forever",
    "pede a senha",
    "Google account",
)
ADS_SAID: Final = (
    "anúncio em vídeo",
    "video ads",
    "três propagandas",
    "interrupt the album",
)
CATALOGUE_SAID: Final = ("faixa bônus", "greyed out", "primeiro disco", "2019 EP")
TOUR_SAID: Final = ("Recife", "Europe", "São Paulo", "Lisbon")
ACOUSTIC_SAID: Final = ("versão acústica", "acoustic version", "álbum acústico")
PRICE_SAID: Final = ("estudante", "family plan", "mais barato")
TRANSLATION_SAID: Final = ("tradução das letras", "Portuguese lyric", "fãs de fora")
TOUR_QUESTIONS_SAID: Final = ("ingressos", "tour tickets", "meia-entrada", "presale", "Portugal")
ALBUM_QUESTIONS_SAID: Final = ("que dia sai", "album drop", "faixa bônus", "deluxe edition")
NOT_SIGNIFICANT: Final = (
    "not significant",
    "not statistically significant",
    "insignificant",
    "não significativa",
    "sem mudança significativa",
    "não foi significativa",
)

QUESTIONS: Final[list[Q]] = [
    # --- general: answered from the latest digests (or the period named), not refused ---------
    answer("pt", "general", "quais são as tendências recentes?", ["#feat_anuncio", "54"], W(41, 41)),
    answer("pt", "general", "e aí, como tão as coisas?", ["#feat_anuncio", "54"], W(41, 41)),
    answer("pt", "general", "alguma novidade nos comentarios?", ["#feat_anuncio"], W(41, 41)),
    answer("pt", "general", "Resume o mês passado pra mim", ["#feat_turne", "@ELOGIO"], SEPTEMBER),
    answer("en", "general", "how are things going?", ["#feat_anuncio", "54"], W(41, 41)),
    answer("en", "general", "What are the recent trends?", ["#feat_anuncio", "54"], W(41, 41)),
    answer("en", "general", "Give me a quick summary of August.", ["#fix_login", "95"], AUGUST),
    answer(
        "en", "general", "overview of the last 6 weeks pls", ["#feat_turne", "#feat_anuncio"],
        W(36, 41),
    ),
    # --- when did X peak / spike / fall (over every covered week) -------------------------------
    answer(
        "pt", "when", "Em qual semana as reclamações de login dispararam?", ["#fix_login", "95"],
        W(32, 32),
    ),
    answer("en", "when", "when did the login complaints spike?", ["#fix_login", "95"], W(32, 32)),
    answer("pt", "when", "qnd foi o pico de pedidos de turnê?", ["#feat_turne", "110"], W(36, 36)),
    answer(
        "en", "when", "Which week did requests for tour dates peak?", ["#feat_turne", "110"],
        W(36, 36),
    ),
    answer(
        "pt", "when", "Em que semana as reclamações de anúncios foram mais altas?",
        ["#feat_anuncio", "54"], W(41, 41),
    ),
    answer("en", "when", "When did the complaints about ads start?", ["#feat_anuncio", "9"], W(38, 38)),
    answer(
        "pt", "when", "Quando os elogios chegaram no ponto mais alto?", [("51.0", "612")], W(39, 39)
    ),
    answer(
        "en", "when", "In which week did praise fall the most?", [("45.2", "5.8", "530")], W(40, 40)
    ),
    answer(
        "pt", "when", "Em que semana as críticas caíram mais?", [("30.2", "330", "6.6")], W(33, 33)
    ),
    answer(
        "en", "when", "when did criticism jump the most?", [("36.8", "8.2", "430")], W(32, 32)
    ),
    answer("en", "when", "When did we get the most comments?", ["1240"], W(36, 36)),
    answer(
        "pt", "when", "Em que semana as dúvidas caíram de forma significativa?",
        [("11.3", "140", "4.6")], W(36, 36),
    ),
    answer("en", "when", "When did suggestions surge?", [("21.8", "270", "7.7")], W(36, 36)),
    answer(
        "en", "when", "When did requests for translated lyrics peak?", ["#feat_traducao", "19"],
        W(36, 36),
    ),
    answer("en", "when", "When did praise rise significantly?", [("46.4", "6.1")], W(37, 37)),
    # --- the most / the least (by volume; by recurrence) ----------------------------------------
    answer(
        "pt", "most_least", "O que o pessoal mais sugeriu nas últimas semanas?",
        ["#feat_turne", "110"], LAST8,
    ),
    answer(
        "en", "most_least", "what did listeners suggest the most in recent weeks?",
        ["#feat_turne", "110"], LAST8,
    ),
    answer("pt", "most_least", "Qual sugestão aparece toda semana?", ["#feat_acustico"], ALL),
    answer(
        "en", "most_least", "Which suggestion keeps showing up week after week?",
        ["#feat_acustico"], ALL,
    ),
    answer(
        "pt", "most_least", "Qual reclamação aparece em todas as semanas?", ["#feat_catalogo"], ALL
    ),
    answer(
        "en", "most_least", "What do people complain about every single week?",
        ["#feat_catalogo"], ALL,
    ),
    answer(
        "pt", "most_least", "Qual foi a crítica com mais menções numa única semana?",
        ["#fix_login", "95"], W(32, 32),
    ),
    answer(
        "en", "most_least", "What was the most mentioned complaint in the last 4 weeks?",
        ["#feat_anuncio"], W(38, 41),
    ),
    answer(
        "en", "most_least",
        "Since July, which complaint had the biggest one-week peak and which one never went away?",
        ["#fix_login", "#feat_catalogo"], ALL,
    ),
    answer(
        "en", "most_least", "which category was the biggest in week 32?",
        ["@CRÍTICA", ("430", "36.8")], W(32, 32),
    ),
    answer(
        "pt", "most_least", "Qual foi a maior categoria na semana 39?",
        ["@ELOGIO", ("612", "51.0")], W(39, 39),
    ),
    answer(
        "en", "most_least", "What was the least requested suggestion in week 41?",
        ["#feat_widget", "5"], W(41, 41),
    ),
    answer("pt", "most_least", "Em que semana tivemos menos comentários?", ["930"], W(34, 34)),
    answer(
        "pt", "most_least", "Qual sugestão teve mais menções em setembro?", ["#feat_turne", "110"],
        SEPTEMBER,
    ),
    # --- compare two named weeks or periods ----------------------------------------------------
    answer(
        "pt", "compare", "Compara a semana 32 com a 33", ["#fix_login", ("330", "30.2")], W(32, 33)
    ),
    answer(
        "en", "compare", "How did week 40 compare to week 39?", ["#feat_anuncio", "38"], W(39, 40)
    ),
    answer(
        "pt", "compare", "Recebemos mais comentários na semana 35 ou na 36?", ["1067", "1240"],
        W(35, 36),
    ),
    answer(
        "en", "compare", "more comments in week 30 or week 31?", ["1064", "1062"], W(30, 31)
    ),
    answer(
        "pt", "compare", "Compare agosto com setembro.", ["#fix_login", "#feat_turne"], W(32, 39)
    ),
    answer(
        "en", "compare", "How does praise in week 32 compare with week 39?", ["30.8", "51.0"],
        [*W(32, 32), *W(39, 39)],
    ),
    answer(
        "pt", "compare", "As críticas foram maiores na semana 32 ou na 41?",
        [("430", "36.8"), ("372", "32.2")], [*W(32, 32), *W(41, 41)],
    ),
    answer(
        "en", "compare", "Compare catalogue complaints in week 33 and week 36.", ["10", "13"],
        [*W(33, 33), *W(36, 36)],
    ),
    answer(
        "en", "compare", "Compare suggestions in weeks 35 and 36.",
        [("270", "21.8"), "#feat_turne"], W(35, 36),
    ),
    answer(
        "pt", "compare", "compara as duvidas da semana 35 com as da semana 41",
        [("170", "15.9"), ("70", "6.1")], [*W(35, 35), *W(41, 41)],
    ),
    # --- trend of one tag or category over N weeks --------------------------------------------
    answer(
        "pt", "trend", "Como evoluíram as dúvidas nas últimas 6 semanas?",
        [("11.3", "140"), ("6.1", "70")], W(36, 41),
    ),
    answer(
        "en", "trend", "How has praise trended over the last 6 weeks?",
        [("51.0", "612"), ("43.1", "498")], W(36, 41),
    ),
    answer(
        "pt", "trend", "tendencia das reclamações de anuncio nas ultimas 4 semanas",
        ["#feat_anuncio", "9", "54"], W(38, 41),
    ),
    answer(
        "en", "trend", "How did login complaints evolve from week 31 to week 35?",
        ["#fix_login", "95", "30"], W(31, 35),
    ),
    answer(
        "pt", "trend", "Como foi a evolução do total de comentários nas últimas 4 semanas?",
        ["1150", "1200", "1172", "1156"], W(38, 41),
    ),
    answer(
        "en", "trend", "What's the trend for translated lyrics requests from week 33 to week 38?",
        ["#feat_traducao", "19"], W(33, 38),
    ),
    answer(
        "pt", "trend", "As críticas tão subindo ou caindo nas últimas 3 semanas?",
        [("23.5", "282"), ("32.2", "372")], W(39, 41),
    ),
    answer(
        "pt", "trend", "Como foi a tendência dos elogios em setembro?",
        [("40.3", "500"), ("51.0", "612")], SEPTEMBER,
    ),
    answer(
        "en", "trend", "Did tour requests keep growing after their peak?",
        ["#feat_turne", "110"], W(36, 41),
    ),
    answer(
        "en", "trend", "How did the share of questions move over the last 8 weeks?",
        [("16.1", "150"), ("6.1", "70")], LAST8,
    ),
    # --- what people said about X (samples) ---------------------------------------------------
    answer("pt", "samples", "O que o pessoal falou sobre o login?", [LOGIN_SAID], W(32, 33)),
    answer("en", "samples", "What are listeners saying about the ads?", [ADS_SAID], W(38, 41)),
    answer("pt", "samples", "o que falaram dos anúncios semana passada?", [ADS_SAID], W(41, 41)),
    answer("en", "samples", "what did people say about the tour?", [TOUR_SAID], W(36, 36)),
    answer(
        "en", "samples", "Give me examples of catalogue complaints from week 35.",
        [CATALOGUE_SAID], W(35, 35),
    ),
    answer(
        "pt", "samples", "Quais dúvidas os ouvintes tiveram na semana 37?", [TOUR_QUESTIONS_SAID],
        W(37, 37),
    ),
    answer(
        "pt", "samples", "O que disseram sobre tradução das letras na semana 36?",
        [TRANSLATION_SAID], W(36, 36),
    ),
    answer(
        "pt", "samples", "Me mostra uns comentários sobre preço da semana 41", [PRICE_SAID],
        W(41, 41),
    ),
    # --- a category's or a tag's share (or count) in a given week; significance -------------
    answer(
        "pt", "share", "Qual foi a participação das críticas na semana 32?", ["36.8"], W(32, 32)
    ),
    answer("en", "share", "What share of comments were praise in week 38?", ["49.2"], W(38, 38)),
    answer(
        "pt", "share", "quantos % dos comentários foram spam na semana 34?", ["6.5"], W(34, 34)
    ),
    answer(
        "en", "share", "What percentage of comments were suggestions in week 36?", ["21.8"],
        W(36, 36),
    ),
    answer("pt", "share", "Qual a fatia das dúvidas na semana 41?", ["6.1"], W(41, 41)),
    answer(
        "en", "share", "How many mentions did ad complaints have in week 40?",
        ["#feat_anuncio", "38"], W(40, 40),
    ),
    answer(
        "pt", "share", "Quantas menções o catálogo teve nas críticas da semana 37?", ["12"],
        W(37, 37),
    ),
    answer("pt", "share", "Qual a porcentagem de elogios na semana 2026-W30?", ["36.1"], W(30, 30)),
    answer(
        "pt", "share", "Quantas menções teve a turnê nas sugestões da semana 36?", ["110"],
        W(36, 36),
    ),
    answer("en", "share", "How many comments did we get in week 37?", ["1143"], W(37, 37)),
    answer(
        "en", "share", "Did criticism change significantly in week 41?",
        ["2.8", ("0.1517", *NOT_SIGNIFICANT)], W(41, 41),
    ),
    answer(
        "pt", "share", "A queda dos elogios na semana 40 foi significativa?",
        ["5.8", ("0.0049", "significativa", "significant")], W(40, 40),
    ),
    # --- a category's change: count and share, sometimes in opposite directions ---------------
    answer(
        "pt", "change", "Os elogios aumentaram ou diminuíram na semana 34?", ["350", "37.6"],
        W(34, 34),
    ),
    answer("en", "change", "Praise in week 34: up or down?", ["350", "37.6"], W(34, 34)),
    answer("pt", "change", "As críticas cresceram na semana 36?", ["270", "21.8"], W(36, 36)),
    answer(
        "en", "change", "did the number of complaints go up in week 36?", ["270", "21.8"],
        W(36, 36),
    ),
    answer(
        "pt", "change", "Os elogios da semana 35 cresceram em número e em participação?",
        [("420", "20.0"), ("39.4", "1.8")], W(35, 35),
    ),
    answer(
        "en", "change", "In week 40, did suggestions change?", ["160", "13.7"], W(40, 40)
    ),
    # --- periods in words and dates ----------------------------------------------------------
    answer(
        "pt", "period", "Como foram as críticas no mês passado?",
        ["#feat_catalogo", "#feat_anuncio"], SEPTEMBER,
    ),
    answer("en", "period", "What happened in August?", ["#fix_login", "95"], AUGUST),
    answer("pt", "period", "O que rolou na semana 36?", ["#feat_turne", "110"], W(36, 36)),
    answer(
        "en", "period", "How many comments did we receive between September 14 and 20?",
        ["1150"], W(38, 38),
    ),
    answer(
        "pt", "period", "Quais foram as principais sugestões nas últimas 6 semanas?",
        ["#feat_turne"], W(36, 41),
    ),
    answer(
        "en", "period", "What were the main complaints in the week of August 10?",
        ["#fix_login", "30"], W(33, 33),
    ),
    answer("pt", "period", "Como foi a semana de 17 a 23 de agosto?", ["930"], W(34, 34)),
    answer("en", "period", "Summarize week 40.", ["#feat_anuncio", "38"], W(40, 40)),
    answer(
        "pt", "period", "Em julho, quantos comentários recebemos por semana?", ["1064", "1062"],
        JULY,
    ),
    answer(
        "en", "period", "How did suggestions do in the first half of September?",
        ["21.8", "14.4"], W(36, 37),
    ),
    answer(
        "pt", "period", "Quantos comentários tivemos na semana de 28 de setembro?", ["1172"],
        W(40, 40),
    ),
    answer(
        "en", "period", "What happened over the last 3 weeks?", ["#feat_anuncio", "@ELOGIO"],
        W(39, 41),
    ),
    answer(
        "pt", "period", "quais foram as críticas mais comuns entre 03/08 e 09/08?",
        ["#fix_login", "95"], W(32, 32),
    ),
    answer("en", "period", "how's October going so far?", ["#feat_anuncio", "54"], OCTOBER),
    # --- "this week" / "last week" while the current week (W42) has no digest -----------------
    answer("pt", "last_week", "Teve algum problema novo essa semana?", ["#feat_anuncio"], W(41, 41)),
    answer("en", "last_week", "Any new problems this week?", ["#feat_anuncio"], W(41, 41)),
    answer("pt", "last_week", "Como foi a semana passada?", ["1156", "#feat_anuncio"], W(41, 41)),
    answer("en", "last_week", "how did last week go", ["1156", "#feat_anuncio"], W(41, 41)),
    answer("pt", "last_week", "Quantos comentários recebemos essa semana?", ["1156"], W(41, 41)),
    answer(
        "en", "last_week", "What are people complaining about this week?",
        ["#feat_anuncio", "54"], W(41, 41),
    ),
    answer(
        "pt", "last_week", "Quais as principais sugestões da semana passada?",
        ["#feat_acustico", "9"], W(41, 41),
    ),
    answer("en", "last_week", "Did praise go up or down last week?", [("43.1", "498")], W(41, 41)),
    answer("pt", "last_week", "As dúvidas caíram na última semana?", [("6.1", "70")], W(41, 41)),
    # --- unanswerable: the future --------------------------------------------------------------
    refuse("pt", "general", "future", "Do que o pessoal vai reclamar semana que vem?"),
    refuse("en", "general", "future", "What will the trends look like next month?"),
    refuse("pt", "period", "future", "Como vai ser a semana 43?"),
    refuse("en", "share", "future", "How many comments will we get in week 45?"),
    refuse("pt", "period", "future", "Qual a previsão de elogios pro Natal?"),
    refuse("en", "trend", "future", "Will the ad complaints keep rising in November?"),
    refuse("pt", "most_least", "future", "Quais vão ser as sugestões mais pedidas em 2027?"),
    refuse("en", "share", "future", "Predict next week's share of criticism."),
    # --- unanswerable: weeks before the data, or a year no digest covers -----------------------
    refuse("pt", "period", "uncovered", "Quantos comentários tivemos em junho?"),
    refuse("en", "most_least", "uncovered", "What did listeners complain about in week 20?"),
    refuse("pt", "period", "uncovered", "Como foi a semana 25?"),
    refuse("en", "compare", "uncovered", "Compare May with June."),
    refuse("pt", "general", "uncovered", "O que os ouvintes disseram no primeiro semestre?"),
    refuse("en", "trend", "year", "How was praise in 2025?"),
    refuse("pt", "most_least", "year", "Quais foram as principais reclamações em 2024?"),
    refuse("en", "period", "year", "What happened in week 35 of 2025?"),
    refuse("pt", "compare", "year", "Compara outubro de 2025 com outubro de 2026"),
    refuse("en", "share", "uncovered", "How many login complaints did we get in April?"),
    # --- unanswerable: metrics the digests do not hold -----------------------------------------
    refuse("pt", "share", "metric", "Qual foi a receita da semana passada?"),
    refuse("en", "period", "metric", "How much revenue did the ads bring in September?"),
    refuse("pt", "share", "metric", "Quantos usuários ativos a gente tem?"),
    refuse("en", "share", "metric", "How many streams did the new album get?"),
    refuse("pt", "share", "metric", "Quantas assinaturas foram canceladas por causa dos anúncios?"),
    refuse("en", "share", "metric", "What's our churn rate this quarter?"),
    refuse("pt", "share", "metric", "Quantos ingressos da turnê foram vendidos?"),
    refuse("en", "share", "metric", "What's the app's average rating on the Play Store?"),
    refuse("pt", "period", "metric", "Qual o tempo médio de escuta por ouvinte em agosto?"),
    refuse("en", "period", "metric", "How many people downloaded the app in July?"),
    # --- unanswerable: a named person's opinion ------------------------------------------------
    refuse("pt", "samples", "person", "O que a Júlia do marketing achou dos anúncios novos?"),
    refuse("en", "samples", "person", "What does the CEO think about our prices?"),
    refuse("pt", "samples", "person", "Qual a opinião do Marcos sobre a turnê?"),
    refuse("en", "samples", "person", "Did the band's manager like the acoustic version idea?"),
    refuse("pt", "samples", "person", "O que o vocalista acha das críticas?"),
    # --- unanswerable: one user's data --------------------------------------------------------
    refuse("pt", "samples", "user", "Quais comentários o usuário @lucas_rock escreveu?"),
    refuse("en", "samples", "user", "Give me the email of the person who complained about login."),
    refuse("en", "most_least", "user", "Which users complained about ads the most?"),
    refuse("pt", "most_least", "user", "Quem foi o ouvinte que mais reclamou do catálogo?"),
    refuse("pt", "samples", "user", "Me passa o telefone de quem pediu show em Recife."),
    # --- unanswerable: other products and topics the data does not have -----------------------
    refuse("pt", "samples", "entity", "O que o pessoal acha do Spotify?"),
    refuse("en", "general", "entity", "How are the reviews of our podcast app?"),
    refuse("pt", "share", "entity", "Quantas reclamações sobre o app do carro tivemos na semana 38?"),
    refuse("en", "samples", "entity", "What did people say about the Apple Watch app?"),
    refuse("pt", "trend", "entity", "Como evoluíram os pedidos de karaokê?"),
    refuse("en", "when", "entity", "When did complaints about the smart TV app peak?"),
    refuse("en", "samples", "entity", "what do people say about Deezer?"),
    # --- more unanswerable: one more of each reason -------------------------------------------
    refuse("pt", "general", "year", "Quais foram as tendências de dezembro de 2025?"),
    refuse("en", "share", "future", "Will the tour sell out?"),
    refuse("pt", "share", "metric", "Qual a idade média de quem comenta?"),
    refuse("en", "samples", "user", "What did user 4821 write last week?"),
    refuse("pt", "samples", "person", "O que a Anitta achou da turnê?"),
    # --- unanswerable: off-topic --------------------------------------------------------------
    refuse("pt", "off_topic", "off_topic", "Qual é a capital do Canadá?"),
    refuse("en", "off_topic", "off_topic", "Write me a haiku about Mondays."),
    refuse("pt", "off_topic", "off_topic", "Quanto é 48 dividido por 6?"),
    refuse("en", "off_topic", "off_topic", "What's the dollar exchange rate today?"),
    refuse("pt", "off_topic", "off_topic", "Me indica um filme pra ver hoje."),
    refuse("en", "off_topic", "off_topic", "Who won the Champions League in 2025?"),
    refuse("pt", "off_topic", "off_topic", "Como faço pra trocar a senha do wifi?"),
]  # fmt: skip


def build() -> dict[str, Any]:
    return build_questions(
        QUESTIONS,
        TAG_WORDS,
        DIGESTS_PATH,
        prefix="c",
        today=TODAY,
        descricao=(
            "Second blind held-out set over the designed weeks of build.py (see README.md); "
            "a fact given as a list is stated when any one of its wordings is."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
