"""`alumusic comments conflicts`: ids that came again through ingest with another text.

The first text stays stored; each later one is recorded (both texts' sha256, where it came from,
when) so a client that reuses ids is found, not silently dropped.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from shared.bootstrap import App
from shared.comments.store import list_id_conflicts
from shared.config import load_settings
from shared.errors import InvalidInput

MAX_LIMIT = 10_000


def _conflicts(args: argparse.Namespace) -> int:
    limit = int(args.limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"--limit must be between 1 and {MAX_LIMIT}")
    with App(settings=load_settings(("database",))) as app:
        items, total = list_id_conflicts(app.engine, limit=limit)
    if args.json:
        print(json.dumps({"items": items, "total": total}, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("no id conflicts recorded")
        return 0
    width = max(len("comment_id"), *(len(item["comment_id"]) for item in items))
    print(f"{'detected_at':<25}  {'comment_id':<{width}}  stored   incoming  source  where")
    for item in items:
        where = item["request_id"] or "-"
        if item["message_id"]:
            where += f" (message {item['message_id']})"
        print(
            f"{item['detected_at']:<25}  {item['comment_id']:<{width}}  "
            f"{item['stored_text_sha256'][:7]}  {item['incoming_text_sha256'][:7]}   "
            f"{item['source']:<6}  {where}"
        )
    print(f"{len(items)} shown of {total} recorded (newest first)")
    return 0


def register(subparsers: Any) -> None:
    comments = subparsers.add_parser("comments", help="inspect stored comments")
    actions = comments.add_subparsers(dest="comments_action", required=True, metavar="ACTION")

    conflicts = actions.add_parser(
        "conflicts", help="ids ingested again with another text (the first text was kept)"
    )
    conflicts.add_argument(
        "--limit", type=int, default=50, help="how many to show, newest first (default 50)"
    )
    conflicts.add_argument("--json", action="store_true", help="print JSON instead of a table")
    conflicts.set_defaults(handler=_conflicts)
