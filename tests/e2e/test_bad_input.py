"""Bad input through the gateway of a running stack (DESIGN section 9).

By machine: schemathesis over every operation of the OpenAPI document, as the admin and
anonymously (a bounded run; `alumusic fuzz` runs longer). Any finding fails: a 5xx, a status,
content type, header or body the document does not give for the operation, or schema-violating
input that is not refused.

By hand: each bad-input class of DESIGN section 9, for every operation that takes input, gets its
clear 4xx JSON error and changes nothing; SQL and HTML in texts and filters are only text. Each
row of the hostile table gets its stated answer through the gateway and, where it is refused,
leaves every table as it was: a 16 MB login array and 15 MB of NDJSON `{}` lines are 413 within
2 s, a 5,000-digit user name, 16,000 `[` and a 5,000-digit `limit` are 400, NDJSON texts with
U+2028 / U+0085 are accepted whole, the CSV export neutralises formulas, a replayed refresh token
is 401 and revokes its family, and a token logged out is refused.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from shared.comments.csv_export import neutralise_cell
from tests.e2e.conftest import RunningStack, start_stack
from tooling.devstack.openapi import load_operations
from tooling.devstack.postgres import PostgresServer
from tooling.devstack.waiting import wait_until
from tooling.fuzzing.runner import run_fuzz


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer
) -> Iterator[RunningStack]:
    """This module's own stack and database: fuzzing the login fills `login_attempts`, and its
    delays (same address, same users) must not reach the stacks of the modules that follow."""
    name = f"alumusic_e2e_bad_input_{secrets.token_hex(4)}"
    running = start_stack(tmp_path_factory.mktemp("stack"), pg_server.url(name))
    try:
        yield running
    finally:
        running.stop()
        pg_server.drop_database(name)


Api = Callable[..., requests.Response]

# Per operation and phase: with two passes, a few hundred generated cases in all.
MAX_EXAMPLES = 4


# --- every bad-input class of DESIGN section 9, explicitly, for every operation taking input ---

HUGE_TEXT = "x" * 5001  # MAX_TEXT_CHARS is 5000 by default
OVERSIZED_BODY = b"[" + b'{"id": "o", "texto": "o"},' * 700_000 + b"]"  # about 18 MB > 16 MiB
# Hostile bodies (issue table of DESIGN section 9): decoded by nobody, or refused by field.
LOGIN_FLOOD = b"[" + b"{}," * 5_000_000 + b"{}]"  # 15 MB: over login's 16 KB, under 16 MiB
HUGE_NUMBER = b"1" * 5000
DEEP = b"[" * 16_000
EMPTY_OBJECTS = b"{}\n" * 5_000_000  # 15 MB of NDJSON items, far over the 10,000 limit
HOSTILE_TEXT = "'; DROP TABLE comments; -- <script>alert('x')</script> \" OR 1=1"


def _comment_cases(batch_limit: int) -> list[tuple[str, dict[str, Any], int]]:
    return [
        ("malformed JSON", {"data": b'{"id": "m1", "texto": '}, 400),
        ("wrong type of text", {"json": {"id": "w1", "texto": 5}}, 400),
        ("wrong type of id", {"json": {"id": True, "texto": "ok"}}, 400),
        ("wrong type of body", {"json": "just a string"}, 400),
        ("missing id", {"json": {"texto": "sem id"}}, 400),
        ("missing text", {"json": {"id": "t1"}}, 400),
        ("empty text", {"json": {"id": "e1", "texto": "   "}}, 400),
        ("huge text", {"json": {"id": "h1", "texto": HUGE_TEXT}}, 400),
        ("NUL character", {"json": {"id": "n1", "texto": "a\u0000b"}}, 400),
        ("NUL byte", {"data": b'{"id": "n2", "texto": "a\x00b"}'}, 400),
        (
            "batch over the limit",
            {"json": [{"id": f"b{i}", "texto": "ok"} for i in range(batch_limit + 1)]},
            413,
        ),
        ("oversized body", {"data": OVERSIZED_BODY}, 413),
        ("bad date", {"json": {"id": "d1", "texto": "ok", "criado_em": "ontem"}}, 400),
        (
            "date without offset",
            {"json": {"id": "d2", "texto": "ok", "criado_em": "2026-11-30T10:00:00"}},
            400,
        ),
        ("SQL or HTML as id", {"json": {"id": "1; DROP TABLE comments", "texto": "ok"}}, 400),
    ]


BAD_REQUESTS: list[tuple[str, str, str, dict[str, Any], int]] = [
    *[("POST", "/api/comentarios", n, k, s) for n, k, s in _comment_cases(1000)],
    *[("POST", "/api/comentarios/ingest", n, k, s) for n, k, s in _comment_cases(10_000)],
    ("GET", "/api/comentarios?categoria=ELOGIOS", "unknown category", {}, 400),
    ("GET", "/api/comentarios?categoria=ELOGIO'%20OR%20'1'='1", "SQL in a filter", {}, 400),
    ("GET", "/api/comentarios?tag=%3Cscript%3E", "HTML in a filter", {}, 400),
    ("GET", "/api/comentarios?desde=2026-13-45", "bad date", {}, 400),
    ("GET", "/api/comentarios?ate=ontem", "bad date", {}, 400),
    ("GET", "/api/comentarios?confianca_min=alta", "wrong type", {}, 400),
    ("GET", "/api/comentarios?q=a%00b", "NUL byte in a filter", {}, 400),
    ("GET", "/api/comentarios?q=" + "x" * 201, "huge filter text", {}, 400),
    ("GET", "/api/comentarios/export?categoria=ELOGIOS", "unknown category", {}, 400),
    ("GET", "/api/comentarios/export?desde=amanha", "bad date", {}, 400),
    ("PATCH", "/api/comentarios/bad-1", "unknown category", {"json": {"categoria": "ÓTIMO"}}, 400),
    ("PATCH", "/api/comentarios/bad-1", "malformed JSON", {"data": b'{"categoria": '}, 400),
    (
        "PATCH",
        "/api/comentarios/bad-1",
        "wrong types",
        {"json": {"tags_funcionalidades": "x"}},
        400,
    ),
    (
        "PATCH",
        "/api/comentarios/bad-1",
        "HTML tag",
        {"json": {"tags_funcionalidades": ["<b>"]}},
        400,
    ),
    ("PATCH", "/api/comentarios/bad-1", "oversized body", {"data": OVERSIZED_BODY}, 413),
    ("POST", "/api/insights/perguntar", "malformed JSON", {"data": b'{"pergunta": '}, 400),
    ("POST", "/api/insights/perguntar", "wrong type", {"json": {"pergunta": 12}}, 400),
    ("POST", "/api/insights/perguntar", "missing text", {"json": {"semanas": 3}}, 400),
    ("POST", "/api/insights/perguntar", "empty text", {"json": {"pergunta": " "}}, 400),
    ("POST", "/api/insights/perguntar", "huge text", {"json": {"pergunta": "x" * 501}}, 400),
    ("POST", "/api/insights/perguntar", "NUL character", {"json": {"pergunta": "a\u0000"}}, 400),
    (
        "POST",
        "/api/insights/perguntar",
        "bad week",
        {"json": {"pergunta": "ok", "semanas": ["W47"]}},
        400,
    ),
    ("POST", "/api/insights/perguntar", "oversized body", {"data": OVERSIZED_BODY}, 413),
    ("GET", "/api/digests/2026-W99", "bad date", {}, 400),
    ("GET", "/api/digests/ontem", "bad date", {}, 400),
    ("GET", "/api/digests/2026-W47'%20OR%20'1'='1", "SQL in a week", {}, 400),
    ("GET", "/api/digests/%3Cscript%3E", "HTML in a week", {}, 400),
    ("GET", "/api/digests?semana=%3Cscript%3E", "unknown filter", {}, 400),
    ("GET", "/api/alertas?limite=0", "out of range", {}, 400),
    ("GET", "/api/alertas?limite=" + "9" * 5000, "huge integer", {}, 400),
    ("GET", "/api/alertas?limite=1'%20OR%20'1'='1", "SQL in a filter", {}, 400),
    ("GET", "/api/alertas?tag=%3Cscript%3E", "unknown filter", {}, 400),
    ("POST", "/api/auth/login", "malformed JSON", {"data": b'{"username": '}, 400),
    ("POST", "/api/auth/login", "body over the route's limit", {"data": LOGIN_FLOOD}, 413),
    (
        "POST",
        "/api/auth/login",
        "huge integer",
        {"data": b'{"username": ' + HUGE_NUMBER + b', "password": "x"}'},
        400,
    ),
    ("POST", "/api/auth/refresh", "deep nesting", {"data": b"[" * 1000 + b"]" * 1000}, 400),
    ("POST", "/api/insights/perguntar", "deep nesting", {"data": DEEP}, 400),
    ("GET", "/api/comentarios?limit=" + "9" * 5000, "huge integer", {}, 400),
    ("POST", "/api/comentarios/ingest", "items past the limit", {"data": EMPTY_OBJECTS}, 413),
    ("POST", "/api/auth/login", "wrong types", {"json": {"username": 1, "password": []}}, 400),
    ("GET", "/api/temas?periodo=mes", "unknown period", {}, 400),
    ("GET", "/api/temas?semana=2026-W99", "bad date", {}, 400),
    ("GET", "/api/temas?status=%3Cscript%3E", "HTML in a filter", {}, 400),
    ("GET", "/api/temas?limit=" + "9" * 5000, "huge integer", {}, 400),
    ("POST", "/api/temas/1/promover", "malformed JSON", {"data": b'{"tag": '}, 400),
    ("POST", "/api/temas/1/promover", "wrong type", {"json": {"tag": 12}}, 400),
    ("POST", "/api/temas/1/promover", "missing tag", {"json": {}}, 400),
    ("POST", "/api/temas/1/promover", "malformed tag", {"json": {"tag": "Feat_X"}}, 400),
    ("POST", "/api/temas/1/promover", "NUL character", {"json": {"tag": "feat_a\u0000"}}, 400),
    ("POST", "/api/temas/1/promover", "oversized body", {"data": OVERSIZED_BODY}, 413),
    ("POST", "/api/temas/1'%20OR%20'1'='1/dispensar", "SQL in an id", {}, 400),
]


def _total(api: Api) -> int:
    response = api("GET", "/api/comentarios?limit=1")
    assert response.status_code == 200, response.text
    return int(response.headers["X-Total-Count"])


def test_every_bad_input_class_gets_a_clear_4xx_and_changes_nothing(api: Api) -> None:
    # Given a stored comment to correct, and how many comments are stored
    stored = api("POST", "/api/comentarios", json={"id": "bad-1", "texto": "gostei do clipe"})
    assert stored.status_code in (200, 201), stored.text
    before = _total(api)
    wrong = []
    # When each bad request of each class is sent through the gateway
    for method, path, name, kwargs, status in BAD_REQUESTS:
        if "data" in kwargs:
            kwargs = {**kwargs, "headers": {"Content-Type": "application/json"}}
        response = api(method, path, **kwargs)
        # Then it gets the expected 4xx with a JSON error naming a stable code
        error = response.json().get("error", {}) if response.content else {}
        if response.status_code != status or not {"code", "message"} <= set(error):
            wrong.append(
                f"{method} {path[:60]} ({name}): {response.status_code} {response.text[:200]}"
            )
    assert not wrong, "\n".join(wrong)
    # And nothing was stored or changed by any of them
    assert _total(api) == before
    detail = api("GET", "/api/comentarios/bad-1").json()
    assert detail["correction"] is None


def test_ndjson_lines_end_at_line_feeds_only(api: Api) -> None:
    # Given comments whose texts hold U+2028 and U+0085, written raw in NDJSON
    body = '{"id": "sep-1", "texto": "trava\u2028sempre"}\n{"id": "sep-2", "texto": "a\u0085b"}\n'
    # When they are ingested through the gateway
    response = api(
        "POST",
        "/api/comentarios/ingest",
        data=body.encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    # Then both are accepted
    assert response.status_code == 202, response.text
    assert response.json()["ids"] == ["sep-1", "sep-2"]


def test_sql_and_html_in_texts_and_filters_are_plain_text(api: Api) -> None:
    # Given a comment whose text is SQL and HTML
    created = api("POST", "/api/comentarios", json={"id": "hostile-1", "texto": HOSTILE_TEXT})
    assert created.status_code in (200, 201), created.text
    # When it is read back and searched for with the same text as a filter
    found = api("GET", "/api/comentarios", params={"q": "DROP TABLE comments; -- <script>"})
    # Then it is stored and returned verbatim (JSON, not markup), and the filter is only text
    assert found.status_code == 200
    assert [c["texto"] for c in found.json()] == [HOSTILE_TEXT]
    assert found.headers["Content-Type"].startswith("application/json")
    assert _total(api) >= 2  # the table is still there
    exported = api("GET", "/api/comentarios/export", params={"q": "DROP TABLE"})
    assert exported.status_code == 200
    assert "<script>" in exported.text  # a CSV cell, not markup; formulas are neutralised apart


def test_a_confidence_bound_too_small_for_a_real_filters_instead_of_failing(api: Api) -> None:
    # Found by schemathesis: 5e-324 was a 500 (the REAL cast underflowed in PostgreSQL)
    for path in ("/api/comentarios", "/api/comentarios/export"):
        response = api("GET", path, params={"confianca_min": "5e-324", "confianca_max": "1e-300"})
        assert response.status_code == 200, response.text


# --- the hostile table, one row each ---

SIXTEEN_MB_LOGIN = b"[" + b"{}," * 5_333_332 + b"{}]"  # 16,000,000 bytes
REFUSED_QUICKLY_SECONDS = 2.0
# Tables a refused request must leave as they were. Not compared: chart_snapshots (the scheduler
# writes one every minute) and rate_limit_windows (a request is charged to its user's quota
# before its body is read, so a flood of bad bodies still spends it).
UNCHANGED_TABLES = (
    "comments",
    "comment_id_conflicts",
    "category_rollups",
    "tag_rollups",
    "login_attempts",
    "refresh_tokens",
    "users",
    "weekly_digests",
    "digest_recipients",
    "digest_deliveries",
)
JSON_BODY = {"Content-Type": "application/json"}
NDJSON_BODY = {"Content-Type": "application/x-ndjson"}
# (name, method, path, body, headers, status, refused within REFUSED_QUICKLY_SECONDS)
HOSTILE_ROWS: list[tuple[str, str, str, bytes | None, dict[str, str], int, bool]] = [
    ("16 MB login array", "POST", "/api/auth/login", SIXTEEN_MB_LOGIN, JSON_BODY, 413, True),
    (
        "5,000-digit username",
        "POST",
        "/api/auth/login",
        b'{"username": ' + HUGE_NUMBER + b', "password": "x"}',
        JSON_BODY,
        400,
        False,
    ),
    ("16,000 [ to insights", "POST", "/api/insights/perguntar", DEEP, JSON_BODY, 400, False),
    ("5,000-digit limit", "GET", "/api/comentarios?limit=" + "9" * 5000, None, {}, 400, False),
    ("15 MB of {} lines", "POST", "/api/comentarios/ingest", EMPTY_OBJECTS, NDJSON_BODY, 413, True),
]


@pytest.fixture(scope="module")
def database(stack: RunningStack) -> Iterator[sa.Engine]:
    engine = sa.create_engine(stack.database_url, poolclass=sa.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def _tables(engine: sa.Engine) -> dict[str, str]:
    """Each compared table's rows, as one digest per table."""
    with engine.connect() as conn:
        return {
            table: str(
                conn.execute(
                    sa.text(
                        f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                        f"ORDER BY t::text)), '') FROM {table} t"
                    )
                ).scalar_one()
            )
            for table in UNCHANGED_TABLES
        }


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "headers", "status", "quick"),
    HOSTILE_ROWS,
    ids=[row[0] for row in HOSTILE_ROWS],
)
def test_each_hostile_probe_gets_its_answer_and_changes_no_table(
    api: Api,
    database: sa.Engine,
    name: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    status: int,
    quick: bool,
) -> None:
    # Given every table's rows before the probe
    before = _tables(database)
    # When the probe goes through the gateway
    started = time.perf_counter()
    response = api(method, path, data=body, headers=headers)
    elapsed = time.perf_counter() - started
    # Then it gets the stated status with a JSON error
    assert response.status_code == status, f"{name}: {response.status_code} {response.text[:300]}"
    assert {"code", "message"} <= set(response.json()["error"])
    # And a body refused by its size is refused without being worked through
    if quick:
        assert elapsed < REFUSED_QUICKLY_SECONDS, f"{name} took {elapsed:.2f} s"
    # And no table changed
    assert _tables(database) == before, name


def test_ndjson_texts_with_line_separators_are_stored_whole(api: Api) -> None:
    # Given two NDJSON items whose texts hold U+2028 and U+0085 written raw
    texts = {"sep-store-1": "trava\u2028sempre", "sep-store-2": "a\u0085b no refrão"}
    body = "".join(f'{{"id": "{i}", "texto": "{t}"}}\n' for i, t in texts.items()).encode()
    # When they are ingested through the gateway
    response = api("POST", "/api/comentarios/ingest", data=body, headers=NDJSON_BODY)
    # Then both are accepted, and stored with the separators inside their texts
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == 2

    def stored() -> bool:
        found = [api("GET", f"/api/comentarios/{i}") for i in texts]
        return all(r.status_code == 200 for r in found)

    assert wait_until(stored, timeout=60, interval=0.5)
    for comment_id, text in texts.items():
        assert api("GET", f"/api/comentarios/{comment_id}").json()["texto"] == text


FORMULAS = {
    "csv-f-1": '=HYPERLINK("http://exemplo.invalid","clique")',
    "csv-f-2": "+55 11 99999-0000 liga pra mim",
    "csv-f-3": "-1+2 gostei",
    "csv-f-4": "@SUM(1+1)",
    "csv-f-5": "boa música; =cmd|' /C calc'!A0",
}


def test_csv_export_neutralises_formulas(api: Api) -> None:
    # Given comments whose texts a spreadsheet would run as formulas
    stored = api(
        "POST", "/api/comentarios", json=[{"id": i, "texto": t} for i, t in FORMULAS.items()]
    )
    assert stored.status_code in (200, 201), stored.text
    # When the comments are exported as CSV through the gateway
    exported = api("GET", "/api/comentarios/export")
    assert exported.status_code == 200, exported.text
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))}
    # Then each such cell is written so a spreadsheet shows it as text
    for comment_id, text in FORMULAS.items():
        cell = rows[comment_id]["texto"]
        assert cell == neutralise_cell(text), comment_id
        assert cell != text, comment_id


def _login(stack: RunningStack) -> dict[str, Any]:
    response = requests.post(
        stack.gateway_url + "/api/auth/login",
        json={"username": stack.admin_username, "password": stack.admin_password},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def _refresh(stack: RunningStack, token: str) -> requests.Response:
    return requests.post(
        stack.gateway_url + "/api/auth/refresh", json={"refresh": token}, timeout=30
    )


def test_a_replayed_refresh_token_is_refused_and_revokes_its_family(stack: RunningStack) -> None:
    # Given a login whose refresh token was used once (the answer carries the next one)
    first = _login(stack)["refresh"]
    rotated = _refresh(stack, first)
    assert rotated.status_code == 200, rotated.text
    following = rotated.json()["refresh"]
    # When the spent token is replayed
    replay = _refresh(stack, first)
    # Then it is 401, and the token rotated from it is revoked with it
    assert replay.status_code == 401, replay.text
    assert _refresh(stack, following).status_code == 401
    # And another login's tokens still work
    assert _refresh(stack, _login(stack)["refresh"]).status_code == 200


def test_a_logged_out_refresh_token_is_refused(stack: RunningStack) -> None:
    # Given a login
    token = _login(stack)["refresh"]
    # When it logs out through the gateway
    logout = requests.post(
        stack.gateway_url + "/api/auth/logout", json={"refresh": token}, timeout=30
    )
    # Then logout is 204 and the token no longer refreshes
    assert logout.status_code == 204, logout.text
    refused = _refresh(stack, token)
    assert refused.status_code == 401, refused.text


# --- by machine (last: its login fuzzing leaves this address rate limited for a while) ---


def test_generated_requests_get_documented_answers_and_no_5xx(
    stack: RunningStack, tmp_path: Path
) -> None:
    # Given the stack's admin token and the operations the document defines
    token = stack.admin_token()
    documented = {(o.method, o.path) for o in load_operations()}

    # When schemathesis sends generated requests for every operation, as admin and anonymous
    result = run_fuzz(
        stack.gateway_url,
        token=token,
        work_dir=tmp_path / "fuzz",
        max_examples=MAX_EXAMPLES,
        timeout=600,
    )

    # Then nothing it checks fails, and every operation was exercised in both passes
    assert result.ok, result.describe_findings()
    for outcome in result.passes:
        assert outcome.operations_tested == len(documented), outcome
    assert result.generated >= 100 * len(result.passes), result.summary()
