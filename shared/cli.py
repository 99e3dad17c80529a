"""`alumusic`: the product's command line. Each area registers its own subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from shared.errors import DomainError

# One entry per module in shared/commands that defines `register(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = (
    "shared.commands.users",
    "shared.commands.db",
    "shared.commands.classifier",
    "shared.commands.bench",
    "shared.commands.charts",
    "shared.commands.dev",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alumusic", description="AluMusic Feedback command line")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except DomainError as error:
        print(f"alumusic: error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
