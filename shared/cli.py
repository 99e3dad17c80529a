"""`alumusic`: the product's command line. Each area registers its own subcommands.

Runtime commands (migrations, users, ...) live in `shared/commands` and work in a function image.
Tooling commands (train, eval, bench, the local stack) live in `tooling/commands` and are offered
only where the tooling is installed (`pip install '.[dev]'`); a function image has none of them.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

from shared.errors import DomainError

# One entry per module that defines `register(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = (
    "shared.commands.users",
    "shared.commands.db",
    "shared.commands.comments",
    "shared.commands.digest",
)
TOOLING_COMMAND_MODULES: tuple[str, ...] = (
    "tooling.commands.classifier",
    "tooling.commands.bench",
    "tooling.commands.charts",
    "tooling.commands.dev",
    "tooling.commands.schedule",
    "tooling.commands.fuzz",
    "tooling.commands.keys",
    # After the classifier's module: it adds the `insights` target to its `eval` command.
    "tooling.commands.insights",
)


# Where a command typed beside `make dev` finds that stack's database (tooling only).
LOCAL_STACK_MODULE = "tooling.devstack.runner"


def tooling_installed() -> bool:
    return importlib.util.find_spec("tooling") is not None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alumusic", description="AluMusic Feedback command line")
    if not tooling_installed():
        parser.epilog = (
            "train, eval, classify, bench and dev need the tooling: pip install '.[dev]'"
        )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = COMMAND_MODULES + (TOOLING_COMMAND_MODULES if tooling_installed() else ())
    for module_name in modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The local stack chooses its own server; benchmarks name theirs (README, "The command line").
    if (
        args.command not in ("dev", "bench")
        and tooling_installed()
        and (
            url := importlib.import_module(LOCAL_STACK_MODULE).use_local_stack_database(os.environ)
        )
    ):
        print(
            f"alumusic: DATABASE_URL is unset: using the local stack's database {url}",
            file=sys.stderr,
        )
    try:
        return int(args.handler(args) or 0)
    except DomainError as error:
        print(f"alumusic: error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
