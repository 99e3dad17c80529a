"""Responses checked against the OpenAPI document API Gateway serves (its Swagger 2.0 definitions).

Swagger 2.0 has no `null` type; the document marks nullable fields with `x-nullable: true`, which
becomes `[type, "null"]` here so a plain JSON Schema validator reads them as the gateway does.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from tooling.fuzzing.runner import render_openapi


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _nullable(value) for key, value in node.items()}
    if converted.get("x-nullable") is True and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    return converted


def assert_matches_definition(body: Any, definition: str) -> None:
    """Fails with the validator's message when `body` breaks `#/definitions/<definition>`."""
    definitions = _nullable(render_openapi()["definitions"])
    schema = {"$ref": f"#/definitions/{definition}", "definitions": definitions}
    jsonschema.Draft4Validator(schema).validate(body)
