"""Alembic environment: online migrations only, one at a time per database."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from shared.models import metadata

# Any stable number: every process that migrates this database takes the same lock, so `make dev`
# and a test run starting together do not both try to create the same tables.
MIGRATION_LOCK_KEY = 7_201_450_391


def _database_url() -> str:
    url = context.config.attributes.get("database_url")
    if url:
        return str(url)
    from shared.config import get_settings

    return get_settings().database_url


def run_migrations_online() -> None:
    engine = sa.create_engine(_database_url(), poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(
                sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            connection.commit()
            try:
                context.configure(
                    connection=connection,
                    target_metadata=metadata,
                    transaction_per_migration=True,
                )
                with context.begin_transaction():
                    context.run_migrations()
            finally:
                connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
