"""Text handling for questions and passages: accent folding, tokens, a light PT/EN stemmer,
stop words and the question's language.

The stemmer is deliberately light (plural and common derivational suffixes only, the longest
matching suffix first, a stem never shorter than three letters): retrieval needs "reclamações" and
"reclamacao", "complaints" and "complaint", "subiu" and "subir" to meet, not a linguistic analysis.
Portuguese and English suffixes are both tried, since a question may mix the two.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from shared.numbers import Language

_WORD: Final = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")

# Longest first within each list; applied once each, PT then EN.
_PT_SUFFIXES: Final = tuple(
    """
    amentos imentos amento imento acoes icoes mente idades idade ancias encias ancia encia
    adoras adores adora ador acao icao istas ista ismos ismo aveis ivel avel ivos ivas ivo iva
    aram eram iram ando endo indo ados adas idos idas ado ada ido ida oes aes ais eis ao ou ar
    er ir iu eu am em os as es a o e s
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_EN_SUFFIXES: Final = tuple(
    """
    ations ation ments ment ness ities ity ingly ing ies ied ers er ed ly es s
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_MIN_STEM: Final = 3

STOP_WORDS: Final = frozenset(
    """
    a o as os um uma uns umas de do da dos das no na nos nas em por para pra pro com sem que
    e ou se ao aos à às é foi ser era sao são está estao estão esta este isso esse essa isto
    me te lhe nos vos eles elas ele ela eu voce você vocês voces meu minha seu sua nosso nossa
    qual quais quanto quantos quanta quantas como onde quando porque porquê por que o que
    mais muito muita pouco sobre entre ate até desde já ja tem têm ter tinha houve há ha
    the a an of in on at to for from by with about and or is are was were be been being do does
    did what which who whom how many much when where why this that these those it its there
    their they them we us our you your i me my he she his her has have had any some more most
    over during since than then so as into per vs versus tell show give please
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Words that mark a language; accents count for Portuguese.
_PT_MARKERS: Final = frozenset(
    """
    o os as do da dos das no na nos nas em um uma que quais qual quantos quantas como semana
    semanas ultima ultimas ultimo ultimos passada passado mes comentarios reclamacoes criticas
    sugestoes duvidas elogios subiu caiu cresceu aumentou diminuiu pessoas falam dizem sobre
    mais principais pedem entre foi foram tem teve houve compare compara comparar resumo
    usuarios ouvintes novembro dezembro janeiro fevereiro marco abril maio junho julho agosto
    setembro outubro pra pro voce nao sim isso essa esse ate desde retrasada travamentos
    travamento letras anuncios preco bateria pagamento carregamento exemplos
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_EN_MARKERS: Final = frozenset(
    """
    the what which how many much did does do was were is are week weeks last past month
    comments complaints criticism suggestions questions praise rose fell grew dropped people
    say about most main top between compare summary users listeners november december january
    february march april may june july august september october of in on for and with since
    ago this that tell me give show any requests issues crashes crash lyrics ads prices price
    payment payments battery loading bugs quotes examples trending weekly to against
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def fold(text: str) -> str:
    """Lowercase ASCII: accents removed (NFKD), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def words(text: str) -> list[str]:
    """Folded words (tag names such as `fix_volume` stay one word)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The light PT/EN stem of a folded word; digits and tag names are kept whole."""
    if "_" in word or word.isdigit() or len(word) <= _MIN_STEM:
        return word
    for suffixes in (_PT_SUFFIXES, _EN_SUFFIXES):
        for suffix in suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
    return word


def terms(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Stemmed retrieval terms of `text`; a tag name also yields its subject (`fix_volume` ->
    `fix_volume`, `volum`)."""
    result: list[str] = []
    for word in words(text):
        if not keep_stop_words and word in STOP_WORDS:
            continue
        result.append(stem(word))
        if "_" in word:
            result.append(stem(word.split("_", 1)[1]))
    return result


def detect_language(text: str) -> Language:
    """`en` when English markers outnumber Portuguese ones; Portuguese otherwise (the product's
    first language, and any accented letter counts for it)."""
    folded = words(text)
    accents = sum(1 for char in text if ord(char) > 127 and unicodedata.category(char)[0] == "L")
    pt = sum(1 for word in folded if word in _PT_MARKERS) + 2 * min(accents, 3)
    en = sum(1 for word in folded if word in _EN_MARKERS)
    return "en" if en > pt else "pt"


# Chat shorthand of both languages ("qnd", "oq", "vc", "wk"): written out before a question is read,
# so every rule sees the full word. Whole words only, and none that is also a word of its own.
_SHORTHAND: Final[dict[str, str]] = {
    "qnd": "quando",
    "qdo": "quando",
    "qndo": "quando",
    "oq": "o que",
    "q": "que",
    "vc": "você",
    "vcs": "vocês",
    "pq": "por que",
    "tb": "também",
    "tbm": "também",
    "qts": "quantos",
    "qtos": "quantos",
    "qtas": "quantas",
    "qnts": "quantos",
    "qnt": "quanto",
    "qto": "quanto",
    "msm": "mesmo",
    "td": "tudo",
    "tds": "todos",
    "mt": "muito",
    "mto": "muito",
    "mtos": "muitos",
    "coment": "comentário",
    "coments": "comentários",
    "sug": "sugestão",
    "wk": "week",
    "wks": "weeks",
    "abt": "about",
    "u": "you",
    "ur": "your",
    "cmts": "comments",
    "msgs": "messages",
    # "o nº de comentários": the number sign of PT-BR, read as the word.
    "nº": "número",
    "n°": "número",
    "nro": "número",
}
_SHORTHAND_WORD: Final = re.compile(
    r"(?<![\w/.-])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w/.-])",
    re.IGNORECASE,
)


def expand_shorthand(question: str) -> str:
    """`question` with chat shorthand written out ("qnd os elogios subiram" -> "quando os
    elogios subiram"); everything else, case included, as it was."""
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m[1].lower()], question)


def normalise_question(question: str) -> str:
    """`question` as the rules read it: shorthand written out, one-letter typos of key words
    corrected."""
    return correct_typos(expand_shorthand(question))


# The words questions hinge on (periods, categories, the question's verb), to which a word one typo
# away is read as meant ("novembo", "sugestoes", "complants", "semana passda"). Only words of six
# letters or more are corrected, and only to a word of this list.
_KEY_WORDS: Final = frozenset(
    """
    janeiro fevereiro marco abril junho julho agosto setembro outubro novembro dezembro
    january february march april august september october november december
    semana semanas passada passado ultimas ultima comentarios comentario criticas critica
    reclamacoes reclamacao sugestoes sugestao elogios duvidas perguntas aumentaram diminuiram
    subiram cairam quantos quantas principais compare comparar tendencias tendencia
    comments comment complaints complaint suggestions suggestion questions criticism praise
    previous compared trends weekly increase decrease mentions mencoes recorrente recurring
    spiking significant significativa significativo
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# Real words one typo away from a key word, never corrected.
_NOT_TYPOS: Final = frozenset(
    """
    critical critico ultimo ultimos passados passadas comentou comentei comentam question
    mention mentioned semanal semanais suggest suggests complain praised increased decreased
    compara comparado questao duvida pergunta trended ouvida ouvidas ouvido ouvidos
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_BY_LENGTH: Final[dict[int, tuple[str, ...]]] = {
    n: tuple(w for w in _KEY_WORDS if abs(len(w) - n) <= 1) for n in range(6, 16)
}


def _one_typo_apart(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def correct_typos(question: str) -> str:
    """`question` with each word one typo away from a key word (and not itself a key word or
    another known word) replaced by it; other words, and their case, as they were."""

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        folded = fold(word)
        known = folded in _KEY_WORDS or folded in _NOT_TYPOS or folded in STOP_WORDS
        if len(folded) < 6 or known or not folded.isalpha():
            return word
        near = [k for k in _BY_LENGTH.get(len(folded), ()) if _one_typo_apart(folded, k)]
        return near[0] if len(near) == 1 else word

    return re.sub(r"[^\W\d_]+", fix, question)
