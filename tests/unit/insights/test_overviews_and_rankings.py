"""Overviews of a named span ("key trends over the past 3 weeks", "me fala sobre a semana 44"),
rankings made "by number of mentions", the week of the biggest move in the number of comments, the
category with the most comments over a period, two weeks compared with "compara ... com", years
and holidays as periods, and the refusals that go with them (a weekday breakdown, the ids of every
comment, a role's view through a possessive, the comments of whoever cancelled). Over the fixed
digests (2026-W40..W48, today 2026-11-30)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.insights.periods import easter_sunday, parse_period
from shared.insights.text import normalise_question
from tests.unit.insights.conftest import TODAY


def answer(question, digests):
    return ask(question, digests, today=TODAY)


def week_totals(digests):
    return {d.semana: (d.stats["total"], d.stats["total_anterior"]) for d in digests}


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("what are the key trends over the past 3 weeks?", ("2026-W46", "2026-W47", "2026-W48")),
        ("tendências de outubro?", ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44")),
        ("me fala sobre a semana 44", ("2026-W44",)),
        ("tell me about week 45", ("2026-W45",)),
    ],
)
def test_an_overview_of_a_named_span_is_a_summary_of_its_weeks(eval_digests, question, weeks):
    # Given a request for the trends or the story of a named span, with no subject
    got = answer(question, eval_digests)
    # Then it is answered as a summary of exactly those weeks, never refused as off the subject
    assert got.suportada, got.resposta
    assert got.semanas == weeks
    totals = week_totals(eval_digests)
    assert str(totals[weeks[-1]][0]) in got.resposta


@pytest.mark.parametrize(
    "question", ["o que a galera pediu mais na semana passada?", "o que o povo pedia na semana 48?"]
)
def test_asking_in_any_tense_is_a_suggestion_question(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert got.semanas == ("2026-W48",)
    assert "sugest" in got.resposta.lower()


@pytest.mark.parametrize(
    ("question", "top"),
    [
        ("o que mais reclamaram em novembro, em número de menções?", "travamentos"),
        (
            "in terms of number of mentions, what did people complain about most in october?",
            "crashes",
        ),
    ],
)
def test_by_number_of_mentions_ranks_the_items_instead_of_counting_comments(
    eval_digests, question, top
):
    # Given a ranking question saying how to rank ("em número de menções")
    got = answer(question, eval_digests)
    # Then it lists the criticisms by mentions, not the weeks' numbers of comments
    assert got.suportada
    assert top in got.resposta.lower()
    assert "comentários por semana" not in got.resposta.lower()
    assert "comments per week" not in got.resposta.lower()


@pytest.mark.parametrize(
    ("question", "pick"),
    [
        ("em que semana o nº de comentários mais caiu?", min),
        ("which week had the sharpest drop in comments?", min),
        ("which week saw the biggest jump in comments?", max),
        ("largest fall in comments from one week to the next?", min),
        ("em que semana os comentários mais cresceram?", max),
    ],
)
def test_the_biggest_move_in_comments_is_the_largest_week_to_week_change(
    eval_digests, question, pick
):
    # Given the stored weeks' totals and the week before each
    totals = week_totals(eval_digests)
    week = pick(totals, key=lambda w: totals[w][0] - totals[w][1])
    # When asked when the number of comments fell (rose) the most
    got = answer(question, eval_digests)
    # Then it is that week, with both of its figures, not the week with the most comments
    assert got.semanas == (week,)
    assert str(totals[week][0]) in got.resposta
    assert str(totals[week][1]) in got.resposta


@pytest.mark.parametrize(
    ("question", "fewest"),
    [
        ("qual categoria teve mais comentários em novembro?", False),
        ("which category got the fewest comments over the last 4 weeks?", True),
    ],
)
def test_the_category_with_the_most_comments_over_a_period_is_a_labelled_sum(
    eval_digests, question, fewest
):
    weeks = ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    sums: dict[str, int] = {}
    for digest in eval_digests:
        if digest.semana in weeks:
            for figures in digest.stats["categorias"]:
                name = figures["categoria"]
                sums[name] = sums.get(name, 0) + figures["total"]
    best = (min if fewest else max)(sums, key=lambda name: sums[name])
    got = answer(question, eval_digests)
    # Then every week of the period is cited and the sums are said to be sums
    assert got.semanas == weeks
    assert "Somando" in got.resposta or "Summed" in got.resposta
    assert got.resposta.rstrip(".").endswith(best)
    assert str(sums[best]) in got.resposta


def test_two_weeks_compared_name_both_their_top_criticism_and_top_suggestion(eval_digests):
    got = answer("compara a semana 45 com a 47", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W47")
    assert got.resposta.count("principal crítica") == 2
    assert got.resposta.count("principal sugestão") == 2


def test_a_week_compared_with_another_by_number_reads_both_weeks(eval_digests):
    got = answer("how does week 46 compare to 48 on crashes?", eval_digests)
    assert got.semanas == ("2026-W46", "2026-W48")


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("compare 2023 and 2024", "period"),
        ("como foi 2024 vs 2025?", "period"),
        ("how did Easter week go?", "period"),
        ("which weekday gets the most complaints?", "metric"),
        ("em que dia da semana chegam mais comentários?", "metric"),
        ("give me the ids of all the comments about crashes", "metric"),
        ("what did the label's manager think of the lyrics?", "person"),
        ("quero ver os comentários de quem cancelou a conta", "metric"),
    ],
)
def test_questions_the_digests_cannot_answer_are_refused(eval_digests, question, reason):
    got = answer(question, eval_digests)
    assert not got.suportada, got.resposta
    assert got.reason == reason
    assert got.fontes == ()


def test_a_complaint_in_the_past_tense_about_a_subject_quotes_that_subject(eval_digests):
    got = answer("o que reclamaram dos travamentos na semana 46?", eval_digests)
    assert got.suportada
    assert got.semanas == ("2026-W46",)
    assert "travamentos" in got.resposta.lower()


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter_sunday_is_the_gregorian_computus(year, sunday):
    assert easter_sunday(year) == sunday


@pytest.mark.parametrize(
    ("question", "today", "weeks"),
    [
        ("a semana da Páscoa", date(2026, 5, 28), ("2026-W14",)),
        ("Easter week and the week before", date(2026, 5, 28), ("2026-W13", "2026-W14")),
        # Before this year's Easter, the most recent one is last year's.
        ("como foi a semana da páscoa?", date(2026, 3, 1), ("2025-W16",)),
        # Carnival Tuesday 2026 is 17 February (47 days before Easter), in 2026-W08.
        ("carnaval", date(2026, 5, 28), ("2026-W08",)),
        ("week 19 compared with 21", date(2026, 5, 28), ("2026-W19", "2026-W21")),
        ("o que teve nessa semana?", date(2026, 5, 28), ("2026-W22",)),
        ("compare 2024 with 2025", date(2026, 5, 28), None),
    ],
)
def test_holidays_years_and_compared_weeks_are_periods(question, today, weeks):
    got = parse_period(normalise_question(question), today).weeks
    if weeks is None:
        assert got[0] == "2024-W01"
        assert got[-1] == "2025-W52"
    else:
        assert got == weeks


@pytest.mark.parametrize(
    "question", ["como foram as coisas em outubro?", "how were things in October?"]
)
def test_how_things_went_in_a_month_is_that_months_summary(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert got.semanas == ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44")


def test_a_period_summary_names_a_tag_spiking_in_several_weeks(digests):
    # Given one tag spiking in three weeks of a period, never among its two largest spikes
    lasting = {"tag": "feat_timer", "total": 0, "media_4_semanas": 1.0, "fator": 2.0}
    changed = []
    bursts = [
        [{"tag": "fix_bug", "total": 40, "media_4_semanas": 4.0, "fator": 10.0}],
        [{"tag": "feat_letras", "total": 50, "media_4_semanas": 5.0, "fator": 10.0}],
        [],
    ]
    for digest, mentions, burst in zip(digests[-3:], (6, 9, 14), bursts, strict=True):
        stats = dict(digest.stats)
        stats["tags_em_alta"] = [*burst, {**lasting, "total": mentions}]
        changed.append(Digest(digest.semana, digest.inicio, digest.fim, stats, digest.texto))
    weeks = [*digests[:-3], *changed]
    # When the period is summarised
    got = answer("the big picture of the last 3 weeks?", weeks)
    # Then that tag is named with each week's mentions
    assert got.suportada
    assert "Spiking in several weeks" in got.resposta
    for mentions in ("6", "9", "14"):
        assert f"({mentions} mentions)" in got.resposta


@pytest.mark.parametrize(
    ("question", "pick"),
    [
        ("when was the biggest drop in volume?", min),
        ("qual foi a maior queda no volume?", min),
    ],
)
def test_a_drop_in_volume_is_the_number_of_comments_not_the_audio_tag(eval_digests, question, pick):
    totals = week_totals(eval_digests)
    week = pick(totals, key=lambda w: totals[w][0] - totals[w][1])
    got = answer(question, eval_digests)
    assert got.semanas == (week,)
    assert str(totals[week][0]) in got.resposta


def test_a_rise_in_volume_complaints_stays_the_audio_tag(eval_digests):
    got = answer("any rise in volume complaints?", eval_digests)
    assert "comments per week" not in got.resposta.lower()
    assert "week-to-week" not in got.resposta


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("fala da semana 46", ("2026-W46",)),
        ("conta aí da semana 47", ("2026-W47",)),
    ],
)
def test_tell_me_about_a_week_in_casual_pt_is_its_summary(eval_digests, question, weeks):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert got.semanas == weeks


@pytest.mark.parametrize(
    "question",
    [
        "o que foi mais comentado em outubro?",
        "what got talked about the most in november?",
        "what was mentioned the most in October, by count?",
    ],
)
def test_what_was_mentioned_most_lists_the_subjects_by_mentions(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert "menções" in got.resposta or "mentions" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "which hour of the day gets the most comments?",
        "a que horas chegam mais reclamações?",
        "show me comments from people who unsubscribed",
        "o que dizem os que cancelaram?",
    ],
)
def test_hours_and_people_who_left_are_refused(eval_digests, question):
    got = answer(question, eval_digests)
    assert not got.suportada, got.resposta
    assert got.reason == "metric"


@pytest.mark.parametrize(
    "question",
    [
        "essa semana vs a passada",
        "compare this week with last week",
        "como essa semana se compara com a anterior?",
    ],
)
def test_this_week_against_the_one_before_while_open_moves_both_back(eval_digests, question):
    # Given today in 2026-W49, which has no digest yet
    got = answer(question, eval_digests)
    # Then "this week" is the last closed week and the week before it is the one compared
    assert got.suportada, got.resposta
    assert got.semanas == ("2026-W47", "2026-W48")
    assert "2026-W48" in got.resposta.split(".")[0] + got.resposta.split(".")[1]


def test_this_week_against_a_numbered_week_is_not_moved(eval_digests):
    got = answer("this week vs week 46", eval_digests)
    assert "2026-W47" not in got.semanas


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("show me every comment about crashes in week 46", "metric"),
        ("me manda todos os comentários sobre letras", "metric"),
        ("how many comments came in through the website?", "metric"),
        ("which comments were shared the most?", "metric"),
        ("what did our guitarist think of the lyrics screen?", "person"),
        ("what did Renata from design think about the playlists?", "person"),
    ],
)
def test_every_comment_a_source_or_a_colleagues_view_is_refused(eval_digests, question, reason):
    got = answer(question, eval_digests)
    assert not got.suportada, got.resposta
    assert got.reason == reason


@pytest.mark.parametrize(
    "question",
    [
        "how many comments in all the weeks?",
        "what do listeners of the lyrics screen think about it?",
        "quais as dúvidas sem resposta da semana 47?",
        "give me a summary of all the comments about crashes",
    ],
)
def test_near_misses_of_those_refusals_are_answered(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("between weeks 12 and 14", ("2026-W12", "2026-W13", "2026-W14")),
        ("entre as semanas 12 e 14", ("2026-W12", "2026-W13", "2026-W14")),
        ("semanas 12 e 14", ("2026-W12", "2026-W14")),
        ("difference between week 12 and 14", ("2026-W12", "2026-W14")),
        ("weeks 12-14", ("2026-W12", "2026-W13", "2026-W14")),
        ("the last two weeks of April", ("2026-W17", "2026-W18")),
        ("as duas primeiras semanas de maio", ("2026-W19", "2026-W20")),
        ("the past fortnight", ("2026-W20", "2026-W21")),
        ("últimos 15 dias", ("2026-W20", "2026-W21")),
        ("last 7 days", ("2026-W21",)),
        ("the week after Easter", ("2026-W15",)),
        ("a semana antes da Páscoa", ("2026-W13",)),
        ("how did the week after Easter compare with Easter week?", ("2026-W14", "2026-W15")),
    ],
)
def test_ranges_month_edges_days_and_weeks_beside_a_holiday(question, weeks):
    got = parse_period(normalise_question(question), date(2026, 5, 28)).weeks
    assert got == weeks


def share_extreme(digests, categoria, pick):
    rows = [
        (d.semana, c["percentual"])
        for d in digests
        for c in d.stats["categorias"]
        if c["categoria"] == categoria
    ]
    return pick(rows, key=lambda row: row[1])[0]


@pytest.mark.parametrize(
    ("question", "categoria", "pick"),
    [
        ("a semana com menos elogios", "ELOGIO", min),
        ("the week with the most suggestions", "SUGESTÃO", max),
    ],
)
def test_the_week_with_the_most_of_a_category_ranks_weeks_not_items(
    eval_digests, question, categoria, pick
):
    got = answer(question, eval_digests)
    assert got.semanas == (share_extreme(eval_digests, categoria, pick),)


@pytest.mark.parametrize(
    "question",
    [
        "desde quando pedem playlists?",
        "since when have people asked for lyrics?",
        "qnd as playlists apareceram?",
    ],
)
def test_since_when_is_the_first_week_a_subject_is_listed(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada
    assert len(got.semanas) == 1
    assert "pela primeira vez" in got.resposta or "first appears" in got.resposta


def april_to_may(*extra: str) -> tuple[str, ...]:
    return tuple(f"2026-W{n}" for n in range(14, 22)) + extra


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("como evoluíram as críticas de abril a maio?", april_to_may("2026-W22")),
        ("from April to May", april_to_may("2026-W22")),
        ("entre abril e maio", april_to_may("2026-W22")),
        ("de abril até agora", april_to_may()),
        ("from april to now", april_to_may()),
        ("de abril pra cá", april_to_may()),
        (
            "de novembro a fevereiro",
            tuple(f"2025-W{n}" for n in range(45, 53)) + tuple(f"2026-W0{n}" for n in range(1, 10)),
        ),
    ],
)
def test_a_span_of_months_is_every_week_between(question, weeks):
    got = parse_period(normalise_question(question), date(2026, 5, 28)).weeks
    assert got == weeks


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("qual o e-mail de quem pediu playlists?", "person"),
        ("send me the emails of the people who asked for lyrics", "person"),
        ("what's the best track on the new album?", "metric"),
        ("qual a faixa preferida dos ouvintes?", "metric"),
    ],
)
def test_contacts_and_song_rankings_are_refused_even_with_a_subject(eval_digests, question, reason):
    got = answer(question, eval_digests)
    assert not got.suportada, got.resposta
    assert got.reason == reason


def test_email_as_a_subject_is_still_answered(eval_digests):
    got = answer("what did people say about email notifications?", eval_digests)
    assert got.reason != "person"


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        (
            "what should I know about October?",
            ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"),
        ),
        ("o que eu preciso saber da semana 46?", ("2026-W46",)),
        (
            "what were the big stories of November?",
            ("2026-W45", "2026-W46", "2026-W47", "2026-W48"),
        ),
        ("weekly report, please", ("2026-W48",)),
    ],
)
def test_what_to_know_about_a_period_is_its_summary(eval_digests, question, weeks):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert got.semanas == weeks


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("qual a menor categoria da semana 47?", "Menor"),
        ("largest category in week 47?", "Largest"),
    ],
)
def test_the_largest_or_smallest_category_of_a_week_is_named(eval_digests, question, word):
    (week,) = [d for d in eval_digests if d.semana == "2026-W47"]
    ranked = sorted(week.stats["categorias"], key=lambda c: c["percentual"])
    expected = ranked[0] if word == "Menor" else ranked[-1]
    got = answer(question, eval_digests)
    assert f"{word}: {expected['categoria']}" in got.resposta


def test_counting_mentions_ranks_the_complaints(eval_digests):
    got = answer("what's the most common complaint since october, counting mentions?", eval_digests)
    assert "mentions" in got.resposta
    assert "by week" not in got.resposta


@pytest.mark.parametrize(
    "question", ["novembro foi melhor que outubro?", "was November worse than October?"]
)
def test_one_month_better_than_another_puts_the_two_months_side_by_side(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta
    assert got.semanas == tuple(f"2026-W{n}" for n in range(40, 49))
    assert "2026-W40–2026-W44" in got.resposta
    assert "2026-W45–2026-W48" in got.resposta


def test_a_capitalised_may_inside_a_question_is_the_month():
    got = parse_period("did May have more complaints than April?", date(2026, 5, 28)).weeks
    assert "2026-W19" in got
    assert "2026-W14" in got
    assert parse_period("May I see last week?", date(2026, 5, 28)).weeks == ("2026-W21",)


def test_about_history_is_the_listening_history_subject(digests):
    # Given a tag the question names only as "histórico", in one week's suggestions
    last = digests[-1]
    stats = dict(last.stats)
    stats["sugestoes_relevantes"] = [
        *stats["sugestoes_relevantes"],
        {"tag": "feat_historico", "total": 7, "total_anterior": 3, "variacao": 4, "exemplos": []},
    ]
    changed = [*digests[:-1], Digest(last.semana, last.inicio, last.fim, stats, last.texto)]
    got = answer("o pessoal tá pedindo o quê sobre histórico?", changed)
    # Then the subject is that tag, not the history of the figures
    assert got.suportada, got.resposta
    assert "histórico de audição" in got.resposta.lower()
    # And "o histórico das críticas" stays the category's course
    assert "CRÍTICA" in answer("me mostra o histórico das críticas", changed).resposta


def test_a_question_joined_by_to_is_answered_in_english(eval_digests):
    got = answer("compare 2023 to 2024", eval_digests)
    assert not got.suportada
    assert got.language == "en"
    assert "no digest" in got.resposta


def test_a_holiday_weekend_is_its_week_while_weekends_in_general_are_refused():
    # Given 100 generated weeks (2025-W02..2026-W49), Easter 2026 on 5 April, in 2026-W14
    from tooling.evals.insights.generate import build

    digests = [Digest.from_json(item) for item in build(11, date(2025, 1, 6), 100)]
    today = date(2026, 12, 9)
    got = ask("how was the Easter weekend?", digests, today=today)
    assert got.suportada
    assert got.semanas == ("2026-W14",)
    refused = ask("do more comments come in on weekends?", digests, today=today)
    assert not refused.suportada
    assert refused.reason == "metric"


@pytest.mark.parametrize("question", ["um resumão de outubro, por favor", "recap October for me"])
def test_a_span_summary_names_its_busiest_and_quietest_weeks(eval_digests, question):
    # Given a summary asked for a month of several weeks
    got = answer(question, eval_digests)
    # Then it names the month's busiest and quietest weeks with their totals as the digests hold them
    assert got.suportada, got.resposta
    month = {w: t for w, (t, _) in week_totals(eval_digests).items() if w <= "2026-W44"}
    busiest, quietest = max(month, key=month.__getitem__), min(month, key=month.__getitem__)
    assert f"{busiest} ({month[busiest]})" in got.resposta.replace(".", "").replace(",", "")
    assert f"{quietest} ({month[quietest]})" in got.resposta.replace(".", "").replace(",", "")


def test_a_span_summary_spikes_name_two_different_tags(digests):
    # Given one tag spiking hard in two weeks of a period and another tag spiking less
    changed = []
    for digest, spiking in zip(
        digests[-3:],
        (
            [{"tag": "fix_bug", "total": 40, "media_4_semanas": 2.0, "fator": 20.0}],
            [{"tag": "fix_bug", "total": 38, "media_4_semanas": 2.0, "fator": 19.0}],
            [{"tag": "feat_letras", "total": 12, "media_4_semanas": 4.0, "fator": 3.0}],
        ),
        strict=True,
    ):
        stats = dict(digest.stats)
        stats["tags_em_alta"] = spiking
        changed.append(Digest(digest.semana, digest.inicio, digest.fim, stats, digest.texto))
    # When the period is summarised
    got = answer("sum up the last 3 weeks", [*digests[:-3], *changed])
    # Then the spikes named are the two tags, the repeated one at its largest
    assert got.suportada, got.resposta
    spiking = got.resposta.split("Spiking: ", 1)[1].split(".", 1)[0]
    assert "40 mentions" in spiking
    assert "38 mentions" not in spiking
    assert "12 mentions" in spiking


def _with_audio_quotes(digests, quotes):
    week = next(i for i, d in enumerate(digests) if d.semana == "2026-W47")
    digest = digests[week]
    stats = dict(digest.stats)
    stats["criticas_recorrentes"] = [
        {**c, "exemplos": [{"id": f"c-9{n}", "texto": q} for n, q in enumerate(quotes)]}
        if c["tag"] == "fix_audio"
        else c
        for c in stats["criticas_recorrentes"]
    ]
    digests[week] = Digest(digest.semana, digest.inicio, digest.fim, stats, digest.texto)
    return digests


def test_a_subject_no_tag_lists_is_found_in_one_tags_quoted_words(digests):
    # Given a week whose audio complaints quote listeners about a concert broadcast
    weeks = _with_audio_quotes(
        digests, ["the concert broadcast kept cutting out", "transmissão do show travando o som"]
    )
    # When a question asks about the concert broadcast, which no listed tag names
    got = answer("what did listeners think of the concert broadcast in week 47?", weeks)
    # Then the answer is about the tag whose quotes talk about it, in that week
    assert got.suportada, got.resposta
    assert got.semanas == ("2026-W47",)
    assert "concert broadcast kept cutting out" in got.resposta


def test_a_subject_matching_no_quote_is_still_refused(digests):
    # Given quotes that share only one word with the question
    weeks = _with_audio_quotes(digests, ["the concert was great", "bom show"])
    # When a question asks about a subject no listed tag names
    got = answer("what did listeners think of the concert broadcast in week 47?", weeks)
    # Then it is refused as absent
    assert not got.suportada
    assert got.reason == "absent"


@pytest.mark.parametrize(
    ("question", "week"),
    [
        ("e lá pelo finalzinho de outubro, semana do dia 27/10?", "2026-W44"),
        ("and around mid October, the week of 10/13?", "2026-W42"),
    ],
)
def test_a_question_naming_only_a_dated_week_is_that_weeks_summary(eval_digests, question, week):
    # Given a question that names a week by a date inside a loosely named part of a month
    got = answer(question, eval_digests)
    # Then it is that week's summary with its total as the digest holds it
    assert got.suportada, got.resposta
    assert got.semanas == (week,)
    assert str(week_totals(eval_digests)[week][0]) in got.resposta


@pytest.mark.parametrize(
    "question", ["week with the fewest comments?", "semana com menos comentário"]
)
def test_a_question_opening_on_the_week_ranks_the_weeks(eval_digests, question):
    # Given the stored weeks' totals
    totals = week_totals(eval_digests)
    quietest = min(totals, key=lambda w: totals[w][0])
    # When the question opens on "the week with the fewest comments", with no article
    got = answer(question, eval_digests)
    # Then it is the quietest week, with its total
    assert got.semanas == (quietest,)
    assert str(totals[quietest][0]) in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "I have no idea how the listeners are doing, quick rundown?",
        "no idea what is up with our listeners, how are things?",
    ],
)
def test_no_idea_is_not_a_request_for_ideas(eval_digests, question):
    # Given "no idea" / "any idea" in a general question
    got = answer(question, eval_digests)
    # Then it is the latest week's summary, not its suggestions
    assert got.suportada, got.resposta
    assert got.semanas == ("2026-W48",)
    assert str(week_totals(eval_digests)["2026-W48"][0]) in got.resposta


@pytest.mark.parametrize(
    ("question", "categoria", "down"),
    [
        ("qual semana os elogios mais caíram?", "ELOGIO", True),
        ("which week did praise rise the most?", "ELOGIO", False),
    ],
)
def test_the_biggest_share_move_also_gives_the_counts_when_they_moved_alike(
    eval_digests, question, categoria, down
):
    # Given each week's share move of the category, and a week where its count moved alike
    rows = {
        d.semana: next(c for c in d.stats["categorias"] if c["categoria"] == categoria)
        for d in eval_digests
    }
    week = (min if down else max)(rows, key=lambda w: rows[w]["variacao_pontos"])
    row = rows[week]
    assert (row["total"] < row["total_anterior"]) == down
    # When asked when the category fell (rose) the most
    got = answer(question, eval_digests)
    # Then that week is named with its share move and its two counts
    assert got.semanas == (week,)
    assert f"{row['total_anterior']} " in got.resposta
    assert f"{row['total']} " in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "qual a principal crítica da semana passada e quantas menções ela teve?",
        "how many mentions did the top complaint get last week?",
    ],
)
def test_how_many_mentions_of_the_top_item_lists_the_items(eval_digests, question):
    # Given last week's recurring criticisms, the largest first
    latest = eval_digests[-1]
    top = max(latest.stats["criticas_recorrentes"], key=lambda c: c["total"])
    # When asked how many mentions the top one had
    got = answer(question, eval_digests)
    # Then the items are listed with the top one's count, not the category's number of comments
    assert got.semanas == (latest.semana,)
    assert f"{top['total']} " in got.resposta
    category = next(c for c in latest.stats["categorias"] if c["categoria"] == "CRÍTICA")
    assert f"{category['total']} " not in got.resposta
