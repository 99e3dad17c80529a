"""Command-line modules that need the tooling extras.

`COMMANDS`: each tooling command of `alumusic` and the modules whose `register(subparsers)` define
it, in order; the command line imports a command's modules only when that command runs.
"""

from __future__ import annotations

from collections.abc import Mapping

COMMANDS: Mapping[str, tuple[str, ...]] = {
    "train": ("tooling.commands.classifier",),
    # After the classifier's module: it adds the `insights` target to its `eval` command.
    "eval": (
        "tooling.commands.classifier",
        "tooling.commands.insights",
        "tooling.commands.themes_eval",
    ),
    "classify": ("tooling.commands.classifier",),
    "bench": ("tooling.commands.bench",),
    "charts": ("tooling.commands.charts",),
    "dev": ("tooling.commands.dev",),
    "schedule": ("tooling.commands.schedule",),
    "fuzz": ("tooling.commands.fuzz",),
    "keys": ("tooling.commands.keys",),
}
