"""GET /api/comentarios/export: the filtered comments as CSV, streamed in keyset batches so the
export never holds the table in memory."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Final

from sqlalchemy.engine import Engine, RowMapping

from shared.comments.api import instant_text
from shared.comments.listing import page_statement, position_of
from shared.comments.types import CommentFilters, Ordem, Row
from shared.digest.vocabulary import tag_name

log = logging.getLogger(__name__)

EXPORT_BATCH_ROWS: Final = 5000
EXPORT_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "texto",
    "categoria",
    "tags_funcionalidades",
    "confianca",
    "needs_review",
    "model_name",
    "model_version",
    "fallback_reason",
    "categoria_modelo",
    "tags_modelo",
    "corrigido_por",
    "corrigido_em",
    "created_at",
    # Added last, so a reader that takes the columns by position still finds the earlier ones.
    "tags_nomes",
)
# What makes a spreadsheet read a cell as a formula (OWASP's list, plus the full-width forms some
# spreadsheets also accept).
_FORMULA_STARTS: Final = frozenset("=+-@\t\r＝＋－＠")
# Where a spreadsheet may start a new cell inside this one: a pt-BR one splits a line on ';',
# others on ',' or tab, and a text after a line break is a line of its own.
CELL_SEPARATORS: Final = ";,\t\n\r"
# A formula start after a separator and spaces: linear (one lookahead per separator).
_FORMULA_AFTER_SEPARATOR: Final = re.compile(
    f"(?<=[{re.escape(CELL_SEPARATORS)}])(?= *[{re.escape(''.join(sorted(_FORMULA_STARTS)))}])"
)
_TAG_SEPARATOR: Final = ";"
# Excel opens a CSV as UTF-8 only when it starts with a byte order mark; other tools skip it.
UTF8_BOM: Final = "\ufeff"


def neutralise_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, whatever it splits the cell at: a single quote goes
    before a formula-like start of the cell and right after every separator (CELL_SEPARATORS)
    that a formula-like start follows, spaces between included."""
    if value[:1] in _FORMULA_STARTS or value.lstrip(" \n")[:1] in _FORMULA_STARTS:
        value = "'" + value
    return _FORMULA_AFTER_SEPARATOR.sub("'", value)


def _csv_row(row: Row) -> list[str]:
    cells = [
        row["id"],
        row["texto"],
        row["categoria_final"],
        _TAG_SEPARATOR.join(row["tags_final"]),
        repr(float(row["confianca"])),
        "true" if row["needs_review"] else "false",
        row["model_name"],
        row["model_version"],
        row["fallback_reason"] or "",
        row["categoria"],
        _TAG_SEPARATOR.join(row["tags_funcionalidades"]),
        row["corrected_by"] or "",
        instant_text(row["corrected_at"]) or "",
        instant_text(row["created_at"]) or "",
        # The final tags in an analyst's words; the ids above stay what filters take.
        _TAG_SEPARATOR.join(tag_name(tag) for tag in row["tags_final"]),
    ]
    return [neutralise_cell(cell) for cell in cells]


def _csv_text(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def export_csv(
    engine: Engine,
    filters: CommentFilters,
    ordem: Ordem,
    *,
    batch_rows: int = EXPORT_BATCH_ROWS,
) -> Iterator[str]:
    """The filtered comments as CSV text chunks, one keyset batch per chunk.

    The first batch is read before the first chunk is produced, so a database failure surfaces
    before a response has started; later batches are read as the client consumes the stream.
    """
    statement = page_statement(filters, ordem, batch_rows, None)
    with engine.connect() as conn:
        first = list(conn.execute(statement).mappings())
    return _export_chunks(engine, filters, ordem, batch_rows, first)


def _export_chunks(
    engine: Engine,
    filters: CommentFilters,
    ordem: Ordem,
    batch_rows: int,
    rows: list[RowMapping],
) -> Iterator[str]:
    yield UTF8_BOM + _csv_text([EXPORT_COLUMNS])
    exported = 0
    while rows:
        yield _csv_text([_csv_row(row) for row in rows])
        exported += len(rows)
        if len(rows) < batch_rows:
            break
        after = position_of(rows[-1], ordem)
        with engine.connect() as conn:
            rows = list(conn.execute(page_statement(filters, ordem, batch_rows, after)).mappings())
    log.info("export finished", extra={"rows": exported})
