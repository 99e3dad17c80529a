"""The eighth blind insights set (tooling/evals/insights/blind8/): its files are what its scripts
write, its digests hold the contract, and the movements its README promises are in the data."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from tests.unit.evals.designed_tables import DesignedTables
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind8 import build, questions

BLIND8 = build.HERE
TABLES = DesignedTables(build.build())


def test_the_weeks_run_in_order_from_september_to_november_2023() -> None:
    # Given the digests, then they are the twelve ISO weeks 2023-W36 to 2023-W47
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert questions.LABELS[0] == "2023-W36"
    assert questions.LABELS[-1] == "2023-W47"
    assert (digests[0]["inicio"], digests[-1]["fim"]) == ("2023-09-04", "2023-11-26")


def test_months_are_the_weeks_whose_thursday_falls_in_them() -> None:
    months = ((9, questions.SEPTEMBER), (10, questions.OCTOBER), (11, questions.NOVEMBER))
    for month, weeks in months:
        for week in weeks:
            year, number = int(week[:4]), int(week[6:])
            assert date.fromisocalendar(year, number, 4).month == month
    assert questions.SEPTEMBER + questions.OCTOBER + questions.NOVEMBER == questions.LABELS


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND8 / "digests.json")
    today, asked = load_questions(BLIND8 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2023, 11, 29)
    assert len(digests) == 12
    # "This week" (W48) has no digest: the last closed week is the latest one held.
    assert max(d.fim for d in digests) < today
    assert today.isocalendar()[:2] == (2023, 48)
    assert len(asked) >= 140
    assert {q["split"] for q in asked} == {"heldout"}
    assert sum(not q["answerable"] for q in asked) * 10 >= len(asked) * 4
    languages = Counter(q["lang"] for q in asked)
    assert set(languages) == {"pt", "en"}
    assert languages["en"] * 10 >= len(asked) * 4
    assert len({q["pergunta"] for q in asked}) == len(asked)
    assert len({q["id"] for q in asked}) == len(asked)
    for question in asked:
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]
        assert bool(question["facts"]) == question["answerable"]
        assert ("refusal" in question) != question["answerable"]


def test_the_unanswerable_questions_are_of_many_kinds() -> None:
    _, asked = load_questions(BLIND8 / "questions.json")
    refused = Counter(q["kind"] for q in asked if not q["answerable"])
    assert set(refused) == {
        "not-held",
        "no-digest",
        "future",
        "other-subject",
        "personal",
        "ambiguous",
        "absent",
    }
    assert all(count >= 4 for count in refused.values())
    answered = Counter(q["kind"] for q in asked if q["answerable"])
    assert set(answered) == {
        "general",
        "when",
        "most-least",
        "compare",
        "trend",
        "samples",
        "share",
        "last-week",
        "period",
    }


def test_tag_facts_are_words_of_the_questions_language_never_ids() -> None:
    # Given every fact of every question, then none is a tag id, and a tag's words are those of
    # the question's language
    _, asked = load_questions(BLIND8 / "questions.json")
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


def test_new_releases_lead_most_weeks_and_the_tv_app_is_asked_for_every_week() -> None:
    # A criticism that is not a bug, listed every week, never a spike, on top in 8 of 12 weeks
    assert TABLES.listed("criticas_recorrentes")["feat_lancamento"] == questions.LABELS
    leaders = Counter(s["criticas_recorrentes"][0]["tag"] for s in TABLES.stats.values())
    assert leaders == {"feat_lancamento": 8, "sec_privacidade": 2, "perf_lentidao": 2}
    releases = TABLES.mentions("criticas_recorrentes", "feat_lancamento", questions.LABELS)
    assert sum(releases) == 149
    assert set(releases) <= {11, 12, 13, 14}
    # The TV app is the only suggestion listed in all twelve weeks, at 6-8 mentions
    every_week = [t for t, w in TABLES.listed("sugestoes_relevantes").items() if len(w) == 12]
    assert every_week == ["feat_tv"]
    tv = TABLES.mentions("sugestoes_relevantes", "feat_tv", questions.LABELS)
    assert sum(tv) == 82
    assert set(tv) <= {6, 7, 8}
    spiking = {tag for found in TABLES.spikes().values() for tag in found}
    assert not spiking & {"feat_lancamento", "feat_tv"}
    # Over the period, new releases lead criticisms by volume too (privacy 93, slowness 79 listed)
    assert TABLES.mentions("criticas_recorrentes", "sec_privacidade", ["2023-W38", "2023-W39"]) == [
        72,
        21,
    ]


def test_the_early_privacy_spike_and_the_one_week_playlist_import_burst() -> None:
    stats, spikes = TABLES.stats, TABLES.spikes()
    # An early spike (W38, not the latest week), and only its tail the week after
    assert spikes["2023-W38"] == {"sec_privacidade": 28.8}
    assert [w for w, found in spikes.items() if "sec_privacidade" in found] == ["2023-W38"]
    assert TABLES.listed("criticas_recorrentes")["sec_privacidade"] == ["2023-W38", "2023-W39"]
    # In September privacy leads by volume
    september = Counter[str]()
    for week in questions.SEPTEMBER:
        september.update({t["tag"]: t["total"] for t in stats[week]["criticas_recorrentes"]})
    assert september.most_common(1) == [("sec_privacidade", 93)]
    # A one-week burst of one suggestion, never listed in any other week
    assert spikes["2023-W41"] == {"api_importacao": 88.0}
    assert TABLES.listed("sugestoes_relevantes")["api_importacao"] == ["2023-W41"]
    burst = stats["2023-W41"]["sugestoes_relevantes"][0]
    assert (burst["tag"], burst["total"]) == ("api_importacao", 88)
    # In October the burst leads by volume, the TV app by recurrence
    october = Counter[str]()
    for week in questions.OCTOBER:
        october.update({t["tag"]: t["total"] for t in stats[week]["sugestoes_relevantes"]})
    assert october.most_common(2) == [("api_importacao", 88), ("feat_tv", 28)]


def test_collaborations_first_appear_in_w43_and_stay() -> None:
    listed = TABLES.listed("sugestoes_relevantes")["feat_colaboracao"]
    assert listed == questions.LABELS[7:]
    assert TABLES.mentions("sugestoes_relevantes", "feat_colaboracao", listed) == [7, 9, 8, 6, 7]
    assert TABLES.spikes()["2023-W43"] == {"feat_colaboracao": 28.0}
    assert TABLES.stats["2023-W47"]["sugestoes_relevantes"][0]["tag"] == "feat_colaboracao"


def test_slowness_vanishes_for_five_weeks_then_returns() -> None:
    listed = TABLES.listed("criticas_recorrentes")["perf_lentidao"]
    assert listed == ["2023-W36", "2023-W37", "2023-W38", *questions.LAST4]
    assert TABLES.mentions("criticas_recorrentes", "perf_lentidao", questions.LAST4) == [
        19,
        14,
        10,
        11,
    ]
    back = TABLES.stats["2023-W44"]
    assert back["criticas_recorrentes"][0]["tag"] == "perf_lentidao"
    assert back["tags_em_alta"][0] == {
        "tag": "perf_lentidao",
        "total": 19,
        "media_4_semanas": 1.0,
        "fator": 19.0,
    }
    assert TABLES.spikes()["2023-W45"] == {"perf_lentidao": 2.4}
    # In November slowness (54) edges out new releases (51) by volume
    assert sum(TABLES.mentions("criticas_recorrentes", "perf_lentidao", questions.NOVEMBER)) == 54
    assert sum(TABLES.mentions("criticas_recorrentes", "feat_lancamento", questions.NOVEMBER)) == 51


def test_praise_share_rises_to_w43_then_falls() -> None:
    labels = questions.LABELS
    assert TABLES.shares("ELOGIO", labels[5:9]) == [40.0, 47.9, 49.5, 43.7]
    assert TABLES.shares("ELOGIO", labels[7:10]) == [49.5, 43.7, 40.6]
    assert (
        max(TABLES.shares("ELOGIO", labels))
        == TABLES.category("2023-W43", "ELOGIO")["percentual"]
        == 49.5
    )
    assert (
        max(TABLES.shares("CRÍTICA", labels))
        == TABLES.category("2023-W38", "CRÍTICA")["percentual"]
        == 33.0
    )
    assert TABLES.category("2023-W38", "CRÍTICA")["variacao_pontos"] == 7.9
    assert TABLES.category("2023-W44", "ELOGIO")["variacao_pontos"] == -5.8
    assert max(TABLES.shares("SUGESTÃO", labels)) == 26.0
    assert TABLES.shares("ELOGIO", ["2023-W47"]) == [42.0]


def test_a_count_that_rises_while_its_share_falls() -> None:
    praise = TABLES.category("2023-W41", "ELOGIO")
    assert (praise["total_anterior"], praise["total"]) == (380, 400)
    assert (praise["percentual_anterior"], praise["percentual"]) == (43.2, 40.0)


def test_the_holiday_week_is_the_quietest_and_the_biggest_fall() -> None:
    stats = TABLES.stats
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2023-W46"
    assert totals["2023-W46"] == 739
    assert max(totals, key=lambda w: totals[w]) == "2023-W41"
    assert totals["2023-W41"] == 1000
    assert sorted(totals.values()).count(1000) == 1
    falls = {after: totals[before] - totals[after] for before, after in itertools.pairwise(totals)}
    assert max(falls, key=lambda w: falls[w]) == "2023-W46"
    assert falls["2023-W46"] == 197


def test_the_quiet_weeks_have_no_significant_change() -> None:
    stats = TABLES.stats
    for week in ("2023-W36", "2023-W37", "2023-W43", "2023-W45", "2023-W46", "2023-W47"):
        assert not any(c["significativa"] for c in stats[week]["categorias"]), week
    assert any(c["significativa"] for c in stats["2023-W38"]["categorias"])
