"""The sixth blind insights set (tooling/evals/insights/blind6/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from tests.unit.evals.designed_tables import DesignedTables
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind6 import build, questions

BLIND6 = build.HERE
TABLES = DesignedTables(build.build())


def test_the_weeks_run_in_order_from_january_to_march_2025() -> None:
    # Given the digests, then they are the twelve ISO weeks 2025-W01 to 2025-W12
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert (digests[0]["inicio"], digests[-1]["fim"]) == ("2024-12-30", "2025-03-23")


def test_months_are_the_weeks_whose_thursday_falls_in_them() -> None:
    # Given the month conventions the questions use, then each week's Thursday is in its month
    for month, weeks in ((1, questions.JANUARY), (2, questions.FEBRUARY), (3, questions.MARCH)):
        for week in weeks:
            year, number = int(week[:4]), int(week[6:])
            assert date.fromisocalendar(year, number, 4).month == month
    assert questions.JANUARY + questions.FEBRUARY + questions.MARCH == questions.LABELS


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND6 / "digests.json")
    today, asked = load_questions(BLIND6 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2025, 3, 26)
    assert len(digests) == 12
    # "This week" (W13) has no digest: the last closed week is the latest one held.
    assert max(d.fim for d in digests) < today
    assert today.isocalendar()[:2] == (2025, 13)
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
    _, asked = load_questions(BLIND6 / "questions.json")
    ids = set(questions.TAG_WORDS) | set(build.CRITICISM_COUNTS) | set(build.SUGGESTION_COUNTS)
    for question in asked:
        for fact in question["facts"]:
            options = fact if isinstance(fact, list) else [fact]
            assert not ids & set(options), question["id"]
            assert not any(str(o).startswith("#") for o in options), question["id"]
            other = "pt" if question["lang"] == "en" else "en"
            for name, words in questions.TAG_WORDS.items():
                if options == list(words[other]) and words["pt"] != words["en"]:
                    raise AssertionError(f"{question['id']}: {name} in the other language")


def test_search_and_playback_speed_are_listed_every_week_and_never_spike() -> None:
    # Given the lists of each week, then search (criticism, not a bug) and playback speed
    # (suggestion, low volume) are in every one and never in the spikes
    assert TABLES.listed("criticas_recorrentes")["feat_busca"] == questions.LABELS
    assert TABLES.listed("sugestoes_relevantes")["feat_velocidade"] == questions.LABELS
    assert [t for t, w in TABLES.listed("sugestoes_relevantes").items() if len(w) == 12] == [
        "feat_velocidade"
    ]
    spiking = {tag for found in TABLES.spikes().values() for tag in found}
    assert not spiking & {"feat_busca", "feat_velocidade"}
    stats = TABLES.stats
    speed = [
        next(t["total"] for t in stats[w]["sugestoes_relevantes"] if t["tag"] == "feat_velocidade")
        for w in questions.LABELS
    ]
    assert set(speed) == {6, 7}
    # By volume over the twelve weeks the kids mode burst (95) beats playback speed (78)
    assert sum(speed) == 78
    # Search leads every week's criticisms except where a spike or uneven volume is on top
    search = [
        next(t["total"] for t in stats[w]["criticas_recorrentes"] if t["tag"] == "feat_busca")
        for w in questions.LABELS
    ]
    assert sum(search) == 142


def test_the_early_account_security_spike_and_the_one_week_kids_mode_burst() -> None:
    stats, spikes = TABLES.stats, TABLES.spikes()
    # An early spike (W04, not the latest week), and only its tail the week after
    assert spikes["2025-W04"] == {"sec_conta": 24.7}
    assert [w for w, found in spikes.items() if "sec_conta" in found] == ["2025-W04"]
    account = stats["2025-W04"]["criticas_recorrentes"][0]
    assert (account["tag"], account["total"]) == ("sec_conta", 68)
    tail = stats["2025-W05"]["criticas_recorrentes"][0]
    assert (tail["tag"], tail["total"]) == ("sec_conta", 19)
    # In January account security leads by volume, search by recurrence
    january = Counter[str]()
    for week in questions.JANUARY:
        january.update({t["tag"]: t["total"] for t in stats[week]["criticas_recorrentes"]})
    assert (january["sec_conta"], january["feat_busca"]) == (87, 59)
    assert january.most_common(1) == [("sec_conta", 87)]
    # A one-week burst of one suggestion, never listed in any other week
    assert spikes["2025-W06"] == {"feat_infantil": 76.0}
    assert TABLES.listed("sugestoes_relevantes")["feat_infantil"] == ["2025-W06"]
    kids = stats["2025-W06"]["sugestoes_relevantes"][0]
    assert (kids["tag"], kids["total"]) == ("feat_infantil", 95)


def test_uneven_volume_goes_quiet_for_weeks_then_comes_back() -> None:
    listed = TABLES.listed("criticas_recorrentes")["fix_volume"]
    assert listed == ["2025-W01", "2025-W02", "2025-W03", *questions.LAST4]
    back = TABLES.stats["2025-W09"]
    assert back["criticas_recorrentes"][0]["tag"] == "fix_volume"
    assert back["tags_em_alta"][0] == {
        "tag": "fix_volume",
        "total": 18,
        "media_4_semanas": 0.75,
        "fator": 24.0,
    }
    counts = [
        next(
            t["total"] for t in TABLES.stats[w]["criticas_recorrentes"] if t["tag"] == "fix_volume"
        )
        for w in questions.LAST4
    ]
    assert counts == [18, 12, 10, 9]


def test_shares_that_rise_and_fall_over_several_weeks() -> None:
    labels = questions.LABELS
    # Through the carnival season (W07-W12) ELOGIO rises and CRÍTICA falls every week
    assert TABLES.shares("ELOGIO", labels[6:]) == [40.5, 43.1, 46.1, 49.0, 51.4, 52.5]
    assert TABLES.shares("CRÍTICA", labels[6:]) == [24.5, 22.8, 20.7, 18.9, 17.5, 16.4]
    assert TABLES.shares("ELOGIO", questions.FEBRUARY) == [32.8, 40.5, 43.1, 46.1]
    assert (
        max(TABLES.shares("CRÍTICA", labels))
        == TABLES.category("2025-W04", "CRÍTICA")["percentual"]
        == 34.0
    )
    assert max(TABLES.shares("SUGESTÃO", labels)) == 29.4
    assert TABLES.shares("DÚVIDA", ["2025-W12"]) == [10.5]
    assert TABLES.shares("SPAM", ["2025-W12"]) == [3.4]


def test_a_count_that_rises_while_its_share_falls() -> None:
    praise = TABLES.category("2025-W06", "ELOGIO")
    assert (praise["total_anterior"], praise["total"]) == (250, 290)
    assert (praise["percentual_anterior"], praise["percentual"]) == (34.6, 32.8)


def test_the_biggest_weekly_falls_and_the_quietest_week() -> None:
    stats = TABLES.stats
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2025-W05"
    assert totals["2025-W05"] == 723
    # The busiest weeks tie (W11 and W12, 915 each): no question asks for a single busiest week
    assert totals["2025-W11"] == totals["2025-W12"] == 915 == max(totals.values())
    falls = {after: totals[before] - totals[after] for before, after in itertools.pairwise(totals)}
    assert max(falls, key=lambda w: falls[w]) == "2025-W05"
    assert falls["2025-W05"] == 159
    moves = [
        (c["variacao_pontos"], week, c["categoria"])
        for week, s in stats.items()
        for c in s["categorias"]
    ]
    assert min(moves) == (-9.8, "2025-W07", "SUGESTÃO")


def test_the_quiet_weeks_have_no_significant_change() -> None:
    stats = TABLES.stats
    for week in ("2025-W01", "2025-W02", "2025-W03", *questions.LABELS[7:]):
        assert not any(c["significativa"] for c in stats[week]["categorias"]), week
