"""PostgreSQL access: the engine every function shares, and migrations applied from code.

The engine speaks pg8000 (pure Python, no system library to install in a container). Migrations
are Alembic scripts shipped inside the package, so a container or a test can bring any database
to the current schema with `upgrade(url)`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from shared.config import Settings
from shared.errors import TransientFailure

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"

# A socket that hangs (a PostgreSQL behind a dropped connection) must not hold a request forever.
CONNECT_TIMEOUT_SECONDS = 10
SOCKET_TIMEOUT_SECONDS = 60


def create_db_engine(settings: Settings) -> Engine:
    """The pooled engine of one process (one warm serverless instance)."""
    return sa.create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        # Connections die when the instance idles; recycle them before a proxy closes them.
        pool_recycle=1800,
        connect_args={"timeout": SOCKET_TIMEOUT_SECONDS},
    )


def describe_url(database_url: str) -> str:
    """The URL without its password, fit for logs and error messages."""
    return make_url(database_url).render_as_string(hide_password=True)


def alembic_config(database_url: str) -> Any:
    """The Alembic configuration of the shipped migrations, pointed at `database_url`."""
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an ini option: ini interpolation would mangle '%' in passwords.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply every migration up to `revision`. Raises TransientFailure when the server is unreachable."""
    from alembic import command

    check_reachable(database_url)
    command.upgrade(alembic_config(database_url), revision)
    log.info("database migrated", extra={"database": describe_url(database_url), "to": revision})


def current_revision(database_url: str) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    check_reachable(database_url)
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
    assert head is not None  # the package always ships at least one migration
    return head


def check_reachable(database_url: str) -> None:
    """Connect once; turn "cannot connect" and "no such database" into one clear error."""
    engine = sa.create_engine(
        database_url,
        poolclass=sa.NullPool,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except DBAPIError as error:
        raise TransientFailure(
            f"cannot use PostgreSQL at {describe_url(database_url)}: {_reason(error)} "
            "(is the server running and does the database exist? `make dev` creates it)"
        ) from error
    finally:
        engine.dispose()


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query (health checks)."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except DBAPIError:
        log.warning("database ping failed", exc_info=True)
        return False
    return True


def _reason(error: DBAPIError) -> str:
    original = error.orig
    if original is not None and original.args:
        first = original.args[0]
        # pg8000 reports server errors as a dict of protocol fields; 'M' is the human message.
        if isinstance(first, dict) and "M" in first:
            return str(first["M"])
        return str(first)
    return str(error)


# SQLSTATE classes of a server that is gone or going: 08 connection exception, 57P operator
# intervention (shutdown, crash recovery, "cannot connect now").
_UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "57P")


def is_unavailable(error: BaseException) -> bool:
    """True when `error` says the database cannot be reached right now (restart, failover, network),
    as opposed to a statement it refused; only the first is worth waiting for."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, OperationalError | InterfaceError):
        return True
    original = error.orig
    first = original.args[0] if original is not None and original.args else None
    code = str(first.get("C", "")) if isinstance(first, dict) else ""
    return code.startswith(_UNAVAILABLE_SQLSTATE_PREFIXES)
