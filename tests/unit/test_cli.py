"""The command line loads a command's modules only when that command runs.

`.ci/install-smoke` checks each documented install for real; these tests catch a tooling command
that starts reaching for the local stack's packages, in a Python where those cannot be imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shared.cli import available_commands, build_parser

ROOT = Path(__file__).resolve().parents[2]
# Import names of what only `pip install '.[dev]'` brings (the local stack, benchmarks, fuzzing).
DEV_ONLY = ("yaml", "croniter", "requests", "httpx", "honcho", "moto", "schemathesis", "playwright")


def _run_without_dev_packages(*argv: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        f"for name in {DEV_ONLY!r}:\n"
        "    sys.modules[name] = None\n"
        "from shared.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "development", "PYTHONPATH": str(ROOT)},
    )


def test_the_command_table_names_every_command_the_modules_register():
    # Given every command's modules registered
    top = next(a for a in build_parser()._actions if a.dest == "command").choices
    # Then the table the CLI loads them by names exactly those commands
    assert set(top) == set(available_commands())


def test_one_command_is_built_from_its_own_modules():
    # When the parser is built for `db` alone
    top = next(a for a in build_parser("db")._actions if a.dest == "command").choices
    # Then it holds that command and no tooling command
    assert set(top) == {"db"}


def test_train_and_eval_run_without_the_local_stacks_packages():
    # Given a Python with training packages but none of the local stack's (`'.[train]'`)
    for argv in (("train", "--help"), ("eval", "--help"), ("classify", "--help")):
        # When the command is asked for its help
        result = _run_without_dev_packages(*argv)
        # Then it answers
        assert result.returncode == 0, (argv, result.stderr[-2000:])
        assert "usage: alumusic " + argv[0] in result.stdout


def test_a_command_whose_packages_are_missing_says_which_install_brings_them():
    # Given the same Python, the full list still offers every command
    listing = _run_without_dev_packages("--help")
    assert listing.returncode == 0, listing.stderr[-2000:]
    assert "dev       needs 'yaml'" in listing.stdout
    # When a command that needs the local stack's packages is run
    result = _run_without_dev_packages("dev", "gateway", "--help")
    # Then it exits 2 naming the missing package and the install, with no traceback
    assert result.returncode == 2
    assert "'dev' needs 'yaml', which is not installed here" in result.stderr
    assert "'.[dev]'" in result.stderr
    assert "Traceback" not in result.stderr
