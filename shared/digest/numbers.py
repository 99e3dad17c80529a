"""Numbers in a digest's text, read back, and the numbers its stats allow it to say.

A number a person reads must be one of the stats' numbers. Texts write PT-BR style: "24,3" for a
decimal, "1.234" for a grouped integer; a writer may also use "24.3". Dates and week labels in the
text are read as their parts (16/11 -> 16 and 11), so the stats' `semana`, `inicio` and `fim`
contribute their parts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

_NUMBER_RE: Final = re.compile(r"\d{1,3}(?:\.\d{3})+(?![\d.])(?:,\d+)?|\d+(?:[.,]\d+)?")
_DATE_PART_RE: Final = re.compile(r"\d+")
_LABEL_KEYS: Final = frozenset({"semana", "semana_anterior", "inicio", "fim"})


def numbers_in_text(text: str) -> list[Decimal]:
    """Every number written in `text`, in order, as an exact decimal."""
    found = []
    for token in _NUMBER_RE.findall(text):
        if "," in token:
            token = token.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            token = token.replace(".", "")
        found.append(Decimal(token))
    return found


def _leaves(value: Any, key: str | None = None) -> Iterator[Decimal]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        number = Decimal(str(value))
        yield number
        yield abs(number)
    elif isinstance(value, str):
        if key in _LABEL_KEYS:
            for part in _DATE_PART_RE.findall(value):
                yield Decimal(part)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            if child_key in ("exemplos", "duvidas_abertas", "texto", "id"):
                continue  # listeners' words, not the product's figures
            yield from _leaves(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from _leaves(child, key)


def allowed_numbers(stats: dict[str, Any]) -> frozenset[Decimal]:
    """Every number the stats hold (and its absolute value), normalised for comparison."""
    allowed = {number.normalize() for number in _leaves(stats)}
    for question in stats.get("duvidas_abertas", []):
        confidence = question.get("confianca")
        if isinstance(confidence, int | float):
            allowed.add(Decimal(str(confidence)).normalize())
    return frozenset(allowed)


def unsupported_numbers(text: str, stats: dict[str, Any]) -> list[Decimal]:
    """Numbers in `text` that are not among the stats' numbers (empty when the text is true)."""
    allowed = allowed_numbers(stats)
    return [number for number in numbers_in_text(text) if number.normalize() not in allowed]
