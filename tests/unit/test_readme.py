"""The README promises settings, endpoints, commands and make targets: each must exist, and each
that exists must be in the README."""

from __future__ import annotations

import re
from pathlib import Path

from shared.cli import build_parser
from shared.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    # Given the typed settings
    names = [name.upper() for name in Settings.model_fields]
    # Then each one appears in the README's settings table
    missing = [name for name in names if f"`{name}`" not in README and f"{name}`" not in README]
    assert missing == []


def test_every_route_of_every_function_is_documented():
    # Given the route table of every HTTP function of infra/stack.json
    from tests.unit.test_routes import route_tables

    routes = [route for router in route_tables().values() for route in router.routes]
    assert len(routes) >= 9
    # Then each method and path is in the endpoint table
    for route in routes:
        assert f"`{route.method} {route.path}" in README, (route.method, route.path)


def test_every_documented_command_exists():
    # Given the commands the README names
    documented = set(re.findall(r"`alumusic (\w[\w-]*)(?: (\w[\w-]*))?", README))
    parser = build_parser()
    top = next(a for a in parser._actions if a.dest == "command").choices
    # Then each command (and sub-action where one is named) parses
    for command, action in documented:
        assert command in top, command
        sub_actions = [a for a in top[command]._actions if getattr(a, "choices", None)]
        if action and sub_actions and isinstance(sub_actions[0].choices, dict):
            assert action in sub_actions[0].choices or action.startswith("--"), (command, action)


def test_every_documented_make_target_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE))
    for target in set(re.findall(r"`make ([a-z][\w-]*)", README)):
        assert target in targets, target
    assert "make dev" in README
    assert "make test" in README
