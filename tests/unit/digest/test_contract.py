"""The weekly stats contract: what reads, what does not, and which figures a text may state."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from shared.digest.contract import UnreadableStats, read_stats, stated_figures
from tooling.evals.insights import DIGESTS_PATH


def stored_stats() -> dict[str, Any]:
    """The stats of a digest as stored (no `schema_version`: every digest stored so far)."""
    stats: dict[str, Any] = json.loads(DIGESTS_PATH.read_text(encoding="utf-8"))[0]["stats"]
    assert "schema_version" not in stats
    return stats


def test_stats_as_stored_so_far_read_as_version_one_and_unchanged() -> None:
    stats = stored_stats()
    assert read_stats(stats) is stats


def test_a_newer_version_that_added_keys_still_reads() -> None:
    # Given stats of a later release: a version number and keys this one does not know
    stats = {**stored_stats(), "schema_version": 2, "sentimento": {"medio": 0.4}}
    stats["categorias"][0]["novo"] = 1
    # Then the keys this release knows are enough to read them
    assert read_stats(stats)["total"] == stats["total"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s.pop("revisao"), "revisao"),
        (lambda s: s["categorias"][1].update(total="317"), "categorias.1.total"),
        (lambda s: s["categorias"][1].update(significativa=1), "categorias.1.significativa"),
        (lambda s: s["revisao"].update(precisa_revisao=True), "revisao.precisa_revisao"),
        (lambda s: s["criticas_recorrentes"][0]["exemplos"][0].pop("id"), "exemplos.0.id"),
        (lambda s: s.update(schema_version="1"), "schema_version"),
        (lambda s: s.update(schema_version=0), "schema_version"),
    ],
)
def test_stats_that_break_the_contract_are_unreadable(change: Any, reason: str) -> None:
    stats = stored_stats()
    change(stats)
    with pytest.raises(UnreadableStats, match=reason):
        read_stats(stats)


def test_a_list_or_text_is_not_stats() -> None:
    for value in ([], "{}", None):
        with pytest.raises(UnreadableStats):
            read_stats(value)


def test_a_text_may_state_the_figures_and_date_parts_but_not_ids_or_listener_words() -> None:
    stats = read_stats({**stored_stats(), "schema_version": 987654})
    question = stats["duvidas_abertas"][0]
    question.update(id="c-424242", texto="vocês têm 31337 músicas?")
    figures = stated_figures(stats)
    first = stats["categorias"][0]
    assert Decimal(str(first["percentual"])) in figures
    assert Decimal(str(abs(first["variacao_pontos"]))) in figures
    assert {Decimal(2026), Decimal(40), Decimal(28), Decimal(9)} <= figures  # 2026-W40, 28/09
    assert Decimal(str(question["confianca"])) in figures
    # the version is the contract's; comment ids and texts are listeners'
    assert not {Decimal(987654), Decimal(424242), Decimal(31337)} & figures


def test_stats_with_the_largest_new_theme_read_and_without_it_too() -> None:
    stats = stored_stats()
    stats["tema_novo"] = {"nome": "boato · banda", "palavras": ["boato", "banda"], "tamanho": 12}
    assert read_stats(stats)["tema_novo"]["tamanho"] == 12
    stats["tema_novo"] = {"nome": "boato", "tamanho": "12"}
    with pytest.raises(UnreadableStats):
        read_stats(stats)
