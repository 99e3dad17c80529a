"""The blind questions: `python -m tooling.evals.insights.blind.questions` rewrites questions.json.

Written from the designed weeks of `build.py` (see README.md), never from the answerer's code or
answers. A fact is what a correct answer must state; where a person would accept several wordings
(a tag said in PT-BR or English words, a share or the count behind it) the fact is a list and any
one of them counts. Tag ids are not among the wordings: a person expects words.

Shorthand below: "@ELOGIO" is a category's accepted words, "#feat_preco" a tag's; a tuple is a list
of alternatives; any other string is a figure or a listener's words, checked against the digests of
the question's weeks when the file is written, so a typo in a figure cannot slip in.
"""

from __future__ import annotations

from typing import Any, Final

from tooling.evals.insights.blind.build import HERE, TODAY
from tooling.evals.insights.designed import (
    Q,
    answer,
    build_questions,
    refuse,
    write_json,
)

QUESTIONS_PATH: Final = HERE / "questions.json"
DIGESTS_PATH: Final = HERE / "digests.json"

TAG_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "fix_travamento": (
        "travamento", "travamentos", "trava", "travando", "crash", "crashes", "crashing",
    ),
    "feat_sincronia": (
        "letra sincronizada", "letras sincronizadas", "sincronia", "sincronização da letra",
        "synced lyrics", "synchronized lyrics", "lyrics sync", "lyric sync",
    ),
    "feat_aovivo": ("ao vivo", "live version", "live versions"),
    "feat_anuncio": (
        "anúncio", "anúncios", "propaganda", "propagandas", "ads", "ad", "advertising",
        "advertisements", "adverts",
    ),
    "feat_preco": ("preço", "preços", "price", "prices", "pricing"),
    "feat_download": ("download", "downloads", "offline"),
    "feat_equalizador": ("equalizador", "equalizer"),
}  # fmt: skip

WEEK_LABELS: Final = [f"2026-W{n}" for n in range(37, 49)]


def weeks(first: int, last: int) -> list[str]:
    return [f"2026-W{n}" for n in range(first, last + 1)]


W = weeks
ALL = WEEK_LABELS
LAST8 = W(41, 48)
OCTOBER = W(40, 44)  # the weeks whose Thursday falls in October (ISO rule), 28/09..01/11
NOVEMBER = W(45, 48)  # 02/11..29/11; 30/11 is in W49, which has no digest

QUESTIONS: Final[list[Q]] = [
    # --- general: answered from the latest digests, not refused -------------------------------
    answer(
        "pt", "general", "Quais são as tendências recentes?", ["@DÚVIDA", "#feat_preco"], W(48, 48)
    ),
    answer("pt", "general", "Como estão as coisas?", ["@DÚVIDA", "#feat_preco"], W(48, 48)),
    answer(
        "pt", "general", "Alguma novidade nos comentários?", ["@DÚVIDA", "#feat_preco"], W(48, 48)
    ),
    answer("pt", "general", "Resuma o mês passado.", ["#feat_sincronia", "#feat_preco"], NOVEMBER),
    answer("en", "general", "What's new?", ["@DÚVIDA", "#feat_preco"], W(48, 48)),
    answer("en", "general", "What are the recent trends?", ["@DÚVIDA", "#feat_preco"], W(48, 48)),
    answer(
        "en",
        "general",
        "Summarize last month for me.",
        ["#feat_sincronia", "#feat_preco"],
        NOVEMBER,
    ),
    answer(
        "en",
        "general",
        "Give me an overview of the last four weeks.",
        ["#feat_sincronia", "#feat_preco"],
        W(45, 48),
    ),
    # --- when did X peak / spike / fall (over every covered week) -------------------------------
    answer(
        "pt",
        "when",
        "Em qual semana as reclamações de travamento do aplicativo dispararam?",
        ["#fix_travamento", "120"],
        W(40, 40),
    ),
    answer("en", "when", "When did crash complaints spike?", ["#fix_travamento", "120"], W(40, 40)),
    answer(
        "pt",
        "when",
        "Quando os pedidos de letra sincronizada tiveram o pico?",
        ["#feat_sincronia", "150"],
        W(45, 45),
    ),
    answer(
        "en",
        "when",
        "In which week did requests for synced lyrics peak?",
        ["#feat_sincronia", "150"],
        W(45, 45),
    ),
    answer(
        "pt",
        "when",
        "Em que semana as reclamações sobre o preço foram mais altas?",
        ["#feat_preco", "52"],
        W(47, 47),
    ),
    answer(
        "en", "when", "When did complaints about the price peak?", ["#feat_preco", "52"], W(47, 47)
    ),
    answer(
        "pt", "when", "Em que semana as críticas caíram mais?", [("29.1", "322", "6.4")], W(41, 41)
    ),
    answer(
        "en",
        "when",
        "Which week saw the biggest drop in criticism?",
        [("29.1", "322", "6.4")],
        W(41, 41),
    ),
    answer("pt", "when", "Em que semana a participação dos elogios caiu mais?", ["8.1"], W(40, 40)),
    answer(
        "en",
        "when",
        "In which week did the number of praise comments fall the most?",
        ["335", "270"],
        W(48, 48),
    ),
    answer("pt", "when", "Em que semana tivemos mais comentários?", ["1300"], W(47, 47)),
    answer("pt", "when", "Quando as sugestões dispararam?", [("25.8", "318", "10.5")], W(45, 45)),
    answer("en", "when", "When did criticism jump the most?", [("35.5", "10.3", "440")], W(40, 40)),
    answer(
        "pt", "when", "Em que semana o spam teve a maior fatia dos comentários?", ["6.1"], W(37, 37)
    ),
    answer(
        "en", "when", "When did the complaints about price start?", ["#feat_preco", "9"], W(46, 46)
    ),
    answer("en", "when", "When did praise rise significantly?", [("40.9", "6.2")], W(41, 41)),
    # --- the most / the least (by volume; by recurrence) ----------------------------------------
    answer(
        "pt",
        "most_least",
        "O que os ouvintes mais sugeriram nas últimas semanas?",
        ["#feat_sincronia", "150"],
        LAST8,
    ),
    answer(
        "en",
        "most_least",
        "What did listeners suggest the most in the last weeks?",
        ["#feat_sincronia", "150"],
        LAST8,
    ),
    answer(
        "pt",
        "most_least",
        "Qual sugestão aparece com mais frequência, semana após semana?",
        ["#feat_aovivo"],
        ALL,
    ),
    answer(
        "en", "most_least", "Which suggestion keeps coming back every week?", ["#feat_aovivo"], ALL
    ),
    answer(
        "pt", "most_least", "Qual reclamação aparece em todas as semanas?", ["#feat_anuncio"], ALL
    ),
    answer(
        "en",
        "most_least",
        "What do people complain about every single week?",
        ["#feat_anuncio"],
        ALL,
    ),
    answer(
        "pt",
        "most_least",
        "Qual foi a crítica com mais menções em uma única semana?",
        ["#fix_travamento", "120"],
        W(40, 40),
    ),
    answer(
        "en",
        "most_least",
        "What was the most mentioned complaint since September?",
        ["#fix_travamento", "#feat_anuncio"],
        ALL,
    ),
    answer(
        "pt",
        "most_least",
        "Qual categoria teve menos comentários na semana 45?",
        ["SPAM", "57"],
        W(45, 45),
    ),
    answer(
        "en",
        "most_least",
        "Which category was the largest in week 48?",
        ["@DÚVIDA", ("345", "30.5")],
        W(48, 48),
    ),
    answer(
        "pt",
        "most_least",
        "Qual foi a maior categoria na semana 40?",
        ["@CRÍTICA", ("440", "35.5")],
        W(40, 40),
    ),
    answer(
        "en",
        "most_least",
        "What was the least requested suggestion in week 47?",
        ["#feat_equalizador", "5"],
        W(47, 47),
    ),
    answer(
        "pt",
        "most_least",
        "Qual a principal reclamação das últimas 4 semanas?",
        ["#feat_preco", "#feat_anuncio"],
        W(45, 48),
    ),
    answer(
        "en",
        "most_least",
        "Which suggestion got the most mentions in October?",
        ["#feat_aovivo"],
        OCTOBER,
    ),
    answer("en", "most_least", "Which week had the fewest comments?", ["1012"], W(38, 38)),
    answer(
        "pt", "most_least", "Qual foi a semana com o maior número de elogios?", ["452"], W(41, 41)
    ),
    # --- compare two named weeks or periods ----------------------------------------------------
    answer(
        "pt", "compare", "Compare a semana 40 com a semana 41.", ["@CRÍTICA", "29.1"], W(40, 41)
    ),
    answer(
        "en", "compare", "How did week 47 compare to week 46?", ["#feat_preco", "52"], W(46, 47)
    ),
    answer(
        "pt",
        "compare",
        "Recebemos mais comentários na semana 45 ou na 46?",
        ["1232", "1043"],
        W(45, 46),
    ),
    answer(
        "en",
        "compare",
        "Were there more comments in week 38 or week 39?",
        ["1012", "1040"],
        W(38, 39),
    ),
    answer(
        "pt",
        "compare",
        "Compare outubro com novembro.",
        ["#fix_travamento", "#feat_preco"],
        W(40, 48),
    ),
    answer(
        "en",
        "compare",
        "How does praise in week 37 compare with week 48?",
        ["42.7", "23.8"],
        [*W(37, 37), *W(48, 48)],
    ),
    answer(
        "pt",
        "compare",
        "As críticas foram maiores na semana 40 ou na semana 47?",
        [("440", "35.5"), ("392", "30.2")],
        [*W(40, 40), *W(47, 47)],
    ),
    answer(
        "en",
        "compare",
        "Compare complaints about ads in week 38 and week 47.",
        ["12", "14"],
        [*W(38, 38), *W(47, 47)],
    ),
    answer(
        "pt",
        "compare",
        "Os pedidos de versão ao vivo foram mais numerosos na semana 40 ou na 47?",
        ["9", "6"],
        [*W(40, 40), *W(47, 47)],
    ),
    answer(
        "en",
        "compare",
        "Compare suggestions in weeks 44 and 45.",
        [("318", "25.8"), "#feat_sincronia"],
        W(44, 45),
    ),
    answer(
        "pt",
        "compare",
        "Compare as dúvidas da semana 42 com as da semana 48.",
        [("126", "11.9"), ("345", "30.5")],
        [*W(42, 42), *W(48, 48)],
    ),
    # --- trend of one tag or category over N weeks --------------------------------------------
    answer(
        "pt",
        "trend",
        "Como evoluíram as dúvidas nas últimas 6 semanas?",
        [("14.2", "150"), ("30.5", "345")],
        W(43, 48),
    ),
    answer(
        "en",
        "trend",
        "How has praise trended over the last 6 weeks?",
        [("40.3", "425"), ("23.8", "270")],
        W(43, 48),
    ),
    answer(
        "pt",
        "trend",
        "Qual a tendência das reclamações de anúncios nas últimas 8 semanas?",
        ["#feat_anuncio", ("11", "12", "13", "14")],
        LAST8,
    ),
    answer(
        "en",
        "trend",
        "How did crash complaints evolve from week 39 to week 43?",
        ["#fix_travamento", "120", "45"],
        W(39, 43),
    ),
    answer(
        "pt",
        "trend",
        "Como foi a evolução do total de comentários nas últimas 4 semanas?",
        ["1232", "1043", "1300", "1133"],
        W(45, 48),
    ),
    answer(
        "en",
        "trend",
        "What's the trend for price complaints over the last 4 weeks?",
        ["#feat_preco", "9", "52", "21"],
        W(45, 48),
    ),
    answer(
        "pt",
        "trend",
        "As críticas estão subindo ou caindo nas últimas 3 semanas?",
        [("30.2", "392"), ("25.6", "290")],
        W(46, 48),
    ),
    answer(
        "en",
        "trend",
        "Has spam gone up or down over the last 4 weeks?",
        ["SPAM", ("5.3", "60")],
        W(45, 48),
    ),
    answer(
        "pt",
        "trend",
        "Como foi a tendência dos elogios em outubro?",
        [("34.7", "430"), ("38.0", "398")],
        OCTOBER,
    ),
    answer(
        "en",
        "trend",
        "Did synced lyrics requests keep growing after their peak?",
        ["#feat_sincronia", "150"],
        W(45, 48),
    ),
    answer(
        "pt",
        "trend",
        "Os pedidos de versões ao vivo estão crescendo nas últimas 4 semanas?",
        ["#feat_aovivo", ("9", "8", "6", "7")],
        W(45, 48),
    ),
    answer(
        "en",
        "trend",
        "How did the share of questions move over the last 8 weeks?",
        [("10.1", "112"), ("30.5", "345")],
        LAST8,
    ),
    # --- what people said about X (samples) ---------------------------------------------------
    answer(
        "pt",
        "samples",
        "O que as pessoas disseram sobre os travamentos?",
        [
            (
                "trava toda vez",
                "keeps crashing",
                "fecha sozinho",
                "travou de novo",
                "crashes every time",
            )
        ],
        W(40, 41),
    ),
    answer(
        "en",
        "samples",
        "What are listeners saying about the price?",
        [("reajuste", "price increase")],
        W(46, 48),
    ),
    answer(
        "pt",
        "samples",
        "O que falaram sobre os anúncios na semana passada?",
        [("muito anúncio", "too many ads", "propaganda no meio")],
        W(48, 48),
    ),
    answer(
        "en",
        "samples",
        "What did people say about synced lyrics?",
        [("sumiu", "bring back", "não acompanha")],
        W(45, 45),
    ),
    answer(
        "en",
        "samples",
        "Give me examples of complaints about ads from week 40.",
        [("propaganda no meio", "cada vez mais longos", "before the chorus")],
        W(40, 40),
    ),
    answer(
        "pt",
        "samples",
        "Quais dúvidas os ouvintes tiveram na semana 46?",
        [("new album", "pré-venda", "vinil")],
        W(46, 46),
    ),
    answer(
        "en",
        "samples",
        "What questions were listeners asking last week?",
        [("vinil", "all platforms", "show de lançamento")],
        W(48, 48),
    ),
    answer(
        "pt",
        "samples",
        "O que disseram sobre o login na semana 43?",
        [("logging me out", "login pelo celular", "não consigo entrar")],
        W(43, 43),
    ),
    answer(
        "en",
        "samples",
        "What did people write about battery drain in week 48?",
        [("come a bateria", "battery drains")],
        W(48, 48),
    ),
    answer(
        "pt",
        "samples",
        "Me mostra comentários sobre o reajuste de preço da semana 47.",
        [("reajuste", "price increase")],
        W(47, 47),
    ),
    # --- a category's or a tag's share (or count) in a given week -----------------------------
    answer(
        "pt", "share", "Qual foi a participação das críticas na semana 40?", ["35.5"], W(40, 40)
    ),
    answer("en", "share", "What share of comments were praise in week 44?", ["38.0"], W(44, 44)),
    answer(
        "pt",
        "share",
        "Quantos por cento dos comentários foram spam na semana 39?",
        ["6.0"],
        W(39, 39),
    ),
    answer(
        "en",
        "share",
        "What percentage of comments were suggestions in week 45?",
        ["25.8"],
        W(45, 45),
    ),
    answer("pt", "share", "Qual a fatia das dúvidas na semana 48?", ["30.5"], W(48, 48)),
    answer(
        "en",
        "share",
        "How many mentions did price complaints have in week 47?",
        ["#feat_preco", "52"],
        W(47, 47),
    ),
    answer(
        "pt",
        "share",
        "Quantas menções os anúncios tiveram nas críticas da semana 42?",
        ["13"],
        W(42, 42),
    ),
    answer(
        "en", "share", "In week 41, how much of the feedback was criticism?", ["29.1"], W(41, 41)
    ),
    answer("pt", "share", "Qual a porcentagem de elogios na semana 2026-W37?", ["42.7"], W(37, 37)),
    answer(
        "en", "share", "What was the share of questions (DÚVIDA) in week 43?", ["14.2"], W(43, 43)
    ),
    answer(
        "pt", "share", "Quantas menções teve a letra sincronizada na semana 45?", ["150"], W(45, 45)
    ),
    answer("en", "share", "How many comments did we get in week 42?", ["1061"], W(42, 42)),
    answer(
        "pt",
        "share",
        "Os elogios aumentaram ou diminuíram na semana 47?",
        ["335", "25.8"],
        W(47, 47),
    ),
    answer(
        "en",
        "share",
        "Did criticism change significantly in week 45?",
        [
            "3.3",
            (
                "0.0557",
                "not significant",
                "not statistically significant",
                "insignificant",
                "within the expected",
                "não significativa",
                "sem mudança significativa",
            ),
        ],
        W(45, 45),
    ),
    answer(
        "pt",
        "share",
        "A queda das críticas na semana 48 foi significativa?",
        ["4.6", ("0.0125", "significativa", "significant")],
        W(48, 48),
    ),
    # --- periods in words --------------------------------------------------------------------
    answer(
        "pt",
        "period",
        "Como foram as críticas no mês passado?",
        ["#feat_preco", ("30.2", "392")],
        NOVEMBER,
    ),
    answer("en", "period", "What happened in October?", ["#fix_travamento", "120"], OCTOBER),
    answer("pt", "period", "O que aconteceu na semana 47?", ["#feat_preco", "52"], W(47, 47)),
    answer(
        "en",
        "period",
        "How many comments did we receive between November 9 and November 15?",
        ["1043"],
        W(46, 46),
    ),
    answer(
        "pt",
        "period",
        "Quais foram as principais sugestões nas últimas 4 semanas?",
        ["#feat_sincronia"],
        W(45, 48),
    ),
    answer(
        "en",
        "period",
        "What were the main complaints in the week of October 5?",
        ["#fix_travamento", "45"],
        W(41, 41),
    ),
    answer("pt", "period", "Como foi a semana de 14 a 20 de setembro?", ["1012"], W(38, 38)),
    answer("en", "period", "Summarize week 45.", ["#feat_sincronia", "150"], W(45, 45)),
    answer(
        "pt",
        "period",
        "Em setembro, quantos comentários recebemos por semana?",
        ["1020", "1012", "1040"],
        W(37, 39),
    ),
    answer(
        "en",
        "period",
        "How did suggestions do in the second half of November?",
        ["15.2", "14.8"],
        W(47, 48),
    ),
    answer(
        "pt",
        "period",
        "Quantos comentários tivemos na semana de 2 de novembro?",
        ["1232"],
        W(45, 45),
    ),
    answer(
        "en",
        "period",
        "What happened over the last 3 weeks?",
        ["#feat_preco", "@DÚVIDA"],
        W(46, 48),
    ),
    answer(
        "pt",
        "period",
        "Quais foram as críticas mais comuns entre 28/09 e 04/10?",
        ["#fix_travamento", "120"],
        W(40, 40),
    ),
    # --- "this week" / "last week" while the current week (W49) has no digest -----------------
    answer("pt", "last_week", "Teve algum problema novo essa semana?", ["#feat_preco"], W(48, 48)),
    answer("en", "last_week", "Any new problems this week?", ["#feat_preco"], W(48, 48)),
    answer("pt", "last_week", "Como foi a semana passada?", ["1133", "@DÚVIDA"], W(48, 48)),
    answer("en", "last_week", "How did last week go?", ["1133", "@DÚVIDA"], W(48, 48)),
    answer("pt", "last_week", "Quantos comentários recebemos essa semana?", ["1133"], W(48, 48)),
    answer(
        "en",
        "last_week",
        "What are people complaining about this week?",
        ["#feat_preco", "21"],
        W(48, 48),
    ),
    answer(
        "pt",
        "last_week",
        "Quais as principais sugestões da semana passada?",
        ["#feat_download", "9"],
        W(48, 48),
    ),
    answer("en", "last_week", "Did praise go up or down last week?", [("23.8", "270")], W(48, 48)),
    answer("pt", "last_week", "As dúvidas subiram na última semana?", [("30.5", "345")], W(48, 48)),
    # --- unanswerable: the future --------------------------------------------------------------
    refuse("pt", "general", "future", "Do que os ouvintes vão reclamar na semana que vem?"),
    refuse("en", "general", "future", "What will the trends be next month?"),
    refuse("pt", "period", "future", "Como vai ser a semana 2026-W50?"),
    refuse("en", "share", "future", "How many comments will we get in week 51?"),
    refuse("pt", "period", "future", "Qual a previsão de críticas para janeiro de 2027?"),
    refuse("en", "compare", "future", "Compare week 48 with week 50."),
    refuse("en", "period", "future", "What happened in week 2 of 2027?"),
    refuse("pt", "most_least", "future", "Quais serão as sugestões mais pedidas em 2027?"),
    # --- unanswerable: a year or period no digest covers ---------------------------------------
    refuse("pt", "trend", "year", "Como foram os elogios em 2025?"),
    refuse("en", "most_least", "year", "What were the main complaints in 2024?"),
    refuse("pt", "when", "year", "Qual foi a semana com mais críticas em 2025?"),
    refuse("en", "period", "year", "What happened in week 47 of 2025?"),
    refuse("pt", "period", "uncovered", "Quantos comentários tivemos em março de 2026?"),
    refuse("en", "period", "uncovered", "What did listeners suggest in July?"),
    refuse("pt", "period", "uncovered", "Como foi a semana 30?"),
    refuse("en", "compare", "year", "Compare November 2025 with November 2026."),
    refuse("pt", "share", "uncovered", "Qual foi a fatia de elogios na semana 2026-W20?"),
    # --- unanswerable: metrics the digests do not hold -----------------------------------------
    refuse("pt", "share", "metric", "Qual foi a receita da semana passada?"),
    refuse("en", "share", "metric", "How many active users do we have?"),
    refuse(
        "pt", "period", "metric", "Quanto tempo as pessoas passaram ouvindo música em novembro?"
    ),
    refuse("en", "share", "metric", "How many plays did Anitta get last week?"),
    refuse("pt", "share", "metric", "Quantas assinaturas foram canceladas depois do reajuste?"),
    refuse("en", "share", "metric", "What is our churn rate?"),
    refuse("pt", "period", "metric", "Quantos downloads do app tivemos em outubro?"),
    refuse("en", "share", "metric", "What's our average rating in the app store?"),
    refuse("pt", "share", "metric", "Qual é o NPS dos ouvintes?"),
    refuse("en", "share", "metric", "How many streams did the new album get?"),
    refuse("pt", "period", "metric", "Quantos novos assinantes entraram no mês passado?"),
    refuse("en", "share", "metric", "What's the average listening time per user?"),
    refuse("pt", "trend", "metric", "O faturamento cresceu nas últimas 4 semanas?"),
    # --- unanswerable: off-topic --------------------------------------------------------------
    refuse("pt", "off_topic", "off_topic", "Qual é a capital da Austrália?"),
    refuse("en", "off_topic", "off_topic", "Write me a poem about autumn."),
    refuse("pt", "off_topic", "off_topic", "Quanto é 17 vezes 23?"),
    refuse("en", "off_topic", "off_topic", "What's the weather in São Paulo today?"),
    refuse("pt", "off_topic", "off_topic", "Me recomenda uma música para malhar."),
    refuse("en", "off_topic", "off_topic", "Who won the World Cup in 2022?"),
    refuse("pt", "off_topic", "off_topic", "Como faço um bolo de cenoura?"),
    refuse("en", "off_topic", "off_topic", "Translate 'good morning' into French."),
    refuse("pt", "off_topic", "off_topic", "Qual é a melhor linguagem de programação?"),
    refuse("en", "off_topic", "off_topic", "Tell me a joke."),
    # --- unanswerable: entities the data does not have ----------------------------------------
    refuse("pt", "samples", "entity", "O que falaram sobre os podcasts?"),
    refuse("en", "samples", "entity", "What did people say about the Chromecast integration?"),
    refuse("pt", "share", "entity", "Quantas reclamações sobre o app de TV tivemos na semana 47?"),
    refuse("en", "samples", "entity", "What do listeners think of the Discord integration?"),
    refuse("pt", "when", "entity", "Quando apareceram críticas sobre o modo infantil?"),
    refuse("en", "share", "entity", "How many complaints about the smartwatch app were there?"),
    refuse("pt", "trend", "entity", "Como evoluíram os pedidos de audiolivros?"),
    refuse("en", "samples", "entity", "What did people say about the remix album?"),
    refuse("pt", "samples", "entity", "O que disseram sobre o artista Zeca Pagodinho?"),
    refuse("en", "when", "entity", "When did complaints about Apple CarPlay peak?"),
    refuse("pt", "samples", "entity", "O que falaram sobre a integração com o Last.fm?"),
    # --- unanswerable, more in PT-BR -----------------------------------------------------------
    refuse("pt", "share", "metric", "Quantos ouvintes únicos comentaram em novembro?"),
    refuse("pt", "most_least", "metric", "Qual música foi a mais tocada na semana 47?"),
    refuse("pt", "period", "metric", "Quanto a AluMusic lucrou em outubro?"),
    refuse("pt", "share", "metric", "Qual o tempo médio de resposta do suporte?"),
    refuse("pt", "general", "future", "Como vão ser os comentários no Natal?"),
    refuse("pt", "period", "uncovered", "Como foi a semana de 24 a 30 de agosto?"),
    refuse("pt", "compare", "uncovered", "Compare a semana 2026-W10 com a semana 2026-W11."),
    refuse("pt", "off_topic", "off_topic", "Quem é o presidente do Brasil?"),
    refuse(
        "pt", "off_topic", "off_topic", "Escreva um e-mail de boas-vindas para um novo funcionário."
    ),
]


def build() -> dict[str, Any]:
    return build_questions(
        QUESTIONS,
        TAG_WORDS,
        DIGESTS_PATH,
        prefix="b",
        today=TODAY,
        descricao=(
            "Blind held-out questions over the designed weeks of build.py (see README.md); "
            "a fact given as a list is stated when any one of its wordings is."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
