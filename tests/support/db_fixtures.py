"""Database fixtures: a fresh PostgreSQL database per test session, migrated, dropped after.

`pg_server` reuses the PostgreSQL on 127.0.0.1:5432 or starts a private one; `database_url` is a
new database named `alumusic_test_<random>`; `settings` and `app` point the product at it.
`clean_db` empties every table before a test; `make_user` and `token_for` give a test a caller.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared.auth import issue_token
from shared.bootstrap import App, set_app
from shared.config import Settings
from shared.db import upgrade
from shared.models import metadata
from shared.users import User, create_user
from tooling.devstack.postgres import PostgresServer, ensure_postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
# Strong enough for the password rules; tests that check the rules use their own.
TEST_PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="session")
def pg_server() -> PostgresServer:
    return ensure_postgres(REPO_ROOT / ".dev")


@pytest.fixture(scope="session")
def database_url(pg_server: PostgresServer) -> Iterator[str]:
    name = f"alumusic_test_{secrets.token_hex(6)}"
    pg_server.create_database(name)
    url = pg_server.url(name)
    try:
        upgrade(url)
        yield url
    finally:
        pg_server.drop_database(name)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "jwt_secret": secrets.token_urlsafe(36),
        "pubsub_emulator_host": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    """The product wired to the test database, installed as the process-wide App."""
    application = App(settings=settings)
    set_app(application)
    try:
        yield application
    finally:
        set_app(None)
        application.close()


@pytest.fixture
def db_engine(settings: Settings) -> Iterator[sa.Engine]:
    """An engine of the test's own, for arranging rows and checking what changed."""
    engine = sa.create_engine(settings.database_url, poolclass=sa.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def clean_db(db_engine: sa.Engine) -> sa.Engine:
    """Every table emptied before the test; returns an engine to arrange and inspect rows."""
    tables = ", ".join(table.name for table in metadata.sorted_tables)
    with db_engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db_engine


@pytest.fixture
def make_user(clean_db: sa.Engine) -> Callable[..., User]:
    def _make(username: str = "ana", role: str = "analyst", password: str = TEST_PASSWORD) -> User:
        return create_user(clean_db, username, password, role)

    return _make


@pytest.fixture
def token_for(settings: Settings) -> Callable[..., str]:
    """An access token for `username` with `role` (the user need not exist: access tokens are
    verified by signature alone)."""

    def _token(username: str = "ana", role: str = "analyst") -> str:
        return issue_token(settings, username=username, role=role, typ="access")

    return _token
