"""The second blind insights set (tooling/evals/insights/blind2/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from shared.digest.contract import read_stats
from shared.digest.writer import check_text
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind2 import build, questions

BLIND2 = build.HERE


def _stats() -> dict[str, Any]:
    return {d["semana"]: d["stats"] for d in build.build()}


def test_the_files_are_what_the_scripts_write() -> None:
    # Given the two scripts, when they run again in memory
    digests = build.build()
    asked = questions.build()
    # Then the committed files are exactly their output (deterministic, nothing edited by hand)
    assert json.loads((BLIND2 / "digests.json").read_text(encoding="utf-8")) == digests
    assert json.loads((BLIND2 / "questions.json").read_text(encoding="utf-8")) == asked


def test_every_digest_holds_the_contract_and_the_writers_rules() -> None:
    for digest in build.build():
        stats = read_stats(digest["stats"])
        assert check_text(digest["texto"], stats) is None
        shares = sum(c["percentual"] for c in stats["categorias"])
        assert 99.9 <= round(shares, 1) <= 100.1


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND2 / "digests.json")
    today, asked = load_questions(BLIND2 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2026, 10, 14)
    assert len(digests) == 12
    assert max(d.fim for d in digests) < today
    assert len(asked) >= 130
    assert {q["split"] for q in asked} == {"heldout"}
    assert sum(not q["answerable"] for q in asked) * 3 >= len(asked)
    assert {q["lang"] for q in asked} == {"pt", "en"}
    for question in asked:
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]


def test_only_the_catalogue_complaint_and_acoustic_versions_are_listed_every_week() -> None:
    stats = _stats().values()
    for key, expected in (
        ("criticas_recorrentes", "feat_catalogo"),
        ("sugestoes_relevantes", "feat_acustico"),
    ):
        listed = Counter(t["tag"] for s in stats for t in s[key])
        assert [tag for tag, n in listed.items() if n == len(stats)] == [expected]


def test_the_designed_peaks_and_the_quietest_week() -> None:
    stats = _stats()
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2026-W34"
    assert max(totals, key=lambda w: totals[w]) == "2026-W36"
    spikes = {week: {t["tag"]: t["total"] for t in s["tags_em_alta"]} for week, s in stats.items()}
    assert spikes["2026-W32"] == {"fix_login": 95}
    assert spikes["2026-W36"]["feat_turne"] == 110
    assert [w for w, found in spikes.items() if "feat_turne" in found] == ["2026-W36"]
    assert [
        spikes[w].get("feat_anuncio") for w in ("2026-W38", "2026-W39", "2026-W40", "2026-W41")
    ] == [9, 17, 38, 54]


def test_praise_count_and_share_move_apart_in_week_34() -> None:
    praise = _stats()["2026-W34"]["categorias"][0]
    assert praise["categoria"] == "ELOGIO"
    assert praise["total"] < praise["total_anterior"]
    assert praise["percentual"] > praise["percentual_anterior"]
