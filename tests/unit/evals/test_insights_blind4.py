"""The fourth blind insights set (tooling/evals/insights/blind4/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from tests.unit.evals.designed_tables import DesignedTables
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind4 import build, questions

BLIND4 = build.HERE
TABLES = DesignedTables(build.build())


def test_the_weeks_run_in_order_from_march_to_may() -> None:
    # Given the digests, then they are the twelve ISO weeks 2026-W10 to 2026-W21
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert (digests[0]["inicio"], digests[-1]["fim"]) == ("2026-03-02", "2026-05-24")


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND4 / "digests.json")
    today, asked = load_questions(BLIND4 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2026, 5, 28)
    assert len(digests) == 12
    # "This week" (W22) has no digest: the last closed week is the latest one held.
    assert max(d.fim for d in digests) < today
    assert today.isocalendar()[:2] == (2026, 22)
    assert len(asked) >= 130
    assert {q["split"] for q in asked} == {"heldout"}
    assert sum(not q["answerable"] for q in asked) * 3 >= len(asked)
    languages = Counter(q["lang"] for q in asked)
    assert set(languages) == {"pt", "en"}
    assert languages["en"] * 10 >= len(asked) * 4
    for question in asked:
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]
        assert bool(question["facts"]) == question["answerable"]
        assert ("refusal" in question) != question["answerable"]


def test_tag_facts_are_words_of_the_questions_language_never_ids() -> None:
    # Given every fact of every question, then none is a tag id, and a tag's words are those of
    # the question's language
    _, asked = load_questions(BLIND4 / "questions.json")
    ids = set(questions.TAG_WORDS)
    for question in asked:
        for fact in question["facts"]:
            options = fact if isinstance(fact, list) else [fact]
            assert not ids & set(options), question["id"]
            for name, words in questions.TAG_WORDS.items():
                if options == list(words["pt" if question["lang"] == "en" else "en"]) and (
                    words["pt"] != words["en"]
                ):
                    raise AssertionError(f"{question['id']}: {name} in the other language")


def test_only_the_mix_complaint_and_the_sleep_timer_are_listed_every_week() -> None:
    for key, expected in (
        ("criticas_recorrentes", "feat_mixagem"),
        ("sugestoes_relevantes", "feat_timer"),
    ):
        listed = TABLES.listed(key)
        assert [tag for tag, weeks in listed.items() if len(weeks) == 12] == [expected]
    spiking = {t["tag"] for s in TABLES.stats.values() for t in s["tags_em_alta"]}
    assert "feat_mixagem" not in spiking
    assert "feat_timer" not in spiking


def test_the_early_bluetooth_spike_and_the_one_week_merchandise_burst() -> None:
    stats = TABLES.stats
    spikes = {week: {t["tag"]: t["fator"] for t in s["tags_em_alta"]} for week, s in stats.items()}
    # An early spike, not the latest week, and only its tail the week after
    assert spikes["2026-W12"] == {"api_bluetooth": 25.1}
    assert TABLES.listed("criticas_recorrentes")["api_bluetooth"] == ["2026-W12", "2026-W13"]
    assert [w for w, found in spikes.items() if "api_bluetooth" in found] == ["2026-W12"]
    # A one-week burst of one suggestion, never listed in any other week
    assert spikes["2026-W16"] == {"feat_merch": 54.9}
    assert TABLES.listed("sugestoes_relevantes")["feat_merch"] == ["2026-W16"]
    merch = stats["2026-W16"]["sugestoes_relevantes"][0]
    assert (merch["tag"], merch["total"]) == ("feat_merch", 96)


def test_notifications_go_quiet_for_weeks_then_come_back() -> None:
    listed = TABLES.listed("criticas_recorrentes")["feat_notificacao"]
    assert listed == ["2026-W10", "2026-W11", "2026-W19", "2026-W20", "2026-W21"]
    back = TABLES.stats["2026-W19"]
    assert back["criticas_recorrentes"][0]["tag"] == "feat_notificacao"
    assert back["tags_em_alta"][0] == {
        "tag": "feat_notificacao",
        "total": 15,
        "media_4_semanas": 2.0,
        "fator": 7.5,
    }


def test_instrumental_requests_rise_to_the_latest_week() -> None:
    stats = TABLES.stats
    weeks = questions.LABELS[-4:]
    counts = [
        next(
            t["total"] for t in stats[w]["sugestoes_relevantes"] if t["tag"] == "feat_instrumental"
        )
        for w in weeks
    ]
    assert counts == [7, 12, 19, 30]
    assert all(
        any(t["tag"] == "feat_instrumental" for t in stats[w]["tags_em_alta"]) for w in weeks
    )
    assert TABLES.listed("sugestoes_relevantes")["feat_instrumental"] == weeks


def test_shares_that_rise_and_fall_over_several_weeks() -> None:
    labels = questions.LABELS
    # CRÍTICA falls four weeks in a row from its peak (W12) to its lowest share (W16)
    criticism = TABLES.shares("CRÍTICA", labels[2:7])
    assert criticism == sorted(criticism, reverse=True)
    assert len(set(criticism)) == 5
    assert max(TABLES.shares("CRÍTICA", labels)) == criticism[0]
    assert min(TABLES.shares("CRÍTICA", labels)) == criticism[-1]
    # SUGESTÃO rises W17..W21 and ELOGIO falls over the same weeks; the burst week stays the
    # highest SUGESTÃO share
    suggestions, praise = (
        TABLES.shares("SUGESTÃO", labels[-5:]),
        TABLES.shares("ELOGIO", labels[-5:]),
    )
    assert suggestions == sorted(suggestions)
    assert len(set(suggestions)) == 5
    assert praise == sorted(praise, reverse=True)
    assert len(set(praise)) == 5
    assert (
        max(TABLES.shares("SUGESTÃO", labels))
        == TABLES.category("2026-W16", "SUGESTÃO")["percentual"]
    )
    # None of the weekly SUGESTÃO rises of W18..W21 is significant on its own
    assert not any(TABLES.category(w, "SUGESTÃO")["significativa"] for w in labels[-4:])


def test_counts_and_shares_that_move_apart() -> None:
    praise, criticism = (
        TABLES.category("2026-W16", "ELOGIO"),
        TABLES.category("2026-W16", "CRÍTICA"),
    )
    for category in (praise, criticism):
        assert category["total"] > category["total_anterior"]
        assert category["percentual"] < category["percentual_anterior"]
    assert praise["significativa"]
    assert not criticism["significativa"]
    easter = TABLES.category("2026-W14", "ELOGIO")
    assert easter["total"] < easter["total_anterior"]
    assert easter["percentual"] > easter["percentual_anterior"]


def test_the_biggest_weekly_falls_and_the_quietest_and_busiest_weeks() -> None:
    stats = TABLES.stats
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2026-W14"
    assert max(totals, key=lambda w: totals[w]) == "2026-W16"
    falls = {after: totals[before] - totals[after] for before, after in itertools.pairwise(totals)}
    assert max(falls, key=lambda w: falls[w]) == "2026-W14"
    moves = [
        (c["variacao_pontos"], week, c["categoria"])
        for week, s in stats.items()
        for c in s["categorias"]
    ]
    assert min(moves) == (-10.8, "2026-W17", "SUGESTÃO")
    criticism = [m for m in moves if m[2] == "CRÍTICA"]
    assert min(criticism) == (-7.0, "2026-W13", "CRÍTICA")
    assert TABLES.category("2026-W13", "CRÍTICA")["significativa"]


def test_the_quiet_weeks_have_no_significant_change() -> None:
    stats = TABLES.stats
    for week in ("2026-W10", "2026-W11", "2026-W14", "2026-W15", *questions.LABELS[-4:]):
        assert not any(c["significativa"] for c in stats[week]["categorias"]), week
