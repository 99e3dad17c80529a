"""The seventh blind insights set (tooling/evals/insights/blind7/): its questions hold the set's
proportions and conventions, and the movements its README promises are in the data. (That its
files are what its scripts write, and that its digests hold the contract, is checked with the
other sets in test_insights_blind_files.py.)"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from tests.unit.evals.designed_tables import DesignedTables
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.insights.blind7 import build, questions

BLIND7 = build.HERE
TABLES = DesignedTables(build.build())


def test_the_weeks_run_in_order_from_may_to_july_2024() -> None:
    # Given the digests, then they are the twelve ISO weeks 2024-W18 to 2024-W29
    digests = build.build()
    assert [d["semana"] for d in digests] == questions.LABELS
    assert (digests[0]["inicio"], digests[-1]["fim"]) == ("2024-04-29", "2024-07-21")
    # The first week's comparisons are real: its week before is a warm-up week with comments
    assert digests[0]["stats"]["semana_anterior"] == "2024-W17"
    assert digests[0]["stats"]["total_anterior"] == 1010


def test_months_are_the_weeks_whose_thursday_falls_in_them() -> None:
    # Given the month conventions the questions use, then each week's Thursday is in its month
    for month, weeks in ((5, questions.MAY), (6, questions.JUNE), (7, questions.JULY)):
        for week in weeks:
            year, number = int(week[:4]), int(week[6:])
            assert date.fromisocalendar(year, number, 4).month == month
    assert questions.MAY + questions.JUNE + questions.JULY == questions.LABELS


def test_the_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND7 / "digests.json")
    today, asked = load_questions(BLIND7 / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2024, 7, 22)
    assert len(digests) == 12
    # "This week" (W30) has no digest: the last closed week is the latest one held.
    assert max(d.fim for d in digests) < today
    assert today.isocalendar()[:2] == (2024, 30)
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


def test_the_unanswerable_questions_are_of_many_kinds_in_both_languages() -> None:
    _, asked = load_questions(BLIND7 / "questions.json")
    refused = [q for q in asked if not q["answerable"]]
    kinds = Counter(q["kind"] for q in refused)
    assert set(kinds) == {
        "absent_figure",
        "no_digest",
        "prediction",
        "other_subject",
        "personal",
        "ambiguous",
        "near_miss",
    }
    for kind in kinds:
        assert {q["lang"] for q in refused if q["kind"] == kind} == {"pt", "en"}, kind


def test_tag_facts_are_words_of_the_questions_language_never_ids() -> None:
    # Given every fact of every question, then none is a tag id, and a tag's words are those of
    # the question's language
    _, asked = load_questions(BLIND7 / "questions.json")
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


def test_shuffle_and_track_transitions_are_listed_every_week_and_never_spike() -> None:
    # Given the lists of each week, then shuffle (a criticism, not a bug) and track transitions
    # (a suggestion, low volume) are the only tags of their lists in every one, never a spike
    criticisms, suggestions = (
        TABLES.listed("criticas_recorrentes"),
        TABLES.listed("sugestoes_relevantes"),
    )
    assert [t for t, w in criticisms.items() if w == questions.LABELS] == ["feat_aleatorio"]
    assert [t for t, w in suggestions.items() if w == questions.LABELS] == ["feat_transicao"]
    spiking = {tag for found in TABLES.spikes().values() for tag in found}
    assert not spiking & {"feat_aleatorio", "feat_transicao"}
    shuffle = TABLES.mentions("criticas_recorrentes", "feat_aleatorio", questions.LABELS)
    assert (min(shuffle), max(shuffle), sum(shuffle)) == (10, 13, 141)
    assert (shuffle[0], shuffle[-1]) == (12, 11)
    assert TABLES.mentions("criticas_recorrentes", "feat_aleatorio", questions.JULY) == [13, 12, 11]
    transitions = TABLES.mentions("sugestoes_relevantes", "feat_transicao", questions.LABELS)
    assert (min(transitions), max(transitions), sum(transitions)) == (6, 8, 84)
    # In July transitions lead the listed suggestions (22) ahead of Discord (16)
    july = Counter[str]()
    for week in questions.JULY:
        july.update({t["tag"]: t["total"] for t in TABLES.stats[week]["sugestoes_relevantes"]})
    assert july.most_common(2) == [("feat_transicao", 22), ("api_discord", 16)]


def test_the_early_casting_spike_and_the_one_week_concert_burst() -> None:
    stats, spikes = TABLES.stats, TABLES.spikes()
    # An early spike (W20, the third week), and only its tail the week after
    assert spikes["2024-W20"] == {"api_chromecast": 27.6}
    assert [w for w, found in spikes.items() if "api_chromecast" in found] == ["2024-W20"]
    assert TABLES.listed("criticas_recorrentes")["api_chromecast"] == ["2024-W20", "2024-W21"]
    casting = stats["2024-W20"]["criticas_recorrentes"][0]
    assert (casting["tag"], casting["total"]) == ("api_chromecast", 76)
    tail = stats["2024-W21"]["criticas_recorrentes"][0]
    assert (tail["tag"], tail["total"]) == ("api_chromecast", 23)
    # In May casting leads by volume (99 listed), shuffle by recurrence (58, every week)
    may = Counter[str]()
    for week in questions.MAY:
        may.update({t["tag"]: t["total"] for t in stats[week]["criticas_recorrentes"]})
    assert may.most_common(2) == [("api_chromecast", 99), ("feat_aleatorio", 58)]
    # A one-week burst of one suggestion, never listed in any other week; over the twelve
    # weeks it beats the every-week track transitions (84) by volume
    assert spikes["2024-W24"] == {"feat_show": 118.0}
    assert TABLES.listed("sugestoes_relevantes")["feat_show"] == ["2024-W24"]
    concerts = stats["2024-W24"]["sugestoes_relevantes"][0]
    assert (concerts["tag"], concerts["total"]) == ("feat_show", 118)


def test_layout_goes_quiet_for_five_weeks_then_comes_back() -> None:
    listed = TABLES.listed("criticas_recorrentes")["ui_layout"]
    assert listed == ["2024-W18", "2024-W19", "2024-W20", *questions.LAST4]
    back = TABLES.stats["2024-W26"]
    assert back["criticas_recorrentes"][0]["tag"] == "ui_layout"
    assert back["tags_em_alta"] == [
        {"tag": "ui_layout", "total": 19, "media_4_semanas": 1.0, "fator": 19.0}
    ]
    assert TABLES.spikes()["2024-W27"] == {"ui_layout": 2.7}
    assert TABLES.stats["2024-W27"]["criticas_recorrentes"][0]["tag"] == "ui_layout"
    assert TABLES.mentions("criticas_recorrentes", "ui_layout", questions.LAST4) == [19, 14, 11, 9]


def test_questions_rise_then_fall_and_praise_ends_at_its_highest() -> None:
    labels = questions.LABELS
    # DÚVIDA: the vinyl pre-sale (W25) makes its share climb to W27, then it falls
    assert TABLES.shares("DÚVIDA", labels[6:]) == [9.7, 14.5, 17.2, 20.8, 16.0, 11.9]
    assert max(TABLES.shares("DÚVIDA", labels)) == 20.8
    assert TABLES.category("2024-W27", "DÚVIDA")["total"] == 245
    assert TABLES.shares("DÚVIDA", ["2024-W23", "2024-W26"]) == [11.0, 17.2]
    # CRÍTICA's highest share is the casting week; ELOGIO's lowest is the same week, its
    # highest the last one
    assert (
        max(TABLES.shares("CRÍTICA", labels))
        == TABLES.category("2024-W20", "CRÍTICA")["percentual"]
        == 35.4
    )
    assert TABLES.shares("CRÍTICA", labels[2:5]) == [35.4, 28.6, 27.4]
    praise = TABLES.shares("ELOGIO", labels)
    assert (min(praise), praise.index(min(praise))) == (35.4, 2)
    assert (max(praise), praise.index(max(praise))) == (44.0, 11)
    assert TABLES.shares("ELOGIO", questions.LABELS[-2:]) == [40.9, 44.0]
    assert TABLES.shares("SPAM", questions.LAST3) == [3.9, 4.2, 4.4]
    assert TABLES.shares("SUGESTÃO", ["2024-W24"]) == [26.9]


def test_a_count_that_rises_while_its_share_falls() -> None:
    praise = TABLES.category("2024-W24", "ELOGIO")
    assert (praise["total_anterior"], praise["total"]) == (440, 454)
    assert (praise["percentual_anterior"], praise["percentual"]) == (41.9, 37.1)
    assert praise["significativa"]


def test_the_quietest_week_the_busiest_and_the_biggest_falls() -> None:
    stats = TABLES.stats
    totals = {week: s["total"] for week, s in stats.items()}
    assert min(totals, key=lambda w: totals[w]) == "2024-W22"
    assert totals["2024-W22"] == 840
    assert max(totals, key=lambda w: totals[w]) == "2024-W24"
    assert totals["2024-W24"] == 1225 == max(totals.values())
    assert sorted(totals.values()).count(1225) == 1
    falls = {after: totals[before] - totals[after] for before, after in itertools.pairwise(totals)}
    assert max(falls, key=lambda w: falls[w]) == "2024-W22"
    assert falls["2024-W22"] == 210
    moves = [
        (c["variacao_pontos"], week, c["categoria"])
        for week, s in stats.items()
        for c in s["categorias"]
    ]
    assert min(moves) == (-11.0, "2024-W25", "SUGESTÃO")
    assert max(moves) == (10.7, "2024-W24", "SUGESTÃO")


def test_the_quiet_weeks_have_no_significant_change() -> None:
    stats = TABLES.stats
    for week in ("2024-W18", "2024-W19", "2024-W22", "2024-W23", "2024-W26"):
        assert not any(c["significativa"] for c in stats[week]["categorias"]), week
    assert not stats["2024-W22"]["tags_em_alta"]
