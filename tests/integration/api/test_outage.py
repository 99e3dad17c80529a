"""PostgreSQL unreachable: clear 503 JSON (retry later), never a stack trace."""

from __future__ import annotations

import pytest

from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration

DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/alumusic"


def test_health_reports_the_database_down(client, app_with):
    app_with(database_url=DOWN)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("GET", "/api/comentarios", "GET /api/comentarios"),
        ("GET", "/api/comentarios/export", "GET /api/comentarios/export"),
        ("GET", "/api/comentarios/a", "GET /api/comentarios/{id}"),
    ],
)
def test_reads_answer_503_with_retry_after(client, app_with, token_for, method, path, operation):
    app_with(database_url=DOWN)
    response = client.open(path, method=method, headers={"Authorization": f"Bearer {token_for()}"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert_conforms(response, operation)
    assert response.get_json() == {
        "error": {"code": "unavailable", "message": "database unavailable; retry"}
    }


def test_login_answers_503_not_401(client, app_with):
    app_with(database_url=DOWN)
    response = client.post("/api/auth/login", json={"username": "ana", "password": "x" * 12})
    assert response.status_code == 503
    assert_conforms(response, "POST /api/auth/login")
