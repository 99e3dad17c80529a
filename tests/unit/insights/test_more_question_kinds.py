"""Question kinds beyond the first wordings: busy and quiet weeks, a category that surged, the
largest single-week item, weeks named by month, holiday or "the week before", open questions
asked casually, a category's course, and the refusals that go with them. Over the fixed digests
(2026-W40..W48, today 2026-11-30)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.insights.text import correct_typos, expand_shorthand
from shared.numbers import numbers_in_text
from tests.unit.insights.conftest import TODAY
from tooling.evals.insights.generate import build


def answer(question, digests):
    return ask(question, digests, today=TODAY)


@pytest.mark.parametrize(
    ("question", "week", "figure"),
    [
        ("which week was the calmest?", "2026-W46", "804"),
        ("qual foi a semana mais fraca de comentários?", "2026-W46", "804"),
        ("what was our heaviest week?", "2026-W41", "1125"),
        ("qual foi a semana mais movimentada?", "2026-W41", "1125"),
    ],
)
def test_a_busy_or_quiet_week_is_ranked_by_comments_and_cites_that_week(
    eval_digests, question, week, figure
):
    # Given a week called busy or quiet, with no period named
    got = answer(question, eval_digests)
    # Then it is the week with the most (fewest) comments over every stored week, the one cited
    assert got.suportada
    assert got.semanas == (week,)
    assert figure in got.resposta


def test_a_ranking_over_named_weeks_cites_every_week_it_compared(eval_digests):
    got = answer("which week of the last 4 had the most comments?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    assert "2026-W48" in got.resposta
    assert "891" in got.resposta


@pytest.mark.parametrize(
    "question", ["when did suggestions shoot up?", "em que semana as sugestões dispararam?"]
)
def test_a_category_that_surged_is_its_biggest_share_rise(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.semanas == ("2026-W42",)
    assert got.resposta.count("4.5") + got.resposta.count("4,5") == 1
    assert "24.7" in got.resposta or "24,7" in got.resposta


def test_a_level_word_is_the_highest_share_not_the_biggest_rise(eval_digests):
    # "o ponto mais alto" is a level: the week of the highest share, not of the biggest jump
    got = answer("quando as sugestões chegaram no ponto mais alto?", eval_digests)
    assert got.suportada
    assert "maior participação" in got.resposta


@pytest.mark.parametrize(
    ("question", "week", "words", "count"),
    [
        ("what's the largest complaint any one week had?", "2026-W40", "app errors", "36"),
        ("qual sugestão mais apareceu numa semana só?", "2026-W41", "letras das músicas", "84"),
    ],
)
def test_the_largest_single_week_item_is_one_weeks_count(
    eval_digests, question, week, words, count
):
    got = answer(question, eval_digests)
    assert got.semanas == (week,)
    assert words in got.resposta
    assert f"{count} men" in got.resposta


def test_every_single_week_asks_for_recurrence_not_a_single_week(eval_digests):
    got = answer("what suggestion shows up every single week?", eval_digests)
    assert "By recurrence" in got.resposta
    assert "in a single week" not in got.resposta


def test_shorthand_is_read_as_the_words_it_stands_for(eval_digests):
    assert expand_shorthand("qnd oq vc viu?") == "quando o que você viu?"
    assert expand_shorthand("feat_q and 2026-W03") == "feat_q and 2026-W03"
    got = answer("qnd as críticas subiram mais?", eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "5,7 p.p." in got.resposta


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("compare the second and third weeks of November", ("2026-W46", "2026-W47")),
        ("compara a primeira e a última semana de novembro", ("2026-W45", "2026-W48")),
        ("a semana 47 foi mais movimentada que a anterior?", ("2026-W46", "2026-W47")),
    ],
)
def test_weeks_named_within_a_month_or_before_another_are_compared(eval_digests, question, weeks):
    got = answer(question, eval_digests)
    assert got.semanas == weeks
    # Two weeks side by side end saying which had more
    assert "Mais comentários em" in got.resposta or "More comments in" in got.resposta


def test_a_half_of_a_month_is_its_weeks(eval_digests):
    got = answer("how did the first half of November look?", eval_digests)
    assert got.suportada
    assert got.semanas == ("2026-W45", "2026-W46")


@pytest.mark.parametrize(
    ("question", "week", "quoted"),
    [
        ("what did people keep asking in week 46?", "2026-W46", "c-3824"),
        ("quais dúvidas ficaram sem resposta na semana 44?", "2026-W44", "c-2907"),
    ],
)
def test_open_questions_asked_casually_quote_the_open_questions(
    eval_digests, question, week, quoted
):
    got = answer(question, eval_digests)
    assert got.semanas == (week,)
    assert quoted in got.resposta


def test_asking_for_something_is_a_suggestion_not_an_open_question(eval_digests):
    got = answer("what do listeners ask for the most?", eval_digests)
    assert "suggestions" in got.resposta.lower()
    assert "Open questions" not in got.resposta


def test_how_a_category_did_over_a_month_is_its_course_and_its_largest_items(eval_digests):
    got = answer("how did criticism do in November?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    assert "by week" in got.resposta
    assert "44.7%" in got.resposta
    assert "recurring criticisms" in got.resposta


def test_a_week_where_nothing_moved_beyond_chance_says_so(eval_digests):
    got = answer("what changed in the categories in week 47?", eval_digests)
    assert got.semanas == ("2026-W47",)
    assert "No significant change in any category" in got.resposta


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("what do folks think of Deezer's lyrics?", "entity"),
        ("as pessoas comparam a gente com o Spotify?", "entity"),
        ("me manda o whatsapp de quem pediu letra", "person"),
        ("give me the e-mail addresses of people who wanted playlists", "person"),
        ("did Carla like the playlists?", "person"),
        ("does the head of marketing like the new lyrics view?", "person"),
        ("quantos usuários diferentes comentaram em outubro?", "metric"),
        ("quanto custa a assinatura família?", "metric"),
        ("what's the price of the student plan?", "metric"),
        ("how do I export my playlists?", "off_topic"),
        ("como estavam os elogios em meados de 2025?", "period"),
    ],
)
def test_questions_the_digests_cannot_answer_are_refused(eval_digests, question, reason):
    got = answer(question, eval_digests)
    assert not got.suportada
    assert got.reason == reason
    assert got.fontes == ()


@pytest.mark.parametrize(
    "question",
    [
        "what are listeners saying about the Lyrics screen?",
        "did people complain about crashes on the family plan?",
        "o que a galera achou das letras?",
    ],
)
def test_near_misses_of_the_refusals_are_answered(eval_digests, question):
    got = answer(question, eval_digests)
    assert got.suportada, got.resposta


def test_what_people_said_about_a_price_is_about_the_price_tag_not_a_price(eval_digests):
    # Given digests that never list the price tag
    got = answer("what did people say about the price of the plan?", eval_digests)
    # Then the subject is looked for, and found absent, rather than refused as a plan's price
    assert not got.suportada
    assert got.reason == "absent"
    assert "price" in got.resposta


@pytest.mark.parametrize(
    "question", ["o volume caiu na semana passada?", "did the comment volume go up last week?"]
)
def test_the_volume_moving_is_the_weeks_number_of_comments_not_the_audio_volume_tag(
    eval_digests, question
):
    got = answer(question, eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "891" in got.resposta
    assert "821" in got.resposta
    assert "volume desigual" not in got.resposta
    assert "uneven volume" not in got.resposta.lower()


def test_two_categories_one_or_the_other_are_shown_side_by_side(eval_digests):
    got = answer("were there more complaints or praise last week?", eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "148 comments" in got.resposta  # ELOGIO
    assert "398 comments" in got.resposta  # CRÍTICA


def test_a_subject_absent_from_the_weeks_asked_names_its_last_listing(eval_digests):
    # Given the visual theme listed in W42 and W46 only
    got = answer("o que falaram do tema escuro depois da semana 46?", eval_digests)
    # Then the weeks after W46 are said not to list it, and its last listing is given
    assert got.suportada
    assert "2026-W47, 2026-W48" in got.resposta
    assert "última vez em 2026-W46" in got.resposta
    assert "6 menções" in got.resposta


def test_a_subject_no_stored_week_lists_is_still_absent(eval_digests):
    got = answer("any complaints about the car app?", eval_digests)
    assert not got.suportada
    assert got.reason == "absent"


def test_the_most_common_questions_are_the_open_questions(eval_digests):
    got = answer("what are the most common questions?", eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "Open questions" in got.resposta
    assert "c-4852" in got.resposta


def test_how_many_people_complained_is_answered_with_the_comments_counted(eval_digests):
    got = answer("how many people complained about crashes in week 46?", eval_digests)
    assert got.semanas == ("2026-W46",)
    assert "18 comments" in got.resposta


def test_a_question_made_only_of_periods_asks_about_them(eval_digests):
    both = answer("outubro x novembro", eval_digests)
    assert both.suportada
    assert both.semanas[0] == "2026-W40"
    assert both.semanas[-1] == "2026-W48"
    one = answer("e a semana 45?", eval_digests)
    assert one.semanas == ("2026-W45",)
    assert "887" in one.resposta


def test_trending_down_is_a_direction_not_a_spike(eval_digests):
    got = answer("is praise trending down?", eval_digests)
    assert "Spiking" not in got.resposta
    assert "ELOGIO" in got.resposta


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("how do other apps compare?", "entity"),
        ("how many premium users do we have?", "metric"),
        ("write a reply to the people complaining about crashes", "off_topic"),
    ],
)
def test_other_apps_user_counts_and_writing_tasks_are_refused(eval_digests, question, reason):
    got = answer(question, eval_digests)
    assert not got.suportada
    assert got.reason == reason


def test_a_summary_asked_as_a_writing_task_is_still_a_summary(eval_digests):
    got = answer("write me a summary of last week", eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "891" in got.resposta


def test_a_key_word_one_typo_away_is_read_as_meant(eval_digests):
    assert correct_typos("quantos comentarios em novembo?") == "quantos comentarios em novembro?"
    assert correct_typos("complants semana passda") == "complaints semana passada"
    # Real words near a key word, and words near two of them, stay as written
    assert correct_typos("critical bugs, semanal") == "critical bugs, semanal"
    got = answer("quantos comentários em novembo?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")


def test_a_subject_over_a_named_period_names_the_weeks_that_do_not_list_it(eval_digests):
    # Given audio glitches listed in W45-W47 and not in W48
    got = answer("how did the audio glitches go in November?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
    assert "Not listed in 2026-W48." in got.resposta
    assert "27 comments" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "did song lyrics requests keep growing after their peak?",
        "os pedidos de letras continuaram subindo depois do pico?",
    ],
)
def test_after_a_peak_every_later_week_is_named(eval_digests, question):
    # Given song lyrics peaking in W41 with 84 mentions, then 39 in W42
    got = answer(question, eval_digests)
    assert got.semanas[0] == "2026-W41"
    assert got.semanas[-1] == "2026-W48"
    assert "84" in got.resposta
    assert "2026-W42 (39 men" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "em que semana a participação dos elogios caiu mas o número subiu?",
        "when did praise share and count move apart?",
    ],
)
def test_weeks_where_share_and_count_moved_apart_are_found(eval_digests, question):
    # Given ELOGIO's share down and count up in W41 (246 -> 254) and W48 (139 -> 148)
    got = answer(question, eval_digests)
    assert got.semanas == ("2026-W41", "2026-W48")
    assert "254" in got.resposta
    assert "148" in got.resposta


def test_share_and_count_apart_the_other_way_round_is_found_nowhere(eval_digests):
    got = answer("in which week did the praise count fall while its share rose?", eval_digests)
    assert got.suportada
    assert "never moved in opposite directions" in got.resposta


def test_new_complaints_are_the_weeks_list_and_those_absent_from_the_weeks_before(eval_digests):
    # Given the layout listed in W48 and in none of W44-W47
    got = answer("any new complaints last week?", eval_digests)
    assert got.semanas == ("2026-W48",)
    assert "crashes and freezes (20 comments" in got.resposta
    assert "New criticisms (in none of the four weeks before): layout." in got.resposta


def test_new_in_a_subjects_name_is_not_a_question_about_new_items(eval_digests):
    got = answer("quais as principais críticas ao novo app?", eval_digests)
    assert "novas" not in got.resposta


def test_a_one_word_english_subject_is_answered_in_english(eval_digests):
    assert answer("crashes?", eval_digests).language == "en"
    assert answer("travamentos?", eval_digests).language == "pt"


NEW_KINDS = [
    "which week was the quietest?",
    "qual foi a semana mais movimentada?",
    "qual foi a maior crítica numa única semana?",
    "biggest single-week suggestion?",
    "when did suggestions shoot up?",
    "em que semana a participação dos elogios caiu mas o número subiu?",
    "alguma reclamação nova?",
    "did song lyrics requests keep growing after their peak?",
    "how did criticism do last month?",
    "compare the first and second weeks of the last month",
    "what stood out last week?",
    "what were people asking last week?",
    "qnd as críticas deram o maior salto?",
    "o volume caiu na semana passada?",
    "were there more complaints or praise last week?",
    "as festas de fim de ano",
    "how did crashes go over the last 3 weeks?",
    "o que falaram do tema escuro na semana passada?",
    "did crashes keep growing after their peak?",
    "when did criticism share and count move apart?",
    "what do people say about the volume?",
    "when did the dark mode complaints fade?",
]


@pytest.mark.parametrize(
    ("seed", "first_monday", "weeks"),
    [(5, date(2025, 11, 3), 10), (42, date(2026, 2, 2), 6)],
)
def test_the_new_kinds_state_only_figures_of_the_passages_they_cite(seed, first_monday, weeks):
    # Given digests of other seeds and lengths, one of them across a year end
    digests = [Digest.from_json(item) for item in build(seed, first_monday, weeks)]
    today = first_monday + timedelta(weeks=weeks)
    for question in NEW_KINDS:
        got = ask(question, digests, today=today)
        assert len(got.resposta.split()) <= 150, question
        if not got.suportada:
            assert got.fontes == (), question
            continue
        cited = {n for p in got.fontes for n in numbers_in_text(p.text)}
        text = re.sub(r"(Sem digest para|No digest for) [^.]*\.", "", got.resposta)
        stated = set(numbers_in_text(text, got.language))
        # Then every number stated is in a cited passage, and the weeks named are those cited
        assert stated <= cited, (question, stated - cited, got.resposta)
        assert set(got.semanas) == {p.semana for p in got.fontes}, question


def test_a_subject_that_faded_out_of_the_lists_names_its_last_listing(eval_digests):
    # Given the visual theme listed last in W46 (6 mentions), never falling while listed
    got = answer("when did the dark mode complaints fade?", eval_digests)
    assert got.semanas == ("2026-W46", "2026-W47", "2026-W48")
    assert "last listed in 2026-W46" in got.resposta
    assert "not listed in 2026-W47, 2026-W48" in got.resposta


@pytest.mark.parametrize(
    ("question", "week", "figure"),
    [
        ("biggest weekly drop in praise?", "2026-W45", "2.9 pp"),
        ("maior queda semanal das críticas?", "2026-W46", "4,4 p.p."),
        ("when was the sharpest rise in criticism?", "2026-W48", "5.7 pp"),
        ("which week did complaints jump the most in absolute numbers?", "2026-W48", "398"),
        ("qual foi o pico dos elogios?", "2026-W40", "24%"),
    ],
)
def test_the_largest_move_or_level_of_a_category_is_one_week(eval_digests, question, week, figure):
    got = answer(question, eval_digests)
    assert got.semanas == (week,)
    assert figure in got.resposta


def test_the_least_mentioned_complaint_is_over_every_stored_week(eval_digests):
    got = answer("which complaint was mentioned the least?", eval_digests)
    assert got.semanas[0] == "2026-W40"
    assert got.resposta.startswith("Least mentioned in 2026-W40–2026-W48")


@pytest.mark.parametrize(
    "question",
    [
        "quantos comentários foram em inglês?",
        "which comment got the most likes?",
        "what's the average comment length?",
        "how many comments were deleted?",
        "show me all comments from last week",
    ],
)
def test_what_the_digests_never_keep_about_comments_is_refused(eval_digests, question):
    got = answer(question, eval_digests)
    assert not got.suportada
    assert got.reason == "metric"


def test_all_the_weeks_comments_counted_is_still_a_total(eval_digests):
    got = answer("how many comments did we get in all the weeks?", eval_digests)
    assert got.suportada
    assert "Summed over the 9 weeks" in got.resposta


def test_two_subjects_weighed_are_summed_over_the_weeks_that_list_them(eval_digests):
    got = answer("which is worse, crashes or slow loading?", eval_digests)
    assert got.resposta.startswith("Summed over the weeks listed: ")
    assert "more for " in got.resposta


def test_removed_songs_are_a_subject_and_removed_comments_a_refusal(eval_digests):
    # "Removed" albums are the catalogue subject; removed comments are moderation, never kept
    subject = answer("what do people say about the removed albums?", eval_digests)
    assert subject.reason != "metric"
    moderation = answer("how many comments were removed last week?", eval_digests)
    assert not moderation.suportada
    assert moderation.reason == "metric"


def test_a_summary_of_all_the_comments_is_a_summary(eval_digests):
    got = answer("summarize all the comments from last week", eval_digests)
    assert got.semanas == ("2026-W48",)


def test_emails_as_a_subject_are_not_contact_details(eval_digests):
    # Complaints about the e-mails sent are a subject; someone's e-mail address is not given
    assert answer("do people complain about our marketing emails?", eval_digests).suportada
    contact = answer("qual o e-mail do usuário que reclamou?", eval_digests)
    assert contact.reason == "person"
