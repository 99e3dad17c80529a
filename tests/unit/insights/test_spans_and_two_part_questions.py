"""Answerable kinds: a span's summary says how the mix of comments shifted, a closing "or what?"
asks no list, "going down" is a move, a week's volume and its top item asked together, the news
"lately" is the newest week, a holiday naming a thing is no period. Digests: the fixed set,
2026-W40..W48 (today 2026-11-30, so "last week" is 2026-W48)."""

from __future__ import annotations

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.insights.answerer import Answer
from shared.insights.digests import digest_passages
from shared.insights.periods import parse_period
from shared.insights.understanding import understand
from shared.numbers import format_number
from tests.unit.insights.conftest import TODAY


def answer(question: str, digests: list[Digest]) -> Answer:
    return ask(question, digests, today=TODAY)


def shares(digests: list[Digest], week: str) -> dict[str, float]:
    """Each category's share in `week`, from the digest itself."""
    found = {}
    for passage in (p for d in digests if d.semana == week for p in digest_passages(d)):
        if passage.kind == "categoria":
            found[passage.key] = float(passage.data["percentual"])
    return found


@pytest.mark.parametrize(
    ("question", "first", "last", "lang"),
    [
        ("how's november going so far", "2026-W45", "2026-W48", "en"),
        ("como foram as últimas 4 semanas?", "2026-W45", "2026-W48", "pt"),
        ("give me the big picture of weeks 41 to 44", "2026-W41", "2026-W44", "en"),
    ],
)
def test_a_span_summary_names_the_largest_share_shift_with_both_shares(
    question: str, first: str, last: str, lang: str, eval_digests: list[Digest]
) -> None:
    # Given the shares each digest states for the span's first and last week
    start, end = shares(eval_digests, first), shares(eval_digests, last)
    moved = max(start.keys() & end.keys(), key=lambda c: abs(end[c] - start[c]))
    # When a general question asks about the span
    got = answer(question, eval_digests)
    # Then the answer names the category whose share moved most, with both shares and weeks
    assert got.suportada
    shift = got.resposta.split("Largest share shift" if lang == "en" else "Maior mudança")[1]
    assert moved in shift.split(".")[0]
    for value in (start[moved], end[moved]):
        assert format_number(value, lang, grouped=False, unit="%") in shift
    assert first in got.semanas
    assert last in got.semanas


@pytest.mark.parametrize(
    "question",
    [
        "are complaints going down over the last 4 weeks or what",
        "as críticas caíram nas últimas 4 semanas, né?",
        "is praise trending up lately, right?",
        "did suggestions go down in november or not?",
    ],
)
def test_a_closing_tag_asks_about_the_category_not_a_list_of_its_items(
    question: str, eval_digests: list[Digest]
) -> None:
    # When a yes/no question about a category ends in "or what?", "né?", "right?"
    understood = understand(question)
    got = answer(question, eval_digests)
    # Then it is read as the category's move, answered week by week with its shares
    assert understood.intent in {"movement", "trend"}
    assert understood.up or understood.down
    assert got.suportada
    assert "p.p." in got.resposta or " pp" in got.resposta


@pytest.mark.parametrize(
    ("question", "top_name"),
    [
        ("quantos comentários semana passada e qual a maior reclamação?", "travamentos"),
        ("how many comments last week and what was the top complaint?", "crashes and freezes"),
        ("qual a principal sugestão da semana 48 e quantos comentários teve?", "letras"),
    ],
)
def test_a_week_volume_and_its_top_item_asked_together_are_both_answered(
    question: str, top_name: str, eval_digests: list[Digest]
) -> None:
    # Given 2026-W48 with 891 comments, its top criticism crashes, its top suggestion lyrics
    # When one question asks for the week's number of comments and its top item
    got = answer(question, eval_digests)
    # Then the answer gives both, from that week only
    assert got.semanas == ("2026-W48",)
    assert "891" in got.resposta
    assert top_name in got.resposta


def test_the_news_lately_is_the_newest_digest_and_going_on_lately_a_month(
    eval_digests: list[Digest],
) -> None:
    # When the news is asked for "lately"
    news = answer("any news from the listeners lately?", eval_digests)
    headline = answer("what have listeners been saying lately? the headline only", eval_digests)
    # Then the newest digest answers, as for "any news?"
    assert news.semanas == ("2026-W48",)
    assert headline.semanas == ("2026-W48",)
    # While what has been going on lately is still the latest four weeks
    going_on = answer("what's going on lately?", eval_digests)
    assert going_on.semanas == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("what did people say about the christmas playlist?", None),
        ("o que acharam da playlist de natal na semana 46?", ("2026-W46",)),
        ("the carnival remixes, what did people write in week 47?", ("2026-W47",)),
        ("como foi a semana de natal de 2025?", ("2025-W52",)),
        ("o que rolou no natal?", ("2025-W52",)),
        ("how many comments did the week of Valentine's day get?", ("2026-W07",)),
    ],
)
def test_a_holiday_naming_a_thing_is_no_period(question: str, weeks: tuple[str, ...]) -> None:
    # When a holiday names a thing ("a playlist de Natal", "the carnival remixes")
    period = parse_period(question, TODAY)
    # Then it adds no week; "a semana de Natal", "no Natal" stay the holiday's week
    assert period.weeks == weeks


@pytest.mark.parametrize(
    ("question", "week", "mentions"),
    [
        ("when did uneven volume come back?", "2026-W48", "15"),
        ("quando o volume desigual voltou a aparecer?", "2026-W48", "15"),
        ("when did live versions return?", "2026-W46", "7"),
    ],
)
def test_when_a_subject_came_back_is_its_latest_listing_after_a_gap(
    question: str, week: str, mentions: str, eval_digests: list[Digest]
) -> None:
    # Given a subject listed early, then off the lists, then listed again
    # When the question asks when it came back
    got = answer(question, eval_digests)
    # Then the answer is the week it was listed again, with its mentions, not its first week
    assert got.semanas == (week,)
    assert mentions in got.resposta
    assert "voltou" in got.resposta or "came back" in got.resposta


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("what's the trend for criticism since october?", "CRÍTICA"),
        ("a evolução das sugestões nas últimas 4 semanas", "SUGESTÃO"),
        ("qual a tendência das críticas em novembro?", "CRÍTICA"),
    ],
)
def test_the_trend_of_a_category_is_its_course_not_a_list_of_its_items(
    question: str, category: str, eval_digests: list[Digest]
) -> None:
    # When a question asks for the trend or the evolution of a category
    understood = understand(question)
    got = answer(question, eval_digests)
    # Then the category is followed week by week, its share in each week
    assert understood.intent == "trend"
    assert got.resposta.startswith(category)
    assert len(got.semanas) >= 4


def test_which_items_were_new_lists_those_no_recent_week_had(eval_digests: list[Digest]) -> None:
    # When a question asks which complaints "were new" in a week
    got = answer("which complaints were new in week 46?", eval_digests)
    # Then the answer says which of the week's criticisms none of the four weeks before listed
    assert got.semanas == ("2026-W46",)
    assert "New criticisms" in got.resposta


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        # Today is 2026-11-30: the most recent (northern) summer is June-August 2026.
        ("what happened in the summer?", "2026-W23", "2026-W35"),
        ("summer of 2025, how was it?", "2025-W23", "2025-W35"),
        # The southern "verão" runs December to February; the last one that ended, 2025-26.
        ("o que rolou no verão passado?", "2025-W49", "2026-W09"),
        ("como foi a primavera?", "2026-W36", "2026-W48"),
        ("what happened 6 months ago?", "2026-W19", "2026-W22"),  # May 2026
        ("o que rolou há um ano?", "2025-W49", "2025-W49"),
        ("what happened before 2026?", "2025-W01", "2025-W52"),
        ("como estavam as críticas antes de novembro?", "2026-W40", "2026-W44"),
    ],
)
def test_seasons_and_months_or_years_ago_are_periods(question: str, first: str, last: str) -> None:
    # When a question names a season, a time some months or a year back, or what came before a
    # year or a month
    weeks = parse_period(question, TODAY).weeks
    # Then it is read as those weeks, so a season no digest covers is refused, not answered
    # about the latest week
    assert weeks is not None
    assert (weeks[0], weeks[-1]) == (first, last)


def test_a_season_with_no_digest_is_refused(eval_digests: list[Digest]) -> None:
    # Given digests of 2026-W40..W48 only
    got = answer("what happened in the summer?", eval_digests)
    # Then the summer (June-August) is refused for its period
    assert not got.suportada
    assert got.reason == "period"


@pytest.mark.parametrize(
    ("question", "category", "week"),
    [
        ("what was the worst week?", "CRÍTICA", "2026-W48"),
        ("qual foi a pior semana?", "CRÍTICA", "2026-W48"),
        ("qual foi a melhor semana?", "ELOGIO", "2026-W40"),
        ("what was the most negative week?", "CRÍTICA", "2026-W48"),
    ],
)
def test_the_worst_or_best_week_is_the_highest_share_of_criticism_or_praise(
    question: str, category: str, week: str, eval_digests: list[Digest]
) -> None:
    # Given criticism's highest share in 2026-W48 (44.7%) and praise's in 2026-W40 (24%)
    # When a question asks for the worst (best) week
    got = answer(question, eval_digests)
    # Then the week with the category's highest share is named, from every stored week
    assert got.semanas == (week,)
    assert category in got.resposta


@pytest.mark.parametrize(
    "question",
    ["give me three bullet points on last week", "what's the one thing I need to know?"],
)
def test_asking_for_the_essentials_is_a_summary(question: str, eval_digests: list[Digest]) -> None:
    # When the essentials are asked for in words of their own
    got = answer(question, eval_digests)
    # Then the latest digest's summary answers
    assert got.semanas == ("2026-W48",)
    assert "891" in got.resposta


@pytest.mark.parametrize(
    ("question", "week", "figure"),
    [
        ("when did criticism first pass 40%?", "2026-W45", "42.3%"),
        ("quando as críticas passaram de 40%?", "2026-W45", "42,3%"),
    ],
)
def test_the_week_a_share_first_crossed_a_level(
    question: str, week: str, figure: str, eval_digests: list[Digest]
) -> None:
    # Given criticism at 40% in 2026-W44 and 42.3% in 2026-W45, its first week above 40%
    # When a question asks when the share first passed a level
    got = answer(question, eval_digests)
    # Then that week is named with its share and the week before's
    assert got.semanas == (week,)
    assert figure in got.resposta
    assert "40%" in got.resposta


def test_a_level_never_crossed_is_said_over_every_week_read(eval_digests: list[Digest]) -> None:
    # Given praise below 30% in every stored week
    got = answer("did praise ever go above 30%?", eval_digests)
    # Then the answer says it never did, citing every week compared
    assert got.suportada
    assert "never went above 30%" in got.resposta
    assert len(got.semanas) == 9


@pytest.mark.parametrize(
    ("question", "week", "semanas"),
    [
        ("qual foi o maior pico de novembro?", "2026-W45", 4),
        ("what was the biggest spike in october?", "2026-W42", 5),
    ],
)
def test_the_biggest_spike_is_one_spike_the_largest_factor(
    question: str, week: str, semanas: int, eval_digests: list[Digest]
) -> None:
    # When a question asks for the biggest spike of a period (one, not "the spikes")
    got = answer(question, eval_digests)
    # Then the one spike with the largest factor is named, every week of the period cited
    assert week in got.resposta
    assert len(got.semanas) == semanas
    assert got.resposta.count("fator") + got.resposta.count("factor") == 1


@pytest.mark.parametrize(
    ("question", "week"),
    [
        ("when did suggestions hit their high?", "2026-W42"),
        ("when was the jump in criticism?", "2026-W48"),
    ],
)
def test_a_high_or_the_jump_is_one_week(
    question: str, week: str, eval_digests: list[Digest]
) -> None:
    # When a question asks when a category hit its high, or when "the jump" was
    got = answer(question, eval_digests)
    # Then one week answers: the highest share, or the biggest rise
    assert got.semanas == (week,)


def test_a_portion_of_feedback_is_the_category_share(eval_digests: list[Digest]) -> None:
    # When a question asks what portion of the feedback a category was
    got = answer("what portion of feedback was criticism in week 45?", eval_digests)
    # Then the category's share in that week answers, not a list of its items
    assert got.semanas == ("2026-W45",)
    assert "42.3%" in got.resposta


def test_a_closing_word_without_its_comma_is_part_of_the_question() -> None:
    # When "correct" or "right" ends a question as its verb or object, not after a comma
    understood = understand("how many classifications did reviewers correct?")
    # Then it is still read: here, the human corrections of the reviews
    assert understood.intent == "review"
