"""`alumusic`: the product's command line. Each area registers its own subcommands.

Runtime commands (migrations, users, ...) live in `shared/commands` and work in a function image.
Tooling commands (train, eval, bench, the local stack) live in `tooling/commands` and are offered
only where the tooling is installed. Only the modules of the command being run are imported, so
`pip install '.[train]'` runs `train` and `eval` without the local stack's packages (PyYAML, ...).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Mapping, Sequence

from shared.errors import DomainError

# Each top-level command and the modules whose `register(subparsers)` define it, in order; the
# tooling's are declared in tooling/commands.
RUNTIME_COMMANDS: Mapping[str, tuple[str, ...]] = {
    "user": ("shared.commands.users",),
    "db": ("shared.commands.db",),
    "comments": ("shared.commands.comments",),
    "digest": ("shared.commands.digest",),
    "rollups": ("shared.commands.rollups",),
    "alerts": ("shared.commands.alerts",),
    "themes": ("shared.commands.themes",),
}
TOOLING_COMMANDS_MODULE = "tooling.commands"
# The product's own packages: a missing module among them is a bug, never a missing install.
OWN_PACKAGES = frozenset({"shared", "tooling", "functions"})
INSTALL_HINT = "pip install '.[train]' for train and eval, '.[dev]' for every command"

# Where a command typed beside `make dev` finds that stack's database (tooling only).
LOCAL_STACK_MODULE = "tooling.devstack.state"


def tooling_installed() -> bool:
    return importlib.util.find_spec("tooling") is not None


def available_commands() -> dict[str, tuple[str, ...]]:
    tooling = importlib.import_module(TOOLING_COMMANDS_MODULE) if tooling_installed() else None
    return {**RUNTIME_COMMANDS, **(tooling.COMMANDS if tooling else {})}


def _is_missing_dependency(error: ModuleNotFoundError) -> bool:
    return (error.name or "").split(".")[0] not in OWN_PACKAGES


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line with every command, or with `command` alone (its modules only imported).

    Listing every command, one whose modules need a missing package is still listed, with the
    install that brings it."""
    parser = argparse.ArgumentParser(prog="alumusic", description="AluMusic Feedback command line")
    if not tooling_installed():
        parser.epilog = f"train, eval, classify, bench and dev need the tooling: {INSTALL_HINT}"
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = available_commands()
    chosen = commands.get(command or "")
    modules = chosen or tuple(dict.fromkeys(m for names in commands.values() for m in names))
    for module_name in modules:
        try:
            importlib.import_module(module_name).register(subparsers)
        except ModuleNotFoundError as error:
            if chosen or not _is_missing_dependency(error):
                raise
            for name, owners in commands.items():
                if module_name in owners and name not in subparsers.choices:
                    subparsers.add_parser(name, help=f"needs {error.name!r}: {INSTALL_HINT}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # The top level takes no option but --help: the first word is the command.
    command = next((word for word in words if not word.startswith("-")), None)
    try:
        args = build_parser(command).parse_args(words)
        # The local stack chooses its own server; benchmarks name theirs (README, "The command
        # line").
        if (
            args.command not in ("dev", "bench")
            and tooling_installed()
            and (
                url := importlib.import_module(LOCAL_STACK_MODULE).use_local_stack_database(
                    os.environ
                )
            )
        ):
            print(
                f"alumusic: DATABASE_URL is unset: using the local stack's database {url}",
                file=sys.stderr,
            )
        return int(args.handler(args) or 0)
    except ModuleNotFoundError as error:
        # From the command's modules, or from what it imports once it runs (scikit-learn for
        # `train`): an install without its extra, told which one brings it.
        if not _is_missing_dependency(error):
            raise
        print(
            f"alumusic: error: {command!r} needs {error.name!r} ({INSTALL_HINT})", file=sys.stderr
        )
        return 2
    except DomainError as error:
        print(f"alumusic: error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
