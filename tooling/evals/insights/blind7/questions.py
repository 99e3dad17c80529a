"""The seventh blind set's questions: `python -m tooling.evals.insights.blind7.questions` rewrites
questions.json from the designed tables in `build.py` (run `build` first).

Every question is held out. Answerable ones name the weeks the answer rests on and the facts it must
state: a figure of those weeks' digests, a listener's words shown in them, a category ("@ELOGIO") or
a tag ("#feat_show") in words of the question's language. Every figure is checked against the
digests when the file is written. Unanswerable ones say why the digests cannot answer them.

Conventions: a month is the weeks whose Thursday falls in it (May 2024 is W18-W22, June W23-W26,
July W27-W29); "today" is Monday 2024-07-22, in W30, which has no digest, so "last week" and "this
week" are W29, the last closed week; "the last N weeks" end at W29; a total over several weeks is
the sum of the weekly figures the digests list, and either the sum or the week that makes most of
it is accepted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from tooling.evals.insights.blind7.build import DIGESTS_PATH, HERE, TODAY
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"

LABELS: Final = [f"2024-W{n}" for n in range(18, 30)]
MAY: Final = LABELS[0:5]
JUNE: Final = LABELS[5:9]
JULY: Final = LABELS[9:12]
LAST3: Final = LABELS[-3:]
LAST4: Final = LABELS[-4:]
LAST5: Final = LABELS[-5:]

W = dict(zip(range(18, 30), LABELS, strict=True))

# What a person would accept as naming each tag, per language.
TAG_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "feat_aleatorio": {
        "pt": ("modo aleatório", "aleatório", "aleatoria", "shuffle"),
        "en": ("shuffle", "shuffle mode"),
    },
    "api_chromecast": {
        "pt": ("transmissão para outros aparelhos", "transmissão", "transmitir", "chromecast"),
        "en": ("casting", "casting to other devices", "cast", "chromecast"),
    },
    "ui_layout": {"pt": ("layout",), "en": ("layout",)},
    "fix_bug": {"pt": ("erros no app", "erros", "bugs"), "en": ("app errors", "errors", "bugs")},
    "doc_ajuda": {"pt": ("ajuda e suporte", "suporte"), "en": ("help and support", "support")},
    "sec_privacidade": {"pt": ("privacidade",), "en": ("privacy",)},
    "feat_biblioteca": {"pt": ("biblioteca",), "en": ("library",)},
    "feat_transicao": {
        "pt": ("transição entre faixas", "transição", "transições", "crossfade"),
        "en": ("track transitions", "transitions", "transition", "crossfade"),
    },
    "feat_show": {
        "pt": ("shows", "show", "apresentações"),
        "en": ("concerts", "concert", "shows", "gigs"),
    },
    "api_discord": {"pt": ("Discord",), "en": ("Discord",)},
    "feat_tv": {"pt": ("app de TV", "TV"), "en": ("TV app", "TV")},
    "feat_carro": {"pt": ("uso no carro", "modo carro", "carro"), "en": ("car mode", "car")},
    "feat_idioma": {"pt": ("outros idiomas", "idiomas"), "en": ("other languages", "languages")},
    "api_smartwatch": {
        "pt": ("relógios inteligentes", "smartwatch", "relógio"),
        "en": ("smartwatches", "smartwatch"),
    },
}

# Listeners' words: any fragment of a comment the week shows is accepted as quoting it.
SAID: Final[dict[str, tuple[str, ...]]] = {
    "feat_aleatorio": (
        "mesmas cinco músicas",
        "same few songs",
        "não é aleatório",
        "half of the discography",
    ),
    "api_chromecast": (
        "transmitir pra TV",
        "drops after every song",
        "botão de transmitir",
        "living room TV",
    ),
    "ui_layout": (
        "não acho a discografia",
        "hides the albums",
        "botões muito pequenos",
        "merch above the songs",
    ),
    "feat_show": ("Recife", "Lisbon", "Belo Horizonte", "Buenos Aires"),
    "feat_transicao": ("crossfade", "gapless", "transição suave"),
    "open_early": ("transmissão pra TV", "casting fixed", "enquete dos shows", "tour Europe"),
    "open_late": (
        "pré-venda do vinil",
        "ship abroad",
        "autografado",
        "vinyl copies",
        "festival de julho",
    ),
}


def _w(*numbers: int) -> list[str]:
    return [W[n] for n in numbers]


def _answerable() -> list[Q]:
    a = answer
    return [
        # --- general summaries
        a("pt", "summary", "me faz um resumo das ultimas 3 semanas", ["#feat_aleatorio", "#ui_layout"], LAST3),
        a("en", "summary", "give me the highlights of last week", ["1090", "#feat_aleatorio"], _w(29)),
        a("pt", "summary", "resumo da semana passada pfv", ["1090"], _w(29)),
        a("en", "summary", "quick summary of May?", ["#api_chromecast", "76"], MAY),
        a("pt", "summary", "o que rolou de importante em junho?", ["#feat_show", "118"], JUNE),
        a("en", "summary", "what were the big stories in July so far", ["@DÚVIDA", "#ui_layout"], JULY),
        a("pt", "this_week", "como ta essa semana?", ["1090"], _w(29)),
        a("en", "this_week", "how are things looking this week", ["1090"], _w(29)),
        a("pt", "summary", "Bom dia! Poderia me dizer, de forma geral, como foram as duas últimas semanas de feedback dos ouvintes?", ["1125", "1090"], _w(28, 29)),
        a("en", "summary", "tl;dr of the past month pls (last 4 weeks)", ["#ui_layout", "@DÚVIDA"], LAST4),
        # --- when did X peak / spike / fall / first appear
        a("pt", "peak", "quando foi o pico de reclamação de transmissão pra tv?", ["76", ("W20", "13/05")], _w(20)),
        a("en", "spike", "when did the casting complaints spike?", ["76", ("W20", "13/05")], _w(20)),
        a("pt", "peak", "em que semana os pedidos de show explodiram?", ["118", ("W24", "10/06")], _w(24)),
        a("en", "peak", "which week had the most concert requests", ["118", ("W24", "10/06")], _w(24)),
        a("pt", "peak", "qndo as duvidas chegaram no maximo?", ["20.8", ("W27", "01/07")], _w(27)),
        a("en", "peak", "when was criticism's share at its highest?", ["35.4", ("W20", "13/05")], _w(20)),
        a("pt", "peak", "qual semana teve mais comentario?", ["1225", ("W24", "10/06")], _w(24)),
        a("en", "least", "which week was the quietest?", ["840", ("W22", "27/05")], _w(22)),
        a("pt", "first_appear", "quando o layout voltou a aparecer nas reclamações?", ["19", ("W26", "24/06")], _w(26)),
        a("en", "first_appear", "when did layout complaints show up again after disappearing for a while?", ["19", ("W26", "24/06")], _w(26)),
        a("pt", "first_appear", "quando apareceu pela primeira vez o pedido de shows?", ["118", ("W24", "10/06")], _w(24)),
        a("en", "peak", "when did praise hit its highest share?", ["44.0", ("W29", "15/07")], _w(29)),
        a("pt", "least", "em que semana os elogios tiveram a menor fatia?", ["35.4", ("W20", "13/05")], _w(20)),
        a("en", "fall", "biggest drop in total comments from one week to the next?", ["840", "1050"], _w(22)),
        a("pt", "fall", "qual foi a maior queda de uma categoria de uma semana pra outra?", ["@SUGESTÃO", ("11.0", "175")], _w(25)),
        a("en", "fall", "when did the questions start dropping again after the peak?", ["16.0", ("W28", "08/07")], _w(28)),
        a("pt", "spike", "teve alguma tag em alta na semana 27?", ["#ui_layout", "2.7"], _w(27)),
        a("en", "spike", "any spikes in week 26?", ["#ui_layout", "19"], _w(26)),
        # --- most / least, by volume and by recurrence
        a("pt", "most_volume", "qual crítica mais apareceu em maio em volume?", ["#api_chromecast", ("99", "76")], MAY),
        a("en", "most_recurrence", "which complaint came up most consistently, week after week?", ["#feat_aleatorio"], LABELS),
        a("pt", "most_recurrence", "qual reclamação aparece toda semana sem falta?", ["#feat_aleatorio"], LABELS),
        a("en", "most_recurrence", "what's the suggestion people keep asking for every single week?", ["#feat_transicao"], LABELS),
        a("pt", "most_volume", "qual sugestão teve mais menções somando as 12 semanas?", ["#feat_show", "118"], LABELS),
        a("en", "most_volume", "most mentioned suggestion in June", ["#feat_show", "118"], JUNE),
        a("pt", "most_volume", "o que mais pediram em julho?", ["#feat_transicao"], JULY),
        a("en", "least", "which category had the fewest comments last week", ["@SPAM", "48"], _w(29)),
        a("pt", "most_volume", "qual categoria foi a maior na semana 25?", ["@ELOGIO", "40.9"], _w(25)),
        a("en", "most_volume", "top complaint in week 27?", ["#ui_layout", "14"], _w(27)),
        a("pt", "most_volume", "qual foi a principal crítica na semana de 20 a 26 de maio?", ["#api_chromecast", "23"], _w(21)),
        a("en", "most_volume", "what was the #1 complaint in the holiday week of May 30?", ["#feat_aleatorio", "12"], _w(22)),
        a("pt", "most_volume", "qual foi a sugestão mais pedida na semana passada?", ["#feat_transicao", "7"], _w(29)),
        # --- compare two weeks or periods
        a("pt", "compare", "compara a semana 20 com a 21 nas críticas", ["35.4", "28.6"], _w(20, 21)),
        a("en", "compare", "how did week 24 compare to week 23 in total comments?", ["1225", "1050"], _w(23, 24)),
        a("pt", "compare", "compara as duvidas da primeira e da ultima semana de junho", ["11.0", "17.2"], _w(23, 26)),
        a("en", "compare", "compare praise in the last two weeks", ["40.9", "44.0"], _w(28, 29)),
        a("pt", "compare", "na semana do feriado de corpus christi (30/05) caiu o movimento? quanto?", ["840", "1050"], _w(22)),
        a("en", "compare", "was there more spam in week 18 or week 29?", ["49", "48"], _w(18, 29)),
        a("pt", "compare", "semana 26 vs semana 27: o layout melhorou?", ["19", "14"], _w(26, 27)),
        a("en", "compare", "shuffle complaints: first week vs last week?", ["12", "11"], _w(18, 29)),
        # --- trends over N weeks
        a("pt", "trend", "como evoluíram as dúvidas nas últimas 5 semanas?", ["20.8", "11.9"], LAST5),
        a("en", "trend", "trend of the layout complaints over the last 4 weeks?", ["19", "9"], LAST4),
        a("pt", "trend", "o aleatório tá piorando ou melhorando em julho?", ["13", "11"], JULY),
        a("en", "trend", "how did the share of questions move from week 24 to week 27", ["9.7", "20.8"], _w(24, 25, 26, 27)),
        a("pt", "trend", "elogios subiram ou cairam nas duas ultimas semanas?", ["40.9", "44.0"], _w(28, 29)),
        a("en", "trend", "trend for spam over the past 3 weeks", ["3.9", "4.4"], LAST3),
        a("pt", "trend", "a transição entre faixas continua sendo pedida? como foi nas últimas 4 semanas", ["#feat_transicao", "8"], LAST4),
        a("en", "trend", "did criticism keep falling after the casting week? weeks 20 to 22", ["35.4", "27.4"], _w(20, 21, 22)),
        a("pt", "trend", "as reclamações de transmissão caíram na semana seguinte ao pico?", ["76", "23"], _w(20, 21)),
        # --- what people said (samples)
        a("pt", "samples", "o que o pessoal falou sobre o modo aleatório na semana passada?", [SAID["feat_aleatorio"]], _w(29)),
        a("en", "samples", "what were people saying about casting in week 20?", [SAID["api_chromecast"]], _w(20)),
        a("pt", "samples", "oq a galera escreveu pedindo show?", [SAID["feat_show"]], _w(24)),
        a("en", "samples", "give me some quotes about the artist page layout from week 26", [SAID["ui_layout"]], _w(26)),
        a("pt", "samples", "exemplos de comentarios sobre transição entre faixas em julho", [SAID["feat_transicao"]], JULY),
        a("en", "samples", "what did listeners ask in the open questions last week?", [SAID["open_late"]], _w(29)),
        a("pt", "samples", "que duvidas os ouvintes tinham na semana 20?", [SAID["open_early"]], _w(20)),
        a("en", "samples", "any example comments on shuffle from the week of June 10?", [SAID["feat_aleatorio"]], _w(24)),
        # --- a share or a count in a given week
        a("pt", "count", "quantos elogios teve na semana 24?", ["454"], _w(24)),
        a("en", "share", "what share of comments were complaints in week 20?", ["35.4"], _w(20)),
        a("pt", "share", "qual % de spam na semana passada", ["4.4"], _w(29)),
        a("en", "count", "how many questions (DÚVIDA) did we get in the week of July 1?", ["245"], _w(27)),
        a("pt", "count", "quantas menções de shows na semana 24?", ["118"], _w(24)),
        a("en", "count", "how many times was casting mentioned in week 21?", ["23"], _w(21)),
        a("pt", "count", "quantos comentarios no total na semana de 17/06?", ["1100"], _w(25)),
        a("en", "share", "percentage of suggestions in week 24", ["26.9"], _w(24)),
        a("pt", "count", "quantas sugestões recebemos na semana 29?", ["170"], _w(29)),
        a("en", "count", "how many comments in total in the week of May 6?", ["1010"], _w(19)),
        a("pt", "share", "qual a porcentagem de elogios na primeira semana de maio", ["41.8"], _w(18)),
        a("en", "share", "what was the praise share in the week of 8 July?", ["40.9"], _w(28)),
        a("pt", "count", "quantas reclamações sobre privacidade na semana 22?", ["4"], _w(22)),
        a("en", "count", "how many help and support complaints in week 19?", ["6"], _w(19)),
        a("pt", "count", "qts pedidos de integração com discord na semana 28", ["6"], _w(28)),
        a("en", "spike", "what was the spike factor on casting in week 20?", ["27.6"], _w(20)),
        a("pt", "spike", "de quantas vezes foi a alta do layout na semana 26?", ["19"], _w(26)),
        a("en", "count", "how many criticisms did we get last week", ["262"], _w(29)),
        a("pt", "share", "quanto as dúvidas representaram na semana 2024-W27?", ["20.8"], _w(27)),
        # --- periods in words
        a("pt", "period", "como foi a semana de 24 a 30 de junho?", ["1165", "#ui_layout"], _w(26)),
        a("en", "period", "what happened between May 13 and May 19?", ["#api_chromecast", "76"], _w(20)),
        a("pt", "period", "e na semana 27, o que mudou?", ["@DÚVIDA", "20.8"], _w(27)),
        a("en", "period", "give me 2024-W23 in a nutshell", ["1050"], _w(23)),
        a("pt", "period", "como foram as duas primeiras semanas de maio?", ["1015", "1010"], _w(18, 19)),
        a("en", "period", "how was the first week of July?", ["1176", "@DÚVIDA"], _w(27)),
    ]  # fmt: skip


def _unanswerable() -> list[Q]:
    r = refuse
    return [
        # --- figures no digest holds
        r("pt", "absent_figure", "per-day count", "quantos comentarios chegaram na segunda-feira 15/07?"),
        r("en", "absent_figure", "per-day count", "how many comments did we get on Saturday June 15?"),
        r("pt", "absent_figure", "per-day count", "qual foi o dia com mais reclamação de transmissão?"),
        r("en", "absent_figure", "per-hour figures", "which hour of the day do people comment the most?"),
        r("pt", "absent_figure", "per-country figures", "quantos comentários vieram de Portugal?"),
        r("en", "absent_figure", "per-country figures", "which country complained the most about casting?"),
        r("pt", "absent_figure", "per-song figures", "qual musica da banda teve mais elogio?"),
        r("en", "absent_figure", "per-album figures", "which album got the most praise in June?"),
        r("pt", "absent_figure", "per-user figures", "quem foi o usuario que mais reclamou?"),
        r("en", "absent_figure", "number of listeners", "how many unique listeners commented in May?"),
        r("pt", "absent_figure", "revenue", "quanto faturamos com a pré-venda do vinil?"),
        r("en", "absent_figure", "revenue", "what was our revenue in week 26?"),
        r("pt", "absent_figure", "store rating", "qual a nota media do app na loja?"),
        r("en", "absent_figure", "store rating", "what's our app store rating right now?"),
        r("pt", "absent_figure", "audience size", "quantos ouvintes ativos a banda tem hoje?"),
        r("en", "absent_figure", "streams", "how many streams did the live album get?"),
        r("pt", "absent_figure", "sales", "quantos vinis foram vendidos na pre venda?"),
        r("en", "absent_figure", "per-device figures", "what share of comments came from iPhone users?"),
        r("pt", "absent_figure", "support response time", "quanto tempo o suporte demora pra responder os ouvintes?"),
        r("en", "absent_figure", "per-language figures", "how many comments were written in Spanish?"),
        r("en", "absent_figure", "per-platform figures", "how many of the casting complaints came from Android?"),
        r("pt", "absent_figure", "poll results", "quantas pessoas votaram na enquete dos shows?"),
        r("en", "absent_figure", "per-city figures", "which city got the most concert requests?"),
        r("pt", "absent_figure", "demographics", "qual a media de idade de quem comenta?"),
        r("en", "absent_figure", "demographics", "what's the gender split of the people commenting?"),
        r("pt", "absent_figure", "per-subscriber figures", "quantas reclamações de transmissão foram de assinantes premium?"),
        # --- weeks, months and years with no digest
        r("pt", "no_digest", "before the first digest", "como foi a semana 16?"),
        r("en", "no_digest", "before the first digest", "what happened in March 2024?"),
        r("pt", "no_digest", "before the first digest", "e em fevereiro, como foram os comentarios?"),
        r("en", "no_digest", "another year", "compare this July with July 2023"),
        r("pt", "no_digest", "after the last digest", "como foi a semana 31?"),
        r("pt", "no_digest", "after the last digest", "quantos comentarios em agosto?"),
        r("en", "no_digest", "after the last digest", "give me the numbers for December 2024"),
        r("pt", "no_digest", "another year", "me da um resumo do ano de 2023"),
        r("en", "no_digest", "after the last digest", "how many complaints in week 35 of 2024?"),
        r("pt", "no_digest", "another year", "como foi o natal do ano passado?"),
        r("en", "no_digest", "far future", "what happened in 2027?"),
        r("en", "no_digest", "after the last digest", "how did week 52 go?"),
        r("pt", "no_digest", "before the first digest", "quantos elogios tivemos no carnaval?"),
        # --- predictions
        r("pt", "prediction", "a forecast", "quantas duvidas vamos ter na proxima semana?"),
        r("en", "prediction", "a forecast", "will the layout complaints go away next month?"),
        r("pt", "prediction", "a forecast", "o aleatório vai continuar sendo problema em agosto?"),
        r("en", "prediction", "a forecast", "predict the number of comments for week 31"),
        r("pt", "prediction", "a forecast", "vale a pena lançar o app de TV? vai dar certo?"),
        r("en", "prediction", "a forecast", "will the vinyl sell out?"),
        r("pt", "prediction", "a forecast", "a banda vai ganhar mais fã depois do festival?"),
        r("en", "prediction", "a forecast", "is the shuffle thing going to blow up like casting did?"),
        # --- other subjects
        r("pt", "other_subject", "not about the feedback", "qual a capital da Australia?"),
        r("en", "other_subject", "not about the feedback", "write me a poem about shuffle mode"),
        r("pt", "other_subject", "not about the feedback", "me passa a previsao do tempo pra sexta"),
        r("en", "other_subject", "not about the feedback", "what's the best pizza place in São Paulo?"),
        r("pt", "other_subject", "not about the feedback", "quem ganhou a copa de 2022?"),
        r("en", "other_subject", "not about the feedback", "how do I reset my router?"),
        r("pt", "other_subject", "not about the feedback", "traduz 'obrigado' pro japones"),
        r("en", "other_subject", "not about the feedback", "what's the dollar exchange rate today"),
        # --- personal questions
        r("pt", "personal", "about the one answering", "vc gosta da banda?"),
        r("en", "personal", "about the one answering", "are you a fan of vinyl?"),
        r("pt", "personal", "about the one answering", "qual seu nome?"),
        r("en", "personal", "about the one answering", "how old are you?"),
        r("pt", "personal", "about the one answering", "voce ta bem hoje?"),
        # --- requests too vague for the digests to settle
        r("pt", "ambiguous", "no subject or period", "eai, melhorou?"),
        r("en", "ambiguous", "no subject or period", "is it better or worse?"),
        r("pt", "ambiguous", "no subject or period", "quanto foi?"),
        r("en", "ambiguous", "no subject or period", "what about the other thing?"),
        r("pt", "ambiguous", "no subject or period", "foi bom?"),
        # --- sounds like the answerable ones, asks for something absent
        r("pt", "near_miss", "a tag no digest lists", "quantas reclamações de bateria tiveram em junho?"),
        r("en", "near_miss", "a tag no digest lists", "how many people complained about ads in May?"),
        r("pt", "near_miss", "a tag no digest lists", "quantos pedidos de letra sincronizada na semana 24?"),
        r("en", "near_miss", "a tag no digest lists", "what did people say about the subscription price?"),
        r("pt", "near_miss", "a tag no digest lists", "quando começaram as reclamações de login?"),
        r("en", "near_miss", "a tag no digest lists", "how many complaints about audiobooks in week 20?"),
        r("en", "near_miss", "a cross-tabulation no digest has", "how many of the vinyl comments were praise?"),
        r("pt", "near_miss", "a figure no digest has", "quantas dúvidas foram respondidas pela equipe?"),
        r("pt", "near_miss", "a figure no digest has", "quantos comentários falaram do festival de julho?"),
        r("pt", "near_miss", "a figure no digest has", "quantos comentários de spam foram apagados?"),
        r("en", "near_miss", "a figure no digest has", "how many suggestions were actually implemented?"),
        r("en", "near_miss", "a tag no digest lists", "when did the podcast requests peak?"),
    ]  # fmt: skip


def _in_language(question: Q) -> Q:
    """Tag facts ("#feat_show") as the words of the question's own language."""
    facts = [
        f"{fact}.{question.lang}" if isinstance(fact, str) and fact.startswith("#") else fact
        for fact in question.facts
    ]
    return replace(question, facts=facts)


def all_questions() -> list[Q]:
    return [_in_language(q) for q in _answerable() + _unanswerable()]


def build() -> dict[str, Any]:
    words = {f"{tag}.{lang}": names[lang] for tag, names in TAG_WORDS.items() for lang in names}
    return build_questions(
        all_questions(),
        words,
        DIGESTS_PATH,
        prefix="b7-",
        today=TODAY,
        descricao=(
            "Seventh blind set: 2024-W18..W29, written without reading the answerer; "
            "every question held out (see README.md)."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
