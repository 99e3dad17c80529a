"""CSV export cells: formula-looking cells are neutralised, everything else is kept exactly."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime

import pytest

from shared.comments.csv_export import (
    CELL_SEPARATORS,
    EXPORT_COLUMNS,
    _csv_row,
    _csv_text,
    neutralise_cell,
)


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "＝1+1",  # full-width equals sign
        "  =cmd|' /C calc'!A0",
    ],
)
def test_formula_starts_get_a_leading_quote(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        # The examples: a pt-BR spreadsheet splits at ';', and a line break starts a line
        (
            'Bom app;=HYPERLINK("http://x.example","ok");fim',
            'Bom app;\'=HYPERLINK("http://x.example","ok");fim',
        ),
        ("Bom app\n@SUM(1+1)", "Bom app\n'@SUM(1+1)"),
        ("ok, +55 11 9999-0000", "ok,' +55 11 9999-0000"),
        ("a\t-1\r\n=1", "a\t'-1\r\n'=1"),
        # Tab and CR are both formula starts and separators: quoted before and after
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("\n+1", "'\n'+1"),
    ],
)
def test_formula_starts_after_a_separator_get_a_quote_after_it(cell, shown):
    assert neutralise_cell(cell) == shown


def test_no_piece_a_spreadsheet_can_split_a_cell_into_starts_a_formula():
    # Given every cell of up to four characters over separators, formula starts, space, a letter
    alphabet = ";,\t\n\r =+-@＝a"
    cells = ["".join(chars) for n in range(5) for chars in itertools.product(alphabet, repeat=n)]
    for cell in cells:
        # When it is neutralised
        shown = neutralise_cell(cell)
        # Then no piece starting at the cell's start or after a separator starts a formula
        starts = [0, *(i + 1 for i, char in enumerate(shown) if char in CELL_SEPARATORS)]
        for start in starts:
            first = shown[start:].lstrip(" ")[:1]
            assert first not in set("=+-@\t\r＝"), (cell, shown, start)
        # And removing the quotes it added gives the cell back
        assert shown.replace("'", "") == cell


@pytest.mark.parametrize(
    "cell", ["", "Amei a música!", "a=b", "e-mail", "0.93", "SUGESTÃO", "feat_letra;fix_volume"]
)
def test_ordinary_cells_are_unchanged(cell):
    assert neutralise_cell(cell) == cell


def row(**overrides):
    values = {
        "id": "c1",
        "texto": 'diz "oi",\nnova linha',
        "categoria_final": "SPAM",
        "tags_final": ["feat_letra", "fix_volume"],
        "confianca": 0.25,
        "needs_review": True,
        "model_name": "local",
        "model_version": "3",
        "fallback_reason": None,
        "categoria": "ELOGIO",
        "tags_funcionalidades": ["feat_letra"],
        "corrected_by": "ana",
        "corrected_at": datetime(2024, 5, 2, 10, tzinfo=UTC),
        "created_at": datetime(2024, 5, 1, 9, tzinfo=UTC),
    }
    values.update(overrides)
    return values


def test_row_reads_back_with_quotes_and_newlines_intact():
    # Given a comment whose text holds quotes, a comma and a newline
    text = _csv_text([EXPORT_COLUMNS, _csv_row(row())])
    # When a CSV reader parses the export
    header, parsed = list(csv.reader(io.StringIO(text)))
    # Then every cell comes back as it was
    assert tuple(header) == EXPORT_COLUMNS
    assert dict(zip(header, parsed, strict=True)) == {
        "id": "c1",
        "texto": 'diz "oi",\nnova linha',
        "categoria": "SPAM",
        "tags_funcionalidades": "feat_letra;fix_volume",
        "confianca": "0.25",
        "needs_review": "true",
        "model_name": "local",
        "model_version": "3",
        "fallback_reason": "",
        "categoria_modelo": "ELOGIO",
        "tags_modelo": "feat_letra",
        "corrigido_por": "ana",
        "corrigido_em": "2024-05-02T10:00:00+00:00",
        "created_at": "2024-05-01T09:00:00+00:00",
        "tags_nomes": "letras das músicas;volume desigual",
    }


def test_formula_in_text_or_id_is_neutralised_in_the_row():
    cells = _csv_row(row(id="-1", texto="=1+2", corrected_at=None, corrected_by=None))
    assert cells[0] == "'-1"
    assert cells[1] == "'=1+2"
    assert cells[11:13] == ["", ""]
