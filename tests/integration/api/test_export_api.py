"""GET /api/comentarios/export: same filters, CSV streamed in keyset batches, formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from shared.comments.csv_export import EXPORT_BATCH_ROWS, EXPORT_COLUMNS, export_csv
from shared.comments.types import CommentFilters
from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def read_csv(response) -> list[dict[str, str]]:
    raw = response.get_data()
    # Excel needs the byte order mark to read UTF-8; every other reader skips it.
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == EXPORT_COLUMNS
    return list(reader)


def test_export_is_streamed_csv_with_the_same_filters(analyst, seed):
    # Given comments in two categories
    seed(
        [
            {"id": "a", "texto": "amei", "categoria": "ELOGIO", "created_at": T0},
            {
                "id": "b",
                "texto": "péssimo",
                "categoria": "CRÍTICA",
                "created_at": T0 + timedelta(days=1),
            },
            {
                "id": "c",
                "texto": "lindo",
                "categoria": "ELOGIO",
                "created_at": T0 + timedelta(days=2),
            },
        ]
    )
    # When one category is exported
    response = analyst.get("/api/comentarios/export?categoria=ELOGIO&ordem=antigos")
    # Then the response is a streamed UTF-8 CSV attachment holding exactly those rows, in order
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="comentarios-')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    rows = read_csv(response)
    assert [(r["id"], r["texto"], r["categoria"]) for r in rows] == [
        ("a", "amei", "ELOGIO"),
        ("c", "lindo", "ELOGIO"),
    ]
    assert_conforms(response, "GET /api/comentarios/export")


def test_formula_injection_is_neutralised_and_text_otherwise_intact(analyst, seed):
    attacks = {
        "eq": '=HYPERLINK("http://evil.example","clique")',
        "plus": "+55 11 99999-0000 chama no zap",
        "minus": "-1+1",
        "at": "@SUM(1+1)*cmd|' /C calc'!A0",
        "tab": "\t=1+1",
        "cr": "\r=1+1",
        "semicolon": 'Bom app;=HYPERLINK("http://x.example","ok");fim',
        "newline": "Bom app\n@SUM(1+1)",
        "ok": 'normal, com "aspas"\ne nova linha',
    }
    expected = {
        "eq": "'" + attacks["eq"],
        "plus": "'" + attacks["plus"],
        "minus": "'" + attacks["minus"],
        "at": "'" + attacks["at"],
        "tab": "'\t'=1+1",
        "cr": "'\r'=1+1",
        "semicolon": 'Bom app;\'=HYPERLINK("http://x.example","ok");fim',
        "newline": "Bom app\n'@SUM(1+1)",
        "ok": attacks["ok"],
    }
    seed([{"id": key, "texto": value} for key, value in attacks.items()])
    rows = {r["id"]: r["texto"] for r in read_csv(analyst.get("/api/comentarios/export"))}
    assert rows == expected


def test_export_includes_corrections_beside_the_model_answer(analyst, seed):
    seed([{"id": "a", "categoria": "ELOGIO", "tags": ["feat_letra"]}])
    analyst.patch(
        "/api/comentarios/a",
        json={"categoria": "SPAM", "tags_funcionalidades": ["sec_golpe", "feat_link"]},
    )
    (row,) = read_csv(analyst.get("/api/comentarios/export"))
    assert (row["categoria"], row["tags_funcionalidades"]) == ("SPAM", "sec_golpe;feat_link")
    assert (row["categoria_modelo"], row["tags_modelo"]) == ("ELOGIO", "feat_letra")
    assert row["corrigido_por"] == "ana"
    assert row["corrigido_em"]


def test_export_of_more_rows_than_a_batch_has_each_row_once(analyst, seed):
    # Given more comments than one server-side batch
    count = EXPORT_BATCH_ROWS * 2 + 17
    seed([{"id": f"r{i:05d}", "created_at": T0 + timedelta(seconds=i % 7)} for i in range(count)])
    # When everything is exported
    rows = read_csv(analyst.get("/api/comentarios/export?ordem=recentes"))
    # Then every row appears exactly once
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == count


def test_export_reads_in_batches_as_the_client_consumes(app, seed):
    seed([{"id": f"r{i:02d}", "created_at": T0 + timedelta(seconds=i % 3)} for i in range(10)])
    chunks = list(export_csv(app.engine, CommentFilters(), "antigos", batch_rows=3))
    # header + 4 batches of at most 3 rows
    assert len(chunks) == 5
    body = "".join(chunks).removeprefix("\ufeff")
    ids = [r["id"] for r in csv.DictReader(io.StringIO(body, newline=""))]
    assert ids == sorted(ids, key=lambda i: (int(i[1:]) % 3, i))


def test_empty_export_is_just_the_header(analyst, clean_db):
    assert read_csv(analyst.get("/api/comentarios/export")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("categoria=BOM", "valid values"),
        ("limit=10", "unknown query parameter(s) 'limit'"),
        ("cursor=abc", "unknown query parameter(s) 'cursor'"),
        ("desde=2024-99-01", "not an ISO date"),
    ],
)
def test_bad_export_query_is_400_json_not_a_csv(analyst, clean_db, query, message):
    response = analyst.get(f"/api/comentarios/export?{query}")
    assert response.status_code == 400
    assert_conforms(response, "GET /api/comentarios/export")
    assert response.headers["Content-Type"] == "application/json"
    assert message in response.get_json()["error"]["message"]
