"""Hostile input classes sent to every operation of the OpenAPI document.

Schemathesis generates values from the schemas; it does not send what an attacker sends on
purpose. Each class here is one such body or value, sent through the gateway to every operation
it applies to:

- bodies (operations that take one): a body just over 16 MiB, 16,000 nested `[`, a 5,000-digit
  number (bare, and as every string field of the operation's body), NUL (escaped and raw),
  a lone surrogate (escaped, and raw bytes that are no UTF-8), U+2028 / U+0085 inside a text,
  and text that closes a quote;
- values (every query and path parameter of every operation, and an undocumented query
  parameter where none is declared): a 5,000-digit number, NUL, a lone surrogate's bytes, text
  that closes a quote;
- NDJSON (the operations that accept it): items whose texts hold U+2028 and U+0085 are items,
  not line breaks.

An answer passes when its status is one the operation documents and is never a 5xx; a probe of a
class that must be refused (`refused`) also needs a 4xx; the NDJSON probe needs every item
accepted. Every number a probe reports is counted here, from the answers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote

import requests

# The largest body any route takes is MAX_BODY_BYTES (16 MiB by default): one byte past it is
# over every route's limit, the batch routes' included.
HUGE_BODY_BYTES: Final = 16 * 1024 * 1024 + 1
LONG_DIGITS: Final = "9" * 5000
DEEP_NESTING: Final = b"[" * 16_000
QUOTE_CLOSER: Final = "x\"}]'); DROP TABLE comments; -- </script><!--"
LINE_SEPARATORS: Final = "trava\u2028sempre\u0085no refrão"
# Raw bytes of the surrogate U+D800 as UTF-8 would write it: no valid UTF-8 holds them.
SURROGATE_BYTES: Final = b"\xed\xa0\x80"
PARAMETER_VALUES: Final[dict[str, tuple[str, bool]]] = {
    # class -> (percent-encoded value, refused)
    "5000-digit number": (LONG_DIGITS, True),
    "NUL": ("a%00b", True),
    "lone surrogate": ("a" + quote(SURROGATE_BYTES) + "b", False),
    "text that closes a quote": (quote(QUOTE_CLOSER, safe=""), False),
}
UNDOCUMENTED_PARAMETER: Final = "hostil"
# A field every body schema's strings are tried with, when the schema names none.
FALLBACK_FIELDS: Final = ("id", "texto")


@dataclass(frozen=True)
class Probe:
    """One hostile request to one operation, and what its answer must be."""

    operation: str  # "METHOD /path/template"
    hostile_class: str
    method: str
    path: str  # filled and percent-encoded, with its query string
    documented: frozenset[int]
    refused: bool
    body: bytes | None = None
    content_type: str | None = None
    accepted_items: int | None = None  # NDJSON: how many items the answer must accept

    def judge(self, status: int, payload: Any) -> str | None:
        """Why this answer fails the probe (None: it passes)."""
        if status >= 500:
            return f"{status}: a server error"
        if status not in self.documented:
            return f"{status} is not documented for {self.operation}"
        if self.refused and not 400 <= status < 500:
            return f"{status}: hostile input was not refused"
        if self.accepted_items is not None:
            accepted = payload.get("accepted") if isinstance(payload, dict) else None
            if status != 202 or accepted != self.accepted_items:
                return f"{status}: {accepted} of {self.accepted_items} NDJSON items accepted"
        return None


@dataclass
class HostileFinding:
    probe: Probe
    status: int | None
    reason: str
    seconds: float

    def describe(self) -> str:
        return f"{self.probe.operation} ({self.probe.hostile_class}): {self.reason}"


@dataclass
class HostileResult:
    """Every probe's outcome: counts per class and the findings."""

    name: str = "hostile"
    probes: int = 0
    operations: set[str] = field(default_factory=set)
    by_class: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    findings_list: list[HostileFinding] = field(default_factory=list)
    slowest_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def findings(self) -> int:
        return len(self.findings_list)

    @property
    def ok(self) -> bool:
        return self.probes > 0 and not self.findings_list

    def summary(self) -> dict[str, Any]:
        return {
            "probes": self.probes,
            "operations": len(self.operations),
            # Per class, wherever it was put (a body, each query or path parameter).
            "by_class": dict(sorted(_by_root(self.by_class).items())),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "findings": self.findings,
            "failures": [f.describe() for f in self.findings_list],
            "slowest_seconds": round(self.slowest_seconds, 2),
            "seconds": round(self.seconds, 1),
        }


def _by_root(counts: dict[str, int]) -> dict[str, int]:
    rooted: dict[str, int] = {}
    for name, count in counts.items():
        root = name.split(" in ")[0]
        rooted[root] = rooted.get(root, 0) + count
    return rooted


# --- building the probes from the document -----------------------------------------------------


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """`node` with a local `$ref` (`#/parameters/q`) followed."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _string_fields(document: dict[str, Any], schema: Any) -> list[str]:
    """The string properties of a body schema (its first object branch)."""
    schema = _resolve(document, schema)
    if not isinstance(schema, dict):
        return []
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        named = _string_fields(document, branch)
        if named:
            return named
    properties = schema.get("properties") or {}
    return [
        name
        for name, spec in properties.items()
        if _resolve(document, spec).get("type") in ("string", None)
    ]


def _filled_path(template: str, values: dict[str, str]) -> str:
    """The path with each `{name}` / `{name=**}` replaced by its (already encoded) value."""
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def _benign_value(parameter: dict[str, Any]) -> str:
    return {"semana": "2026-W47", "id": "hostil-1"}.get(str(parameter.get("name")), "x")


def _json_body(fields: list[str], value: Any) -> bytes:
    return json.dumps(dict.fromkeys(fields, value), ensure_ascii=True).encode()


def body_probes_for(
    document: dict[str, Any], operation: dict[str, Any]
) -> Iterator[tuple[str, bytes, str, bool, int | None]]:
    """(class, body, content type, refused, NDJSON items) for an operation that takes a body."""
    parameters = [_resolve(document, p) for p in operation.get("parameters", [])]
    body = next((p for p in parameters if p.get("in") == "body"), None)
    if body is None:
        return
    fields = _string_fields(document, body.get("schema")) or list(FALLBACK_FIELDS)
    json_type = "application/json"
    huge = b"[" + b"{}," * ((HUGE_BODY_BYTES - 2) // 3) + b"{}]"
    yield "body over 16 MiB", huge, json_type, True, None
    yield "16,000 nested [", DEEP_NESTING, json_type, True, None
    yield "5000-digit number", LONG_DIGITS.encode(), json_type, True, None
    # Written by hand: Python refuses to turn an int of over 4,300 digits into text.
    numbers = _json_body(fields, "N").replace(b'"N"', LONG_DIGITS.encode())
    yield "5000-digit number in every field", numbers, json_type, True, None
    yield "NUL escaped", _json_body(fields, "a\u0000b"), json_type, True, None
    raw_nul = _json_body(fields, "aXb").replace(b"aXb", b"a\x00b")
    yield "NUL raw", raw_nul, json_type, True, None
    yield "lone surrogate escaped", _json_body(fields, "a\ud800b"), json_type, True, None
    raw_surrogate = _json_body(fields, "aXb").replace(b"aXb", b"a" + SURROGATE_BYTES + b"b")
    yield "lone surrogate raw", raw_surrogate, json_type, True, None
    separators = json.dumps(dict.fromkeys(fields, LINE_SEPARATORS), ensure_ascii=False).encode()
    yield "U+2028 and U+0085 in text", separators, json_type, False, None
    yield "text that closes a quote", _json_body(fields, QUOTE_CLOSER), json_type, False, None
    if "application/x-ndjson" in (operation.get("consumes") or []):
        lines = [
            json.dumps({"id": f"hostil-sep-{n}", "texto": LINE_SEPARATORS}, ensure_ascii=False)
            for n in range(3)
        ]
        ndjson = ("\n".join(lines) + "\n").encode()
        yield "U+2028 and U+0085 in NDJSON", ndjson, "application/x-ndjson", False, len(lines)


def hostile_probes(document: dict[str, Any]) -> list[Probe]:
    """Every hostile class for every operation of the rendered document it applies to."""
    probes: list[Probe] = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            label = f"{method.upper()} {template}"
            documented = frozenset(int(s) for s in operation.get("responses", {}) if s.isdigit())
            parameters = [_resolve(document, p) for p in operation.get("parameters", [])]
            in_path = [p for p in parameters if p.get("in") == "path"]
            in_query = [p for p in parameters if p.get("in") == "query"]
            benign = {str(p["name"]).split("=")[0]: _benign_value(p) for p in in_path}
            benign_path = _filled_path(_template_names(template), benign)

            def probe(
                hostile_class: str,
                path: str,
                refused: bool,
                body: bytes | None = None,
                content_type: str | None = None,
                accepted_items: int | None = None,
                *,
                label: str = label,
                method: str = method.upper(),
                documented: frozenset[int] = documented,
            ) -> Probe:
                return Probe(
                    label,
                    hostile_class,
                    method,
                    path,
                    documented,
                    refused,
                    body,
                    content_type,
                    accepted_items,
                )

            for name, body, content_type, refused, items in body_probes_for(document, operation):
                probes.append(
                    probe(
                        name,
                        benign_path,
                        refused,
                        body=body,
                        content_type=content_type,
                        accepted_items=items,
                    )
                )
            for hostile_class, (value, refused) in PARAMETER_VALUES.items():
                for parameter in in_path:
                    name = str(parameter["name"]).split("=")[0]
                    path = _filled_path(_template_names(template), {**benign, name: value})
                    # A path segment is a lookup key: a missing one is a 404, not a refusal.
                    probes.append(probe(f"{hostile_class} in path {name}", path, False))
                for parameter in in_query:
                    name = str(parameter["name"])
                    query = f"{name}={value}"
                    probes.append(
                        probe(f"{hostile_class} in query {name}", f"{benign_path}?{query}", refused)
                    )
                if not in_query:
                    query = f"{UNDOCUMENTED_PARAMETER}={value}"
                    # Refused where a route rejects unknown parameters; the dashboard's files
                    # ignore queries. Never a 5xx, never an undocumented status.
                    probes.append(
                        probe(
                            f"{hostile_class} in an undocumented query",
                            f"{benign_path}?{query}",
                            False,
                        )
                    )
    return probes


def _template_names(template: str) -> str:
    """`{asset=**}` written as `{asset}`, so one replacement fills it."""
    return template.replace("=**}", "}")


# --- sending them ------------------------------------------------------------------------------


def run_hostile(
    gateway_url: str,
    document: dict[str, Any],
    *,
    token: str,
    timeout: float = 120.0,
    on_probe: Callable[[Probe, HostileFinding | None], None] | None = None,
) -> HostileResult:
    """Every probe through the gateway as the admin (so requests reach the handlers)."""
    result = HostileResult()
    started = time.perf_counter()
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for probe in hostile_probes(document):
            headers = {"Content-Type": probe.content_type} if probe.content_type else {}
            sent = time.perf_counter()
            finding: HostileFinding | None
            try:
                response = session.request(
                    probe.method,
                    gateway_url + probe.path,
                    data=probe.body,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                )
                elapsed = time.perf_counter() - sent
                try:
                    payload: Any = response.json()
                except ValueError:
                    payload = None
                reason = probe.judge(response.status_code, payload)
                status: int | None = response.status_code
            except requests.RequestException as error:
                elapsed = time.perf_counter() - sent
                reason, status = f"no answer: {type(error).__name__}", None
            finding = HostileFinding(probe, status, reason, elapsed) if reason else None
            result.probes += 1
            result.operations.add(probe.operation)
            result.by_class[probe.hostile_class] = result.by_class.get(probe.hostile_class, 0) + 1
            if status is not None:
                result.statuses[status] = result.statuses.get(status, 0) + 1
            result.slowest_seconds = max(result.slowest_seconds, elapsed)
            if finding is not None:
                result.findings_list.append(finding)
            if on_probe is not None:
                on_probe(probe, finding)
    result.seconds = time.perf_counter() - started
    return result
