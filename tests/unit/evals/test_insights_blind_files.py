"""What every designed blind insights set keeps (tooling/evals/insights/blind4/ on): its committed
files are exactly what its scripts write, its digests hold the stats contract and the writer's
rules, and each week's previous-week figures are the week before's. Each set's own test module checks the movements its README promises."""

from __future__ import annotations

import importlib
import itertools
import json
from types import ModuleType

import pytest

from shared.digest.contract import read_stats
from shared.digest.writer import check_text

SETS = ("blind4", "blind5", "blind6", "blind7", "blind8")


def _scripts(name: str) -> tuple[ModuleType, ModuleType]:
    package = f"tooling.evals.insights.{name}"
    return importlib.import_module(f"{package}.build"), importlib.import_module(
        f"{package}.questions"
    )


@pytest.mark.parametrize("name", SETS)
def test_the_files_are_what_the_scripts_write(name: str) -> None:
    # Given the set's two scripts, when they run again in memory
    build, questions = _scripts(name)
    digests = build.build()
    asked = questions.build()
    # Then the committed files are exactly their output (deterministic, nothing edited by hand)
    assert json.loads((build.HERE / "digests.json").read_text(encoding="utf-8")) == digests
    assert json.loads((build.HERE / "questions.json").read_text(encoding="utf-8")) == asked


@pytest.mark.parametrize("name", SETS)
def test_every_digest_holds_the_contract_and_the_writers_rules(name: str) -> None:
    # Given each designed week, then its stats pass the contract and its text the writer's checks
    build, _ = _scripts(name)
    for digest in build.build():
        stats = read_stats(digest["stats"])
        assert check_text(digest["texto"], stats) is None
        shares = sum(c["percentual"] for c in stats["categorias"])
        assert 99.9 <= round(shares, 1) <= 100.1
        assert len(stats["criticas_recorrentes"]) == len(stats["sugestoes_relevantes"]) == 5


@pytest.mark.parametrize("name", SETS)
def test_each_week_is_compared_with_the_week_before_it(name: str) -> None:
    # Given the set's weeks in order, then each one's previous-week figures are the week before's
    build, _ = _scripts(name)
    for before, after in itertools.pairwise(build.build()):
        assert after["stats"]["semana_anterior"] == before["semana"]
        assert after["stats"]["total_anterior"] == before["stats"]["total"]
        for now, then in zip(
            after["stats"]["categorias"], before["stats"]["categorias"], strict=True
        ):
            assert now["total_anterior"] == then["total"]
            assert now["percentual_anterior"] == then["percentual"]
