"""Each kind of question people ask, answered from the fixed digests (2026-W40..W48)."""

from __future__ import annotations

import pytest

from shared.insights import ask
from shared.insights.text import normalise_question
from shared.insights.understanding import understand
from tests.unit.insights.conftest import TODAY


def answer(question, digests):
    return ask(question, digests, today=TODAY)


def test_the_recent_trends_question_is_a_summary_not_a_refusal(eval_digests):
    # Given the question the earlier system's clients send
    got = answer("Quais são as tendências recentes?", eval_digests)
    # Then it is answered from the latest digests, every figure from them
    assert got.suportada
    assert "2026-W48" in got.semanas
    assert "891" in got.resposta


def test_when_a_tag_peaked_is_found_over_every_week_and_named_with_dates(eval_digests):
    got = answer("When did song lyrics requests peak?", eval_digests)
    assert got.semanas == ("2026-W41",)
    assert "84" in got.resposta
    assert "05/10/2026" in got.resposta
    assert "song lyrics" in got.resposta.lower()
    assert "feat_letra" not in got.resposta


def test_the_biggest_fall_is_not_the_highest_week(eval_digests):
    # Given CRÍTICA's highest share in W48 and its biggest fall in W46 (-4.4 points)
    got = answer("Em que semana as críticas caíram mais?", eval_digests)
    # Then the fall is named, as a fall in points, with its test
    assert got.semanas == ("2026-W46",)
    assert "caiu 4,4 p.p." in got.resposta
    assert "-4,4" not in got.resposta
    assert "não significativa" in got.resposta


def test_a_fall_in_number_is_found_by_count(eval_digests):
    got = answer("Em que semana o número de elogios caiu mais?", eval_digests)
    assert got.semanas == ("2026-W42",)
    assert "254" in got.resposta
    assert "207" in got.resposta


def test_the_most_over_weeks_is_by_volume_and_recurrence_is_labelled(eval_digests):
    by_volume = answer("Quais as sugestões mais pedidas nas últimas semanas?", eval_digests)
    assert "por volume" in by_volume.resposta
    assert by_volume.resposta.index("letras das músicas") < by_volume.resposta.index("playlists")
    by_recurrence = answer("Qual sugestão aparece todas as semanas?", eval_digests)
    assert "Por recorrência" in by_recurrence.resposta
    assert "listada em todas as semanas" in by_recurrence.resposta


def test_a_year_no_digest_covers_is_refused(eval_digests):
    got = answer("Como foram os elogios em 2025?", eval_digests)
    assert not got.suportada
    assert got.reason == "period"


def test_this_week_without_a_digest_is_the_last_closed_week_and_says_so(eval_digests):
    got = answer("Quantos comentários recebemos essa semana?", eval_digests)
    assert got.suportada
    assert got.semanas == ("2026-W48",)
    assert "não tem digest" in got.resposta
    assert "última semana fechada" in got.resposta
    assert "891" in got.resposta


def test_an_insignificant_change_comes_with_its_figures(eval_digests):
    got = answer("Did criticism change significantly in week 45?", eval_digests)
    assert got.resposta.startswith("No:")
    assert "2.3 pp" in got.resposta
    assert "0.318" in got.resposta


def test_one_comment_is_singular(eval_digests):
    # Given a digest whose top criticism has exactly one comment
    first = eval_digests[-1]
    stats = dict(first.stats)
    theme = dict(stats["criticas_recorrentes"][0], total=1, total_anterior=0, variacao=1)
    stats["criticas_recorrentes"] = [theme]
    digests = [*eval_digests[:-1], type(first)(first.semana, first.inicio, first.fim, stats, "")]
    got = answer("Quais foram as principais reclamações da semana passada?", digests)
    assert "1 comentário," in got.resposta
    assert "1 comentários" not in got.resposta


def test_two_named_periods_are_compared_side_by_side(eval_digests):
    # Given October (W40-W44) and November (W45-W48) stored
    got = answer("Compare outubro com novembro", eval_digests)
    # Then each month has its own figures, from its first week to its last
    assert got.suportada
    october, november = got.resposta.split("2026-W45–2026-W48")
    assert "2026-W40–2026-W44" in october
    assert "30,9%" in october
    assert "44,7%" in november
    assert set(got.semanas) == {f"2026-W{n}" for n in range(40, 49)}


def test_english_answers_write_dates_in_english(eval_digests):
    got = answer("When did song lyrics requests peak?", eval_digests)
    assert "05/10/2026 to 11/10/2026" in got.resposta


def test_a_category_whose_share_and_count_moved_apart_says_which_is_which(eval_digests):
    # Given ELOGIO in W41: 246 -> 254 comments while its share fell 1.4 points (p = 0.436)
    got = answer("Como foram os elogios na semana 41?", eval_digests)
    # Then the answer says the share fell while the count rose, and that it is not significant
    assert "A participação caiu 1,4 p.p., mas o número de comentários subiu" in got.resposta
    assert "não significativa (p = 0,436)" in got.resposta


def test_what_people_said_quotes_listeners(eval_digests):
    got = answer("O que as pessoas disseram sobre travamentos?", eval_digests)
    assert got.resposta.count('"') >= 4  # two quotations, each marked
    assert "[c-" in got.resposta


def test_a_tag_named_in_full_is_not_also_read_as_the_broader_tag():
    from shared.insights.understanding import detect_tags

    # "letra sincronizada" is synced lyrics, not also song lyrics; two named tags stay two
    assert detect_tags("Quando os pedidos de letra sincronizada tiveram o pico?") == (
        "feat_sincronia",
    )
    assert detect_tags("travamentos e anúncios") == ("feat_anuncio", "fix_travamento")


NEW_KINDS = [
    "Quais são as tendências recentes?",
    "What's going on lately?",
    "Resuma o mês passado",
    "Em que semana as críticas caíram mais?",
    "Em que semana o número de elogios caiu mais?",
    "When did crash complaints peak?",
    "Quando começaram as reclamações de layout?",
    "O que os ouvintes mais sugeriram nas últimas semanas?",
    "Which suggestion shows up every week?",
    "Compare outubro com novembro",
    "Como foram os elogios na semana 41?",
    "Quantos comentários recebemos essa semana?",
]


def test_every_number_of_the_new_kinds_is_in_a_cited_passage_over_two_years_of_digests():
    # Given 100 weekly digests of another seed (2025-W02..2026-W49)
    from datetime import date

    from shared.digest.store import Digest
    from shared.numbers import numbers_in_text
    from tooling.evals.insights.generate import build

    digests = [Digest.from_json(item) for item in build(11, date(2025, 1, 6), 100)]
    for question in NEW_KINDS:
        # When each kind of question is asked
        got = ask(question, digests, today=date(2026, 12, 9))
        # Then it is answered within 150 words, every number from a cited passage
        assert got.suportada, question
        assert len(got.resposta.split()) <= 150, question
        cited = {n for p in got.fontes for n in numbers_in_text(p.text)}
        assert set(numbers_in_text(got.resposta, got.language)) <= cited, (question, got.resposta)
        assert set(got.semanas) == {p.semana for p in got.fontes}


def test_general_questions_in_either_language_are_summaries(eval_digests):
    # Given no span named, the latest digest; "lately" asks for the latest month
    for question, weeks in (
        ("What's going on lately?", ("2026-W45", "2026-W46", "2026-W47", "2026-W48")),
        ("Como andam as coisas?", ("2026-W48",)),
        ("Tendências?", ("2026-W48",)),
    ):
        got = answer(question, eval_digests)
        assert got.suportada, question
        assert got.semanas == weeks, question


def test_a_yes_or_no_on_a_category_that_moved_both_ways_says_both(eval_digests):
    # Given ELOGIO in W48: share 16.9% -> 16.6%, count 139 -> 148
    got = answer("Os elogios subiram na semana 48?", eval_digests)
    assert got.resposta.startswith("Em participação, não; em número, sim.")
    assert "de 139 para 148 comentários" in got.resposta


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        # "quem" then the listeners later on its line; not when they are on the next line
        ("ok, quem são os usuários que mais reclamam?", "person"),
        ("o que o CEO da empresa acha das críticas?", "person"),
        # the role's shorter reading ends before the verb ("the marketing", then "lead says")
        ("what does the marketing lead say about ads?", "person"),
        ("comentários da Ana sobre anúncios", "person"),
        ("Did Pedro like the new layout?", "person"),
        ("Tidal's prices", "entity"),
        ("quanto é 1234 * 5?", "off_topic"),
    ],
)
def test_people_names_roles_and_arithmetic_are_read_wherever_they_stand(question, refusal):
    assert understand(normalise_question(question)).refusal == refusal


def test_who_reaches_only_to_the_end_of_its_line():
    # Given "quem" on one line and the listeners on the next
    question = "quem\nusuários"
    # Then the two are not read together as asking who the listeners are
    assert understand(question).refusal != "person"


def test_how_did_then_go_is_read_on_one_line_only():
    # Given "how did ... go" on one line, and split over two
    one_line = understand("how did week 45 go?")
    two_lines = understand("how did week 45\ngo?")
    # Then only the first is the general question
    assert one_line.general
    assert not two_lines.general
