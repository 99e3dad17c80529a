"""The language-model transport: what the composition root builds, and what it stands apart from."""

from __future__ import annotations

import ast
from pathlib import Path

from shared.bootstrap import App
from shared.config import Settings
from shared.llm import LlmClient

TRANSPORT = Path(__file__).resolve().parents[2] / "shared" / "llm.py"


def test_no_endpoint_means_no_llm_part() -> None:
    # Given no endpoint and no key / Then the app has no model, callers take their offline path
    app = App(settings=Settings())
    assert app.llm is None
    # And None is a built part, not a missing one: asked again, it is not rebuilt
    assert "llm" in app._parts


def test_an_endpoint_gives_one_client_of_the_llm_settings() -> None:
    # Given an endpoint and a model
    app = App(settings=Settings(openai_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    # Then the app builds one client for them
    assert isinstance(app.llm, LlmClient)
    assert app.llm.model == "m"
    assert app.llm is app.llm


def test_the_transport_imports_none_of_its_callers() -> None:
    # Given the modules the transport imports
    tree = ast.parse(TRANSPORT.read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    # Then none is a caller's: the prompts and checks live with the classifier, digest, insights
    callers = ("shared.classifier", "shared.digest", "shared.insights")
    assert not {name for name in imported if name.startswith(callers)}
