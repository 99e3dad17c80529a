"""`alumusic digest run|backfill|recipients`: the weekly digest on demand, and who receives it."""

from __future__ import annotations

import argparse
from typing import Any

from shared.bootstrap import App
from shared.config import get_settings
from shared.digest import service
from shared.timezone import IsoWeek


def _run(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        week = IsoWeek.parse(args.week)
        result = service.run_week(app, week, send=not args.no_send)
        digest = result.digest
        state = "built" if result.created else "already stored"
        print(f"digest {digest.semana} {state} (writer {digest.writer})")
        if digest.fallback_reason:
            print(f"  language model not used: {digest.fallback_reason}")
        if result.delivery is not None:
            print(
                f"  sent to {len(result.delivery.sent)} recipient(s); "
                f"{result.delivery.already_sent} had it already"
            )
        if args.show:
            print()
            print(digest.texto)
        return 0


def _backfill(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        for semana, created in service.backfill(app, args.weeks):
            print(f"{semana}  {'built' if created else 'already stored'}")
        return 0


def _recipients_add(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        added = service.add_recipient(app.engine, args.email, args.name)
        print(f"{args.email.strip().lower()} {'added' if added else 'was already a recipient'}")
        return 0


def _recipients_remove(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        removed = service.remove_recipient(app.engine, args.email)
        print(f"{args.email.strip().lower()} {'removed' if removed else 'was not a recipient'}")
        return 0 if removed else 1


def _recipients_list(args: argparse.Namespace) -> int:
    with App(settings=get_settings()) as app:
        recipients = service.list_recipients(app.engine)
    if not recipients:
        print("no recipients; add one with `alumusic digest recipients add EMAIL`")
        return 0
    for recipient in recipients:
        name = f"  ({recipient['nome']})" if recipient["nome"] else ""
        print(f"{recipient['email']}{name}")
    return 0


def register(subparsers: Any) -> None:
    digest = subparsers.add_parser("digest", help="the weekly digest: build, send, recipients")
    actions = digest.add_subparsers(dest="digest_action", required=True, metavar="ACTION")

    run = actions.add_parser("run", help="build (once) and send (once per recipient) one week")
    run.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47 (must have ended)")
    run.add_argument("--no-send", action="store_true", help="build and store only")
    run.add_argument("--show", action="store_true", help="print the digest's text")
    run.set_defaults(handler=_run)

    backfill = actions.add_parser("backfill", help="build past weeks without sending")
    backfill.add_argument("--weeks", type=int, default=8, help="how many closed weeks (default 8)")
    backfill.set_defaults(handler=_backfill)

    recipients = actions.add_parser("recipients", help="who receives the digest")
    who = recipients.add_subparsers(dest="recipients_action", required=True, metavar="ACTION")
    add = who.add_parser("add", help="add a recipient")
    add.add_argument("email")
    add.add_argument("--name", default=None)
    add.set_defaults(handler=_recipients_add)
    remove = who.add_parser("remove", help="remove a recipient")
    remove.add_argument("email")
    remove.set_defaults(handler=_recipients_remove)
    listing = who.add_parser("list", help="list the recipients")
    listing.set_defaults(handler=_recipients_list)
