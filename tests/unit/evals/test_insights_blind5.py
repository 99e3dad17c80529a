"""The fifth blind insights set (tooling/evals/insights/blind5/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from tests.unit.evals.designed_tables import DesignedTables
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind5 import build, questions

BLIND5 = build.HERE
TABLES = DesignedTables(build.build())


def test_the_weeks_run_in_order_from_july_to_september_2025() -> None:
    # Given the digests, then they are the twelve ISO weeks 2025-W27 to 2025-W38
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert (digests[0]["inicio"], digests[-1]["fim"]) == ("2025-06-30", "2025-09-21")


def test_months_are_the_weeks_whose_thursday_falls_in_them() -> None:
    # Given the month conventions the questions use, then each week's Thursday is in its month
    for month, weeks in ((7, questions.JULY), (8, questions.AUGUST), (9, questions.SEPTEMBER)):
        for week in weeks:
            year, number = int(week[:4]), int(week[6:])
            assert date.fromisocalendar(year, number, 4).month == month
    assert questions.JULY + questions.AUGUST + questions.SEPTEMBER == questions.LABELS


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND5 / "digests.json")
    today, asked = load_questions(BLIND5 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2025, 9, 24)
    assert len(digests) == 12
    # "This week" (W39) has no digest: the last closed week is the latest one held.
    assert max(d.fim for d in digests) < today
    assert today.isocalendar()[:2] == (2025, 39)
    assert len(asked) >= 130
    assert {q["split"] for q in asked} == {"heldout"}
    assert sum(not q["answerable"] for q in asked) * 3 >= len(asked)
    languages = Counter(q["lang"] for q in asked)
    assert set(languages) == {"pt", "en"}
    assert languages["en"] * 10 >= len(asked) * 4
    assert len({q["pergunta"] for q in asked}) == len(asked)
    for question in asked:
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]
        assert bool(question["facts"]) == question["answerable"]
        assert ("refusal" in question) != question["answerable"]


def test_tag_facts_are_words_of_the_questions_language_never_ids() -> None:
    # Given every fact of every question, then none is a tag id, and a tag's words are those of
    # the question's language
    _, asked = load_questions(BLIND5 / "questions.json")
    ids = set(questions.TAG_WORDS)
    for question in asked:
        for fact in question["facts"]:
            options = fact if isinstance(fact, list) else [fact]
            assert not ids & set(options), question["id"]
            other = "pt" if question["lang"] == "en" else "en"
            for name, words in questions.TAG_WORDS.items():
                if options == list(words[other]) and words["pt"] != words["en"]:
                    raise AssertionError(f"{question['id']}: {name} in the other language")


def test_only_recommendations_and_the_desktop_app_are_listed_every_week() -> None:
    for key, expected in (
        ("criticas_recorrentes", "feat_recomendacao"),
        ("sugestoes_relevantes", "feat_desktop"),
    ):
        listed = TABLES.listed(key)
        assert [tag for tag, weeks in listed.items() if len(weeks) == 12] == [expected]
    spiking = {tag for found in TABLES.spikes().values() for tag in found}
    assert "feat_recomendacao" not in spiking
    assert "feat_desktop" not in spiking


def test_the_early_audio_spike_and_the_one_week_music_video_burst() -> None:
    stats, spikes = TABLES.stats, TABLES.spikes()
    # An early spike (W29, not the latest week), and only its tail the week after
    assert spikes["2025-W29"] == {"fix_audio": 24.7}
    assert [w for w, found in spikes.items() if "fix_audio" in found] == ["2025-W29"]
    audio = stats["2025-W29"]["criticas_recorrentes"][0]
    assert (audio["tag"], audio["total"]) == ("fix_audio", 74)
    assert stats["2025-W30"]["criticas_recorrentes"][0]["total"] == 22
    # A one-week burst of one suggestion, never listed in any other week
    assert spikes["2025-W31"] == {"feat_clipe": 44.0}
    assert TABLES.listed("sugestoes_relevantes")["feat_clipe"] == ["2025-W31"]
    videos = stats["2025-W31"]["sugestoes_relevantes"][0]
    assert (videos["tag"], videos["total"]) == ("feat_clipe", 88)


def test_battery_drain_goes_quiet_for_weeks_then_comes_back() -> None:
    listed = TABLES.listed("criticas_recorrentes")["perf_bateria"]
    assert listed == ["2025-W27", "2025-W28", *questions.LAST4]
    back = TABLES.stats["2025-W35"]
    assert back["criticas_recorrentes"][0]["tag"] == "perf_bateria"
    assert back["tags_em_alta"][0] == {
        "tag": "perf_bateria",
        "total": 16,
        "media_4_semanas": 1.75,
        "fator": 9.1,
    }


def test_track_credit_requests_rise_to_the_latest_week() -> None:
    stats = TABLES.stats
    counts = [
        next(t["total"] for t in stats[w]["sugestoes_relevantes"] if t["tag"] == "feat_creditos")
        for w in questions.LAST4
    ]
    assert counts == [6, 11, 17, 26]
    assert all("feat_creditos" in TABLES.spikes()[w] for w in questions.LAST4)
    assert TABLES.listed("sugestoes_relevantes")["feat_creditos"] == questions.LAST4


def test_shares_that_rise_and_fall_over_several_weeks() -> None:
    labels = questions.LABELS
    # From the price promotion (W33) on, ELOGIO falls and DÚVIDA rises every week
    praise, doubts = TABLES.shares("ELOGIO", labels[6:]), TABLES.shares("DÚVIDA", labels[6:])
    assert praise == [44.3, 43.8, 41.4, 40.0, 38.4, 37.0]
    assert doubts == [11.5, 12.2, 13.3, 14.9, 16.6, 18.4]
    assert max(TABLES.shares("ELOGIO", labels)) == 44.3
    assert max(TABLES.shares("DÚVIDA", labels)) == 18.4
    # The latest week has more questions than suggestions, for the first time
    assert (
        TABLES.category("2025-W38", "DÚVIDA")["total"]
        > TABLES.category("2025-W38", "SUGESTÃO")["total"]
    )
    assert all(
        TABLES.category(w, "DÚVIDA")["total"] < TABLES.category(w, "SUGESTÃO")["total"]
        for w in labels[:-1]
    )


def test_a_count_that_rises_while_its_share_falls() -> None:
    praise = TABLES.category("2025-W31", "ELOGIO")
    assert (praise["total_anterior"], praise["total"]) == (396, 410)
    assert (praise["percentual_anterior"], praise["percentual"]) == (41.7, 37.4)
    assert praise["significativa"]


def test_the_biggest_weekly_falls_and_the_quietest_and_busiest_weeks() -> None:
    stats = TABLES.stats
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2025-W32"
    assert max(totals, key=lambda w: totals[w]) == "2025-W31"
    falls = {after: totals[before] - totals[after] for before, after in itertools.pairwise(totals)}
    assert max(falls, key=lambda w: falls[w]) == "2025-W32"
    assert falls["2025-W32"] == 246
    moves = [
        (c["variacao_pontos"], week, c["categoria"])
        for week, s in stats.items()
        for c in s["categorias"]
    ]
    assert min(moves) == (-8.9, "2025-W32", "SUGESTÃO")
    criticism = [m for m in moves if m[2] == "CRÍTICA"]
    assert min(criticism) == (-6.4, "2025-W30", "CRÍTICA")
    assert (
        max(TABLES.shares("CRÍTICA", questions.LABELS))
        == TABLES.category("2025-W29", "CRÍTICA")["percentual"]
    )


def test_the_quiet_weeks_have_no_significant_change() -> None:
    stats = TABLES.stats
    for week in ("2025-W27", "2025-W28", *questions.AUGUST[1:], *questions.SEPTEMBER):
        assert not any(c["significativa"] for c in stats[week]["categorias"]), week
