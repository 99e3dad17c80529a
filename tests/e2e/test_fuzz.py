"""Bad input by machine: schemathesis over every operation of the OpenAPI document, through the
gateway of a running stack, as the admin and anonymously (a bounded run; `alumusic fuzz` runs
longer). Any finding fails: a 5xx, a status, content type, header or body the document does not
give for the operation, or schema-violating input that is not refused.
"""

from __future__ import annotations

from pathlib import Path

import requests

from tests.e2e.conftest import RunningStack
from tooling.devstack.openapi import load_operations
from tooling.fuzzing.runner import run_fuzz

# Per operation and phase: with two passes, a few hundred generated cases in all.
MAX_EXAMPLES = 4


def test_generated_requests_get_documented_answers_and_no_5xx(
    stack: RunningStack, tmp_path: Path
) -> None:
    # Given the stack's admin token and the operations the document defines
    login = requests.post(
        stack.gateway_url + "/api/auth/login",
        json={"username": stack.admin_username, "password": stack.admin_password},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    documented = {(o.method, o.path) for o in load_operations()}

    # When schemathesis sends generated requests for every operation, as admin and anonymous
    result = run_fuzz(
        stack.gateway_url,
        token=login.json()["access"],
        work_dir=tmp_path / "fuzz",
        max_examples=MAX_EXAMPLES,
        timeout=600,
    )

    # Then nothing it checks fails, and every operation was exercised in both passes
    assert result.ok, result.describe_findings()
    for outcome in result.passes:
        assert outcome.operations_tested == len(documented), outcome
    assert result.generated >= 100 * len(result.passes), result.summary()
