"""Figures written in PT-BR and English, and read back from the texts that state them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.numbers import (
    format_number,
    numbers_in_text,
    plain,
    unsupported_numbers,
)


@pytest.mark.parametrize(
    ("value", "kwargs", "pt", "en"),
    [
        (1234, {}, "1.234", "1,234"),
        (1234.5, {"places": 1}, "1.234,5", "1,234.5"),
        (4.0, {"places": 1}, "4,0", "4.0"),
        (24.0, {}, "24", "24"),
        (0.0123, {}, "0,012", "0.012"),
        (-2.3, {}, "-2,3", "-2.3"),
        (2.3, {"plus": True}, "+2,3", "+2.3"),
        (0, {"plus": True}, "0", "0"),
        (1025, {"grouped": False}, "1025", "1025"),
        (None, {}, "n/d", "n/a"),
    ],
)
def test_a_figure_is_written_as_each_language_writes_it(value, kwargs, pt, en) -> None:
    assert format_number(value, "pt", **kwargs) == pt
    assert format_number(value, "en", **kwargs) == en


def test_percentages_and_percentage_points_carry_their_unit() -> None:
    assert format_number(26.7, "pt", places=1, unit="%") == "26,7%"
    assert format_number(-3.6, "en", plus=True, unit="%") == "-3.6%"
    assert format_number(4.0, "pt", places=1, plus=True, unit="pp") == "+4,0 p.p."
    assert format_number(4.0, "en", places=1, plus=True, unit="pp") == "+4.0 pp"


@pytest.mark.parametrize(
    ("text", "language", "numbers"),
    [
        ("trouxe 1.234 comentários, ante 1.100.", "pt", ["1234", "1100"]),
        ("subiu de 22,7% para 26,7%", "pt", ["22.7", "26.7"]),
        ("fator 5.1 e 1.234,5 vezes", "pt", ["5.1", "1234.5"]),
        ("p = 0.234", "pt", ["0.234"]),
        ("1,234 comments, 24.3% of 1,234.5", "en", ["1234", "24.3", "1234.5"]),
        ("fell -4.4 pp", "en", ["4.4"]),
        ("Semana 2026-W47 (16/11/2026)", "pt", ["2026", "47", "16", "11", "2026"]),
    ],
)
def test_a_text_is_read_back_as_its_language_writes(text, language, numbers) -> None:
    assert numbers_in_text(text, language) == [Decimal(n) for n in numbers]


def test_what_the_formatter_writes_the_reader_reads() -> None:
    for value in (7, 1234, 1234567, 0.97, 24.3, 1234.5):
        for language in ("pt", "en"):
            written = format_number(value, language)
            assert numbers_in_text(written, language) == [Decimal(str(value))], written


def test_numbers_outside_the_known_ones_are_named() -> None:
    known = [Decimal("1234"), Decimal("26.7")]
    assert unsupported_numbers("Foram 1.234 comentários, 26,70% do total.", known) == []
    invented = unsupported_numbers("Foram 1.235 comentários, 37% do total.", known)
    assert [plain(n) for n in invented] == ["1235", "37"]
