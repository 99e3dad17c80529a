"""`alumusic user create|list|set-password|disable|enable`: the only way users come to exist.

Passwords are never taken from the command line (it would land in shell history and `ps`): they
are typed twice at a terminal prompt, or read from standard input with --password-stdin.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from shared.bootstrap import App
from shared.config import load_settings
from shared.errors import Conflict, InvalidInput
from shared.models import ROLES
from shared.users import (
    create_user,
    list_users,
    set_active,
    set_password,
    validate_password,
)


def _read_password(args: argparse.Namespace, username: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        validate_password(password, username=username)
        return password
    if not sys.stdin.isatty():
        raise InvalidInput("no terminal to ask for the password on; use --password-stdin")
    password = getpass.getpass(f"Password for {username}: ")
    validate_password(password, username=username)
    if getpass.getpass("Repeat the password: ") != password:
        raise InvalidInput("the two passwords differ")
    return password


def _create(args: argparse.Namespace) -> int:
    with App(settings=load_settings(("database",))) as app:
        password = _read_password(args, args.name)
        try:
            user = create_user(app.engine, args.name, password, args.role)
        except Conflict:
            if args.exist_ok:
                print(f"user {args.name!r} already exists; left as it is")
                return 0
            raise
        print(f"created user {user.username!r} with role {user.role}")
        return 0


def _list(args: argparse.Namespace) -> int:
    with App(settings=load_settings(("database",))) as app:
        found = list_users(app.engine)
    if not found:
        print("no users; create one with `alumusic user create NAME --role admin`")
        return 0
    width = max(len("username"), *(len(user.username) for user in found))
    print(f"{'username':<{width}}  {'role':<8}  {'active':<6}  created_at")
    for user in found:
        active = "yes" if user.active else "no"
        created = user.created_at.isoformat(timespec="seconds")
        print(f"{user.username:<{width}}  {user.role:<8}  {active:<6}  {created}")
    return 0


def _set_password(args: argparse.Namespace) -> int:
    with App(settings=load_settings(("database",))) as app:
        set_password(app.engine, args.name, _read_password(args, args.name))
    print(f"password of {args.name!r} changed; its refresh tokens no longer work")
    return 0


def _set_active(active: bool) -> Any:
    def handler(args: argparse.Namespace) -> int:
        with App(settings=load_settings(("database",))) as app:
            set_active(app.engine, args.name, active)
        print(f"user {args.name!r} {'enabled' if active else 'disabled'}")
        return 0

    return handler


def register(subparsers: Any) -> None:
    user = subparsers.add_parser("user", help="manage API users (no open registration)")
    actions = user.add_subparsers(dest="user_action", required=True, metavar="ACTION")

    create = actions.add_parser("create", help="create a user")
    create.add_argument("name", help="username (letters, digits, . _ @ -)")
    create.add_argument("--role", required=True, choices=ROLES, help="admin or analyst")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.add_argument(
        "--exist-ok", action="store_true", help="succeed, changing nothing, if the user exists"
    )
    create.set_defaults(handler=_create)

    listing = actions.add_parser("list", help="list users")
    listing.set_defaults(handler=_list)

    password = actions.add_parser("set-password", help="change a user's password")
    password.add_argument("name")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    password.set_defaults(handler=_set_password)

    disable = actions.add_parser("disable", help="stop a user from logging in or refreshing")
    disable.add_argument("name")
    disable.set_defaults(handler=_set_active(False))

    enable = actions.add_parser("enable", help="let a disabled user log in again")
    enable.add_argument("name")
    enable.set_defaults(handler=_set_active(True))
