"""Subjects named in everyday words, and kinds of question the digests answer that were refused or
read as another kind: a tag named by the first word of its name or by a request or complaint about
it, "when did X show up again", an album or a song ranked. Digests: the fixed set, 2026-W40..W48
(today 2026-11-30): layout is listed in W42 and W43, off the lists W44-W47 and back in W48."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared.digest.store import Digest
from shared.digest.vocabulary import tag_name
from shared.insights import ask
from shared.insights.digests import digest_passages
from shared.insights.understanding import detect_tags, understand
from shared.numbers import format_number
from tests.unit.insights.conftest import TODAY


@pytest.mark.parametrize(
    ("question", "tag"),
    [
        ("tem muita gente pedindo show?", "feat_show"),
        ("a galera reclamou de transmissão em julho?", "api_chromecast"),
        ("pediram muito show?", "feat_show"),
        ("as queixas sobre a transmissão diminuíram?", "api_chromecast"),
        ("what about the help and support numbers?", "doc_ajuda"),
        ("were there many help complaints in October?", "doc_ajuda"),
        ("sugestões de retrospectiva apareceram?", "feat_retrospectiva"),
    ],
)
def test_a_subject_named_in_passing_is_its_tag(question: str, tag: str) -> None:
    # Given a question naming a subject by one everyday word or by its vocabulary name
    # When its tags are read
    found = detect_tags(question)
    # Then the subject's tag is found
    assert tag in found


@pytest.mark.parametrize(
    "question",
    [
        "me ajuda a entender as reclamações da semana",
        "show me the complaints of last week",
        "quais as críticas mais comuns?",
        "complaints about the app in general?",
        "which music got more requests?",
    ],
)
def test_everyday_words_that_name_no_subject_stay_untagged(question: str) -> None:
    # Given a question whose common words ("ajuda", "show me", "app", "music") name no subject
    # When its tags are read
    found = detect_tags(question)
    # Then no tag is found
    assert found == ()


@pytest.mark.parametrize(
    "question",
    [
        "layout complaints popped up again after a few weeks off, when was that?",
        "quando o layout apareceu de novo depois de sumir?",
        "in which week did layout turn up again after vanishing?",
    ],
)
def test_a_subject_showing_up_again_is_the_week_it_came_back(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given layout listed in W42-W43, then off the lists until W48
    # When someone asks when it showed up again
    got = ask(question, eval_digests, today=TODAY)
    # Then the answer is W48, where it came back, not the week it first appeared
    assert got.suportada
    assert list(got.semanas) == ["2026-W48"]
    assert "2026-W48" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "which album got the most complaints in November?",
        "qual disco recebeu mais elogios?",
        "what song did people praise the most last week?",
    ],
)
def test_an_album_or_song_asked_for_is_refused(question: str) -> None:
    # Given digests that count comments by category and tag, never by album or song
    # When a question asks which album or song
    u = understand(question)
    # Then it is refused as a figure the digests do not hold
    assert u.intent is None
    assert u.refusal == "metric"


@pytest.mark.parametrize(
    "question",
    [
        "e ai, piorou?",
        "ok so did it get worse?",
        "was it up or down?",
        "quanto deu?",
        "how many were they?",
        "e aquilo?",
    ],
)
def test_a_move_or_figure_of_nothing_named_is_refused_as_unclear(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given a question naming no subject and no period, only "it"
    # When it is asked
    got = ask(question, eval_digests, today=TODAY)
    # Then it is refused, asking for the subject or the period, instead of guessing one
    assert not got.suportada
    assert got.semanas == ()


@pytest.mark.parametrize(
    "question",
    ["piorou em novembro?", "did complaints get worse?", "como estão as coisas?", "how was it?"],
)
def test_a_move_with_a_subject_or_period_is_still_answered(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given the same moves with a period, a subject or the whole of the comments named
    # When they are asked
    got = ask(question, eval_digests, today=TODAY)
    # Then they are answered
    assert got.suportada


@pytest.mark.parametrize(
    "question",
    [
        "quantas sugestões já foram implementadas?",
        "how many of the questions were answered by support?",
        "were the top requests ever implemented?",
        "quantas críticas foram respondidas?",
        "how many suggestions were accepted by the product team?",
        "quantas sugestões foram aprovadas?",
    ],
)
def test_what_was_done_with_the_comments_is_refused(question: str) -> None:
    # Given digests that count comments, not what became of them
    # When a question asks how many were implemented or answered
    u = understand(question)
    # Then it is refused as a figure the digests do not hold
    assert u.refusal == "metric"


@pytest.mark.parametrize(
    "question", ["quantas sugestões foram feitas em novembro?", "how many questions were asked?"]
)
def test_how_many_were_made_is_still_a_count(question: str) -> None:
    # Given the same shape asking how many comments were written
    # When it is read
    u = understand(question)
    # Then it is no refusal
    assert u.refusal is None


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("week 43 in a nutshell, please", ["2026-W43"]),
        ("2026-W44 em poucas palavras", ["2026-W44"]),
        ("como foram as duas últimas semanas de outubro?", ["2026-W43", "2026-W44"]),
        ("how were the first two weeks of November?", ["2026-W45", "2026-W46"]),
    ],
)
def test_a_period_asked_about_as_a_whole_is_summarised(
    question: str, weeks: list[str], eval_digests: list[Digest]
) -> None:
    # Given digests for every week asked about
    # When a question names a week or a few weeks and asks how they went, in a few words
    got = ask(question, eval_digests, today=TODAY)
    # Then it is answered from exactly those weeks, instead of refused as off topic
    assert got.suportada
    assert list(got.semanas) == weeks


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("críticas: primeira semana x última semana?", ["2026-W40", "2026-W48"]),
        ("primeira semana x última: sugestões", ["2026-W40", "2026-W48"]),
        ("compare praise in the first week and in the last week", ["2026-W40", "2026-W48"]),
        ("compara os elogios da primeira e da última semana de novembro", ["2026-W45", "2026-W48"]),
        ("first vs last week of October, suggestions", ["2026-W40", "2026-W44"]),
    ],
)
def test_first_against_last_week_reads_both_edges(
    question: str, weeks: list[str], eval_digests: list[Digest]
) -> None:
    # Given digests from 2026-W40 to 2026-W48 (October W40-W44, November W45-W48)
    # When the first week is compared with the last, of a month or of the stored weeks
    got = ask(question, eval_digests, today=TODAY)
    # Then both edge weeks are read and cited, not the latest week alone
    assert got.suportada
    assert list(got.semanas) == weeks


def _category_moves(digests: list[Digest]) -> list[tuple[float, str, str]]:
    """(points moved, category, week) of every category in every digest, as the digests state."""
    found = []
    for digest in digests:
        for passage in digest_passages(digest):
            points = passage.data.get("variacao_pontos")
            if passage.kind == "categoria" and points is not None:
                found.append((float(points), passage.key, digest.semana))
    return found


@pytest.mark.parametrize(
    ("question", "pick"),
    [
        ("what was the biggest week-to-week drop of any category?", min),
        ("qual foi a maior queda semanal entre as categorias?", min),
        ("which category had the largest weekly rise?", max),
        ("qual categoria teve a maior alta de uma semana pra outra?", max),
    ],
)
def test_the_biggest_move_of_any_category_is_searched_over_every_week(
    question: str, pick: Callable[..., tuple[float, str, str]], eval_digests: list[Digest]
) -> None:
    # Given the share move of every category in every stored week
    _, category, week = pick(_category_moves(eval_digests))
    # When the biggest move of "a category" is asked, naming none
    got = ask(question, eval_digests, today=TODAY)
    # Then the answer names that category and its week, not the latest week's moves
    assert got.suportada
    assert list(got.semanas) == [week]
    assert category in got.resposta


@pytest.mark.parametrize(
    ("question", "tag"),
    [
        ("as falhas de áudio caíram na semana seguinte ao pico?", "fix_audio"),
        ("did layout complaints drop the week after their peak?", "ui_layout"),
    ],
)
def test_the_week_after_a_peak_is_the_peak_and_the_next_week(
    question: str, tag: str, eval_digests: list[Digest]
) -> None:
    # Given the weeks whose criticisms list the subject, with their counts
    counts = {
        d.semana: int(p.data["total"])
        for d in eval_digests
        for p in digest_passages(d)
        if p.kind == "critica" and p.key == tag
    }
    peak = max(counts, key=lambda w: counts[w])
    weeks = [d.semana for d in eval_digests]
    after = weeks[weeks.index(peak) + 1]
    # When someone asks whether it fell the week after its peak
    got = ask(question, eval_digests, today=TODAY)
    # Then the answer reads the peak week and the one after it, with the peak's count
    assert got.suportada
    assert list(got.semanas) == [peak, after]
    assert str(counts[peak]) in got.resposta


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("qual crítica mais apareceu em novembro em volume?", ["2026-W45", "2026-W48"]),
        ("which suggestion came up most by volume in October?", ["2026-W40", "2026-W44"]),
    ],
)
def test_by_volume_is_a_measure_not_the_audio_volume(
    question: str, weeks: list[str], eval_digests: list[Digest]
) -> None:
    # Given "volume", which also names the uneven-volume complaints
    # When a ranking is asked "by volume" over a month
    got = ask(question, eval_digests, today=TODAY)
    # Then no subject is read from it, and the month's list is ranked, citing its weeks
    assert detect_tags(question) == ()
    assert got.suportada
    assert got.semanas[0] == weeks[0]
    assert got.semanas[-1] == weeks[-1]


def test_volume_complaints_stay_the_uneven_volume_tag() -> None:
    # Given the audio's volume named as a complaint
    # When the tags are read
    # Then it is the uneven-volume tag
    assert detect_tags("as reclamações de volume caíram em novembro?") == ("fix_volume",)


@pytest.mark.parametrize(
    "question",
    ["o movimento caiu na semana 46? quanto?", "did traffic drop in week 46?"],
)
def test_how_busy_a_week_was_is_its_number_of_comments(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given the number of comments of 2026-W45 and 2026-W46, as their digests state
    totals = {d.semana: d.stats["total"] for d in eval_digests}
    # When someone asks whether the week's traffic ("movimento") fell
    got = ask(question, eval_digests, today=TODAY)
    # Then the answer is the week's number of comments against the week before's
    assert understand(question).intent == "total"
    assert got.suportada
    assert list(got.semanas) == ["2026-W46"]
    assert str(totals["2026-W46"]) in got.resposta
    assert str(totals["2026-W45"]) in got.resposta


@pytest.mark.parametrize(
    ("question", "weeks", "lead", "lang"),
    [
        (
            "me faz um resumo das últimas 4 semanas",
            ["2026-W45", "2026-W46", "2026-W47", "2026-W48"],
            "Crítica listada em todas as semanas: ",
            "pt",
        ),
        (
            "sum up weeks 41 to 44 for me",
            ["2026-W41", "2026-W42", "2026-W43", "2026-W44"],
            "Criticism listed every week: ",
            "en",
        ),
    ],
)
def test_a_span_summary_names_a_criticism_listed_in_every_week(
    question: str, weeks: list[str], lead: str, lang: str, eval_digests: list[Digest]
) -> None:
    # Given the criticisms each digest of the span lists
    listed: dict[str, set[str]] = {}
    for digest in eval_digests:
        if digest.semana in weeks:
            for passage in digest_passages(digest):
                if passage.kind == "critica":
                    listed.setdefault(passage.key, set()).add(digest.semana)
    steady = {tag for tag, seen in listed.items() if seen == set(weeks)}
    # When a summary of the span is asked
    got = ask(question, eval_digests, today=TODAY)
    # Then, besides the largest criticism, it names one listed in every week of the span
    assert got.suportada
    assert list(got.semanas) == weeks
    said = got.resposta.split(lead)[1].split(".")[0]
    assert said in {tag_name(tag, lang) for tag in steady}


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("did criticism keep rising after the layout week? weeks 42 to 44", "CRÍTICA"),
        ("did praise drop in the shuffle week?", "ELOGIO"),
    ],
)
def test_a_week_named_by_its_event_is_a_time_not_the_subject(question: str, category: str) -> None:
    # Given a category asked about over "the <subject> week"
    u = understand(question)
    # When the question is read
    # Then the category is the subject, and the event naming the week is no tag
    assert u.categories == (category,)
    assert u.tags == ()


def test_a_subject_named_besides_its_week_stays_the_subject() -> None:
    # Given the subject named as the complaint too, not only as the week's name
    u = understand("layout complaints in the layout week?")
    # When the question is read
    # Then the subject stays its tag
    assert u.tags == ("ui_layout",)


def test_a_category_over_weeks_named_by_an_event_reads_those_weeks(
    eval_digests: list[Digest],
) -> None:
    # Given criticism's share in 2026-W42..W44
    got = ask(
        "did criticism keep rising after the layout week? weeks 42 to 44", eval_digests, today=TODAY
    )
    # When it is asked whether it kept moving after "the layout week"
    # Then the answer is criticism's course over those weeks, citing them
    assert got.suportada
    assert list(got.semanas) == ["2026-W42", "2026-W43", "2026-W44"]
    assert "CRÍTICA" in got.resposta


@pytest.mark.parametrize(
    "question",
    ["how many votes did the poll get?", "quem ganhou a enquete?", "which city won the poll?"],
)
def test_votes_and_poll_results_are_refused(question: str) -> None:
    # Given digests that count comments, not the votes of a poll
    # When a question asks for votes or a poll's result
    u = understand(question)
    # Then it is refused, naming votes and poll results as what the digests do not hold
    assert u.refusal == "metric"
    assert "poll" in u.not_held[1]


@pytest.mark.parametrize(
    "question", ["comentários sobre a enquete de shows", "what did people say about the poll?"]
)
def test_comments_about_a_poll_are_no_votes(question: str) -> None:
    # Given a question about what listeners wrote about a poll
    # When it is read
    u = understand(question)
    # Then it is no refusal
    assert u.refusal is None


@pytest.mark.parametrize(
    "question",
    ["tell me about the last two weeks of October", "me conta das duas últimas semanas de outubro"],
)
def test_tell_me_about_a_month_s_edge_weeks_is_their_summary(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given October's last two weeks, 2026-W43 and 2026-W44
    # When someone asks to be told about them
    got = ask(question, eval_digests, today=TODAY)
    # Then they are summarised, citing exactly them
    assert got.suportada
    assert list(got.semanas) == ["2026-W43", "2026-W44"]


def test_after_the_spike_is_the_peak_and_every_week_after(eval_digests: list[Digest]) -> None:
    # Given layout spiking in 2026-W42, its largest week
    # When someone asks how it ended up after the spike
    got = ask("how did layout complaints end up after the spike?", eval_digests, today=TODAY)
    # Then the answer starts at the peak and reads the weeks after it
    assert got.suportada
    assert got.semanas[0] == "2026-W42"
    assert "2026-W43" in got.semanas
    assert "2026-W42" in got.resposta


@pytest.mark.parametrize(
    ("question", "kind", "sign", "lang"),
    [
        ("what was the single biggest fall of any complaint?", "critica", -1, "en"),
        ("qual sugestão mais cresceu de uma semana pra outra?", "sugestao", 1, "pt"),
    ],
)
def test_the_biggest_move_of_any_item_is_one_week_to_week_move(
    question: str, kind: str, sign: int, lang: str, eval_digests: list[Digest]
) -> None:
    # Given every listed item's change against the week before, as the digests state it
    moves = [
        (sign * int(p.data["variacao"]), d.semana, p.key, p)
        for d in eval_digests
        for p in digest_passages(d)
        if p.kind == kind and p.data.get("variacao") and p.data.get("total_anterior") is not None
    ]
    _, week, tag, passage = max(moves, key=lambda m: (m[0], m[1]))
    # When the biggest rise or fall of any complaint or suggestion is asked, naming none
    got = ask(question, eval_digests, today=TODAY)
    # Then the answer is that one move, its week and both counts, not a ranking by volume
    assert got.suportada
    assert tag_name(tag, lang) in got.resposta
    assert week in got.resposta
    assert str(passage.data["total_anterior"]) in got.resposta
    assert str(passage.data["total"]) in got.resposta


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("what went on between Nov 9 and Nov 15?", ["2026-W46"]),
        ("a semana 45 em 3 linhas", ["2026-W45"]),
        ("brief me on weeks 46-47", ["2026-W46", "2026-W47"]),
    ],
)
def test_more_ways_of_asking_for_a_period_s_summary(
    question: str, weeks: list[str], eval_digests: list[Digest]
) -> None:
    # Given digests for the weeks named
    # When a summary is asked in other words ("brief me", "em 3 linhas", "what went on")
    got = ask(question, eval_digests, today=TODAY)
    # Then those weeks are summarised
    assert got.suportada
    assert list(got.semanas) == weeks


def test_back_on_the_lists_is_coming_back(eval_digests: list[Digest]) -> None:
    # Given layout off the lists in W44-W47 and back in W48
    # When someone asks when it was back on the lists
    got = ask("when was layout back on the lists?", eval_digests, today=TODAY)
    # Then it is W48
    assert list(got.semanas) == ["2026-W48"]


@pytest.mark.parametrize(
    ("question", "category", "lang"),
    [
        ("did praise go up from the first to the last week of November?", "ELOGIO", "en"),
        ("da primeira à última semana de novembro, as críticas subiram?", "CRÍTICA", "pt"),
    ],
)
def test_a_move_from_the_first_to_the_last_week_compares_the_two(
    question: str, category: str, lang: str, eval_digests: list[Digest]
) -> None:
    # Given the category's shares in November's first and last weeks (2026-W45, 2026-W48)
    shares = {
        d.semana: float(p.data["percentual"])
        for d in eval_digests
        for p in digest_passages(d)
        if p.kind == "categoria" and p.key == category
    }
    # When a move from the first to the last week is asked
    got = ask(question, eval_digests, today=TODAY)
    # Then both shares are given side by side, citing both weeks
    assert list(got.semanas) == ["2026-W45", "2026-W48"]
    for week in ("2026-W45", "2026-W48"):
        assert format_number(shares[week], lang, grouped=False, unit="%") in got.resposta
