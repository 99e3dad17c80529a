"""`alumusic db upgrade|current`: bring the database to the current schema, or show where it is."""

from __future__ import annotations

import argparse
from typing import Any

from shared.config import load_settings
from shared.db import current_revision, describe_url, head_revision, upgrade


def _database_url(args: argparse.Namespace) -> str:
    return str(args.database_url or load_settings(("database",)).database_url)


def _upgrade(args: argparse.Namespace) -> int:
    url = _database_url(args)
    upgrade(url, args.revision)
    print(f"{describe_url(url)}: at revision {current_revision(url)}")
    return 0


def _current(args: argparse.Namespace) -> int:
    url = _database_url(args)
    current = current_revision(url)
    head = head_revision()
    state = "up to date" if current == head else f"behind (head is {head})"
    print(f"{describe_url(url)}: at revision {current or 'none'}, {state}")
    return 0 if current == head else 1


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="database schema (Alembic migrations)")
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")

    up = actions.add_parser("upgrade", help="apply migrations (DATABASE_URL, or --database-url)")
    up.add_argument("revision", nargs="?", default="head", help="target revision (default head)")
    up.add_argument("--database-url", help="overrides DATABASE_URL")
    up.set_defaults(handler=_upgrade)

    current = actions.add_parser(
        "current", help="show the database's revision; exit 1 when it is behind"
    )
    current.add_argument("--database-url", help="overrides DATABASE_URL")
    current.set_defaults(handler=_current)
