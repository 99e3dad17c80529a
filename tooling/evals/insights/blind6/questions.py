"""The sixth blind set's questions: `python -m tooling.evals.insights.blind6.questions` rewrites
questions.json, checking every expected figure and listener's words against digests.json first.

Written from the designed tables in `build.py` only. Conventions (README.md): a month is the ISO
weeks whose Thursday falls in it; "this week" and "last week" are 2025-W12, the last closed week;
"the last weeks" with no number are the last 8 digests; a "when" question cites the week found, a
period question every week of the period.
"""

from __future__ import annotations

from typing import Any, Final

from tooling.evals.insights.blind6.build import DIGESTS_PATH, HERE, TODAY
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"

LABELS: Final = [f"2025-W{n:02d}" for n in range(1, 13)]
JANUARY: Final = LABELS[0:5]
FEBRUARY: Final = LABELS[5:9]
MARCH: Final = LABELS[9:12]
LAST4: Final = LABELS[8:]
LAST8: Final = LABELS[4:]
W = {n: f"2025-W{n:02d}" for n in range(1, 13)}

# The words a person would accept for each tag, per language (the digest's vocabulary).
TAG_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "feat_busca": {"pt": ("busca", "pesquisa"), "en": ("search",)},
    "sec_conta": {"pt": ("segurança da conta", "contas invadidas"), "en": ("account security",)},
    "fix_volume": {"pt": ("volume desigual", "volume"), "en": ("uneven volume", "volume")},
    "perf_memoria": {"pt": ("uso de memória", "memória"), "en": ("memory use", "memory")},
    "perf_armazenamento": {"pt": ("armazenamento",), "en": ("storage use", "storage")},
    "feat_velocidade": {
        "pt": ("velocidade de reprodução", "velocidade"),
        "en": ("playback speed", "speed"),
    },
    "feat_infantil": {"pt": ("modo infantil", "perfil infantil"), "en": ("kids mode",)},
    "feat_social": {"pt": ("recursos sociais",), "en": ("social features",)},
}
_FLAT: Final = {f"{lang}:{tag}": words[lang] for tag, words in TAG_WORDS.items() for lang in words}


def pt(tag: str) -> str:
    return f"#pt:{tag}"


def en(tag: str) -> str:
    return f"#en:{tag}"


SEARCH_SAMPLES: Final = (
    "a busca não acha a música se eu erro uma letra",
    "search never finds the live version I typed",
    "procuro o álbum e aparece podcast",
    "searching by lyrics line returns nothing",
)
ACCOUNT_SAMPLES: Final = (
    "invadiram minha conta e trocaram o e-mail",
    "someone logged into my account from another country",
    "apareceram playlists estranhas na minha conta",
    "my password was changed and I never did it",
)
VOLUME_SAMPLES: Final = (
    "os remixes de carnaval estouram o volume",
    "the carnival remixes are way louder than the rest",
    "uma faixa baixinha e a próxima no talo",
    "volume jumps between songs in the party playlist",
)
KIDS_SAMPLES: Final = (
    "com o plano família preciso de um modo infantil",
    "a kids profile with only clean songs please",
    "meu filho usa o app, falta controle parental",
    "the family plan needs a kids mode",
)
SPEED_SAMPLES: Final = (
    "queria ouvir os episódios em 1.5x",
    "please add a playback speed control",
    "deixa mudar a velocidade da faixa pra ensaiar",
)

ANSWERABLE: Final[list[Q]] = [
    # general: the latest closed week unless a period is named
    answer("pt", "general", "como estão as coisas?", ["915", "52,5"], [W[12]]),
    answer("en", "general", "any news?", ["915"], [W[12]]),
    answer("pt", "general", "e aí, tudo tranquilo com os ouvintes?", ["915"], [W[12]]),
    answer("en", "general", "quick summary pls", ["915", "@ELOGIO"], [W[12]]),
    answer("pt", "general", "me dá um resumão da semana", ["915", pt("feat_busca")], [W[12]]),
    answer(
        "en",
        "general",
        "I just got back from vacation and I have a meeting in ten minutes, can you tell me "
        "what listeners have been saying lately, the headline only",
        ["915", en("feat_busca")],
        [W[12]],
    ),
    answer("pt", "general", "resume o mês passado", ["@ELOGIO", pt("feat_infantil")], FEBRUARY),
    answer("en", "general", "sum up february for me", ["@ELOGIO", en("feat_infantil")], FEBRUARY),
    answer("pt", "general", "como foi janeiro?", [pt("sec_conta")], JANUARY),
    answer("en", "general", "how's march going so far", ["52,5", "@ELOGIO"], MARCH),
    answer("pt", "general", "qual o clima geral das últimas 4 semanas", ["@ELOGIO"], LAST4),
    # when: the answer is an earlier week than the latest
    answer("pt", "when", "quando as reclamações de conta invadida explodiram?", ["68"], [W[4]]),
    answer("en", "when", "when did account security complaints spike?", ["68", "24,7"], [W[4]]),
    answer("pt", "when", "em q semana o pessoal mais pediu modo infantil", ["95"], [W[6]]),
    answer("en", "when", "which week did kids mode requests peak", ["95"], [W[6]]),
    answer(
        "pt",
        "when",
        "qual foi a semana com menos comentários?",
        ["723"],
        [W[5]],
    ),
    answer("en", "when", "what was our quietest week?", ["723"], [W[5]]),
    answer(
        "pt",
        "when",
        "quando o total de comentários caiu mais de uma semana pra outra?",
        ["723", "882"],
        [W[5]],
    ),
    answer(
        "en",
        "when",
        "biggest week-over-week drop in comments, when was it?",
        ["723", "882"],
        [W[5]],
    ),
    answer("pt", "when", "quando as críticas tiveram a maior fatia?", ["34,0", "300"], [W[4]]),
    answer("en", "when", "when were complaints at their highest share?", ["34,0"], [W[4]]),
    answer(
        "pt",
        "when",
        "quando voltou a reclamação de volume desigual?",
        ["18", pt("fix_volume")],
        [W[9]],
    ),
    answer(
        "en",
        "when",
        "the uneven volume thing, when did it come back?",
        ["18", en("fix_volume")],
        [W[9]],
    ),
    answer(
        "pt",
        "when",
        "qual semana as sugestões mais caíram em participação?",
        ["9,8", "@SUGESTÃO"],
        [W[7]],
    ),
    answer(
        "en",
        "when",
        "when did the suggestions share fall the most?",
        ["9,8"],
        [W[7]],
    ),
    answer("pt", "when", "qnd as sugestões bateram o pico de fatia?", ["29,4"], [W[6]]),
    answer(
        "en", "when", "when did the kids mode stuff blow up, after the family plan?", ["95"], [W[6]]
    ),
    # most / least: by volume versus by recurrence
    answer(
        "pt",
        "most-least",
        "qual sugestão mais apareceu no trimestre?",
        [pt("feat_infantil"), pt("feat_velocidade")],
        LABELS,
    ),
    answer(
        "en",
        "most-least",
        "what did people ask for the most since january?",
        [en("feat_infantil"), en("feat_velocidade")],
        LABELS,
    ),
    answer(
        "pt",
        "most-least",
        "qual sugestão aparece toda semana?",
        [pt("feat_velocidade")],
        LABELS,
    ),
    answer(
        "en",
        "most-least",
        "which complaint shows up every single week?",
        [en("feat_busca")],
        LABELS,
    ),
    answer(
        "pt",
        "most-least",
        "qual a reclamação mais recorrente?",
        [pt("feat_busca")],
        LABELS,
    ),
    answer(
        "pt",
        "most-least",
        "o que mais reclamaram em janeiro?",
        [pt("sec_conta"), pt("feat_busca")],
        JANUARY,
    ),
    answer(
        "en",
        "most-least",
        "top complaint in january?",
        [en("sec_conta"), en("feat_busca")],
        JANUARY,
    ),
    answer(
        "pt",
        "most-least",
        "maior reclamação de fevereiro",
        [pt("feat_busca")],
        FEBRUARY,
    ),
    answer(
        "en",
        "most-least",
        "what's the #1 complaint last week",
        [en("feat_busca"), "13"],
        [W[12]],
    ),
    answer(
        "pt",
        "most-least",
        "qual foi o pedido mais comum semana passada",
        [pt("feat_velocidade"), "6"],
        [W[12]],
    ),
    answer(
        "en",
        "most-least",
        "which category had the fewest comments last week?",
        ["SPAM", "31"],
        [W[12]],
    ),
    answer(
        "pt",
        "most-least",
        "qual categoria teve mais comentários na semana 12?",
        ["@ELOGIO", "480"],
        [W[12]],
    ),
    answer(
        "en",
        "most-least",
        "the main suggestion in week 6 — what was it?",
        [en("feat_infantil"), "95"],
        [W[6]],
    ),
    # compare two named weeks or periods
    answer(
        "pt",
        "compare",
        "compara a semana 3 com a semana 4",
        ["780", "882", "34,0"],
        [W[3], W[4]],
    ),
    answer(
        "en",
        "compare",
        "week 3 vs week 4, what changed?",
        ["780", "882"],
        [W[3], W[4]],
    ),
    answer(
        "pt",
        "compare",
        "as sugestões na semana 6 e na semana 12, quanto mudou?",
        ["260", "158"],
        [W[6], W[12]],
    ),
    answer(
        "en",
        "compare",
        "compare praise in W07 and W12",
        ["40,5", "52,5"],
        [W[7], W[12]],
    ),
    answer(
        "pt",
        "compare",
        "semana 5 x semana 6, o que aconteceu?",
        ["723", "885"],
        [W[5], W[6]],
    ),
    answer(
        "en",
        "compare",
        "how did the week of jan 20 compare with the week before?",
        ["882", "780"],
        [W[3], W[4]],
    ),
    answer(
        "pt",
        "compare",
        "elogios: semana 1 contra semana 11",
        ["39,4", "51,4"],
        [W[1], W[11]],
    ),
    answer(
        "en",
        "compare",
        "criticism share in week 4 versus week 10?",
        ["34,0", "18,9"],
        [W[4], W[10]],
    ),
    # trend of a tag or category over weeks
    answer(
        "pt",
        "trend",
        "como evoluiu a fatia de elogios nas últimas 6 semanas?",
        ["40,5", "52,5"],
        LABELS[6:],
    ),
    answer(
        "en",
        "trend",
        "praise trend over the last 6 weeks?",
        ["40,5", "52,5"],
        LABELS[6:],
    ),
    answer(
        "pt",
        "trend",
        "as críticas tão caindo? últimas 4 semanas",
        ["20,7", "16,4"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "are complaints going down over the last 4 weeks or what",
        ["20,7", "16,4"],
        LAST4,
    ),
    answer(
        "pt",
        "trend",
        "como andou o volume desigual nas últimas 4 semanas?",
        ["18", "9"],
        LAST4,
    ),
    answer(
        "en",
        "trend",
        "uneven volume complaints, last 4 weeks trend",
        ["18", "9"],
        LAST4,
    ),
    answer(
        "pt",
        "trend",
        "tendência das críticas em março",
        ["18,9", "16,4"],
        MARCH,
    ),
    answer(
        "en",
        "trend",
        "how did praise move in february, week by week?",
        ["32,8", "46,1"],
        FEBRUARY,
    ),
    # samples: what listeners wrote
    answer(
        "pt",
        "samples",
        "o que falaram sobre conta invadida na semana 4?",
        [ACCOUNT_SAMPLES],
        [W[4]],
    ),
    answer(
        "en",
        "samples",
        "what were people saying about their hacked accounts in week 4?",
        [ACCOUNT_SAMPLES],
        [W[4]],
    ),
    answer(
        "pt",
        "samples",
        "exemplos de pedido de modo infantil na semana 6",
        [KIDS_SAMPLES],
        [W[6]],
    ),
    answer(
        "en",
        "samples",
        "give me a couple of quotes asking for kids mode, week 6",
        [KIDS_SAMPLES],
        [W[6]],
    ),
    answer(
        "pt",
        "samples",
        "o que o povo escreveu do volume dos remixes de carnaval? semana 9",
        [VOLUME_SAMPLES],
        [W[9]],
    ),
    answer(
        "en",
        "samples",
        "what did listeners write about search last week?",
        [SEARCH_SAMPLES],
        [W[12]],
    ),
    answer(
        "pt",
        "samples",
        "mostra uns comentários sobre velocidade de reprodução da semana passada",
        [SPEED_SAMPLES],
        [W[12]],
    ),
    # a category's or tag's share or count in a given week
    answer("pt", "share", "qual a fatia de críticas na semana 4?", ["34,0"], [W[4]]),
    answer("en", "share", "what % were suggestions in week 6?", ["29,4"], [W[6]]),
    answer("pt", "share", "quantos % foram dúvidas na semana 12", ["10,5"], [W[12]]),
    answer("en", "share", "spam share last week?", ["3,4"], [W[12]]),
    answer("pt", "share", "elogios na semana 9, quanto deu?", ["46,1", "400"], [W[9]]),
    answer(
        "en",
        "share",
        "how many account security mentions were there in week 5?",
        ["19"],
        [W[5]],
    ),
    answer(
        "pt",
        "share",
        "na semana 6 os elogios subiram mas a fatia caiu? quanto?",
        ["290", "32,8"],
        [W[6]],
    ),
    answer(
        "en",
        "share",
        "week 6: praise count went up but did its share drop?",
        ["290", "32,8"],
        [W[6]],
    ),
    # last week / this week: the last closed week
    answer("pt", "last-week", "e semana passada?", ["915"], [W[12]]),
    answer("en", "last-week", "how was last week", ["915"], [W[12]]),
    answer("pt", "last-week", "como tá essa semana?", ["915"], [W[12]]),
    answer("en", "last-week", "what's happening this week?", ["915"], [W[12]]),
    answer(
        "pt",
        "last-week",
        "quantos comentários semana passada e qual a maior reclamação?",
        ["915", pt("feat_busca")],
        [W[12]],
    ),
    answer(
        "en",
        "last-week",
        "last week, the elogios share, how much?",
        ["52,5"],
        [W[12]],
    ),
    # periods in words and dates
    answer("pt", "period", "quantos comentários teve na semana 4?", ["882"], [W[4]]),
    answer("en", "period", "week 9 numbers?", ["868"], [W[9]]),
    answer("pt", "period", "como foi a semana de 12/02?", ["815"], [W[7]]),
    answer(
        "en",
        "period",
        "what happened between feb 3 and feb 9?",
        ["885", en("feat_infantil")],
        [W[6]],
    ),
    answer("pt", "period", "e a semana do dia 27/01?", ["723"], [W[5]]),
    answer("en", "period", "the first week of the year, how did it go?", ["774"], [W[1]]),
    answer("pt", "period", "no carnaval (semana 10) quanto foi de elogio?", ["49,0"], [W[10]]),
    answer(
        "en",
        "period",
        "what stood out in the week of march 3rd",
        ["898"],
        [W[10]],
    ),
    answer(
        "pt",
        "period",
        "o que subiu nas últimas semanas?",
        ["@ELOGIO"],
        LAST8,
    ),
    # mixed languages, two parts, long and rambling
    answer(
        "en",
        "period",
        "any reclamações about search em março?",
        [("search", "busca")],
        MARCH,
    ),
    answer(
        "pt",
        "when",
        "então, tô montando a apresentação pro board e queria saber: lá em janeiro teve aquele "
        "rolo das contas invadidas né, em que semana foi isso e quantas menções deu?",
        ["68"],
        [W[4]],
    ),
    answer(
        "en",
        "compare",
        "two things: how many comments in week 11, and how many in week 12?",
        ["915"],
        [W[11], W[12]],
    ),
]

UNANSWERABLE: Final[list[Q]] = [
    refuse("pt", "other-subject", "assunto alheio", "quem ganhou o jogo do flamengo ontem?"),
    refuse("en", "other-subject", "unrelated", "what's the weather in São Paulo tomorrow?"),
    refuse("pt", "other-subject", "assunto alheio", "me passa uma receita de bolo de fubá"),
    refuse("en", "other-subject", "unrelated", "write me a poem about carnival"),
    refuse("pt", "other-subject", "assunto alheio", "qual a capital da austrália"),
    refuse("en", "other-subject", "unrelated", "how do I reset my router?"),
    refuse("pt", "other-subject", "assunto alheio", "quanto tá o dólar hoje?"),
    refuse("en", "other-subject", "unrelated", "translate 'bom dia' to japanese"),
    refuse("pt", "no-digest", "year without digest", "como foi 2023?"),
    refuse("en", "no-digest", "year without digest", "how did listeners feel back in 2022?"),
    refuse("pt", "no-digest", "month without digest", "e em abril?"),
    refuse("en", "no-digest", "month without digest", "summary of may 2025 please"),
    refuse("pt", "no-digest", "week without digest", "como foi a semana 20 de 2025?"),
    refuse("en", "no-digest", "week without digest", "numbers for week 30 of 2025?"),
    refuse("pt", "no-digest", "month without digest", "resume o natal de 2024 pra mim"),
    refuse("en", "no-digest", "month without digest", "what happened in november 2024"),
    refuse("pt", "no-digest", "week without digest", "compara junho com julho de 2025"),
    refuse("en", "no-digest", "year without digest", "compare 2025 with 2024 as a whole"),
    refuse("pt", "future", "future", "quantos comentários vamos ter semana que vem?"),
    refuse("en", "future", "future", "predict next month's complaints"),
    refuse("pt", "future", "future", "o modo infantil vai voltar a bombar em abril?"),
    refuse("en", "future", "future", "will praise keep growing after carnival?"),
    refuse("pt", "future", "future", "qual vai ser a maior reclamação de 2026?"),
    refuse("en", "not-held", "revenue", "how much revenue did the family plan bring in?"),
    refuse("pt", "not-held", "revenue", "quanto faturamos em fevereiro?"),
    refuse("en", "not-held", "subscribers", "how many new subscribers signed up in week 5?"),
    refuse("pt", "not-held", "subscribers", "quantos assinantes o plano família tem hoje?"),
    refuse("en", "not-held", "identity", "who wrote that their password was changed?"),
    refuse("pt", "not-held", "identity", "qual o nome do ouvinte que teve a conta invadida?"),
    refuse("en", "not-held", "identity", "give me the email of the guy asking for kids mode"),
    refuse("pt", "not-held", "identity", "quem é o usuário que mais comenta?"),
    refuse("en", "not-held", "comment id", "what's the id of comment c-170012?"),
    refuse("pt", "not-held", "comment id", "me mostra o comentário c-170500 inteiro"),
    refuse("en", "not-held", "comment id", "list every comment id from week 4"),
    refuse("pt", "not-held", "app store", "qual a nota do app na play store?"),
    refuse("en", "not-held", "streams", "how many streams did the carnival playlist get?"),
    refuse("pt", "not-held", "streams", "quantos plays teve o remix de carnaval?"),
    refuse("en", "not-held", "ticket sales", "how many tickets did the carnival show sell?"),
    refuse("pt", "not-held", "competitor", "o spotify tá recebendo mais reclamação que a gente?"),
    refuse("en", "not-held", "competitor", "are deezer users complaining about search too?"),
    refuse("pt", "not-held", "staff", "qual funcionário corrigiu mais classificações?"),
    refuse("en", "not-held", "age", "how old are the people asking for kids mode?"),
    refuse("pt", "not-held", "location", "de que cidade vieram as reclamações de conta invadida?"),
    refuse("en", "not-held", "hour", "at what time of day do people complain the most?"),
    refuse("pt", "not-held", "device", "quantos usam iphone e quantos android?"),
    refuse("en", "other-subject", "unrelated", "who is the band's drummer?"),
    refuse("pt", "not-held", "cost", "quanto custou consertar as contas invadidas?"),
]

QUESTIONS: Final = [*ANSWERABLE, *UNANSWERABLE]


def build() -> dict[str, Any]:
    return build_questions(
        QUESTIONS,
        _FLAT,
        DIGESTS_PATH,
        prefix="b6-",
        today=TODAY,
        descricao=(
            "Sixth blind set: 2025-W01..W12 designed by hand, written without reading the "
            "answerer; held out, not to be tuned on."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
