"""Numbers as people read them, in PT-BR and in English, and the numbers a text states.

PT-BR groups thousands with a point and writes the decimal comma (`1.234,5`); English the other way
round (`1,234.5`). Every figure the product writes goes through `format_number`, and every check
that a text states only known figures reads the text with `numbers_in_text`, so the two agree.

Reading is as lenient as writers are: in a PT-BR text `24.3` is still twenty-four point three (a
point followed by anything but groups of exactly three digits is a decimal point), and a group of
thousands never starts with 0 (`0.234` is a decimal in either language). Signs are not read: a
text says "caiu 2,3 pontos" as often as "-2,3", so figures are compared by magnitude.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final, Literal

Language = Literal["pt", "en"]
Unit = Literal["", "%", "pp"]

# (thousands, decimal) separators.
_SEPARATORS: Final[dict[Language, tuple[str, str]]] = {"pt": (".", ","), "en": (",", ".")}
_MISSING: Final[dict[Language, str]] = {"pt": "n/d", "en": "n/a"}
_UNITS: Final[dict[Unit, dict[Language, str]]] = {
    "": {"pt": "", "en": ""},
    "%": {"pt": "%", "en": "%"},
    "pp": {"pt": " p.p.", "en": " pp"},
}
_SWAP_SEPARATORS: Final = str.maketrans({",": ".", ".": ","})


def _number_pattern(thousands: str, decimal: str) -> re.Pattern[str]:
    t, d = re.escape(thousands), re.escape(decimal)
    return re.compile(
        rf"(?P<grouped>[1-9]\d{{0,2}}(?:{t}\d{{3}})+(?!\d|{t}\d)(?:{d}\d+)?)"
        r"|(?P<plain>\d+(?:[.,]\d+)?)"
    )


_NUMBER_RE: Final[dict[Language, re.Pattern[str]]] = {
    language: _number_pattern(*separators) for language, separators in _SEPARATORS.items()
}


def format_number(
    value: float | None,
    language: Language = "pt",
    *,
    places: int | None = None,
    grouped: bool = True,
    plus: bool = False,
    unit: Unit = "",
) -> str:
    """`value` as `language` writes it: with exactly `places` decimals, or (None) whole numbers
    plain and others with as few decimals as they need, up to three; thousands grouped unless
    `grouped` is False; "+" before a positive value when `plus`; then its `unit`, "%" or "pp"
    (percentage points: "p.p." in PT-BR). No value reads "n/d" ("n/a")."""
    if value is None:
        return _MISSING[language] + _UNITS[unit][language]
    if places is not None:
        text = f"{value:,.{places}f}"
    elif isinstance(value, int) or value.is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
    if not grouped:
        text = text.replace(",", "")
    if language == "pt":
        text = text.translate(_SWAP_SEPARATORS)
    sign = "+" if plus and value > 0 else ""
    return sign + text + _UNITS[unit][language]


def numbers_in_text(text: str, language: Language = "pt") -> list[Decimal]:
    """Every number written in `text` (a `language` text), in order, as an exact magnitude."""
    thousands, decimal = _SEPARATORS[language]
    found = []
    for match in _NUMBER_RE[language].finditer(text):
        if match["grouped"]:
            token = match["grouped"].replace(thousands, "").replace(decimal, ".")
        else:
            token = match["plain"].replace(",", ".")
        found.append(Decimal(token))
    return found


def unsupported_numbers(
    text: str, known: Iterable[Decimal], language: Language = "pt"
) -> list[Decimal]:
    """The numbers `text` states that are not among `known` (empty when every one is)."""
    allowed = set(known)
    return [number for number in numbers_in_text(text, language) if number not in allowed]


def plain(number: Decimal) -> str:
    """A number read from a text, as a reason message shows it: `1234`, `24.3`."""
    return format(number.normalize(), "f")
