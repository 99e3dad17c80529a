"""Runtime and tooling stay apart: what a function image carries is what functions run.

A function image installs the runtime dependencies of pyproject.toml and the `shared` package only
(functions/Dockerfile). These tests fail when runtime code reaches for the tooling or for a package
that is not a runtime dependency, before any image is built. The command line loads a command's
modules only when it runs, so an install without the local stack's packages (`'.[train]'`) runs
the commands it promises.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

from shared.cli import available_commands, build_parser

ROOT = Path(__file__).resolve().parents[2]
STACK = json.loads((ROOT / "infra" / "stack.json").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Distribution name -> import name, where they differ.
IMPORT_NAMES = {
    "argon2-cffi": "argon2",
    "functions-framework": "functions_framework",
    "google-cloud-pubsub": "google",
    "psycopg": "psycopg",
    "pydantic-settings": "pydantic_settings",
    "pyjwt": "jwt",
}
# Installed with the runtime dependencies above (their own dependencies).
TRANSITIVE = {"cloudevents", "flask", "google", "grpc", "botocore", "python_http_client"}


def _runtime_files() -> list[Path]:
    return sorted((ROOT / "shared").rglob("*.py")) + sorted((ROOT / "functions").rglob("*.py"))


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _runtime_import_names() -> set[str]:
    names = set(TRANSITIVE)
    for requirement in PYPROJECT["project"]["dependencies"]:
        distribution = requirement.split(">")[0].split("=")[0].split("[")[0].strip().lower()
        names.add(IMPORT_NAMES.get(distribution, distribution.replace("-", "_")))
    return names


def test_runtime_code_imports_only_the_stdlib_the_runtime_and_itself():
    # Given every module a function image carries
    allowed = _runtime_import_names() | {"shared", "functions"} | set(sys.stdlib_module_names)
    # When their imports are read
    offenders = {
        str(path.relative_to(ROOT)): sorted(_top_level_imports(path) - allowed)
        for path in _runtime_files()
    }
    # Then none needs the tooling or a package outside the runtime dependencies
    assert {path: names for path, names in offenders.items() if names} == {}


def test_training_packages_are_not_runtime_dependencies():
    runtime = " ".join(PYPROJECT["project"]["dependencies"])
    for tooling_only in ("scikit-learn", "scipy", "matplotlib", "tqdm", "moto", "honcho"):
        assert tooling_only not in runtime
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"train", "dev"} <= set(extras)


def test_every_function_serves_without_the_tooling_installed():
    # Given a Python where the tooling package cannot be imported (as in a function image)
    sources = sorted({function["source"] for function in STACK["functions"]})
    script = (
        "import importlib.util, sys\n"
        "sys.modules['tooling'] = None\n"
        "for source in sys.argv[1:]:\n"
        "    spec = importlib.util.spec_from_file_location('main', source + '/main.py')\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(module)\n"
        "from shared.cli import build_parser\n"
        "commands = build_parser()._subparsers._group_actions[0].choices\n"
        "assert 'train' not in commands and 'db' in commands, sorted(commands)\n"
    )
    # When each function's main module is loaded there
    result = _python(script, *sources)
    # Then it loads, and the CLI offers the runtime commands only
    assert result.returncode == 0, result.stderr[-2000:]


# --- the command line: a command's modules load only when it runs ---------------------------------

# Import names of what only `pip install '.[dev]'` brings (the local stack, benchmarks, fuzzing);
# `.ci/install-smoke` checks the real installs, these tests catch a regression fast.
DEV_ONLY = ("yaml", "croniter", "requests", "httpx", "honcho", "moto", "schemathesis", "playwright")
WITHOUT_DEV_PACKAGES = (
    "import sys\n"
    f"for name in {DEV_ONLY!r}:\n"
    "    sys.modules[name] = None\n"
    "from shared.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
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
        result = _python(WITHOUT_DEV_PACKAGES, *argv)
        # Then it answers
        assert result.returncode == 0, (argv, result.stderr[-2000:])
        assert "usage: alumusic " + argv[0] in result.stdout


def test_a_command_whose_packages_are_missing_says_which_install_brings_them():
    # Given the same Python, the full list still offers every command
    listing = _python(WITHOUT_DEV_PACKAGES, "--help")
    assert listing.returncode == 0, listing.stderr[-2000:]
    assert "dev       needs 'yaml'" in listing.stdout
    # When a command that needs the local stack's packages is run
    result = _python(WITHOUT_DEV_PACKAGES, "dev", "gateway", "--help")
    # Then it exits 2 naming the missing package and the install, with no traceback
    assert result.returncode == 2
    assert "'dev' needs 'yaml'" in result.stderr
    assert "'.[dev]'" in result.stderr
    assert "Traceback" not in result.stderr


def _python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`script` run by this Python from the repository, with a bare environment."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "development", "PYTHONPATH": str(ROOT)},
    )
