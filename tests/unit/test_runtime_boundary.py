"""Runtime and tooling stay apart: what a function image carries is what functions run.

A function image installs the runtime dependencies of pyproject.toml and the `shared` package only
(functions/Dockerfile). These tests fail when runtime code reaches for the tooling or for a package
that is not a runtime dependency, before any image is built.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

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
    result = subprocess.run(
        [sys.executable, "-c", script, *sources],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "development", "PYTHONPATH": str(ROOT)},
    )
    # Then it loads, and the CLI offers the runtime commands only
    assert result.returncode == 0, result.stderr[-2000:]
