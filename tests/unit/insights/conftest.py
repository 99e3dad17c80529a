"""The fixed evaluation digests (tooling/evals/insights/digests.json) as the unit tests' data."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from shared.digest.store import Digest
from tooling.evals.insights import load_digests

# The evaluation set's "today": 2026-W49 has begun, so "last week" is 2026-W48.
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="session")
def eval_digests() -> list[Digest]:
    return load_digests()


@pytest.fixture
def digests(eval_digests: list[Digest]) -> list[Digest]:
    """A private copy a test may change."""
    return copy.deepcopy(eval_digests)
