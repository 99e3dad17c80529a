"""The third blind insights set (tooling/evals/insights/blind3/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from datetime import date
from typing import Any

from shared.digest.contract import read_stats
from shared.digest.writer import check_text
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind3 import build, questions

BLIND3 = build.HERE


def _stats() -> dict[str, Any]:
    return {d["semana"]: d["stats"] for d in build.build()}


def _category(week: str, name: str) -> dict[str, Any]:
    return next(c for c in _stats()[week]["categorias"] if c["categoria"] == name)


def test_the_files_are_what_the_scripts_write() -> None:
    # Given the two scripts, when they run again in memory
    digests = build.build()
    asked = questions.build()
    # Then the committed files are exactly their output (deterministic, nothing edited by hand)
    assert json.loads((BLIND3 / "digests.json").read_text(encoding="utf-8")) == digests
    assert json.loads((BLIND3 / "questions.json").read_text(encoding="utf-8")) == asked


def test_every_digest_holds_the_contract_and_the_writers_rules() -> None:
    # Given each designed week, then its stats pass the contract and its text the writer's checks
    for digest in build.build():
        stats = read_stats(digest["stats"])
        assert check_text(digest["texto"], stats) is None
        shares = sum(c["percentual"] for c in stats["categorias"])
        assert 99.9 <= round(shares, 1) <= 100.1


def test_the_weeks_cross_the_year_boundary_in_order() -> None:
    # Given the digests, then they are twelve consecutive ISO weeks from 2025-W44 to 2026-W03
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert (digests[8]["semana"], digests[9]["semana"]) == ("2025-W52", "2026-W01")
    assert digests[9]["inicio"] == "2025-12-29"
    for before, after in itertools.pairwise(digests):
        assert after["stats"]["semana_anterior"] == before["semana"]
        assert after["stats"]["total_anterior"] == before["stats"]["total"]


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND3 / "digests.json")
    today, asked = load_questions(BLIND3 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2026, 1, 21)
    assert len(digests) == 12
    assert max(d.fim for d in digests) < today
    assert len(asked) >= 130
    assert {q["split"] for q in asked} == {"heldout"}
    assert sum(not q["answerable"] for q in asked) * 3 >= len(asked)
    languages = Counter(q["lang"] for q in asked)
    assert set(languages) == {"pt", "en"}
    assert min(languages.values()) * 10 >= len(asked) * 4
    for question in asked:
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]


def test_only_the_crash_complaint_and_lyrics_are_listed_every_week() -> None:
    stats = _stats().values()
    for key, expected in (
        ("criticas_recorrentes", "fix_travamento"),
        ("sugestoes_relevantes", "feat_letra"),
    ):
        listed = Counter(t["tag"] for s in stats for t in s[key])
        assert [tag for tag, n in listed.items() if n == len(stats)] == [expected]


def test_the_designed_spikes_peaks_and_the_quietest_week() -> None:
    stats = _stats()
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2025-W52"
    assert max(totals, key=lambda w: totals[w]) == "2025-W49"
    spikes = {week: {t["tag"]: t["total"] for t in s["tags_em_alta"]} for week, s in stats.items()}
    assert spikes["2025-W46"] == {"fix_pagamento": 82}
    assert [w for w, found in spikes.items() if "feat_retrospectiva" in found] == ["2025-W49"]
    assert [spikes[w].get("feat_preco") for w in questions.DECEMBER] == [12, 20, 31, 44]
    assert [spikes[w].get("feat_catalogo") for w in questions.JANUARY] == [9, 16, 27]
    price = {
        w: next((t["total"] for t in s["criticas_recorrentes"] if t["tag"] == "feat_preco"), 0)
        for w, s in stats.items()
    }
    assert max(price, key=lambda w: price[w]) == "2025-W52"
    assert [price[w] for w in questions.JANUARY] == [25, 14, 7]


def test_criticism_count_and_share_move_apart_around_new_year() -> None:
    christmas, new_year = _category("2025-W52", "CRÍTICA"), _category("2026-W01", "CRÍTICA")
    assert christmas["total"] < christmas["total_anterior"]
    assert christmas["percentual"] > christmas["percentual_anterior"]
    assert new_year["total"] > new_year["total_anterior"]
    assert new_year["percentual"] < new_year["percentual_anterior"]
    assert new_year["significativa"]


def test_the_insignificant_weeks() -> None:
    stats = _stats()
    assert not any(c["significativa"] for c in stats["2025-W45"]["categorias"])
    assert not any(c["significativa"] for c in stats["2026-W03"]["categorias"])
    praise = _category("2025-W50", "ELOGIO")
    assert praise["total"] < praise["total_anterior"]
    assert praise["variacao_pontos"] > 0
    assert not praise["significativa"]
