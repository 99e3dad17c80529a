"""The operations of the OpenAPI document (infra/terraform/openapi.yaml.tftpl), read locally.

The document is what API Gateway serves in production: a path and method it does not define is
refused there. Each operation names the function that serves it in its backend,
`x-google-backend: {address: ${backends["<function name>"]}}`, the name being the function's in
infra/stack.json. The local gateway routes by these operations too, so a request that works
locally cannot 404 behind API Gateway.

The file is a Terraform template; reading it here substitutes the template's expressions
(`${backends["name"]}` becomes a marker holding the name, any other `${...}` a placeholder)
before parsing the YAML.

Each operation also says what body it takes: none without a body parameter, else at most its
`x-max-body-bytes` (the `max_body` of the function's route), or MAX_BODY_BYTES when it names no
limit of its own. The local gateway refuses a larger body before reading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from tooling.devstack.stack import default_stack_file

OPENAPI_METHODS: Final = ("get", "post", "put", "patch", "delete")
BACKEND_MARKER: Final = "backend:"
MAX_BODY_EXTENSION: Final = "x-max-body-bytes"
_BACKEND_EXPRESSION: Final = re.compile(r'\$\{\s*backends\["([^"]+)"\]\s*\}')
_OTHER_EXPRESSION: Final = re.compile(r"(?<!\$)\$\{[^}]*\}")
_PARAMETER: Final = re.compile(r"\{[^/{}]+\}")


def default_openapi_template() -> Path:
    """Beside the stack description: infra/terraform/openapi.yaml.tftpl (also in an image that
    sets ALUMUSIC_STACK_FILE)."""
    return default_stack_file().parent / "terraform" / "openapi.yaml.tftpl"


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented operation: its method (upper case), path template and serving function,
    whether it takes a body and the largest one it names (None: MAX_BODY_BYTES)."""

    method: str
    path: str
    function: str
    takes_body: bool = True
    max_body_bytes: int | None = None

    @property
    def specificity(self) -> tuple[int, ...]:
        """Sorts templates literal-first, segment by segment (`/a/b` before `/a/{id}`)."""
        return tuple(int(bool(_PARAMETER.search(part))) for part in self.path.split("/"))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The request paths this template matches: a `{parameter}` is one non-empty segment,
        a `{parameter=**}` (API Gateway's double wildcard) any rest of the path, even empty."""
        pieces = re.split(f"({_PARAMETER.pattern})", self.path)
        regex = "".join(
            (".*" if piece.endswith("=**}") else "[^/]+") if index % 2 else re.escape(piece)
            for index, piece in enumerate(pieces)
        )
        return re.compile(regex + r"\Z")


def parse_openapi_template(text: str) -> dict[str, Any]:
    """The template as YAML, each backend address replaced by `backend:<function name>`."""
    marked = _BACKEND_EXPRESSION.sub(lambda m: BACKEND_MARKER + m.group(1), text)
    rendered = _OTHER_EXPRESSION.sub("template-value", marked).replace("$${", "${")
    document = yaml.safe_load(rendered)
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ValueError("the OpenAPI document has no paths")
    return document


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every (method, path) of the document with the function its backend names."""
    found: list[Operation] = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in OPENAPI_METHODS:
                continue
            address = str(operation.get("x-google-backend", {}).get("address", ""))
            if not address.startswith(BACKEND_MARKER):
                raise ValueError(
                    f'{method.upper()} {path}: x-google-backend.address must be ${{backends["<function>"]}}'
                )
            parameters = [_parameter(document, p) for p in operation.get("parameters", [])]
            takes_body = any(p.get("in") in ("body", "formData") for p in parameters)
            limit = operation.get(MAX_BODY_EXTENSION)
            if limit is not None and (not isinstance(limit, int) or limit < 1 or not takes_body):
                raise ValueError(
                    f"{method.upper()} {path}: {MAX_BODY_EXTENSION} must be a positive integer"
                    " on an operation with a body"
                )
            found.append(
                Operation(
                    method.upper(),
                    path,
                    address[len(BACKEND_MARKER) :],
                    takes_body=takes_body,
                    max_body_bytes=limit,
                )
            )
    return found


def _parameter(document: dict[str, Any], parameter: Any) -> dict[str, Any]:
    """A parameter of an operation, its `$ref` (`#/parameters/<name>`) resolved."""
    if not isinstance(parameter, dict):
        return {}
    reference = parameter.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/parameters/"):
        found = document.get("parameters", {}).get(reference.removeprefix("#/parameters/"))
        return found if isinstance(found, dict) else {}
    return parameter


def load_operations(path: Path | None = None) -> list[Operation]:
    """The operations of the OpenAPI template file (default: the repository's)."""
    template = path or default_openapi_template()
    return operations(parse_openapi_template(template.read_text(encoding="utf-8")))
