"""The insights function under functions-framework, against the real test database.

The `weekly_digests` table is the digest function's (migration 0004); these fixtures store rows in
it the way the digest stores them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from shared.bootstrap import App, set_app
from shared.config import Settings
from tooling.evals.insights import DIGESTS_PATH

MAIN = Path(__file__).resolve().parents[3] / "functions" / "insights" / "main.py"

pytestmark = pytest.mark.integration


@pytest.fixture
def digests_table(clean_db: sa.Engine) -> sa.Engine:
    """An empty `weekly_digests` table; returns an engine to arrange and inspect rows."""
    with clean_db.begin() as conn:
        # Deliveries refer to their digest
        conn.execute(sa.text("TRUNCATE weekly_digests CASCADE"))
    return clean_db


@pytest.fixture
def eval_digest_rows() -> list[dict[str, Any]]:
    return list(json.loads(DIGESTS_PATH.read_text(encoding="utf-8")))


@pytest.fixture
def store_digests(digests_table: sa.Engine) -> Callable[[Sequence[dict[str, Any]]], None]:
    def _store(rows: Sequence[dict[str, Any]]) -> None:
        with digests_table.begin() as conn:
            for row in rows:
                conn.execute(
                    sa.text(
                        "INSERT INTO weekly_digests "
                        "(semana, inicio, fim, stats, texto, html, writer) "
                        "VALUES (:semana, :inicio, :fim, CAST(:stats AS jsonb), :texto, '', "
                        "'template')"
                    ),
                    {
                        "semana": row["semana"],
                        "inicio": row["inicio"],
                        "fim": row["fim"],
                        "stats": json.dumps(row["stats"], ensure_ascii=False),
                        "texto": row["texto"],
                    },
                )

    return _store


@pytest.fixture(scope="session")
def http_app() -> Any:
    return functions_framework.create_app("handle_http", str(MAIN), "http")


@pytest.fixture
def install_app(settings: Settings) -> Iterator[Callable[..., App]]:
    """Install an App whose settings have some values replaced (e.g. INSIGHTS_ANSWERER=llm)."""
    created: list[App] = []

    def _install(**overrides: Any) -> App:
        application = App(settings=settings.model_copy(update=overrides))
        set_app(application)
        created.append(application)
        return application

    yield _install
    set_app(None)
    for application in created:
        application.close()


@dataclass
class Caller:
    client: FlaskClient
    token: str
    headers: dict[str, str] = field(default_factory=dict)

    def ask(
        self, body: Any, *, raw: bytes | None = None, content_type: str = "application/json"
    ) -> Any:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        return self.client.post(
            "/api/insights/perguntar",
            data=data,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": content_type},
        )


@pytest.fixture
def client(http_app: Any, app: App, digests_table: sa.Engine) -> FlaskClient:
    return http_app.test_client()


@pytest.fixture
def analyst(client: FlaskClient, token_for: Callable[..., str]) -> Caller:
    return Caller(client, token_for("ana", "analyst"))
