"""The fourth blind questions: `python -m tooling.evals.insights.blind4.questions` rewrites
questions.json from the digests `build.py` wrote, checking every figure against them first.

Written from the designed tables (README.md) without reading the answerer. "Today" is 2026-05-28,
a Thursday of 2026-W22, which has no digest: "this week" and "last week" are 2026-W21, the last
closed week. A month is the weeks whose Thursday falls in it (March = W10-W13, April = W14-W18,
May so far = W19-W21; "mês passado" / "last month" = April); "the last N weeks" are the last N
digests; "since March" and "every week" are all twelve. A question about one week, or a "when" /
"which week" question, expects the week it names or finds.

Facts name tags and categories in the question's language (`tag("pt", ...)` accepts the PT-BR
words, `tag("en", ...)` the English ones, as the digest vocabulary says them); figures are written
by hand and each one is asserted against the digest it comes from (`_Data`), besides the shared
check that every fact is in the question's weeks.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from tooling.evals.insights.blind4.build import DIGESTS_PATH, FIRST, HERE, TODAY, WEEKS
from tooling.evals.insights.designed import Q, answer, build_questions, refuse, write_json

QUESTIONS_PATH: Final = HERE / "questions.json"
LABELS: Final = [str(FIRST.shifted(k)) for k in range(WEEKS)]
MARCH: Final = LABELS[0:4]  # W10-W13
APRIL: Final = LABELS[4:9]  # W14-W18
MAY: Final = LABELS[9:12]  # W19-W21
LAST: Final = LABELS[-1]  # 2026-W21: "this week" and "last week"

# A tag's words per language, as the digest vocabulary names it (and the plain variants a person
# would accept); ids never count.
TAG_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "feat_mixagem": {
        "pt": ("mixagem", "mixagens", "remasterização"),
        "en": ("mixing", "mix", "remaster", "remastered"),
    },
    "api_bluetooth": {"pt": ("Bluetooth",), "en": ("Bluetooth",)},
    "feat_notificacao": {
        "pt": ("notificações", "notificação"),
        "en": ("notifications", "notification"),
    },
    "perf_dados": {"pt": ("consumo de dados", "dados móveis"), "en": ("data usage", "mobile data")},
    "fix_volume": {"pt": ("volume",), "en": ("volume",)},
    "ui_tema": {"pt": ("tema visual", "tema", "modo escuro"), "en": ("visual theme", "theme")},
    "feat_podcast": {"pt": ("podcast", "podcasts"), "en": ("podcast", "podcasts")},
    "feat_timer": {
        "pt": ("timer de sono", "timer", "temporizador"),
        "en": ("sleep timer", "timer"),
    },
    "feat_merch": {
        "pt": ("produtos oficiais", "merch", "merchandising", "camiseta", "camisetas"),
        "en": ("merchandise", "merch", "merchandising"),
    },
    "feat_instrumental": {
        "pt": ("instrumental", "instrumentais"),
        "en": ("instrumental", "instrumentals"),
    },
    "feat_fila": {"pt": ("fila de reprodução", "fila"), "en": ("play queue", "queue")},
    "feat_widget": {"pt": ("widget", "widgets"), "en": ("widget", "widgets")},
    "feat_historico": {
        "pt": ("histórico de audição", "histórico"),
        "en": ("listening history", "history"),
    },
    "feat_velocidade": {
        "pt": ("velocidade de reprodução", "velocidade"),
        "en": ("playback speed", "speed"),
    },
    "feat_cover": {"pt": ("covers", "cover"), "en": ("covers", "cover")},
}
CATEGORY_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "ELOGIO": {"pt": ("ELOGIO", "elogios", "elogio"), "en": ("ELOGIO", "praise", "compliments")},
    "CRÍTICA": {
        "pt": ("CRÍTICA", "críticas", "crítica", "reclamações"),
        "en": ("CRÍTICA", "criticism", "criticisms", "complaints"),
    },
    "SUGESTÃO": {
        "pt": ("SUGESTÃO", "sugestões", "sugestão"),
        "en": ("SUGESTÃO", "suggestions", "suggestion", "requests"),
    },
    "DÚVIDA": {"pt": ("DÚVIDA", "dúvidas", "dúvida"), "en": ("DÚVIDA", "questions")},
    "SPAM": {"pt": ("SPAM",), "en": ("SPAM",)},
}
WORDS: Final[dict[str, tuple[str, ...]]] = {
    f"{lang}:{name}": words[lang]
    for table in (TAG_WORDS, CATEGORY_WORDS)
    for name, words in table.items()
    for lang in ("pt", "en")
}

_MONTHS_PT: Final = ("janeiro", "fevereiro", "março", "abril", "maio", "junho")
_MONTHS_EN: Final = ("January", "February", "March", "April", "May", "June")


def tag(lang: str, name: str) -> str:
    """A tag stated in `lang`'s words (expanded by build_questions, checked by `_check_tags`)."""
    assert name in TAG_WORDS, name
    return f"#{lang}:{name}"


def cat(lang: str, name: str) -> str:
    """A category stated in `lang`'s words (its name in capitals counts in both)."""
    assert name in CATEGORY_WORDS, name
    return f"#{lang}:{name}"


def week(label: str) -> tuple[str, ...]:
    """The ways an answer names one week: its label, its number, its Monday or its Sunday."""
    number = int(label[-2:])
    iso = FIRST.shifted(LABELS.index(label))
    days = [
        form
        for day in (iso.monday, iso.sunday)
        for form in (
            f"{day.day:02d}/{day.month:02d}",
            f"{day.day} de {_MONTHS_PT[day.month - 1]}",
            f"{_MONTHS_EN[day.month - 1]} {day.day}",
        )
    ]
    return (f"W{number:02d}", f"semana {number}", f"week {number}", *days)


class _Data:
    """The committed digests, read to assert each hand-written figure where it is said to be."""

    def __init__(self, path: Path) -> None:
        self.stats = {d["semana"]: d["stats"] for d in json.loads(path.read_text("utf-8"))}

    def _category(self, label: str, name: str) -> dict[str, Any]:
        found: dict[str, Any] = next(
            c for c in self.stats[label]["categorias"] if c["categoria"] == name
        )
        return found

    def total(self, label: str, value: int) -> str:
        assert self.stats[label]["total"] == value, (label, value)
        return str(value)

    def share(self, label: str, name: str, value: float) -> str:
        assert self._category(label, name)["percentual"] == value, (label, name, value)
        return str(value)

    def count(self, label: str, name: str, value: int) -> str:
        assert self._category(label, name)["total"] == value, (label, name, value)
        return str(value)

    def points(self, label: str, name: str, value: float) -> str:
        """A share's change in points, signed as the digest holds it (stated unsigned)."""
        assert self._category(label, name)["variacao_pontos"] == value, (label, name, value)
        return str(abs(value))

    def p(self, label: str, name: str, value: float, significant: bool) -> str:
        category = self._category(label, name)
        assert (category["p_valor"], category["significativa"]) == (value, significant)
        return str(value)

    def mentions(self, label: str, name: str, value: int) -> str:
        """A tag's mentions in a week where the digest lists it."""
        stats = self.stats[label]
        listed = {
            t["tag"]: t["total"]
            for key in ("criticas_recorrentes", "sugestoes_relevantes")
            for t in stats[key]
        }
        assert listed.get(name) == value, (label, name, value, listed.get(name))
        return str(value)

    def factor(self, label: str, name: str, value: float) -> str:
        spikes = {t["tag"]: t["fator"] for t in self.stats[label]["tags_em_alta"]}
        assert spikes.get(name) == value, (label, name, value, spikes.get(name))
        return str(value)

    def samples(self, labels: Sequence[str], name: str) -> tuple[str, ...]:
        """A piece of each comment the digests of `labels` show for the tag: any one is stated."""
        texts = [
            sample["texto"]
            for label in labels
            for key in ("criticas_recorrentes", "sugestoes_relevantes")
            for t in self.stats[label][key]
            if t["tag"] == name
            for sample in t["exemplos"]
        ]
        assert texts, (labels, name)
        return tuple(dict.fromkeys(_piece(text) for text in texts))

    def open_questions(self, labels: Sequence[str]) -> tuple[str, ...]:
        texts = [q["texto"] for label in labels for q in self.stats[label]["duvidas_abertas"]]
        return tuple(dict.fromkeys(_piece(text) for text in texts))


def _piece(text: str) -> str:
    """Four words in a row of a listener's comment, letters only (no figures or punctuation)."""
    words = [word.strip(",.?!") for word in text.split()]
    run: list[str] = []
    for word in words:
        run = [*run, word] if word.isalpha() else []
        if len(run) == 4:
            return " ".join(run)
    raise ValueError(f"no four plain words in a row: {text!r}")


def _questions(d: _Data) -> list[Q]:
    w = week
    q: list[Q] = []
    add = q.append

    # --- general ------------------------------------------------------------------------------
    add(
        answer(
            "pt",
            "general",
            "como estão as coisas?",
            [tag("pt", "feat_instrumental"), d.mentions(LAST, "feat_instrumental", 30)],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "general",
            "any news?",
            [tag("en", "feat_instrumental"), d.mentions(LAST, "feat_instrumental", 30)],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "general",
            "resume o mês passado pra mim",
            [tag("pt", "feat_merch"), d.mentions("2026-W16", "feat_merch", 96)],
            APRIL,
        )
    )
    add(
        answer(
            "en",
            "general",
            "Can you sum up April?",
            [tag("en", "feat_merch"), d.mentions("2026-W16", "feat_merch", 96)],
            APRIL,
        )
    )
    add(
        answer(
            "pt",
            "general",
            "quais as tendências das últimas 4 semanas?",
            [tag("pt", "feat_instrumental"), cat("pt", "SUGESTÃO")],
            LABELS[-4:],
        )
    )
    add(
        answer(
            "en",
            "general",
            "what are the main trends of the last 5 weeks",
            [tag("en", "feat_instrumental"), cat("en", "SUGESTÃO")],
            LABELS[-5:],
        )
    )
    add(
        answer(
            "pt",
            "general",
            "e março, como foi?",
            [tag("pt", "api_bluetooth"), d.mentions("2026-W12", "api_bluetooth", 88)],
            MARCH,
        )
    )
    add(
        answer(
            "en",
            "general",
            "give me the big picture since march",
            [tag("en", "api_bluetooth"), tag("en", "feat_merch"), tag("en", "feat_instrumental")],
            LABELS,
        )
    )
    add(
        answer(
            "pt",
            "general",
            "oq rolou de novo em maio?",
            [tag("pt", "feat_notificacao"), tag("pt", "feat_instrumental")],
            MAY,
        )
    )
    add(refuse("pt", "general", "year", "faz um resumo de 2025"))
    add(refuse("en", "general", "future", "what will listeners be talking about in June?"))
    add(refuse("pt", "general", "metric", "como tá a banda nas paradas de sucesso?"))

    # --- last week (W22 has no digest: the last closed week, W21) -----------------------------
    add(
        answer(
            "pt",
            "last_week",
            "quantos comentários chegaram essa semana?",
            [d.total(LAST, 1102)],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "last_week",
            "how many comments did we get last wek?",
            [d.total(LAST, 1102)],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "last_week",
            "qual foi a principal reclamação da semana passada?",
            [tag("pt", "feat_mixagem"), d.mentions(LAST, "feat_mixagem", 13)],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "last_week",
            "top suggestion this week?",
            [tag("en", "feat_instrumental"), d.mentions(LAST, "feat_instrumental", 30)],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "last_week",
            "teve algum tema em alta semana passada?",
            [tag("pt", "feat_instrumental"), d.factor(LAST, "feat_instrumental", 2.9)],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "last_week",
            "what share of last week's comments were praise?",
            [(d.share(LAST, "ELOGIO", 40.4), d.count(LAST, "ELOGIO", 445))],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "last_week",
            "what were listeners asking us last week? any open questions?",
            [d.open_questions([LAST])],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "last_week",
            "o que o pessoal mais pediu nessa semana",
            [tag("pt", "feat_instrumental")],
            [LAST],
        )
    )

    # --- when (the week found) ----------------------------------------------------------------
    add(
        answer(
            "pt",
            "when",
            "quando as reclamaçoes de bluetooth dispararam?",
            [w("2026-W12"), d.mentions("2026-W12", "api_bluetooth", 88)],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "When did the Bluetooth complaints spike?",
            [w("2026-W12"), d.mentions("2026-W12", "api_bluetooth", 88)],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "qual semana teve mais pedido de camiseta e produto oficial da banda?",
            [w("2026-W16"), d.mentions("2026-W16", "feat_merch", 96)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "when was the peak in merch requests",
            [w("2026-W16"), d.mentions("2026-W16", "feat_merch", 96)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "qual foi a semana com menos comentarios?",
            [w("2026-W14"), d.total("2026-W14", 818)],
            ["2026-W14"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "which week had the most comments?",
            [w("2026-W16"), d.total("2026-W16", 1238)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "em que semana as críticas caíram mais?",
            [
                w("2026-W13"),
                (d.points("2026-W13", "CRÍTICA", -7.0), d.share("2026-W13", "CRÍTICA", 27.8)),
            ],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "Which week did suggestions drop the most?",
            [
                w("2026-W17"),
                (
                    d.points("2026-W17", "SUGESTÃO", -10.8),
                    d.share("2026-W17", "SUGESTÃO", 15.9),
                    d.count("2026-W17", "SUGESTÃO", 168),
                ),
            ],
            ["2026-W17"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "qnd o nº de comentários caiu mais de uma semana pra outra?",
            [w("2026-W14"), d.total("2026-W14", 818)],
            ["2026-W14"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "when did the notification complaints come back?",
            [w("2026-W19"), d.mentions("2026-W19", "feat_notificacao", 15)],
            ["2026-W19"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "quando começaram a crescer os pedidos de versão instrumental?",
            [w("2026-W18"), d.mentions("2026-W18", "feat_instrumental", 7)],
            ["2026-W18"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "In which week was the share of praise highest?",
            [w("2026-W17"), d.share("2026-W17", "ELOGIO", 44.5)],
            ["2026-W17"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "qual semana teve a maior fatia de críticas?",
            [w("2026-W12"), d.share("2026-W12", "CRÍTICA", 34.8)],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "when was the share of complaints at its lowest?",
            [w("2026-W16"), d.share("2026-W16", "CRÍTICA", 21.6)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "em qual semana as sugestões tiveram a maior participação no total?",
            [w("2026-W16"), d.share("2026-W16", "SUGESTÃO", 26.7)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "when did requests for instrumental versions peak?",
            [w(LAST), d.mentions(LAST, "feat_instrumental", 30)],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "when",
            "em que semana os elogios mais ganharam espaço, em pontos percentuais?",
            [w("2026-W17"), d.points("2026-W17", "ELOGIO", 7.3)],
            ["2026-W17"],
        )
    )
    add(
        answer(
            "en",
            "when",
            "which week did the Bluetooth complaints fall the most",
            [w("2026-W13"), d.mentions("2026-W13", "api_bluetooth", 27)],
            ["2026-W13"],
        )
    )
    add(refuse("pt", "when", "future", "quando vai ser o próximo pico de reclamações?"))
    add(refuse("en", "when", "metric", "what day of the week do most comments come in?"))
    add(refuse("en", "when", "metric", "when did most people cancel their subscription?"))

    # --- the most / the least (by volume, by recurrence) --------------------------------------
    add(
        answer(
            "pt",
            "most_least",
            "qual reclamação apareceu em todas as semanas?",
            [tag("pt", "feat_mixagem")],
            LABELS,
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "which suggestion shows up every single week?",
            [tag("en", "feat_timer")],
            LABELS,
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "qual foi a maior reclamação numa semana só?",
            [tag("pt", "api_bluetooth"), d.mentions("2026-W12", "api_bluetooth", 88)],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "biggest single-week suggestion so far?",
            [tag("en", "feat_merch"), d.mentions("2026-W16", "feat_merch", 96)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "o que mais pediram em abril, em numero de mençoes?",
            [tag("pt", "feat_merch"), d.mentions("2026-W16", "feat_merch", 96)],
            APRIL,
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "What did listeners complain about most in the last 4 weeks?",
            [tag("en", "feat_mixagem")],
            LABELS[-4:],
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "qual sugestão foi mais pedida nas últimas 3 semanas?",
            [tag("pt", "feat_instrumental")],
            LABELS[-3:],
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "what was the least requested suggestion in week 13?",
            [tag("en", "feat_historico"), d.mentions("2026-W13", "feat_historico", 4)],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "qual crítica teve menos menções na semana 17?",
            [tag("pt", "feat_podcast"), d.mentions("2026-W17", "feat_podcast", 4)],
            ["2026-W17"],
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "which category had the most comments in March?",
            [cat("en", "ELOGIO")],
            MARCH,
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "qual foi a categoria menos comum na semana 12?",
            [
                cat("pt", "SPAM"),
                (d.share("2026-W12", "SPAM", 4.5), d.count("2026-W12", "SPAM", 50)),
            ],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "en", "most_least", "most common complaint in May?", [tag("en", "feat_mixagem")], MAY
        )
    )
    add(
        answer(
            "pt",
            "most_least",
            "qual a reclamação mais frequente desde março?",
            [tag("pt", "feat_mixagem")],
            LABELS,
        )
    )
    add(
        answer(
            "en",
            "most_least",
            "by number of mentions, what's the most requested thing since march?",
            [tag("en", "feat_merch"), d.mentions("2026-W16", "feat_merch", 96)],
            LABELS,
        )
    )
    add(refuse("pt", "most_least", "user", "quem foi o ouvinte que mais reclamou em abril?"))
    add(refuse("en", "most_least", "entity", "which of the band's songs do listeners like most?"))
    add(refuse("pt", "most_least", "metric", "qual plano de assinatura vende mais?"))

    # --- compare two named weeks or periods ---------------------------------------------------
    add(
        answer(
            "pt",
            "compare",
            "compara a semana 12 com a 13",
            [
                d.mentions("2026-W12", "api_bluetooth", 88),
                d.mentions("2026-W13", "api_bluetooth", 27),
            ],
            ["2026-W12", "2026-W13"],
        )
    )
    add(
        answer(
            "en",
            "compare",
            "how did week 16 compare to week 17?",
            [d.share("2026-W16", "SUGESTÃO", 26.7), d.share("2026-W17", "SUGESTÃO", 15.9)],
            ["2026-W16", "2026-W17"],
        )
    )
    add(
        answer(
            "pt",
            "compare",
            "março x abril, o que mudou?",
            [tag("pt", "api_bluetooth"), tag("pt", "feat_merch")],
            MARCH + APRIL,
        )
    )
    add(
        answer(
            "en",
            "compare",
            "compare Easter week with the week before it",
            [d.total("2026-W14", 818), d.total("2026-W13", 1042)],
            ["2026-W13", "2026-W14"],
        )
    )
    add(
        answer(
            "pt",
            "compare",
            "semana de 11/05 vs semana de 18/05",
            [
                d.mentions("2026-W20", "feat_instrumental", 19),
                d.mentions("2026-W21", "feat_instrumental", 30),
            ],
            ["2026-W20", "2026-W21"],
        )
    )
    add(
        answer(
            "en",
            "compare",
            "was week 19 busier than week 18?",
            [d.total("2026-W19", 1076), d.total("2026-W18", 1048)],
            ["2026-W18", "2026-W19"],
        )
    )
    add(
        answer(
            "pt",
            "compare",
            "teve mais elogio na semana 15 ou na 16?",
            [d.count("2026-W15", "ELOGIO", 452), d.count("2026-W16", "ELOGIO", 460)],
            ["2026-W15", "2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "compare",
            "compare complaints in week 10 and week 21",
            [
                (d.share("2026-W10", "CRÍTICA", 26.7), d.count("2026-W10", "CRÍTICA", 268)),
                (d.share(LAST, "CRÍTICA", 21.8), d.count(LAST, "CRÍTICA", 240)),
            ],
            ["2026-W10", LAST],
        )
    )
    add(
        answer(
            "en",
            "compare",
            "first week of march vs last week of march?",
            [d.total("2026-W10", 1004), d.total("2026-W13", 1042)],
            ["2026-W10", "2026-W13"],
        )
    )
    add(
        answer(
            "pt",
            "compare",
            "como a semana 19 se compara com a 20 nas reclamações de notificação?",
            [
                d.mentions("2026-W19", "feat_notificacao", 15),
                d.mentions("2026-W20", "feat_notificacao", 10),
            ],
            ["2026-W19", "2026-W20"],
        )
    )
    add(refuse("pt", "compare", "year", "compara maio de 2026 com maio de 2025"))
    add(refuse("en", "compare", "product", "how do our comments compare with Spotify's?"))

    # --- trend of a tag or category over N weeks ----------------------------------------------
    add(
        answer(
            "pt",
            "trend",
            "como evoluíram as sugestões nas últimas 5 semanas?",
            [d.share("2026-W17", "SUGESTÃO", 15.9), d.share(LAST, "SUGESTÃO", 22.7)],
            LABELS[-5:],
        )
    )
    add(
        answer(
            "en",
            "trend",
            "trend of praise over the last 5 weeks?",
            [d.share("2026-W17", "ELOGIO", 44.5), d.share(LAST, "ELOGIO", 40.4)],
            LABELS[-5:],
        )
    )
    add(
        answer(
            "pt",
            "trend",
            "como foram as críticas da semana 12 até a 16?",
            [d.share("2026-W12", "CRÍTICA", 34.8), d.share("2026-W16", "CRÍTICA", 21.6)],
            LABELS[2:7],
        )
    )
    add(
        answer(
            "en",
            "trend",
            "how have instrumental version requests trended in May?",
            [
                d.mentions("2026-W19", "feat_instrumental", 12),
                d.mentions(LAST, "feat_instrumental", 30),
            ],
            MAY,
        )
    )
    add(
        answer(
            "pt",
            "trend",
            "tendência das reclamações de notificação nas últimas 4 semanas",
            [
                d.mentions("2026-W19", "feat_notificacao", 15),
                d.mentions(LAST, "feat_notificacao", 9),
            ],
            LABELS[-4:],
        )
    )
    add(
        answer(
            "en",
            "trend",
            "is the mix complaint getting better or worse over april?",
            [
                d.mentions("2026-W14", "feat_mixagem", 12),
                d.mentions("2026-W18", "feat_mixagem", 10),
            ],
            APRIL,
        )
    )
    add(
        answer(
            "pt",
            "trend",
            "como variou o total de comentários em março?",
            [d.total("2026-W10", 1004), d.total("2026-W12", 1099), d.total("2026-W13", 1042)],
            MARCH,
        )
    )
    add(
        answer(
            "en",
            "trend",
            "sleep timer requests over the last 6 weeks",
            [tag("en", "feat_timer"), d.mentions("2026-W18", "feat_timer", 8)],
            LABELS[-6:],
        )
    )
    add(
        answer(
            "pt",
            "trend",
            "a participação das dúvidas mudou muito em abril?",
            [d.share("2026-W16", "DÚVIDA", 10.1), d.share("2026-W15", "DÚVIDA", 11.3)],
            APRIL,
        )
    )
    add(
        answer(
            "en",
            "trend",
            "how did Bluetooth complaints evolve through March?",
            [
                d.mentions("2026-W12", "api_bluetooth", 88),
                d.mentions("2026-W13", "api_bluetooth", 27),
            ],
            MARCH,
        )
    )
    add(refuse("pt", "trend", "metric", "tendência da nota do app na loja nas últimas semanas"))
    add(refuse("en", "trend", "future", "how will suggestions trend next month?"))
    add(refuse("pt", "trend", "year", "como foram os comentários em 2024?"))

    # --- what listeners said (samples) --------------------------------------------------------
    add(
        answer(
            "pt",
            "samples",
            "o que disseram sobre a mixagem semana passada?",
            [d.samples([LAST], "feat_mixagem")],
            [LAST],
        )
    )
    add(
        answer(
            "en",
            "samples",
            "what did people say about bluetooth in week 12?",
            [d.samples(["2026-W12"], "api_bluetooth")],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "pt",
            "samples",
            "me dá exemplos dos pedidos de merch da semana 16",
            [d.samples(["2026-W16"], "feat_merch")],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "samples",
            "show me a few comments asking for instrumental versions last week",
            [d.samples([LAST], "feat_instrumental")],
            [LAST],
        )
    )
    add(
        answer(
            "pt",
            "samples",
            "o que escreveram sobre as notificações na semana 19?",
            [d.samples(["2026-W19"], "feat_notificacao")],
            ["2026-W19"],
        )
    )
    add(
        answer(
            "en",
            "samples",
            "what open questions did listeners have in week 16?",
            [d.open_questions(["2026-W16"])],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "samples",
            "quais dúvidas ficaram sem resposta na semana 13?",
            [d.open_questions(["2026-W13"])],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "en",
            "samples",
            "any quotes about the sleep timer from week 10?",
            [d.samples(["2026-W10"], "feat_timer")],
            ["2026-W10"],
        )
    )
    add(
        answer(
            "pt",
            "samples",
            "oq o pessoal reclamou do consumo de dados na semana 18",
            [d.samples(["2026-W18"], "perf_dados")],
            ["2026-W18"],
        )
    )
    add(refuse("pt", "samples", "person", "o que o João Pedro comentou sobre o show?"))
    add(
        refuse(
            "en",
            "samples",
            "comment_ids",
            "list the ids of every comment about Bluetooth in week 12",
        )
    )
    add(refuse("en", "samples", "entity", "what did people say about Chromecast?"))
    add(refuse("pt", "samples", "entity", "o que falaram do preço da assinatura?"))
    add(refuse("en", "samples", "person", "what did the band's manager think of the remaster?"))
    add(refuse("pt", "samples", "user", "mostra os comentários de quem cancelou a conta"))
    add(refuse("en", "samples", "product", "what are people saying about the Apple Watch app?"))
    add(refuse("pt", "samples", "entity", "o que falaram do show de Curitiba?"))

    # --- a category's or tag's share or count in one week -------------------------------------
    add(
        answer(
            "pt",
            "share",
            "qual a porcentagem de críticas na semana 12?",
            [d.share("2026-W12", "CRÍTICA", 34.8)],
            ["2026-W12"],
        )
    )
    add(
        answer(
            "en",
            "share",
            "what % of comments were suggestions in week 16?",
            [d.share("2026-W16", "SUGESTÃO", 26.7)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "share",
            "quantos elogios teve na semana 15?",
            [d.count("2026-W15", "ELOGIO", 452)],
            ["2026-W15"],
        )
    )
    add(
        answer(
            "en",
            "share",
            "how many bluetooth mentions were there in week 13?",
            [d.mentions("2026-W13", "api_bluetooth", 27)],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "pt",
            "share",
            "quanto de spam na semana 14?",
            [(d.count("2026-W14", "SPAM", 40), d.share("2026-W14", "SPAM", 4.9))],
            ["2026-W14"],
        )
    )
    add(
        answer(
            "en",
            "share",
            "share of questions in week 20?",
            [(d.share("2026-W20", "DÚVIDA", 10.4), d.count("2026-W20", "DÚVIDA", 112))],
            ["2026-W20"],
        )
    )
    add(
        answer(
            "pt",
            "share",
            "quantas menções de timer de sono na semana 18?",
            [d.mentions("2026-W18", "feat_timer", 8)],
            ["2026-W18"],
        )
    )
    add(
        answer(
            "en",
            "share",
            "How many times was merch mentioned in week 16?",
            [d.mentions("2026-W16", "feat_merch", 96)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "share",
            "na semana de 12/05, qntos % foram sugestões?",
            [d.share("2026-W20", "SUGESTÃO", 20.9)],
            ["2026-W20"],
        )
    )
    add(
        answer(
            "en",
            "share",
            "praise share in the week of april 20?",
            [d.share("2026-W17", "ELOGIO", 44.5)],
            ["2026-W17"],
        )
    )
    add(refuse("pt", "share", "metric", "quantos ouvintes únicos comentaram na semana 15?"))
    add(refuse("en", "share", "metric", "what's our app store rating this month?"))
    add(refuse("pt", "share", "metric", "quanto faturamos com a loja de merch em abril?"))
    add(refuse("en", "share", "metric", "how many people downloaded the instrumental single?"))
    add(refuse("pt", "share", "uncovered", "qual a porcentagem de críticas na semana 8?"))
    add(refuse("en", "share", "uncovered", "share of complaints in week 30?"))
    add(
        refuse(
            "en", "share", "metric", "what percentage of the comments in week 12 were in English?"
        )
    )
    add(refuse("pt", "share", "metric", "quantos comentários vieram do Instagram na semana 16?"))
    add(refuse("en", "share", "metric", "how many Bluetooth complaints came from iPhone users?"))

    # --- a change: count and share, significance ----------------------------------------------
    add(
        answer(
            "pt",
            "change",
            "os elogios subiram ou caíram na semana 16?",
            [d.count("2026-W16", "ELOGIO", 460), d.share("2026-W16", "ELOGIO", 37.2)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "change",
            "in week 14, did praise go up or down?",
            [d.count("2026-W14", "ELOGIO", 342), d.share("2026-W14", "ELOGIO", 41.8)],
            ["2026-W14"],
        )
    )
    add(
        answer(
            "pt",
            "change",
            "as críticas aumentaram na semana 16?",
            [d.count("2026-W16", "CRÍTICA", 268), d.share("2026-W16", "CRÍTICA", 21.6)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "en",
            "change",
            "was the drop in complaints in week 13 significant?",
            [
                d.points("2026-W13", "CRÍTICA", -7.0),
                (d.p("2026-W13", "CRÍTICA", 0.0006, True), "significant", "significantly"),
            ],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "pt",
            "change",
            "a subida das sugestões na semana 20 foi significativa?",
            [
                d.points("2026-W20", "SUGESTÃO", 2.3),
                (
                    d.p("2026-W20", "SUGESTÃO", 0.1828, False),
                    "não significativa",
                    "não foi significativa",
                    "não é significativa",
                    "sem mudança significativa",
                    "não houve mudança significativa",
                ),
            ],
            ["2026-W20"],
        )
    )
    add(
        answer(
            "en",
            "change",
            "did suggestions jump significantly in week 16?",
            [d.points("2026-W16", "SUGESTÃO", 11.4), d.share("2026-W16", "SUGESTÃO", 26.7)],
            ["2026-W16"],
        )
    )
    add(
        answer(
            "pt",
            "change",
            "o que aconteceu com os elogios na semana 17?",
            [d.share("2026-W17", "ELOGIO", 44.5), d.points("2026-W17", "ELOGIO", 7.3)],
            ["2026-W17"],
        )
    )

    # --- periods in words and dates -----------------------------------------------------------
    add(
        answer(
            "pt",
            "period",
            "como foi a semana de 12/05?",
            [d.total("2026-W20", 1078), tag("pt", "feat_instrumental")],
            ["2026-W20"],
        )
    )
    add(
        answer(
            "en",
            "period",
            "what happened in the week of March 16?",
            [tag("en", "api_bluetooth"), d.mentions("2026-W12", "api_bluetooth", 88)],
            ["2026-W12"],
        )
    )
    add(answer("pt", "period", "me conta da semana 15", [d.total("2026-W15", 1044)], ["2026-W15"]))
    add(
        answer(
            "en",
            "period",
            "how was the first week of April?",
            [d.total("2026-W14", 818)],
            ["2026-W14"],
        )
    )
    add(
        answer(
            "pt",
            "period",
            "nas últimas 4 semanas, quantos comentários por semana?",
            [
                d.total("2026-W18", 1048),
                d.total("2026-W19", 1076),
                d.total("2026-W20", 1078),
                d.total(LAST, 1102),
            ],
            LABELS[-4:],
        )
    )
    add(
        answer(
            "en",
            "period",
            "between May 4 and May 10, what were the top complaints?",
            [tag("en", "feat_notificacao"), tag("en", "feat_mixagem")],
            ["2026-W19"],
        )
    )
    add(
        answer(
            "pt",
            "period",
            "o que rolou entre 23/03 e 29/03?",
            [
                tag("pt", "api_bluetooth"),
                (d.points("2026-W13", "CRÍTICA", -7.0), d.share("2026-W13", "CRÍTICA", 27.8)),
            ],
            ["2026-W13"],
        )
    )
    add(
        answer(
            "en",
            "period",
            "in the first half of march how many comments did we get?",
            [d.total("2026-W10", 1004), d.total("2026-W11", 1015)],
            ["2026-W10", "2026-W11"],
        )
    )
    add(
        answer(
            "pt",
            "period",
            "resumo da semana 18 por favor",
            [d.total("2026-W18", 1048), tag("pt", "feat_instrumental")],
            ["2026-W18"],
        )
    )
    add(refuse("pt", "period", "uncovered", "como foi fevereiro?"))
    add(refuse("en", "period", "future", "what about the week of June 1?"))
    add(refuse("pt", "period", "uncovered", "resume a semana 9"))
    add(refuse("en", "period", "uncovered", "how did January go?"))
    add(refuse("pt", "period", "future", "e o mês que vem, como vai ser?"))
    add(refuse("en", "period", "year", "what happened in December 2025?"))
    add(refuse("en", "period", "year", "compare 2024 with 2025"))
    add(refuse("pt", "period", "uncovered", "como foram as semanas 2 a 5?"))

    # --- unanswerable: the future, people, other products, off-topic ---------------------------
    add(refuse("pt", "share", "future", "quantas reclamações a gente vai ter semana que vem?"))
    add(refuse("en", "trend", "future", "will instrumental requests keep rising in June?"))
    add(refuse("pt", "general", "person", "o que a Ana do marketing achou do último resumo?"))
    add(refuse("en", "general", "person", "what does the CEO think about selling merch?"))
    add(refuse("pt", "general", "product", "o que estão falando do Deezer?"))
    add(refuse("en", "compare", "product", "how does YouTube Music's sleep timer compare?"))
    add(refuse("pt", "off_topic", "off_topic", "qual a capital da Austrália?"))
    add(refuse("en", "off_topic", "off_topic", "write me a short poem about music"))
    add(refuse("pt", "off_topic", "off_topic", "quanto é 15% de 1200?"))
    add(refuse("en", "off_topic", "off_topic", "what's the weather in São Paulo tomorrow?"))
    add(refuse("pt", "off_topic", "off_topic", "me recomenda uma música boa pra dormir"))
    add(refuse("en", "off_topic", "off_topic", "who won the 2022 World Cup?"))
    add(refuse("en", "share", "metric", "how many of our listeners are from Portugal?"))
    add(refuse("pt", "most_least", "metric", "qual foi o comentário mais curtido da semana 16?"))
    add(refuse("en", "share", "metric", "how much money did the anniversary show bring in?"))
    add(refuse("pt", "samples", "user", "qual o e-mail do ouvinte que pediu o timer?"))
    add(refuse("pt", "trend", "future", "quantos comentários vamos receber em junho?"))
    return q


def _check_tags(questions: Sequence[Q], data: _Data) -> None:
    """A tag named as a fact is listed (criticisms, suggestions or spikes) in at least one of the
    question's weeks: the shared check skips word facts."""
    for question in questions:
        for fact in question.facts:
            if not (isinstance(fact, str) and fact.startswith("#")):
                continue
            name = fact.split(":", 1)[1]
            if name in CATEGORY_WORDS:
                continue
            listed = {
                t["tag"]
                for label in question.weeks
                for key in ("criticas_recorrentes", "sugestoes_relevantes", "tags_em_alta")
                for t in data.stats[label][key]
            }
            assert name in listed, (question.pergunta, name, question.weeks)


def _check_design(data: _Data) -> None:
    """The movements the questions rest on, read from the digests (not from the tables)."""
    stats = data.stats
    totals = {label: s["total"] for label, s in stats.items()}
    assert min(totals, key=totals.__getitem__) == "2026-W14"
    assert max(totals, key=totals.__getitem__) == "2026-W16"
    falls = {b: totals[a] - totals[b] for a, b in itertools.pairwise(LABELS)}
    assert max(falls, key=falls.__getitem__) == "2026-W14"

    def listed(key: str) -> dict[str, list[str]]:
        weeks: dict[str, list[str]] = {}
        for label in LABELS:
            for t in stats[label][key]:
                weeks.setdefault(t["tag"], []).append(label)
        return weeks

    criticisms, suggestions = listed("criticas_recorrentes"), listed("sugestoes_relevantes")
    assert [t for t, ws in criticisms.items() if len(ws) == WEEKS] == ["feat_mixagem"]
    assert [t for t, ws in suggestions.items() if len(ws) == WEEKS] == ["feat_timer"]
    assert criticisms["api_bluetooth"] == ["2026-W12", "2026-W13"]
    assert suggestions["feat_merch"] == ["2026-W16"]
    assert criticisms["feat_notificacao"] == ["2026-W10", "2026-W11", *MAY]
    assert suggestions["feat_instrumental"] == LABELS[-4:]

    def series(name: str, key: str) -> list[float]:
        return [
            next(c[key] for c in stats[label]["categorias"] if c["categoria"] == name)
            for label in LABELS
        ]

    for name in ("ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM"):
        points = series(name, "variacao_pontos")
        # The biggest share fall of any category is SUGESTÃO's in W17; CRÍTICA's is W13.
        assert min(points) >= -10.8
        if name == "CRÍTICA":
            assert LABELS[points.index(min(points))] == "2026-W13"
    crit_count = series("CRÍTICA", "variacao_percentual")
    assert LABELS[crit_count.index(min(crit_count))] == "2026-W13"
    crit_share = series("CRÍTICA", "percentual")
    assert LABELS[crit_share.index(max(crit_share))] == "2026-W12"
    assert LABELS[crit_share.index(min(crit_share))] == "2026-W16"
    sug_share = series("SUGESTÃO", "percentual")
    assert LABELS[sug_share.index(max(sug_share))] == "2026-W16"
    elo_share = series("ELOGIO", "percentual")
    assert LABELS[elo_share.index(max(elo_share))] == "2026-W17"
    # Over every week, the mix complaint outnumbers Bluetooth's listed mentions; merchandise
    # outnumbers the sleep timer; both winners by volume in one week lose by recurrence.
    mentions = {
        name: sum(t["total"] for s in stats.values() for t in s[key] if t["tag"] == name)
        for key, names in (
            ("criticas_recorrentes", ("feat_mixagem", "api_bluetooth", "feat_notificacao")),
            ("sugestoes_relevantes", ("feat_timer", "feat_merch", "feat_instrumental")),
        )
        for name in names
    }
    assert mentions["feat_mixagem"] > mentions["api_bluetooth"]
    assert mentions["feat_merch"] > mentions["feat_timer"] > mentions["feat_instrumental"]

    def listed_in(name: str, labels: Sequence[str]) -> int:
        return sum(
            t["total"]
            for label in labels
            for t in stats[label]["criticas_recorrentes"]
            if t["tag"] == name
        )

    # May's and the last four weeks' top complaint by volume is still the mix, not notifications.
    for labels in (MAY, LABELS[-4:]):
        assert listed_in("feat_mixagem", labels) > listed_in("feat_notificacao", labels)


def build() -> dict[str, Any]:
    data = _Data(DIGESTS_PATH)
    _check_design(data)
    questions = _questions(data)
    _check_tags(questions, data)
    assert date.fromisoformat(TODAY).isocalendar()[1] == int(LAST[-2:]) + 1
    return build_questions(
        questions,
        WORDS,
        DIGESTS_PATH,
        prefix="e",
        today=TODAY,
        descricao=(
            "Fourth blind set: twelve designed weeks 2026-W10..W21, today 2026-05-28 (W22 has no "
            "digest). Written without reading the answerer; every question held out."
        ),
    )


def main() -> None:
    write_json(QUESTIONS_PATH, build())


if __name__ == "__main__":
    main()
