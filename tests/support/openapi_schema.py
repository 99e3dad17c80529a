"""Responses checked against the OpenAPI document API Gateway serves (its Swagger 2.0 operations).

`assert_conforms(response, "GET /api/digests/{semana}")` fails unless the document declares the
response's status for that operation, the response's media type is one the operation produces,
the declared headers it carries hold values of their type, and its body matches the schema
declared for the status. A test client's response also names its request, which must be one the
operation serves. tests/unit/test_openapi_checks.py reads the operations these calls name (so
they are written literally) and fails while an operation of the document has no such check.

Swagger 2.0 has no `null` type; the document marks nullable fields with `x-nullable: true`, which
becomes `[type, "null"]` here so a plain JSON Schema validator reads them as the gateway does.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import jsonschema
from werkzeug.wrappers import Response

from tooling.devstack.openapi import load_operations
from tooling.fuzzing.runner import render_openapi

# The date-time format is RFC 3339: a date, a time and an offset. jsonschema checks it only
# with an optional package installed, so the check is stated here.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if isinstance(value, str):
        return "T" in value.upper() and datetime.fromisoformat(value).tzinfo is not None
    return True


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _nullable(value) for key, value in node.items()}
    if converted.get("x-nullable") is True and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    return converted


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = _nullable(render_openapi())
    return document


@cache
def _path_template(path: str) -> str | None:
    """The document's path that serves `path`, the most specific first as the gateway picks."""
    templates = sorted(load_operations(), key=lambda operation: operation.specificity)
    return next((o.path for o in templates if o.pattern.match(path)), None)


def _errors(value: Any, schema: dict[str, Any]) -> list[str]:
    """The validator's complaints about `value`, each with where in the value it is."""
    rooted = {**schema, "definitions": _document()["definitions"]}
    validator = jsonschema.Draft4Validator(rooted, format_checker=FORMATS)
    return sorted(
        f"{'/'.join(str(step) for step in error.absolute_path) or '(body)'}: {error.message}"
        for error in validator.iter_errors(value)
    )


def _header_value(raw: str, declared: dict[str, Any]) -> Any:
    """A header's text as the type it is declared with (an integer header must read as one)."""
    if declared.get("type") == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def assert_conforms(response: Response, operation: str) -> None:
    """Fails, saying why, when `response` is not one the document declares for `operation`."""
    document = _document()
    method, _, path = operation.partition(" ")
    declared = document["paths"].get(path, {}).get(method.lower())
    assert declared is not None, f"the document has no operation {operation!r}"
    request = getattr(response, "request", None)
    if request is not None:
        served_by = _path_template(request.path)
        assert (request.method, served_by) == (method, path), (
            f"{request.method} {request.path} is {request.method} {served_by}, not {operation}"
        )
    status = str(response.status_code)
    answers = declared["responses"]
    assert status in answers, (
        f"{operation} answered {status}; the document declares {sorted(answers)}"
    )
    answer = answers[status]
    if "$ref" in answer:
        answer = document["responses"][answer["$ref"].removeprefix("#/responses/")]

    produces = declared.get("produces", document["produces"])
    if response.status_code == 204:
        # No content, so no media type to hold to what the operation produces.
        assert not response.get_data(), f"{operation} 204 has a body"
    else:
        assert response.mimetype in produces, (
            f"{operation} {status} is {response.mimetype!r}; the operation produces {produces}"
        )
    problems = [
        f"header {name}: {problem}"
        for name, header in answer.get("headers", {}).items()
        if name in response.headers
        for problem in _errors(
            _header_value(response.headers[name], header),
            {key: value for key, value in header.items() if key != "description"},
        )
    ]
    if "schema" in answer:
        body = response.get_json() if response.is_json else response.get_data(as_text=True)
        problems += _errors(body, answer["schema"])
    assert not problems, f"{operation} {status} breaks the document: " + "; ".join(problems)
