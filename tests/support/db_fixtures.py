"""Database fixtures: a fresh PostgreSQL database per test session, migrated, dropped after.

`pg_server` reuses the PostgreSQL on 127.0.0.1:5432 or starts a private one; `database_url` is a
new database named `alumusic_test_<random>`; `settings` and `app` point the product at it.
`clean_db` empties every table before a test; `make_user` and `token_for` give a test a caller.
Settings carry a key pair made once per session (`TEST_KEYS`): the private key as the issuer
holds it, the public one as verifiers do.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from shared import keys
from shared.auth import issue_token
from shared.bootstrap import App, set_app
from shared.config import Settings, get_settings
from shared.db import upgrade
from shared.models import metadata, users
from shared.users import User, create_user, hash_password
from tooling.devstack.postgres import PostgresServer, ensure_postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
# Strong enough for the password rules; tests that check the rules use their own.
TEST_PASSWORD = "correct horse battery staple 42"
TEST_KEYS = keys.generate()


def key_settings(key_sets: keys.KeySets = TEST_KEYS) -> dict[str, object]:
    """The settings values of the issuer's private and every verifier's public keys."""
    return {"jwt_private_keys": key_sets.private_json, "jwt_public_keys": key_sets.public_json}


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
        **key_settings(),
        "cursor_secret": secrets.token_urlsafe(36),
        # Tests re-create users between tests under the same names: no cached state between them.
        "user_status_cache_seconds": 0,
        # As deployed behind the gateway: the caller's address is the entry it appended.
        "trusted_proxy_hops": 1,
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
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[None]:
    """The CLI reads its settings from the environment as any process does: DATABASE_URL is the
    test database's, and the settings cache is cleared around the test."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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
def token_for(settings: Settings, db_engine: sa.Engine) -> Callable[..., str]:
    """An access token for `username` with `role`; the user is created (or made active with that
    role) first, since verifiers check the user's current state, not only the signature."""

    def _token(username: str = "ana", role: str = "analyst") -> str:
        ensure_user(db_engine, username, role)
        return issue_token(settings, username=username, role=role, typ="access")

    return _token


_PASSWORD_HASH: list[str] = []


def ensure_user(engine: sa.Engine, username: str, role: str) -> None:
    """`username` exists, is active and has `role` (inserted or updated)."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(TEST_PASSWORD))
    statement = (
        insert(users)
        .values(username=username, password_hash=_PASSWORD_HASH[0], role=role, active=True)
        .on_conflict_do_update(constraint="uq_users_username", set_={"role": role, "active": True})
    )
    with engine.begin() as conn:
        conn.execute(statement)
