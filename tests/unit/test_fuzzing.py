"""What `alumusic fuzz` hands schemathesis: the rendered document and the documented leniencies."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from tooling.devstack.openapi import load_operations
from tooling.devstack.stack import repo_root
from tooling.fuzzing.hooks import accepted_by_documented_leniency
from tooling.fuzzing.hostile import Probe, hostile_probes
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


# --- the hostile pass ---


def test_every_operation_gets_the_hostile_classes_that_apply_to_it() -> None:
    # Given the rendered document's operations
    document = render_openapi()
    documented = {f"{o.method} {o.path}" for o in load_operations()}
    # When the hostile probes are built from it
    probes = hostile_probes(document)
    by_operation: dict[str, set[str]] = {}
    for probe in probes:
        by_operation.setdefault(probe.operation, set()).add(probe.hostile_class)
    # Then every operation is probed
    assert set(by_operation) == documented
    # And every operation taking a body gets each hostile body, refused
    body_classes = {
        "body over 16 MiB",
        "16,000 nested [",
        "5000-digit number",
        "NUL raw",
        "lone surrogate raw",
        "U+2028 and U+0085 in text",
        "text that closes a quote",
    }
    for label in (
        "POST /api/auth/login",
        "PATCH /api/comentarios/{id}",
        "POST /api/insights/perguntar",
    ):
        assert body_classes <= by_operation[label], label
    huge = next(p for p in probes if p.hostile_class == "body over 16 MiB")
    assert huge.body is not None
    assert len(huge.body) > 16 * 1024 * 1024
    assert huge.refused
    # And each query parameter gets the long number, NUL and a quote closer
    listing = by_operation["GET /api/comentarios"]
    assert {"5000-digit number in query limit", "NUL in query q"} <= listing
    assert "text that closes a quote in query q" in listing
    # And only the NDJSON operation gets the line-separator items
    ndjson = [p for p in probes if p.content_type == "application/x-ndjson"]
    assert {p.operation for p in ndjson} == {"POST /api/comentarios/ingest"}
    assert ndjson[0].body is not None
    assert "\u2028".encode() in ndjson[0].body


def _probe(**overrides: Any) -> Probe:
    values: dict[str, Any] = {
        "operation": "POST /x",
        "hostile_class": "c",
        "method": "POST",
        "path": "/x",
        "documented": frozenset({200, 400, 413, 500}),
        "refused": True,
    }
    return Probe(**{**values, **overrides})


def test_a_hostile_answer_passes_only_as_a_documented_refusal() -> None:
    refused = _probe()
    assert refused.judge(400, None) is None
    assert refused.judge(413, None) is None
    # A documented 500 is still a server error; an undocumented 4xx is still a finding
    assert "server error" in str(refused.judge(500, None))
    assert "not documented" in str(refused.judge(422, None))
    # Input that must be refused and was accepted
    assert "not refused" in str(refused.judge(200, None))
    # Input that may be accepted (a quote closer in a text) passes with any documented non-5xx
    assert _probe(refused=False).judge(200, None) is None


def test_ndjson_items_with_line_separators_must_all_be_accepted() -> None:
    probe = _probe(refused=False, documented=frozenset({202, 400}), accepted_items=3)
    assert probe.judge(202, {"accepted": 3, "ids": ["a", "b", "c"]}) is None
    # Split at U+2028 (more items) or refused: a finding
    assert probe.judge(202, {"accepted": 6}) is not None
    assert probe.judge(400, {"error": {}}) is not None


def test_the_readme_counts_the_documented_operations() -> None:
    # Given what the README says `make fuzz` covers
    readme = (repo_root() / "README.md").read_text(encoding="utf-8")
    claims = [int(n) for n in re.findall(r"over the (\d+) operations", readme)]
    # Then each such count is the number of operations in the OpenAPI document
    assert claims, "the README no longer says how many operations `make fuzz` covers"
    assert set(claims) == {len(load_operations())}
