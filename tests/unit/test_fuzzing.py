"""What `alumusic fuzz` hands schemathesis: the rendered document and the documented leniencies."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tooling.devstack.openapi import load_operations
from tooling.fuzzing.hooks import accepted_by_documented_leniency
from tooling.fuzzing.runner import EXACT_SCHEMA_KEY, render_openapi


def _has_key(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        return key in node or any(_has_key(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_has_key(v, key) for v in node)
    return False


def test_the_rendered_document_has_every_operation_and_the_exact_schemas_in_place() -> None:
    # Given the OpenAPI template, rendered for schemathesis
    document = render_openapi()
    # Then it holds every operation the gateway routes
    rendered = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert rendered == {(o.method, o.path) for o in load_operations()}
    # And the one-or-a-list bodies are typed by their exact schema, prose kept
    batch = document["definitions"]["CommentInputOrBatch"]
    assert [branch.get("type", "$ref") for branch in batch["anyOf"]] == ["$ref", "array"]
    assert "description" in batch
    assert not _has_key(document, EXACT_SCHEMA_KEY)


def _accepted(message: str) -> SimpleNamespace:
    return SimpleNamespace(code="ST201", message=message)


def test_blank_query_values_and_boolean_spellings_are_documented_leniencies() -> None:
    about_categoria = _accepted("Invalid component: parameter `categoria` in query")
    about_review = _accepted("Invalid component: parameter `needs_review` in query")
    # A blank value is the parameter left out; a boolean also takes sim/não/1/0
    assert accepted_by_documented_leniency(about_categoria, {"categoria": ""})
    assert accepted_by_documented_leniency(about_categoria, {"categoria": ["  "]})
    assert accepted_by_documented_leniency(about_review, {"needs_review": "SIM"})
    assert accepted_by_documented_leniency(about_review, {"needs_review": "0"})
    # Anything else accepted against the schema stays a finding
    assert not accepted_by_documented_leniency(about_categoria, {"categoria": "elogio"})
    assert not accepted_by_documented_leniency(about_review, {"needs_review": "maybe"})
    assert not accepted_by_documented_leniency(about_review, {"needs_review": ["1", "0"]})
    body = _accepted("Invalid component: in body - id: Incorrect type")
    assert not accepted_by_documented_leniency(body, {"categoria": ""})
    server_error = SimpleNamespace(code="ST101", message="parameter `categoria` in query")
    assert not accepted_by_documented_leniency(server_error, {"categoria": ""})
