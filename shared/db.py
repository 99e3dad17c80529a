"""PostgreSQL access: the engine every function shares, and migrations applied from code.

The engine speaks psycopg 3 (its binary wheel carries libpq: rows are decoded in C, TLS is libpq's,
and no system library is needed in a container). Migrations
are Alembic scripts shipped inside the package, so a container or a test can bring any database
to the current schema with `upgrade(url)`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from shared.config import Settings
from shared.errors import TransientFailure

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"

# A socket that hangs (a PostgreSQL behind a dropped connection) must not hold a request forever:
# connecting gives up after CONNECT_TIMEOUT_SECONDS, and a connection whose peer stopped answering
# (keepalives unanswered, or sent data unacknowledged for SOCKET_TIMEOUT_SECONDS) is dropped.
CONNECT_TIMEOUT_SECONDS = 10
SOCKET_TIMEOUT_SECONDS = 60
CONNECT_ARGS: Final[dict[str, int]] = {
    "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    "keepalives": 1,
    "keepalives_idle": 20,
    "keepalives_interval": 5,
    "keepalives_count": 4,
    "tcp_user_timeout": SOCKET_TIMEOUT_SECONDS * 1000,
}


def create_db_engine(settings: Settings) -> Engine:
    """The pooled engine of one process (one warm serverless instance)."""
    return sa.create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        # Connections die when the instance idles; recycle them before a proxy closes them.
        pool_recycle=1800,
        connect_args=CONNECT_ARGS,
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
        connect_args=CONNECT_ARGS,
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
    if original is None:
        return str(error)
    # libpq's messages end with a newline and may run over several lines; the first one says it.
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


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
    return sqlstate(error).startswith(_UNAVAILABLE_SQLSTATE_PREFIXES)


QUERY_CANCELED: Final = "57014"  # statement_timeout fired, or a cancel request


def sqlstate(error: BaseException) -> str:
    """The SQLSTATE the server sent with `error` ("" when it sent none, or it is not a DB error)."""
    original = error.orig if isinstance(error, DBAPIError) else None
    code = getattr(original, "sqlstate", None)
    return code if isinstance(code, str) else ""
