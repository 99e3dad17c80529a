"""ISO weeks and the period a question names ("last week", "últimas 3 semanas", "semana 47",
"2026-W46", "em novembro", "last month", "since week 44", "16/11"...).

Every period resolves to a set of ISO weeks relative to `today` (a date in PRODUCT_TIMEZONE): the
current week is the week of `today`, "last week" the one before it. A week number or a month given
without a year means its most recent occurrence that has started. A month holds the ISO weeks whose
Thursday falls in it (the ISO rule that gives each week to exactly one month).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Final

from shared.errors import InvalidInput
from shared.insights.text import fold
from shared.timezone import IsoWeek

# Each month's names, Portuguese and English, full and short, in the order months are numbered.
MONTHS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            "janeiro january jan",
            "fevereiro february feb fev",
            "marco march mar",
            "abril april apr abr",
            "maio may mai",
            "junho june jun",
            "julho july jul",
            "agosto august aug ago",
            "setembro september sept sep set",
            "outubro october oct out",
            "novembro november nov",
            "dezembro december dec dez",
        ),
        start=1,
    )
    for name in names.split()
}
# Short month names are ambiguous words ("mar", "set", "out", "may"): only full names stand alone.
# "May" stands alone only next to another month ("compare May with June").
_AMBIGUOUS_MONTHS: Final = frozenset(
    {
        "mar",
        "set",
        "out",
        "may",
        "jan",
        "feb",
        "fev",
        "apr",
        "abr",
        "mai",
        "jun",
        "jul",
        "aug",
        "ago",
        "sep",
        "oct",
        "nov",
        "dec",
        "dez",
    }
)
_FULL_MONTHS: Final = (
    "|".join(sorted((m for m in MONTHS if m not in _AMBIGUOUS_MONTHS), key=len, reverse=True))
    + rf"|may(?=\s+(?:and|with|vs|versus|to|or|x)\s+(?:{'|'.join(m for m in MONTHS if len(m) > 3)})\b)"
    + (
        "|(?:"
        + "|".join(f"(?<={w} )" for w in ("and", "with", "vs", "versus", "to", "or", "compare"))
        + ")may\\b"
    )
    # "how was May?", "and may?": the month when it ends the question or follows "was".
    + "|(?<=was )may\\b|(?<=and )may(?=\\s*[?!.]*\\s*$)|(?<=how was )may"
    + "|(?<=\\s)may(?=\\s*[?!.]+\\s*$)"
    # "summary of may 2025", "in may", "since may": after a preposition or before a year, the
    # month (the verb never stands there).
    + "|(?:"
    + "|".join(
        f"(?<={w} )"
        for w in ("of", "in", "for", "during", "since", "from", "until", "through", "early", "late")
    )
    + ")may\\b|may(?=\\s+(?:of\\s+)?20\\d\\d\\b)"
)
_ANY_MONTH: Final = "|".join(sorted(MONTHS, key=len, reverse=True))

NUMBER_WORDS: Final[dict[str, int]] = {
    word: number
    for number, words in (
        (1, "um uma one a"),
        (2, "dois duas two"),
        (3, "tres three"),
        (4, "quatro four"),
        (5, "cinco five"),
        (6, "seis six"),
        (7, "sete seven"),
        (8, "oito eight"),
        (9, "nove nine"),
        (10, "dez ten"),
        (12, "doze twelve"),
    )
    for word in words.split()
}
_NUM: Final = r"(\d{1,2}|" + "|".join(k for k in NUMBER_WORDS if k != "a") + ")"


def week_range(first: IsoWeek, last: IsoWeek) -> tuple[IsoWeek, ...]:
    """Every week from the earlier of `first` and `last` to the later, both included."""
    start, end = sorted((first, last))
    count = (end.monday - start.monday).days // 7
    return tuple(start.shifted(i) for i in range(count + 1))


@lru_cache(maxsize=512)
def month_weeks(year: int, month: int) -> tuple[IsoWeek, ...]:
    first = date(year, month, 1)
    # The first Thursday of the month is in the month's first ISO week.
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    weeks = []
    while thursday.month == month:
        weeks.append(IsoWeek.of_date(thursday))
        thursday += timedelta(weeks=1)
    return tuple(weeks)


@dataclass(frozen=True, slots=True)
class Period:
    """The weeks a question asks about; `weeks` None when it names no period."""

    weeks: tuple[str, ...] | None = None
    future: bool = False
    recent: bool = False  # "nas últimas semanas", "recently": the latest digests
    current: bool = False  # "essa semana": the week of today, which has no digest until it ends
    every: bool = False  # "todas as semanas", "every week": every covered week

    @property
    def named(self) -> bool:
        return self.weeks is not None or self.future or self.recent


def _number(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def _year_for_month(month: int, today: date) -> int:
    return today.year if month <= today.month else today.year - 1


def _week_numbered(number: int, year: int | None, today: date) -> IsoWeek | None:
    """Week `number` of `year`; without a year, its most recent occurrence that has started."""
    for candidate in (year,) if year is not None else (today.year, today.year - 1, today.year + 1):
        try:
            week = IsoWeek(candidate, number)
        except InvalidInput:
            continue
        if year is not None or week.monday <= today:
            return week
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_FUTURE: Final = re.compile(
    r"\b(proxima semana|proximas? \d* ?semanas|semana que vem|proximo mes|mes que vem|"
    r"next (week|month|\d+ weeks|few weeks)|coming weeks?|upcoming|"
    r"amanha|tomorrow|next year|ano que vem|proximo ano)\b"
)
_RECENT: Final = re.compile(
    r"\b(nas ultimas semanas|ultimas semanas|ultimamente|recentemente|recently|lately|"
    r"recent weeks|last few weeks|past few weeks|past weeks|last weeks|these weeks|nas semanas)\b"
)
_EVERY: Final = re.compile(
    r"\b(todas as semanas|every (single )?week|all (the )?weeks|each week|cada semana|"
    r"semana a semana|semana apos semana|week after week|week by week|week over week|"
    r"over the weeks|ao longo das semanas|desde o inicio|since the (start|beginning)|"
    r"de todos os tempos|all time|ever|toda semana|"
    # The digests keep about a quarter: "the quarter" unqualified is every covered week.
    r"(?:the|this|whole|entire|o|do|no|neste|deste|esse|este|todo o)\s+(?:quarter|trimestre))\b"
    r"(?!\s+(?:of|de|do)\s+\d|\s+(?:passado|anterior|retrasado|before|prior))"
)
_LAST_N: Final = re.compile(
    rf"\b(?:(?:nas|as|das|ultimas|last|past|previous|latest|recent)\s+){{1,2}}{_NUM}\s+"
    rf"(?:ultimas\s+)?(?:semanas|weeks|semana|week)\b"
)
_OF_LAST_N: Final = re.compile(
    rf"\b(?:semanas?|weeks?)\s+(?:of|das|dos|nas|in|entre|among)\s+(?:the\s+|as\s+)?"
    rf"(?:ultimas|last|past|previous|latest|recent)\s+{_NUM}\b"
)
_N_AGO: Final = re.compile(rf"\b(?:ha\s+)?{_NUM}\s+(?:semanas|weeks)\s+(?:atras|ago)\b")
# "6 months ago", "há dois meses": that month; "a year ago", "há um ano": that week a year back.
_MONTHS_AGO: Final = re.compile(
    rf"\b(?:(?:ha\s+)?{_NUM}\s+(?:meses|mes|months?)\s+(?:atras|ago)|ha\s+{_NUM}\s+(?:meses|mes))\b"
)
_YEARS_AGO: Final = re.compile(
    rf"\b(?:(?:ha\s+)?{_NUM}\s+(?:anos?|years?)\s+(?:atras|ago)|ha\s+{_NUM}\s+anos?)\b"
)
_BEFORE_PERIOD: Final = re.compile(
    r"\b(?:before|antes de|antes do|prior to)\s+(?:(20\d\d)|("
    + "|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True))
    + r")(?:\s*(?:(?:de|of|,)\s*)?(20\d\d))?)\b"
)
# Seasons, as their months: in Portuguese the southern hemisphere's (the product's listeners'
# "verão" is December to February), in English the northern one's ("summer" is June to August).
# Without a year, the most recent that has started; "last"/"passado", the most recent that ended.
_SEASONS: Final[tuple[tuple[re.Pattern[str], tuple[int, int, int]], ...]] = (
    (re.compile(r"\b(verao|winter)\b"), (12, 1, 2)),
    (re.compile(r"\b(outono|spring)\b"), (3, 4, 5)),
    (re.compile(r"\b(inverno|summer)\b"), (6, 7, 8)),
    (
        re.compile(r"\b(primavera|autumn|(?:last|this|the) fall|fall(?= (?:of )?20\d\d))\b"),
        (9, 10, 11),
    ),
)
_SEASON_TAIL: Final = re.compile(
    r"\s*(?:(passad[oa]|retrasad[oa])|(?:(?:de|do|of|em|in|,)\s*)?(20\d\d))?"
)
_LAST_WEEK: Final = re.compile(
    r"\b(semana passada|ultima semana|semana anterior|last week|previous week|past week|"
    r"latest week|most recent week|ultimo digest|latest digest|last digest|semana mais recente)\b"
)
# "a semana anterior", "the week before": next to a named week, the one before it; alone, last week.
_WEEK_BEFORE: Final = re.compile(
    r"\b(semana anterior|semana antes|previous week|the week before|week prior|prior week|"
    r"semana de antes|week before that)\b"
)
_TWO_AGO: Final = re.compile(
    r"\b(semana retrasada|retrasada|week before last|penultima semana|two weeks ago)\b"
)
_THIS_WEEK: Final = re.compile(
    r"\b(esta semana|essa semana|nesta semana|nessa semana|semana atual|this week|current week)\b"
)
_ISO: Final = re.compile(r"\b(\d{4})\s*-?\s*w(\d{1,2})\b")
# A year on its own ("em 2025", "in 2024"): every week of it, so a year no digest covers is refused
# instead of being answered about the latest week.
# A year standing alone ("como foi 2023?", "compare 2025 with 2024") is one too, unless it is part
# of a date or counts something ("2025 comentários").
_YEAR: Final = re.compile(
    r"(?:\b(?:em|in|de|of|do|during|durante|no ano|for)\s+|(?<![\d/.,-]))\b(20\d\d)\b"
    r"(?![/.,-]?\d)"
    r"(?!\s*(?:comentarios|comments|mencoes|mentions|vezes|times|pessoas|people|usuarios|users)\b)"
)
_WEEK_LIST: Final = re.compile(
    r"\b(?:semanas?|weeks?|w|sem)\s*(\d{1,2})\b((?:\s*(?:,|e|and|a|ate|to|through|-|ou|or|vs|"
    r"versus|x|com|with|para|pra|que|than)\s*(?:a\s+|the\s+|na\s+|no\s+|in\s+|da\s+)?"
    r"(?:semana\s*|week\s*|w\s*)?\d{1,2}\b)*)"
    r"(?:\s*(?:de|of)\s*(\d{4}))?"
)
_SINCE_WEEK: Final = re.compile(
    r"\b(?:(?:desde|since|a partir)\s+(?:a\s+|da\s+|de\s+)?(?:semana|week|w)\s*(\d{1,2})\b|"
    r"from\s+(?:semana|week|w)\s*(\d{1,2})\s+(?:on|onwards?|forward|until now|to date)\b)"
)
# "after week 45", "depois da semana 45": the weeks that followed it.
_AFTER_WEEK: Final = re.compile(
    r"\b(?:after|depois d[ao]|apos a?)\s+(?:a\s+)?(?:semana|week|w)\s*(\d{1,2})\b"
)
_LAST_YEAR: Final = re.compile(r"\b(ano passado|last year|previous year|ano anterior)\b")
_THIS_YEAR: Final = re.compile(
    r"\b(este ano|esse ano|neste ano|this year|ano atual|current year)\b"
)
# What a number counts when it is not a week ("2 ou 3 comentários", "in 2 or 3 weeks").
NOT_WEEK_NUMBER: Final = (
    r"(?!\s*(?:semanas|weeks|dias|days|meses|months|anos|years|%|comentarios|comments|vezes|times|"
    r"mencoes|mentions|pessoas|people|usuarios|users|horas|hours|minutos|minutes)\b)"
)
# "mais dúvidas na 45 ou na 46?", "qual semana teve mais críticas, a 44 ou a 45?": two bare week
# numbers, one or the other.
_BARE_PAIR: Final = re.compile(
    r"(?:\b(?:na|no|in)|\b(?:semana|week)\b[^0-9]{0,40}?)\s+(\d{1,2})\s+(?:ou|or|vs|versus|x)\s+"
    r"(?:na\s+|no\s+|in\s+|a\s+|the\s+)?(\d{1,2})\b" + NOT_WEEK_NUMBER
)
# "a semana 47 teve mais críticas do que a 48?": a named week and another one.
_WEEK_AND_OTHER: Final = re.compile(
    r"\b(?:semana|week)\s*\d{1,2}\b[^0-9]{0,40}?\b(?:ou|or|vs|versus|x|que|than)\s+"
    r"(?:na\s+|no\s+|in\s+|a\s+|the\s+|da\s+|do\s+)?(?:semana\s*|week\s*)?(\d{1,2})\b"
    + NOT_WEEK_NUMBER
)
# "a semana 19 se compara com a 20", "how does week 13 compare to 14": the week compared with.
_COMPARED_WITH: Final = re.compile(
    r"\b(?:semana|week)\s*\d{1,2}\b[^0-9]{0,40}?\bcompar\w*\s+(?:com|with|to|against|a|ao|a)\s+"
    r"(?:a\s+|the\s+|da\s+|do\s+|semana\s*|week\s*)*(\d{1,2})\b" + NOT_WEEK_NUMBER
)
# "compare 2024 with 2025", "2024 vs 2025": two years named on their own.
_YEAR_PAIR: Final = re.compile(
    r"\b(20\d\d)\s*(?:,|e|and|with|com|vs\.?|versus|x|to|a|ate|through|or|ou|-)\s*"
    r"(?:o\s+|a\s+|de\s+|em\s+|in\s+)?(20\d\d)\b"
)
_LAST_MONTH: Final = re.compile(r"\b(mes passado|last month|previous month|mes anterior)\b")
_PAST_MONTH: Final = re.compile(
    r"\b(ultimo mes|past month|ultimos 30 dias|last 30 days|past 30 days)\b"
)
# "últimos 15 dias", "the past fortnight": closed weeks, seven days to a week.
# "How did X change between week 41 and week 43?", "difference between weeks 12 and 14": the two
# weeks compared, not every week from one to the other.
_FROM_TO_WORDS: Final = (
    r"\b(diferen\w*|differ\w*|compar\w*|vs|versus|chang\w*|mudou|mudaram|mudanc\w*|vari\w*|"
    r"mov\w*|evolu\w*|subi\w*|cai\w*|rose|fell|grew|drop\w*|went|increas\w*|decreas\w*|"
    r"aument\w*|diminu\w*|cresc\w*)\b"
)
# Read only from the first of the words before "fortnight" ("the last past fortnight"): tried
# from each of a long run of them, each try read the rest of the run again (quadratic).
_RUN_START: Final = "".join(
    rf"(?<!\b{word} )" for word in ("the", "a", "na", "nesta", "essa", "ultima", "last", "past")
)
_LAST_DAYS: Final = re.compile(
    rf"\b(?:(?:ultimos|last|past|previous|nos|in the)\s+(?:ultimos\s+)?{_NUM}\s+"
    r"(?:dias|days)|" + _RUN_START + r"(?:the |a |na |nesta |essa |ultima |last |past )+"
    r"(fortnight|quinzena))\b"
)
_THIS_MONTH: Final = re.compile(
    r"\b(este mes|esse mes|neste mes|this month|mes atual|current month)\b"
)
_MONTH: Final = re.compile(
    rf"\b(?:(primeira|first|ultima|last|segunda|second|terceira|third)\s+(?:semana|week)\s+"
    rf"(?:de|do|of|em|in)\s+)?({_FULL_MONTHS}|(?:(?<=em )|(?<=in )|(?<=de ))(?:{_ANY_MONTH}))\b"
    rf"(?:\s*(?:(?:de|of|,)\s*)?(\d{{4}}))?"
)
_ORDINALS: Final[dict[str, int]] = {
    word: number
    for number, words in (
        (1, "primeiro 1o first 1st"),
        (2, "segundo 2o second 2nd"),
        (3, "terceiro 3o third 3rd"),
        (4, "quarto 4o fourth 4th"),
    )
    for word in words.split()
}
_ORDINAL: Final = "|".join(_ORDINALS)
# "primeiro semestre", "second half of 2026", "terceiro trimestre", "Q3": their months' weeks.
_PART_OF_YEAR: Final = re.compile(
    rf"\b(?:({_ORDINAL})\s+(semestre|half|trimestre|quarter)|(h)([12])|(q)([1-4]))\b"
    rf"(?!\s+(?:of|de|do)\s+(?:{_ANY_MONTH})\b)"
    r"(?:\s+(?:of\s+the\s+year|do\s+ano))?(?:\s*(?:(?:de|of|do|,)\s*)?(\d{4}))?"
)
# A date right after "since" / "desde" starts a span; after "the week of" it names one week.
_SINCE_DATE: Final = re.compile(
    r"\b(?:desde|since|a partir)\s+(?:(?:a|o|the|da|do|de|of|semana|week|dia|day)\s+)*$"
)
_WEEK_OF_DATE: Final = re.compile(r"\b(?:semana|week)\s+(?:(?:de|do|da|of|the|dia|day)\s+)+$")
_DMY: Final = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_YMD: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH: Final = re.compile(
    rf"\b(\d{{1,2}})(?:o|st|nd|rd|th)?\s+(?:de\s+|of\s+)?({_ANY_MONTH})\b(?:\s+(?:de\s+)?(\d{{4}}))?"
)
_MONTH_DAY: Final = re.compile(
    rf"\b({_ANY_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
)
# "a semana 2 de janeiro", "week 3 of December", "the first and second weeks of January": weeks
# counted within a month (its weeks as `month_weeks` gives them), not ISO week numbers.
_ORDINAL_WEEK: Final[dict[str, int]] = {
    word: number
    for number, words in (
        (1, "primeira first 1a 1st"),
        (2, "segunda second 2a 2nd"),
        (3, "terceira third 3a 3rd"),
        (4, "quarta fourth 4a 4th"),
        (5, "quinta fifth 5a 5th"),
        (-1, "ultima last"),
    )
    for word in words.split()
}
_NTH: Final = "|".join(_ORDINAL_WEEK)
_WEEK_OF_MONTH: Final = re.compile(
    rf"\b(?:(?:a|as|the|na|nas|in)\s+)?(?:(?:semanas?|weeks?)\s+(\d)|({_NTH})"
    rf"(?:\s*(?:,|e|and|&|vs\.?|versus|x|to|a|ate|until|through)\s*"
    rf"(?:a\s+|the\s+|da\s+|na\s+|of\s+the\s+)?({_NTH}))?"
    rf"\s+(?:semanas?|weeks?))\s+(?:de|do|of|em|in)\s+"
    rf"({_ANY_MONTH})\b(?:\s*(?:(?:de|of|,)\s*)?(\d{{4}}))?"
)
# "the last two weeks of April", "as duas primeiras semanas de maio": a month's first or last weeks.
_EDGE_WEEKS_OF_MONTH: Final = re.compile(
    rf"\b(?:the\s+|as\s+|nas\s+|in\s+the\s+)?(?:(first|last|final|primeiras|ultimas)\s+{_NUM}|"
    rf"{_NUM}\s+(primeiras|ultimas))\s+(?:weeks|semanas)\s+(?:of|de|do|em|in)\s+({_ANY_MONTH})\b"
    rf"(?:\s*(?:(?:de|of|,)\s*)?(\d{{4}}))?"
)
# Holidays a week is named after: "a semana do Natal", "New Year's week".
_HOLIDAYS: Final[tuple[tuple[re.Pattern[str], int, int], ...]] = (
    (re.compile(r"\b(natal|christmas|xmas)\b"), 12, 25),
    (re.compile(r"\b(ano novo|new year'?s?(?! eve)|reveillon|virada do ano)\b"), 1, 1),
    (re.compile(r"\b(new year'?s eve|vespera de ano novo)\b"), 12, 31),
    (re.compile(r"\b(valentine'?s( day)?|valentines( day)?|sao valentim)\b"), 2, 14),
    # Brazil's lovers' day is in June.
    (re.compile(r"\b(dia dos namorados)\b"), 6, 12),
)
# Holidays that move with Easter: "Easter week", "a semana da Páscoa", "Carnaval" (its Tuesday,
# 47 days before), "Good Friday" (in Easter's week).
_MOVABLE_HOLIDAYS: Final[tuple[tuple[re.Pattern[str], int], ...]] = (
    (re.compile(r"\b(pascoa|easter|sexta-?feira santa|good friday|semana santa|holy week)\b"), 0),
    (re.compile(r"\b(carnaval|carnival|mardi gras)\b"), -47),
)


# A holiday naming a thing, not a time: "os remixes de carnaval", "a playlist de Natal", "the
# carnival remixes" are a subject; "a semana de carnaval", "no carnaval" are weeks.
_HOLIDAY_THING_BEFORE: Final = re.compile(
    r"\b(?!(?:semanas?|feriados?|periodos?|epocas?|ferias|dias?|fim|mes|temporadas?|tempo|"
    r"noites?|vesperas?|comentarios|feedbacks?|movimento|volume|pico|alta|queda|clima|antes|"
    r"depois|perto|durante|desde|ate|apos|cerca)\b)[a-z]{3,} de $"
)
_HOLIDAY_THING_AFTER: Final = re.compile(
    r"\s+(remix\w*|playlists?|songs?|tracks?|music|albums?|specials?|releases?|editions?|"
    r"mix\w*|sets?|shows?|concerts?|hits?|themes?|promos?|promotions?|campaigns?|sales?|"
    r"singles?|covers?|lives?|streams?|blocks?|parties|party|collections?)\b"
)

_BESIDE_HOLIDAY: Final = re.compile(
    r"\b(?:(?:the\s+)?week\s+(?:(after|following)|(?:before|prior\s+to))|"
    r"(?:a\s+)?semana\s+(?:(depois|apos|seguinte|posterior)|(?:antes|anterior))"
    r"(?:\s+(?:a|ao|à|d[aoe]))?)\s+(?:(?:the|a|o|da|do|semana|week|of|de)\s+)*$"
)


def easter_sunday(year: int) -> date:
    """Easter Sunday of `year` (the Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    shift = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def _thing_before(text: str, end: int) -> bool:
    """Whether `_HOLIDAY_THING_BEFORE` matches the text just before `end`: its match can only
    start at the word before " de ", so only that word is read, not everything before it (read
    for each holiday, the whole text made long questions quadratic)."""
    if not text.endswith(" de ", 0, end):
        return False
    start = end - 4
    while start > 0 and "a" <= text[start - 1] <= "z":
        start -= 1
    return bool(_HOLIDAY_THING_BEFORE.match(text, start, end))


def _blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with each span replaced by one space, the last span first, exactly as slicing the
    text span after span would leave it (spans that overlap included), in one pass: slicing a
    long question once per span was quadratic."""
    # The text is `text[:cut]` followed by `tail`: pieces of `text` (start, end) or a space
    # (-1, -1), the first piece last.
    tail: list[tuple[int, int]] = []
    cut = len(text)
    for start, end in sorted(spans, reverse=True):
        drop = end - cut
        if drop <= 0:
            if end < cut:
                tail.append((end, cut))
        else:
            while drop > 0 and tail:
                piece_start, piece_end = tail.pop()
                size = 1 if piece_start < 0 else piece_end - piece_start
                if size > drop:
                    tail.append((piece_start + drop, piece_end))
                drop -= size
        tail.append((-1, -1))
        cut = min(cut, start)
    return text[:cut] + "".join(
        " " if piece_start < 0 else text[piece_start:piece_end]
        for piece_start, piece_end in reversed(tail)
    )


# The year a holiday is named with: "o Natal de 2024", "Christmas 2025", "Easter of 2024".
# (The optional word takes the spaces after it, here and in each year after a month: two runs of
# spaces in a row, `\s*(?:de)?\s*`, made a long run of spaces quadratic to give up on.)
_HOLIDAY_YEAR: Final = re.compile(r"\s*(?:(?:de|do|of|em|in|,)\s*)?(20\d\d)\b")


def _day_of(month: int, day: int, year: int) -> date:
    return date(year, month, day)


def _easter_day(days_from_easter: int, year: int) -> date:
    return easter_sunday(year) + timedelta(days=days_from_easter)


def _season_weeks(
    months: tuple[int, int, int], tail: re.Match[str] | None, last: bool, today: date
) -> tuple[IsoWeek, ...]:
    """A season's weeks: of the year named (the one holding its January when it spans two), else
    the most recent that has started, or with "last"/"passado" the most recent that has ended."""
    spans_years = months[0] > months[-1]

    def starts(year: int) -> tuple[date, date]:
        first_year = year - 1 if spans_years else year
        end_year = year
        end_month = months[-1]
        end = date(end_year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1)
        return date(first_year, months[0], 1), end

    if tail is not None and tail[2]:
        year = int(tail[2])
    else:
        ended = last or bool(tail is not None and tail[1])
        year = today.year + 1
        while True:
            start, end = starts(year)
            if (end < today) if ended else (start <= today):
                break
            year -= 1
    start, end = starts(year)
    return week_range(
        IsoWeek.of_date(start + timedelta(days=3)), IsoWeek.of_date(end - timedelta(days=3))
    )


def _movable_week(days_from_easter: int, today: date) -> IsoWeek:
    """The week of a holiday set by Easter: its most recent occurrence that has started."""
    day = easter_sunday(today.year) + timedelta(days=days_from_easter)
    if day > today:
        day = easter_sunday(today.year - 1) + timedelta(days=days_from_easter)
    return IsoWeek.of_date(day)


# "the holidays", "as festas de fim de ano": the weeks of Christmas and of New Year's Day.
_YEAR_END: Final = re.compile(
    r"\b(festas( de fim de ano)?|fim de ano|final do ano|virada do ano|holidays|holiday season|"
    r"year[- ]end|end of the year|turn of the year)\b"
)
# "a primeira semana do ano", "the last week of 2025": a year's first or last ISO week.
_YEAR_EDGE: Final = re.compile(
    r"\b(primeira|first|ultima|last)\s+(?:semana\s+|week\s+)?(?:of|de|do|da)\s+"
    r"(?:the\s+)?(?:(?:ano|year)(?:\s+(?:de\s+)?(\d{4}))?|(\d{4}))\b"
)
# "desde o começo do ano", "since the start of the year", "this year so far": from the year's
# first week.
_YEAR_START: Final = re.compile(
    r"\b(?:desde|since|from)\s+(?:o\s+|the\s+)?(?:inicio|comeco|start|beginning)\s+"
    r"(?:do|of the|of)\s+(?:ano|year)\b"
)
# "meio de 2025", "meados do ano", "mid-2025", "the middle of the year": June and July.
_MID_YEAR: Final = re.compile(
    r"\b(?:(?:no\s+|em\s+)?(?:meio|meados|metade)\s+(?:de|do)\s+(?:ano\s+(?:de\s+)?)?(\d{4}|ano)|"
    r"mid-?\s*(\d{4}|year)|(?:the\s+)?middle\s+of\s+(?:the\s+year\s+)?(\d{4}|the\s+year))\b"
)
# "since July", "desde setembro", "a partir de novembro": the month's first week to the last one.
_SINCE_MONTH: Final = re.compile(
    rf"\b(?:desde|since|from|a partir de|starting in|beginning of)\s+(?:o\s+inicio\s+de\s+)?"
    rf"(?:the\s+start\s+of\s+)?({_ANY_MONTH})\b(?:\s*(?:(?:de|of|,)\s*)?(\d{{4}}))?"
    rf"(?!\s*(?:a|ate|to|through|until|-)\s(?!(?:now|agora|hoje|today|date|o momento)\b))"
)
# "de março a maio", "from March to May", "entre março e maio": every week of the months between.
_MONTH_RANGE: Final = re.compile(
    rf"\b(de|from|between|entre|desde)\s+(?:o\s+mes\s+de\s+|the\s+start\s+of\s+)?({_ANY_MONTH})\b"
    r"(?:\s+(?:de\s+)?(\d{4}))?(\s+)(a|ate|to|through|until|till|-|e|and)\s+(?:o\s+fim\s+de\s+|"
    rf"the\s+end\s+of\s+)?({_ANY_MONTH})\b(?:\s+(?:de\s+)?(\d{{4}}))?"
)
# "second half of November", "primeira quinzena de setembro": the month's weeks split in two (the
# first half takes the middle week of an odd count).
_HALF_MONTH: Final = re.compile(
    rf"\b(?:(primeira|first|1a|1st|segunda|second|2a|2nd|latter|last)\s+(?:half|metade|quinzena)|"
    rf"(inicio|inicinho|comeco|comecinho|start|beginning|early|final|fim|end|late))\s+(?:de\s+|do\s+|of\s+)?"
    rf"({_ANY_MONTH})\b(?:\s*(?:(?:de|of|,)\s*)?(\d{{4}}))?"
)
_BETWEEN: Final = re.compile(r"\b(entre|between)\s+(as\s+|a\s+|the\s+)?$")
_RANGE_WORD: Final = re.compile(r"\b(a|ate|to|through|para|pra)\b|-")
_RANGE_CONNECTORS: Final = frozenset({"a", "ate", "to", "through", "-", "para", "pra"})


def parse_period(question: str, today: date) -> Period:
    """The period `question` names, resolved against `today`; `Period()` when it names none."""
    # "did May have more than April?": a capitalised May after another word is the month, not
    # the verb that opens "May I...".
    text = fold(re.sub(r"(?<=[\w,] )May\b(?!\s+(?:I|we|you)\b)", "maio", question))
    current = IsoWeek.of_date(today)
    weeks: list[IsoWeek] = []

    def add(*found: IsoWeek | None) -> None:
        weeks.extend(week for week in found if week)

    for match in _BEFORE_PERIOD.finditer(text):
        # "before 2025", "antes de janeiro": the year or the month just before the one named.
        if match[1]:
            add(*_year_weeks(int(match[1]) - 1, today))
        else:
            month = MONTHS[match[2]]
            of_year = int(match[3]) if match[3] else _year_for_month(month, today)
            add(*month_weeks(of_year - (month == 1), (month - 2) % 12 + 1))
    text = _BEFORE_PERIOD.sub(" ", text)
    for match in _WEEK_OF_MONTH.finditer(text):
        month = MONTHS[match[4]]
        of_year = int(match[5]) if match[5] else _year_for_month(month, today)
        in_month = month_weeks(of_year, month)
        for token in (match[1], match[2], match[3]):
            if token:
                index = int(token) if token.isdigit() else _ORDINAL_WEEK[token]
                if index == -1 or 1 <= index <= len(in_month):
                    add(in_month[index - 1 if index > 0 else -1])
    text = _WEEK_OF_MONTH.sub(" ", text)
    for match in _EDGE_WEEKS_OF_MONTH.finditer(text):
        month = MONTHS[match[5]]
        of_year = int(match[6]) if match[6] else _year_for_month(month, today)
        in_month = month_weeks(of_year, month)
        count = _number(match[2] or match[3])
        at_start = (match[1] or match[4]) in {"first", "primeiras"}
        if 1 <= count <= len(in_month):
            add(*(in_month[:count] if at_start else in_month[-count:]))
    text = _EDGE_WEEKS_OF_MONTH.sub(" ", text)
    for match in _HALF_MONTH.finditer(text):
        month = MONTHS[match[3]]
        of_year = int(match[4]) if match[4] else _year_for_month(month, today)
        in_month = month_weeks(of_year, month)
        middle = (len(in_month) + 1) // 2
        which = match[1] or match[2]
        early_half = which in {
            "primeira",
            "first",
            "1a",
            "1st",
            "inicio",
            "comeco",
            "comecinho",
            "inicinho",
            "start",
            "beginning",
            "early",
        }
        add(*(in_month[:middle] if early_half else in_month[middle:]))
    text = _HALF_MONTH.sub(" ", text)
    if _YEAR_END.search(text):
        for end_month, end_day in ((12, 25), (1, 1)):
            holiday = _dated(end_day, end_month, None, today)
            add(IsoWeek.of_date(holiday) if holiday else None)
        text = _YEAR_END.sub(" ", text)
    for match in _YEAR_EDGE.finditer(text):
        named = match[2] or match[3]
        edge_year = int(named) if named else today.year
        first_week = match[1] in {"primeira", "first"}
        edge = date(edge_year, 1, 4) if first_week else date(edge_year, 12, 28)
        add(IsoWeek.of_date(edge))
    text = _YEAR_EDGE.sub(" ", text)
    if _YEAR_START.search(text):
        add(*week_range(IsoWeek.of_date(date(today.year, 1, 4)), current.shifted(-1)))
        text = _YEAR_START.sub(" ", text)
    holidays: list[tuple[re.Pattern[str], IsoWeek | None, Callable[[int], date]]] = []
    for pattern, holiday_month, holiday_day in _HOLIDAYS:
        holiday = _dated(holiday_day, holiday_month, None, today)
        holidays.append(
            (
                pattern,
                IsoWeek.of_date(holiday) if holiday else None,
                partial(_day_of, holiday_month, holiday_day),
            )
        )
    holidays += [
        (pattern, _movable_week(days, today), partial(_easter_day, days))
        for pattern, days in _MOVABLE_HOLIDAYS
    ]
    for pattern, latest_week, day_in in holidays:
        spans: list[tuple[int, int]] = []
        # A "week after" before this holiday cannot hold the one before it (a holiday's name
        # is no word of it), so it is looked for from there on, not from the question's start.
        previous_start = 0
        for found in pattern.finditer(text):
            spans.append(found.span())
            holiday_week = latest_week
            named_year = _HOLIDAY_YEAR.match(text, found.end())
            if named_year:
                # "o Natal de 2024", "Easter 2025": that year's holiday, the year read with it.
                holiday_week = IsoWeek.of_date(day_in(int(named_year[1])))
                spans.append((found.end(), named_year.end()))
            beside_from, previous_start = previous_start, found.start()
            if holiday_week is None:
                continue
            if _thing_before(text, found.start()) or _HOLIDAY_THING_AFTER.match(text, found.end()):
                continue
            # "the week after Easter", "a semana antes do Natal": the week next to the holiday's.
            beside = _BESIDE_HOLIDAY.search(text, beside_from, found.start())
            if beside:
                add(holiday_week.shifted(1 if beside[1] or beside[2] else -1))
                spans.append(beside.span())
            else:
                add(holiday_week)
        text = _blanked(text, spans)
    for season, months in _SEASONS:
        season_spans: list[tuple[int, int]] = []
        for match in season.finditer(text):
            if _thing_before(text, match.start()) or _HOLIDAY_THING_AFTER.match(text, match.end()):
                continue  # "a playlist de verão", "summer hits": a thing, not a time
            tail = _SEASON_TAIL.match(text, match.end())
            add(*_season_weeks(months, tail, "last" in match[0], today))
            season_spans.append((match.start(), tail.end() if tail else match.end()))
        text = _blanked(text, season_spans)
    for match in _MID_YEAR.finditer(text):
        named = match[1] or match[2] or match[3] or ""
        of_year = int(named) if named.isdigit() else _year_for_month(6, today)
        add(*month_weeks(of_year, 6), *month_weeks(of_year, 7))
    text = _MID_YEAR.sub(" ", text)

    for match in _ISO.finditer(text):
        add(_week_numbered(int(match[2]), int(match[1]), today))
    text_wo_iso = _ISO.sub(" ", text)
    for match in _SINCE_WEEK.finditer(text_wo_iso):
        first = _week_numbered(int(match[1] or match[2]), None, today)
        if first:
            add(*week_range(first, current.shifted(-1)))
    for match in _AFTER_WEEK.finditer(text_wo_iso):
        first = _week_numbered(int(match[1]), None, today)
        if first and first.shifted(1) < current:
            add(*week_range(first.shifted(1), current.shifted(-1)))
    text_wo_since = _SINCE_WEEK.sub(" ", _AFTER_WEEK.sub(" ", text_wo_iso))
    from_to = bool(re.search(_FROM_TO_WORDS, text))
    for match, after in _after_previous(_WEEK_LIST.finditer(text_wo_since)):
        year = int(match[3]) if match[3] else None
        numbers = [int(match[1]), *(int(n) for n in re.findall(r"\d{1,2}", match[2] or ""))]
        resolved = [_week_numbered(n, year, today) for n in numbers]
        # "semanas 12 a 14", "weeks 12-14", "between weeks 12 and 14": every week from one to
        # the other ("semanas 12 e 14" alone are those two).
        # ("between" is words only: it never reaches back past the list before this one)
        between = _BETWEEN.search(text_wo_since, after, match.start()) and not from_to
        if len(resolved) == 2 and (_RANGE_WORD.search(match[2] or "") or between):
            first, last = resolved
            connector = re.match(r"\s*(-|[a-z]+)", match[2] or "")
            joined = connector[1] if connector else ""
            if (
                first
                and last
                and (joined in _RANGE_CONNECTORS or (between and joined in {"e", "and"}))
            ):
                add(*week_range(first, last))
                continue
        add(*resolved)
    for match in _LAST_N.finditer(text):
        count = _number(match[1])
        if 1 <= count <= 52:
            add(*(current.shifted(-i) for i in range(count, 0, -1)))
    last_n = bool(_LAST_N.search(text))
    for match in _OF_LAST_N.finditer(text):
        count = _number(match[1])
        if 1 <= count <= 52 and not last_n:
            add(*(current.shifted(-i) for i in range(count, 0, -1)))
    for match in _N_AGO.finditer(text):
        add(current.shifted(-_number(match[1])))
    for match in _MONTHS_AGO.finditer(text):
        back = _number(match[1] or match[2])
        month_index = today.year * 12 + today.month - 1 - back
        add(*month_weeks(month_index // 12, month_index % 12 + 1))
    for match in _YEARS_AGO.finditer(text):
        back = _number(match[1] or match[2])
        add(IsoWeek.of_date(today - timedelta(days=364 * back)))

    before = bool(_WEEK_BEFORE.search(text)) and not re.search(
        r"\b(week before last|semana anterior a passada)\b", text
    )
    last_week = (
        _LAST_WEEK.search(_WEEK_BEFORE.sub(" ", text)) if before else _LAST_WEEK.search(text)
    )
    if last_week and not _LAST_N.search(text) and not _OF_LAST_N.search(text):
        add(current.shifted(-1))
    if _TWO_AGO.search(text):
        add(current.shifted(-2))
    if _THIS_WEEK.search(text):
        add(current)
    if _LAST_MONTH.search(text):
        first_of_month = today.replace(day=1)
        previous = first_of_month - timedelta(days=1)
        add(*month_weeks(previous.year, previous.month))
    if _PAST_MONTH.search(text):
        add(*(current.shifted(-i) for i in range(4, 0, -1)))
    for match in _LAST_DAYS.finditer(text):
        count = 2 if match[2] else max(1, round(_number(match[1]) / 7))
        if count <= 52:
            add(*(current.shifted(-i) for i in range(count, 0, -1)))
    if _THIS_MONTH.search(text):
        add(*month_weeks(today.year, today.month))
    consumed = _DAY_MONTH.sub(" ", _MONTH_DAY.sub(" ", text))
    # "de abril até agora", "de março pra cá": since that month.
    consumed = re.sub(
        rf"\bde ({_ANY_MONTH})\b(?= (?:ate|a) (?:agora|hoje|o momento)\b| (?:pra|para) ca\b)",
        r"desde \1",
        consumed,
    )
    for match in _SINCE_MONTH.finditer(consumed):
        month = MONTHS[match[1]]
        of_year = int(match[2]) if match[2] else _year_for_month(month, today)
        add(*week_range(month_weeks(of_year, month)[0], current.shifted(-1)))
    consumed = _SINCE_MONTH.sub(" ", consumed)
    # (a range holds no such word, and blanking one leaves the words around it as they were)
    side_by_side = bool(re.search(r"\b(compar\w*|vs|versus|diferen\w*|differ\w*)\b", consumed))
    ranges: list[tuple[int, int]] = []
    for match in _MONTH_RANGE.finditer(consumed):
        if match[5] in {"e", "and"} and side_by_side:
            continue  # "a diferença entre março e maio": the two months side by side
        start, end = MONTHS[match[2]], MONTHS[match[6]]
        end_year = int(match[7]) if match[7] else _year_for_month(end, today)
        start_year = int(match[3]) if match[3] else end_year - (1 if start > end else 0)
        add(*week_range(month_weeks(start_year, start)[0], month_weeks(end_year, end)[-1]))
        ranges.append(match.span())
    consumed = _blanked(consumed, ranges)
    for match in _MONTH.finditer(consumed):
        month = MONTHS[match[2]]
        year = int(match[3]) if match[3] else _year_for_month(month, today)
        in_month = month_weeks(year, month)
        which = match[1]
        if which in {"primeira", "first"}:
            add(in_month[0])
        elif which in {"segunda", "second"}:
            add(in_month[1])
        elif which in {"terceira", "third"}:
            add(in_month[2])
        elif which in {"ultima", "last"}:
            add(in_month[-1])
        else:
            add(*in_month)
    if _LAST_YEAR.search(text):
        add(*_year_weeks(today.year - 1, today))
    if _THIS_YEAR.search(text):
        add(*_year_weeks(today.year, today))
    for match in _WEEK_AND_OTHER.finditer(text_wo_since):
        add(_week_numbered(int(match[1]), None, today))
    for match in _COMPARED_WITH.finditer(text_wo_since):
        add(_week_numbered(int(match[1]), None, today))
    if not weeks:
        for match in _BARE_PAIR.finditer(text):
            add(*(_week_numbered(int(n), None, today) for n in (match[1], match[2])))
    for match in _PART_OF_YEAR.finditer(text):
        add(*_part_of_year(match, today))
    dated = _WEEK_LIST.sub(" ", _DMY.sub(" ", _YMD.sub(" ", _ISO.sub(" ", text))))
    dated = _PART_OF_YEAR.sub(" ", dated)
    for match in _YEAR.finditer(_MONTH.sub(" ", _DAY_MONTH.sub(" ", _MONTH_DAY.sub(" ", dated)))):
        add(*_year_weeks(int(match[1]), today))
    for match in _YEAR_PAIR.finditer(dated):
        add(*_year_weeks(int(match[1]), today), *_year_weeks(int(match[2]), today))
    days: list[date] = []
    since_days: list[date] = []
    week_of_days: list[date] = []

    def add_day(day: date | None, match: re.Match[str], after: int) -> None:
        """`after`: where the date before this one ends. "since" and "the week of" are words
        only, so they never reach back past a date: read from there, each date costs the text
        since the last one, not the whole question."""
        if day is None:
            return
        if _SINCE_DATE.search(match.string, after, match.start()):
            since_days.append(day)
        else:
            days.append(day)
            if _WEEK_OF_DATE.search(match.string, after, match.start()):
                week_of_days.append(day)

    for match, after in _after_previous(_YMD.finditer(text)):
        add_day(_safe_date(int(match[1]), int(match[2]), int(match[3])), match, after)
    for match, after in _after_previous(_DMY.finditer(_YMD.sub(" ", text))):
        year = int(match[3]) if match[3] else None
        if year is not None and year < 100:
            year += 2000
        day_number, month_number = int(match[1]), int(match[2])
        if month_number > 12 >= day_number:
            # "07/21" cannot be day/month: it is written month first, as in the US.
            day_number, month_number = month_number, day_number
        day = _safe_date(year or today.year, month_number, day_number)
        if day and year is None and day > today:
            day = _safe_date(today.year - 1, month_number, day_number)
        add_day(day, match, after)
    for match, after in _after_previous(_DAY_MONTH.finditer(text)):
        add_day(_dated(int(match[1]), MONTHS[match[2]], match[3], today), match, after)
    for match, after in _after_previous(_MONTH_DAY.finditer(text)):
        add_day(_dated(int(match[2]), MONTHS[match[1]], match[3], today), match, after)
    for since in since_days:
        # "since the week of Aug 11", "desde 11/08": that week to the latest closed one.
        add(*week_range(IsoWeek.of_date(since), max(IsoWeek.of_date(since), current.shifted(-1))))
    dated_weeks = {IsoWeek.of_date(day) for day in week_of_days}
    if dated_weeks and set(weeks) >= dated_weeks and not re.search(_FROM_TO_WORDS, text):
        # "early July, the week of 30/06": the week the date names narrows the wider span.
        weeks[:] = sorted(dated_weeks)
    if len(days) == 2 and re.search(r"\b(entre|between|de|from)\b", text):
        add(*week_range(IsoWeek.of_date(min(days)), IsoWeek.of_date(max(days))))
    else:
        add(*(IsoWeek.of_date(day) for day in days))
    if (
        weeks
        and not before
        and re.search(
            r"\b(a anterior|a passada|the previous one|the one before|the last one)\b", text
        )
    ):
        before = True  # "a semana 47 teve mais que a anterior?"
    if before:
        # Relative to the earliest week named, or to the current one when none is.
        add((min(weeks) if weeks else current).shifted(-1))
    future = bool(_FUTURE.search(text)) or any(week > current for week in weeks)
    current_asked = bool(_THIS_WEEK.search(text))
    if weeks:
        return Period(
            weeks=tuple(str(week) for week in sorted(set(weeks))),
            future=future,
            current=current_asked,
        )
    every = bool(_EVERY.search(text))
    return Period(future=future, recent=bool(_RECENT.search(text)) and not every, every=every)


def _after_previous(matches: Iterable[re.Match[str]]) -> Iterator[tuple[re.Match[str], int]]:
    """Each match with where the one before it ended (0 for the first)."""
    end = 0
    for match in matches:
        yield match, end
        end = match.end()


def _part_of_year(match: re.Match[str], today: date) -> tuple[IsoWeek, ...]:
    """The weeks of a half or a quarter; without a year, its most recent occurrence that has
    started (as a month without a year)."""
    if match[1]:
        number, months = _ORDINALS[match[1]], 6 if match[2] in {"semestre", "half"} else 3
    elif match[3]:
        number, months = int(match[4]), 6
    else:
        number, months = int(match[6]), 3
    if number * months > 12:
        return ()
    first = (number - 1) * months + 1
    year = int(match[7]) if match[7] else _year_for_month(first, today)
    return tuple(w for m in range(first, first + months) for w in month_weeks(year, m))


# (Cached: a question naming a year many times would build its fifty-two weeks each time.)
@lru_cache(maxsize=64)
def _year_weeks(year: int, today: date) -> tuple[IsoWeek, ...]:
    """The ISO weeks of `year` (weeks whose Thursday falls in it); a future year's first week only,
    which is enough to mark the question as about the future."""
    first = month_weeks(year, 1)[0]
    if first.monday > today:
        return (first,)
    last = IsoWeek.of_date(date(year, 12, 28))  # 28 December is always in the year's last week
    return week_range(first, min(last, IsoWeek.of_date(today)))


def _dated(day: int, month: int, year: str | None, today: date) -> date | None:
    if year:
        return _safe_date(int(year), month, day)
    found = _safe_date(today.year, month, day)
    if found and found > today:
        found = _safe_date(today.year - 1, month, day)
    return found
