"""Every operation of the OpenAPI document has its responses checked, and the check can fail.

The integration and end-to-end tests check responses with `assert_conforms(response,
"<METHOD> <path>")`; the operation named literally is what lets this module count them.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.wrappers import Response

from tests.support.openapi_schema import assert_conforms
from tooling.devstack.openapi import load_operations

TESTS = Path(__file__).resolve().parents[1]
EXERCISING_FOLDERS = ("integration", "e2e")

DIGEST_SUMMARY = {
    "semana": "2026-W47",
    "inicio": "2026-11-16",
    "fim": "2026-11-22",
    "total": 120,
    "writer": "template",
    "created_at": "2026-11-23T09:00:00+00:00",
}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers)


def _calls_assert_conforms(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name == "assert_conforms"


def _checked_operations() -> set[str]:
    """The operations named in `assert_conforms(...)` calls of the tests that call the functions."""
    named: set[str] = set()
    for folder in EXERCISING_FOLDERS:
        for module in (TESTS / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if not _calls_assert_conforms(node):
                    continue
                assert isinstance(node, ast.Call)
                arguments = [*node.args[1:2], *(keyword.value for keyword in node.keywords)]
                named.update(
                    argument.value
                    for argument in arguments
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                )
    return named


def test_every_operation_of_the_document_has_its_responses_checked() -> None:
    # Given the operations of the document
    documented = {f"{operation.method} {operation.path}" for operation in load_operations()}
    # When the tests' conformance checks are read
    checked = _checked_operations()
    # Then each operation is checked somewhere, and every check names a documented one
    assert sorted(documented - checked) == [], "operations no test checks against the document"
    assert sorted(checked - documented) == [], "checks naming an operation the document lacks"


def test_a_documented_response_conforms() -> None:
    assert_conforms(_json({"digests": [DIGEST_SUMMARY]}), "GET /api/digests")
    assert_conforms(
        _json({"error": {"code": "unauthorized", "message": "no token"}}, 401),
        "GET /api/digests",
    )


def test_an_operation_the_document_lacks_fails() -> None:
    with pytest.raises(AssertionError, match="no operation"):
        assert_conforms(_json({"digests": []}), "DELETE /api/digests")


def test_a_status_the_operation_does_not_declare_fails() -> None:
    not_found = _json({"error": {"code": "not_found", "message": "no"}}, 404)
    with pytest.raises(AssertionError, match="answered 404"):
        assert_conforms(not_found, "GET /api/digests")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"digests": "none"}, "digests"),
        ({"digests": [{**DIGEST_SUMMARY, "writer": "human"}]}, "digests/0/writer"),
        ({"digests": [{**DIGEST_SUMMARY, "created_at": "2026-11-23"}]}, "digests/0/created_at"),
        ({"digests": [{**DIGEST_SUMMARY, "created_at": "2026-11-23T09:00"}]}, "created_at"),
        ({"digests": [{**DIGEST_SUMMARY, "inicio": "16/11/2026"}]}, "digests/0/inicio"),
    ],
    ids=["wrong type", "outside the enum", "date for date-time", "no offset", "not a date"],
)
def test_a_body_breaking_the_schema_fails(body: dict[str, Any], where: str) -> None:
    with pytest.raises(AssertionError, match=where):
        assert_conforms(_json(body), "GET /api/digests")


def test_an_error_body_outside_the_error_shape_fails() -> None:
    with pytest.raises(AssertionError, match="code"):
        assert_conforms(_json({"error": {"code": "nope", "message": "x"}}, 400), "GET /api/digests")


def test_a_media_type_the_operation_does_not_produce_fails() -> None:
    with pytest.raises(AssertionError, match="text/plain"):
        assert_conforms(Response("[]", mimetype="text/plain"), "GET /api/comentarios")


def test_a_declared_header_of_another_type_fails() -> None:
    page = _json([], headers={"X-Total-Count": "many"})
    with pytest.raises(AssertionError, match="X-Total-Count"):
        assert_conforms(page, "GET /api/comentarios")
