"""`alumusic keys generate|rotate|show`: the token signing keys.

- `generate` prints a new key set for a deployment that is not Terraform's (docker compose): as
  JSON, or with `--env` as shell `export` lines (JWT_PRIVATE_KEYS, JWT_PUBLIC_KEYS, CURSOR_SECRET).
- `rotate` replaces the local stack's keys (the state directory's secrets.json, made on first
  `make dev`): a new pair signs from now on and the previous public key stays valid, so nobody is
  logged out; restart `make dev` for the functions to read them. With `--private-file` and
  `--public-file` it rotates key sets kept in files instead (e.g. copied from a secret store).
- `show` prints the local stack's key ids, the signing one marked.

Production keys live in Secret Manager and are rotated through Terraform (infra/README.md).
"""

from __future__ import annotations

import argparse
import json
import secrets
import shlex
from pathlib import Path
from typing import Any

from shared import keys
from shared.errors import InvalidInput


def _generate(args: argparse.Namespace) -> int:
    made = keys.generate()
    cursor = secrets.token_urlsafe(48)
    if args.env:
        for name, value in (
            ("JWT_PRIVATE_KEYS", made.private_json),
            ("JWT_PUBLIC_KEYS", made.public_json),
            ("CURSOR_SECRET", cursor),
        ):
            print(f"export {name}={shlex.quote(value)}")
    else:
        print(
            json.dumps(
                {
                    "jwt_private_keys": made.private_json,
                    "jwt_public_keys": made.public_json,
                    "cursor_secret": cursor,
                },
                indent=2,
            )
        )
    return 0


def _read_sets(private_text: str, public_text: str) -> keys.KeySets:
    try:
        return keys.key_sets_from(private_text, public_text)
    except keys.KeySetError as error:
        raise InvalidInput(f"the current keys cannot be read: {error}") from None


def _rotate_files(private_file: Path, public_file: Path) -> keys.KeySets:
    rotated = keys.rotate(
        _read_sets(
            private_file.read_text(encoding="utf-8"), public_file.read_text(encoding="utf-8")
        )
    )
    private_file.write_text(rotated.private_json + "\n", encoding="utf-8")
    public_file.write_text(rotated.public_json + "\n", encoding="utf-8")
    return rotated


def _rotate_local(state_dir: str | None) -> keys.KeySets:
    from tooling.devstack.state import SECRETS_FILE, load_secrets, state_dir_from

    directory = state_dir_from(state_dir)
    stored = load_secrets(directory)
    rotated = keys.rotate(_read_sets(stored["jwt_private_keys"], stored["jwt_public_keys"]))
    stored.update(jwt_private_keys=rotated.private_json, jwt_public_keys=rotated.public_json)
    path = directory / SECRETS_FILE
    path.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    return rotated


def _rotate(args: argparse.Namespace) -> int:
    if (args.private_file is None) != (args.public_file is None):
        raise InvalidInput("give both --private-file and --public-file, or neither")
    if args.private_file is not None:
        rotated = _rotate_files(args.private_file, args.public_file)
    else:
        rotated = _rotate_local(args.state_dir)
    previous = [kid for kid in rotated.public if kid != rotated.signing_kid]
    print(f"new tokens are signed with key {rotated.signing_kid}")
    if previous:
        print(f"tokens signed with key {previous[0]} stay valid until they expire")
    if args.private_file is None:
        print("restart `make dev` so the functions read the new keys")
    return 0


def _show(args: argparse.Namespace) -> int:
    from tooling.devstack.state import load_secrets, state_dir_from

    stored = load_secrets(state_dir_from(args.state_dir))
    current = _read_sets(stored["jwt_private_keys"], stored["jwt_public_keys"])
    for kid in current.public:
        print(f"{kid}{'  (signs new tokens)' if kid == current.signing_kid else ''}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("keys", help="token signing keys: generate, rotate, show")
    commands = parser.add_subparsers(dest="keys_command", required=True)

    generate = commands.add_parser("generate", help="print a new key set (and cursor secret)")
    generate.add_argument("--env", action="store_true", help="as shell export lines")
    generate.set_defaults(handler=_generate)

    rotate = commands.add_parser(
        "rotate", help="new signing key; the previous public key stays valid"
    )
    rotate.add_argument("--state-dir", help="the local stack's state directory (default .dev)")
    rotate.add_argument("--private-file", type=Path, help="JWT_PRIVATE_KEYS JSON file to rotate")
    rotate.add_argument("--public-file", type=Path, help="JWT_PUBLIC_KEYS JSON file to rotate")
    rotate.set_defaults(handler=_rotate)

    show = commands.add_parser("show", help="the local stack's key ids")
    show.add_argument("--state-dir", help="the local stack's state directory (default .dev)")
    show.set_defaults(handler=_show)
