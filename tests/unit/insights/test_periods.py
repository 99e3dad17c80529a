"""Periods named in questions, resolved to ISO weeks against a fixed 'today'."""

from __future__ import annotations

from datetime import date

import pytest

from shared.insights.periods import _blanked, month_weeks, parse_period, week_range
from shared.timezone import IsoWeek

TODAY = date(2026, 11, 30)  # Monday of 2026-W49


def weeks(*numbers: int, year: int = 2026) -> tuple[str, ...]:
    return tuple(f"{year}-W{n:02d}" for n in numbers)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("o que subiu na semana passada?", weeks(48)),
        ("What rose last week?", weeks(48)),
        ("últimas 3 semanas", weeks(46, 47, 48)),
        ("in the last two weeks", weeks(47, 48)),
        ("past 4 weeks", weeks(45, 46, 47, 48)),
        ("semana 47", weeks(47)),
        ("week 41", weeks(41)),
        ("2026-W46", weeks(46)),
        ("2025-W50", ("2025-W50",)),
        ("compare semanas 45 e 47", weeks(45, 47)),
        ("compare week 44 vs week 45", weeks(44, 45)),
        ("semanas 44 a 46", weeks(44, 45, 46)),
        ("da semana 46 para a 47", weeks(46, 47)),
        ("since week 45", weeks(45, 46, 47, 48)),
        ("desde a semana 47", weeks(47, 48)),
        ("em novembro", weeks(45, 46, 47, 48)),
        ("in October", weeks(40, 41, 42, 43, 44)),
        ("last month", weeks(40, 41, 42, 43, 44)),
        ("mês passado", weeks(40, 41, 42, 43, 44)),
        ("primeira semana de novembro", weeks(45)),
        ("semana de 16/11", weeks(47)),
        ("week of November 16", weeks(47)),
        ("2026-11-10", weeks(46)),
        ("two weeks ago", weeks(47)),
        ("semana retrasada", weeks(47)),
        ("esta semana", weeks(49)),
    ],
)
def test_named_periods(question, expected):
    assert parse_period(question, TODAY).weeks == expected


@pytest.mark.parametrize("question", ["o que mudou?", "main complaints", "may I ask something"])
def test_no_period_named(question):
    period = parse_period(question, TODAY)
    assert period.weeks is None
    assert not period.future


@pytest.mark.parametrize("question", ["next week", "semana que vem", "próxima semana", "2026-W51"])
def test_future_periods_are_flagged(question):
    assert parse_period(question, TODAY).future


def test_recent_weeks_without_a_number():
    period = parse_period("nas últimas semanas", TODAY)
    assert period.recent
    assert period.weeks is None


def test_a_week_number_means_its_latest_occurrence():
    # Week 50 of this year has not started on 2026-11-30: it is last year's week 50.
    assert parse_period("semana 50", TODAY).weeks == ("2025-W50",)


def test_month_weeks_follow_the_iso_thursday_rule():
    # 2026-11-01 is a Sunday: its week belongs to October.
    assert month_weeks(2026, 11) == tuple(IsoWeek(2026, n) for n in (45, 46, 47, 48))
    assert month_weeks(2026, 1)[0] == IsoWeek(2026, 1)


def test_a_week_range_crosses_years_in_either_order():
    expected = (IsoWeek(2026, 52), IsoWeek(2026, 53), IsoWeek(2027, 1), IsoWeek(2027, 2))
    assert week_range(IsoWeek(2026, 52), IsoWeek(2027, 2)) == expected
    assert week_range(IsoWeek(2027, 2), IsoWeek(2026, 52)) == expected


# Today 2026-01-21 (2026-W04): the weeks around a year end, named the ways people name them.
NEW_YEAR_TODAY = date(2026, 1, 21)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("como foi a semana do Natal?", ("2025-W52",)),
        ("Christmas week vs New Year's week", ("2025-W52", "2026-W01")),
        ("a semana do réveillon", ("2026-W01",)),
        ("a terceira semana de dezembro", ("2025-W51",)),
        ("week 2 of January", ("2026-W02",)),
        ("the first and second weeks of January", ("2026-W01", "2026-W02")),
        ("a primeira e a última semana de dezembro", ("2025-W49", "2025-W52")),
        ("a semana de 1º de dezembro", ("2025-W49",)),
        ("the week of Dec 15th", ("2025-W51",)),
        ("second half of December", ("2025-W51", "2025-W52")),
        ("primeira quinzena de dezembro", ("2025-W49", "2025-W50")),
        (
            "since December",
            ("2025-W49", "2025-W50", "2025-W51", "2025-W52", "2026-W01", "2026-W02", "2026-W03"),
        ),
        ("which week of the past 3 was the quietest?", ("2026-W01", "2026-W02", "2026-W03")),
        ("semana 2 comparada com a semana anterior", ("2026-W01", "2026-W02")),
        ("examples from week 50", ("2025-W50",)),
        (
            "from week 50 onwards",
            ("2025-W50", "2025-W51", "2025-W52", "2026-W01", "2026-W02", "2026-W03"),
        ),
    ],
)
def test_periods_named_by_holiday_month_week_or_half(question, expected):
    assert parse_period(question, NEW_YEAR_TODAY).weeks == expected


@pytest.mark.parametrize("question", ["no meio de 2025", "mid-2025", "in the middle of 2025"])
def test_the_middle_of_a_year_is_june_and_july(question):
    got = parse_period(question, NEW_YEAR_TODAY).weeks or ()
    assert got[0] == str(month_weeks(2025, 6)[0])
    assert got[-1] == str(month_weeks(2025, 7)[-1])


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how were the holidays?", ("2025-W52", "2026-W01")),
        ("as festas de fim de ano", ("2025-W52", "2026-W01")),
        ("a primeira semana do ano", ("2026-W01",)),
        ("the last week of 2025", ("2025-W52",)),
        ("since the start of the year", ("2026-W01", "2026-W02", "2026-W03")),
        ("desde o começo do ano", ("2026-W01", "2026-W02", "2026-W03")),
        ("after week 51", ("2025-W52", "2026-W01", "2026-W02", "2026-W03")),
    ],
)
def test_the_turn_of_a_year_named_in_words(question, expected):
    assert parse_period(question, NEW_YEAR_TODAY).weeks == expected


# Today 2026-11-30 (W49): October 2026 holds W40-W44, 13/10/2026 is in W42.
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A date that cannot be day/month is month first.
        ("numbers for the week of 10/13", ("2026-W42",)),
        # "since" a date: from its week to the latest closed one.
        ("criticism since Oct 13", tuple(f"2026-W{n}" for n in range(42, 49))),
        ("como andou o elogio desde 13/10?", tuple(f"2026-W{n}" for n in range(42, 49))),
        # "from the week of <date>" names where quotes come from, not a span's start.
        ("comments from the week of Oct 13 about lyrics", ("2026-W42",)),
        # The week a date names narrows the wider span around it.
        ("lá pelo começo de outubro, semana do dia 6/10", ("2026-W41",)),
        # A month's first weeks with the count after the ordinal.
        ("ultimas duas semanas de outubro", ("2026-W43", "2026-W44")),
        # "May" closing a question is the month.
        ("and how was May?", tuple(f"2026-W{n}" for n in range(19, 23))),
    ],
)
def test_dates_spans_and_months_in_free_wording(question, expected):
    # Given a question naming its period by a date, a span or a month in passing
    # When its period is parsed
    # Then the weeks are exactly the ones it names
    assert parse_period(question, TODAY).weeks == expected


@pytest.mark.parametrize(
    "question", ["resumo do trimestre inteiro", "give me the whole quarter", "this quarter?"]
)
def test_the_quarter_unqualified_is_every_covered_week(question):
    # Given a question about "the quarter" without saying which
    # When its period is parsed
    # Then it asks about every covered week, not a named span
    period = parse_period(question, TODAY)
    assert period.every
    assert period.weeks is None


def test_the_previous_quarter_is_not_every_covered_week():
    # Given "the quarter" qualified as the one before
    # When its period is parsed
    # Then it is not read as every covered week
    assert not parse_period("como foi o trimestre passado?", TODAY).every


def test_may_as_a_verb_is_not_a_month():
    # Given "may" used as a verb
    # When its period is parsed
    # Then no month is named
    assert parse_period("you may see it next to the others", TODAY).weeks is None


def test_blanking_spans_leaves_what_slicing_them_one_after_another_leaves() -> None:
    # Given spans apart, side by side, overlapping and repeated
    text = "holy week after easter de 2024"
    for spans in ([(0, 9), (10, 22)], [(0, 9), (5, 16), (16, 22)], [(3, 8), (3, 8)], []):
        # When they are blanked at once, and sliced out from the last to the first
        sliced = text
        for start, end in sorted(spans, reverse=True):
            sliced = sliced[:start] + " " + sliced[end:]
        # Then both leave the same text
        assert _blanked(text, spans) == sliced, spans


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a holiday's year after many spaces, a month's year after many spaces
        ("natal" + " " * 50 + "de 2025", ("2025-W52",)),
        ("janeiro" + " " * 50 + "de 2026", weeks(1, 2, 3, 4, 5)),
        # the week after a holiday named inside the one before it ("holy week after easter")
        ("the week after easter", weeks(15)),
        # a date after "since", with another date before it
        ("01/10 e desde 02/11", weeks(40, 45, 46, 47, 48)),
    ],
)
def test_periods_read_the_same_around_long_runs_and_earlier_matches(question, expected):
    assert parse_period(question, TODAY).weeks == expected
