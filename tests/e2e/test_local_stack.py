"""The whole local stack through its gateway: health, login, classify, ingest, read back, Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import secrets
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from shared.classifier import CATEGORIES
from tests.e2e.conftest import RunningStack, start_stack
from tooling.demo import demo_comments
from tooling.devstack.stack import load_stack
from tooling.devstack.supervisor import process_running
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.e2e

Api = Callable[..., requests.Response]


def _stored(database_url: str, prefix: str) -> tuple[int, int]:
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            rows, distinct = conn.execute(
                sa.text("SELECT count(*), count(DISTINCT id) FROM comments WHERE id LIKE :p"),
                {"p": prefix + "-%"},
            ).one()
    finally:
        engine.dispose()
    return int(rows), int(distinct)


def test_healthz_reports_every_part_ready(stack: RunningStack) -> None:
    response = requests.get(stack.gateway_url + "/healthz", timeout=10)
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"postgres", "pubsub", "s3"} | {
        f"function:{f.name}" for f in load_stack(env={}).functions
    }
    assert {
        "function:classify-api",
        "function:charts-api",
        "function:digest-api",
        "function:digest-send",
        "function:insights-api",
    } <= set(checks)
    assert all(check["ok"] for check in checks.values())


def test_unknown_path_is_a_json_404(stack: RunningStack) -> None:
    response = requests.get(stack.gateway_url + "/nothing/here", timeout=10)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_insights_is_routed_and_validates_questions(stack: RunningStack, api: Api) -> None:
    # Without a token the insights function refuses through the gateway
    anonymous = requests.post(
        stack.gateway_url + "/api/insights/perguntar", json={"pergunta": "o que subiu?"}, timeout=10
    )
    assert anonymous.status_code == 401
    # With one, an empty question is a 400 that names the field
    empty = api("POST", "/api/insights/perguntar", json={"pergunta": ""})
    assert empty.status_code == 400
    assert "pergunta" in empty.json()["error"]["message"]


def test_login_then_classify_one_comment(api: Api) -> None:
    # When one comment is classified synchronously through the gateway
    response = api(
        "POST",
        "/api/comentarios",
        json={
            "id": f"e2e-one-{secrets.token_hex(3)}",
            "texto": "podiam lançar a versão ao vivo dessa",
        },
    )

    # Then it is stored (201) and the answer carries the classification contract
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["categoria"] in CATEGORIES
    assert 0.0 <= item["confianca"] <= 1.0
    assert isinstance(item["tags_funcionalidades"], list)
    assert item["model_name"]
    assert item["model_version"]


def test_ten_thousand_ingested_comments_are_each_stored_once_and_read_back(
    stack: RunningStack, api: Api
) -> None:
    # Given 10,000 corpus comments under a fresh prefix
    prefix = f"e2e-{secrets.token_hex(4)}"
    comments = demo_comments(10_000, prefix=prefix)
    body = "\n".join(json.dumps(c, ensure_ascii=False) for c in comments).encode()

    # When they are ingested through the gateway as NDJSON, and the same request is retried
    headers = {"Content-Type": "application/x-ndjson"}
    first = api("POST", "/api/comentarios/ingest", data=body, headers=headers)
    retry = api("POST", "/api/comentarios/ingest", data=body, headers=headers)

    # Then both are accepted and every comment is stored exactly once
    assert first.status_code == 202, first.text
    assert first.json()["accepted"] == 10_000
    assert retry.status_code == 202
    assert wait_until(
        lambda: _stored(stack.database_url, prefix)[1] >= 10_000, timeout=90, interval=0.5
    )
    assert _stored(stack.database_url, prefix) == (10_000, 10_000)

    # ...and the list API pages through all of them
    seen: dict[str, str] = {}
    cursor: str | None = None
    total = None
    while True:
        params = {"limit": "500", **({"cursor": cursor} if cursor else {})}
        page = api("GET", "/api/comentarios", params=params)
        assert page.status_code == 200, page.text
        total = int(page.headers["X-Total-Count"])
        seen.update({item["id"]: item["texto"] for item in page.json()})
        cursor = page.headers.get("X-Next-Cursor")
        if not cursor:
            break
    assert total is not None
    assert total >= 10_000
    assert {c["id"]: c["texto"] for c in comments}.items() <= seen.items()

    # ...and the CSV export streams through the gateway with every one of them
    export = api("GET", "/api/comentarios/export", stream=True)
    assert export.status_code == 200
    assert export.headers["Content-Type"].startswith("text/csv")
    assert "Content-Length" not in export.headers  # streamed, not buffered by the gateway
    exported = b"".join(export.iter_content(64 * 1024)).decode("utf-8-sig")
    exported_ids = {row["id"] for row in csv.DictReader(io.StringIO(exported))}
    assert {c["id"] for c in comments} <= exported_ids


def _descendants(root: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, set()).add(int(entry.name))
    found: set[int] = set()
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), set()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_every_process_and_frees_every_port(
    tmp_path: Path, e2e_database: str, signum: signal.Signals
) -> None:
    # Given a second stack, fully up, that loaded demo comments
    running = start_stack(tmp_path, e2e_database, demo=300)
    try:
        assert wait_until(lambda: "demo: 300 comments ingested" in running.output(), timeout=60)
        assert "300 classified and stored" in running.output()
        children = _descendants(running.process.pid)
        assert len(children) >= 5, children  # emulators, functions and their workers, gateway

        # When it receives the signal (Ctrl-C is SIGINT, a service manager sends SIGTERM)
        code = running.stop(signum)
    finally:
        if running.process.poll() is None:
            running.stop(signal.SIGINT)

    # Then it exits cleanly, no process it started is left, and every port is free again
    assert code == 0, running.output()[-3000:]
    assert wait_until(lambda: not any(process_running(pid) for pid in children), timeout=10)
    assert wait_until(lambda: all(_port_free(p) for p in running.ports.values()), timeout=10)
    assert "stopped" in running.output()


def test_digests_are_served_through_the_gateway(stack: RunningStack, api: Api) -> None:
    # Given the stack's database with one stored digest
    from shared.bootstrap import App
    from shared.config import Settings
    from shared.digest.service import build_digest
    from shared.timezone import IsoWeek

    app = App(settings=Settings(database_url=stack.database_url))
    try:
        build_digest(app, IsoWeek.parse("2026-W40"))
    finally:
        app.close()
    # When an admin lists and reads the digests through the one base URL
    listing = api("GET", "/api/digests")
    detail = api("GET", "/api/digests/2026-W40")
    # Then the digest function answers behind the gateway
    assert listing.status_code == 200, listing.text
    assert "2026-W40" in [d["semana"] for d in listing.json()["digests"]]
    assert detail.status_code == 200
    assert detail.json()["texto"].startswith("Olá")
    assert api("GET", "/api/digests/2026-W99").status_code == 400
