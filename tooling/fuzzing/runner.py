"""Run schemathesis against the OpenAPI document through a running stack's gateway.

The document is infra/terraform/openapi.yaml.tftpl rendered as the local gateway reads it
(tooling.devstack.openapi). Where Swagger 2.0 cannot state a schema (one object or a list of
them), the document carries the exact JSON Schema beside the prose in `x-json-schema`; the
rendering used here puts it in place so generated bodies and checked responses follow it.

Two schemathesis passes, each over every operation of the document:
- `admin`: with the stack admin's access token, so requests reach the handlers;
- `anonymous`: with whatever Authorization value schemathesis generates (none valid), so every
  protected operation must answer its documented 401. Its requests stop at the token check, so
  it runs the generated phases only (the coverage phase's boundary values would all be 401s).

The checks are schemathesis's own, minus the ones that do not apply (EXCLUDED_CHECKS says why).
A finding is anything schemathesis reports as a failure or an error.

Then the hostile pass (tooling.fuzzing.hostile): the bodies and values an attacker sends on
purpose, which generation from the schemas does not reach, to every operation; a finding is an
answer that is a 5xx, undocumented, or not a refusal where one is due.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from tooling.devstack.openapi import default_openapi_template, parse_openapi_template
from tooling.devstack.stack import repo_root
from tooling.fuzzing.hostile import HostileResult, run_hostile

HOOKS_MODULE: Final = "tooling.fuzzing.hooks"
EXACT_SCHEMA_KEY: Final = "x-json-schema"
DEFAULT_MAX_EXAMPLES: Final = 25
DEFAULT_SEED: Final = 20261130
PASS_PHASES: Final = {
    "admin": ("examples", "coverage", "fuzzing", "stateful"),
    "anonymous": ("examples", "fuzzing"),
}
CHECKS: Final = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
)
EXCLUDED_CHECKS: Final = {
    "positive_data_acceptance": (
        "rules across fields (confianca_min <= confianca_max, desde before ate, a date or a "
        "date-time) cannot be written in Swagger 2.0, so schema-valid requests may rightly be 400"
    ),
    "ignored_auth": (
        "the document declares the token as a header parameter (API Gateway forwards it; the "
        "functions verify it), not as a securityDefinition; the anonymous pass checks the 401s"
    ),
    "object_level_authorization": "no per-user objects: both roles see every comment",
}


def render_openapi(template: Path | None = None) -> dict[str, Any]:
    """The document as schemathesis reads it: template expressions filled, exact schemas in."""
    path = template or default_openapi_template()
    document = parse_openapi_template(path.read_text(encoding="utf-8"))
    rendered: dict[str, Any] = _with_exact_schemas(document)
    return rendered


def _with_exact_schemas(node: Any) -> Any:
    """Every schema holding `x-json-schema` replaced by that schema (its prose kept)."""
    if isinstance(node, list):
        return [_with_exact_schemas(item) for item in node]
    if not isinstance(node, dict):
        return node
    if EXACT_SCHEMA_KEY in node:
        exact = copy.deepcopy(node[EXACT_SCHEMA_KEY])
        if "description" in node:
            exact.setdefault("description", node["description"])
        return _with_exact_schemas(exact)
    return {key: _with_exact_schemas(value) for key, value in node.items()}


@dataclass(frozen=True)
class PassResult:
    """One schemathesis run: its name, counts and findings (from its JSON report)."""

    name: str
    exit_code: int
    generated: int
    operations_tested: int
    failures: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    seconds: float
    output_path: Path

    @property
    def findings(self) -> int:
        return sum(int(f.get("count", 1)) for f in self.failures) + len(self.errors)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.findings == 0 and self.generated > 0


@dataclass
class FuzzResult:
    passes: list[PassResult] = field(default_factory=list)
    hostile: HostileResult | None = None

    @property
    def generated(self) -> int:
        return sum(p.generated for p in self.passes)

    @property
    def findings(self) -> int:
        hostile = self.hostile.findings if self.hostile is not None else 0
        return sum(p.findings for p in self.passes) + hostile

    @property
    def ok(self) -> bool:
        hostile_ok = self.hostile is None or self.hostile.ok
        return bool(self.passes) and all(p.ok for p in self.passes) and hostile_ok

    def summary(self) -> dict[str, Any]:
        return {
            "generated": self.generated,
            "findings": self.findings,
            "ok": self.ok,
            "passes": {
                p.name: {
                    "generated": p.generated,
                    "operations": p.operations_tested,
                    "findings": p.findings,
                    "failures": [
                        {k: f.get(k) for k in ("code", "title", "count", "operations")}
                        for f in p.failures
                    ],
                    "errors": p.errors,
                    "seconds": round(p.seconds, 1),
                    "output": str(p.output_path),
                }
                for p in self.passes
            },
            **({"hostile": self.hostile.summary()} if self.hostile is not None else {}),
        }

    def describe_findings(self, tail_chars: int = 20_000) -> str:
        """The failing passes' own output (what failed and a curl line to reproduce it)."""
        parts = []
        for p in self.passes:
            if not p.ok:
                text = p.output_path.read_text(encoding="utf-8", errors="replace")
                parts.append(f"--- pass {p.name} (exit {p.exit_code}) ---\n{text[-tail_chars:]}")
        if self.hostile is not None and not self.hostile.ok:
            lines = [f.describe() for f in self.hostile.findings_list] or ["no probe was sent"]
            parts.append("--- pass hostile ---\n" + "\n".join(lines))
        return "\n".join(parts)


def schemathesis_command(
    document: Path,
    gateway_url: str,
    *,
    token: str | None,
    max_examples: int,
    seed: int,
    report_path: Path,
    phases: Sequence[str] = PASS_PHASES["admin"],
    workers: int = 1,
    request_timeout: float = 60.0,
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(document),
        "--url",
        gateway_url,
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--workers",
        str(workers),
        "--phases",
        ",".join(phases),
        "--checks",
        ",".join(CHECKS),
        "--request-timeout",
        str(request_timeout),
        "--report",
        "json",
        "--report-json-path",
        str(report_path),
    ]
    if token is not None:
        command += ["--header", f"Authorization: Bearer {token}"]
    return command


def run_pass(
    name: str,
    document: Path,
    gateway_url: str,
    *,
    token: str | None,
    max_examples: int,
    seed: int,
    work_dir: Path,
    workers: int = 1,
    timeout: float | None = None,
) -> PassResult:
    """One schemathesis run in `work_dir` (its Hypothesis database and reports stay there)."""
    report_path = work_dir / f"{name}-report.json"
    output_path = work_dir / f"{name}-output.txt"
    report_path.unlink(missing_ok=True)
    command = schemathesis_command(
        document,
        gateway_url,
        token=token,
        max_examples=max_examples,
        seed=seed,
        report_path=report_path,
        phases=PASS_PHASES[name],
        workers=workers,
    )
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": HOOKS_MODULE,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(repo_root()), os.environ.get("PYTHONPATH", "")])
        ),
        "NO_COLOR": "1",
    }
    started = time.perf_counter()
    with output_path.open("wb") as output:
        completed = subprocess.run(
            command,
            cwd=work_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {}
    if report_path.exists():
        report = json.loads(report_path.read_text(encoding="utf-8"))
    cases = report.get("test_cases", {})
    errors = list(report.get("errors", []))
    if not report:
        errors.append({"message": f"schemathesis wrote no report (exit {completed.returncode})"})
    return PassResult(
        name=name,
        exit_code=completed.returncode,
        generated=int(cases.get("generated", 0)),
        operations_tested=int(report.get("operations", {}).get("tested", 0)),
        failures=list(report.get("failures", [])),
        errors=errors,
        seconds=seconds,
        output_path=output_path,
    )


def run_fuzz(
    gateway_url: str,
    *,
    token: str,
    work_dir: Path,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    passes: Sequence[str] = tuple(PASS_PHASES),
    timeout: float | None = None,
    on_pass: Callable[[PassResult], None] | None = None,
    hostile: bool = True,
) -> FuzzResult:
    """The hostile pass, then both schemathesis passes over every operation of the document;
    see the module docstring."""
    work_dir.mkdir(parents=True, exist_ok=True)
    document = work_dir / "openapi.json"
    rendered = render_openapi()
    document.write_text(json.dumps(rendered, ensure_ascii=False, indent=1), "utf-8")
    result = FuzzResult()
    if hostile:
        result.hostile = run_hostile(gateway_url, rendered, token=token)
    for name in passes:
        outcome = run_pass(
            name,
            document,
            gateway_url,
            token=token if name == "admin" else None,
            max_examples=max_examples,
            seed=seed,
            work_dir=work_dir,
            workers=workers,
            timeout=timeout,
        )
        result.passes.append(outcome)
        if on_pass is not None:
            on_pass(outcome)
    return result
