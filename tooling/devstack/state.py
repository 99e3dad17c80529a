"""The local stack's state directory (`.dev/` by default): the secrets made for development
(secrets.json) and where a running stack listens (stack-state.json).

Kept apart from the runner, on the standard library and `shared` alone: every `alumusic` command
reads it (to reach a running stack's database), including in installs without the local stack's
packages.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from shared import keys

DEFAULT_STATE_DIR = ".dev"
SECRETS_FILE = "secrets.json"
STATE_FILE = "stack-state.json"
SCHEDULER_STATE_FILE = "scheduler-state.json"
ADMIN_USERNAME = "admin"


def state_dir_from(value: str | None) -> Path:
    return Path(value or os.environ.get("ALUMUSIC_STATE_DIR") or DEFAULT_STATE_DIR).resolve()


def read_secrets(state_dir: Path) -> dict[str, str]:
    """The development secrets kept in the state directory, or {} when none were made yet."""
    path = state_dir / SECRETS_FILE
    if not path.exists():
        return {}
    return {str(k): str(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def load_secrets(state_dir: Path) -> dict[str, str]:
    """Development secrets, made once and kept so tokens and the admin login survive restarts."""
    path = state_dir / SECRETS_FILE
    stored = read_secrets(state_dir)
    wanted = dict(stored)
    # Token keys made on first use: the private key for classify-api, the public ones for every
    # function that checks tokens (`alumusic keys rotate` replaces them, keeping the old public).
    wanted.pop("jwt_secret", None)
    if "jwt_private_keys" not in wanted or "jwt_public_keys" not in wanted:
        made = keys.generate()
        wanted["jwt_private_keys"] = made.private_json
        wanted["jwt_public_keys"] = made.public_json
    wanted.setdefault("cursor_secret", secrets.token_urlsafe(48))
    wanted.setdefault("admin_username", ADMIN_USERNAME)
    wanted.setdefault("admin_password", secrets.token_urlsafe(18))
    if wanted != stored:
        state_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return wanted


def read_state(state_dir: Path) -> dict[str, Any]:
    """What a running stack wrote about itself (URLs, ports), or {} when none ran here."""
    path = state_dir / STATE_FILE
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def use_local_stack_database(environ: MutableMapping[str, str]) -> str | None:
    """With DATABASE_URL unset and a local stack running here, that stack's database, set in
    `environ`.

    The local stack may run on a private server (README, "What it needs on a machine"), not on
    the default URL: a command typed beside `make dev` should reach the data the stack shows."""
    if environ.get("DATABASE_URL"):
        return None
    url = read_state(state_dir_from(environ.get("ALUMUSIC_STATE_DIR"))).get("database_url")
    if not url:
        return None
    environ["DATABASE_URL"] = str(url)
    return str(url)
