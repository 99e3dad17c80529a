"""What the weekly digests cannot answer is refused with a sentence saying what they hold; casual
questions and two named weeks are answered. Digests: the fixed set, 2026-W40..W48."""

from __future__ import annotations

from datetime import date

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.insights.answerer import Answer
from shared.insights.periods import parse_period
from shared.numbers import numbers_in_text
from tests.unit.insights.conftest import TODAY
from tooling.evals.insights.generate import build


def answer(question: str, digests: list[Digest]) -> Answer:
    return ask(question, digests, today=TODAY)


@pytest.mark.parametrize(
    "question",
    [
        "What did user 4821 write?",
        "Quais comentários o @fulano escreveu?",
        "Which users complained the most?",
        "Quem mais reclamou?",
        "Mostre os comentários do usuário joao_silva",
        "Quem são os ouvintes que mais pedem letras?",
        "Me mostra o que o usuário maria123 postou",
        "Qual ouvinte mais reclamou de travamentos?",
        "Top 10 usuários que mais comentaram",
        "O que o Pedro escreveu sobre o layout?",
        "What does Sarah think of the lyrics feature?",
        "Mostre os comentários da Maria sobre o layout",
        "Quais são os usuários que mais reclamam?",
        "Who are our most active listeners?",
        "How does the CEO see the complaints?",
        "O que o CEO acha?",
        "What does the marketing lead think?",
        "A opinião do vocalista sobre o app",
        "O que o João achou das letras sincronizadas?",
        "How does our CTO feel about the crashes?",
        "What did the CEO say about complaints?",
        "Qual a visão do diretor sobre os travamentos?",
    ],
)
def test_one_listener_or_a_named_person_is_refused_saying_what_digests_hold(
    question: str, eval_digests: list[Digest]
) -> None:
    # When a question asks for one person's comments or view
    got = answer(question, eval_digests)
    # Then it is refused, with no figure and no source, saying the digests sum comments by week
    assert not got.suportada
    assert got.reason == "person"
    assert got.fontes == ()
    assert "semana" in got.resposta or "week" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "Quantos ingressos vendemos em novembro?",
        "How many tickets were sold last week?",
        "Quantas assinaturas novas tivemos na semana 45?",
        "How many subscription cancellations were there in October?",
        "Qual o tempo médio de escuta por usuário?",
        "What was the average listening time in week 46?",
        "What is our app store rating?",
        "Qual a taxa de conversão da semana 46?",
        "Quantas pessoas cancelaram a assinatura em novembro?",
        "Quanto tempo as pessoas passam ouvindo música no app?",
        "How many songs were played?",
        "How many premium subscriptions did we sell in October?",
        "How many times was the app downloaded?",
        "Quantas pessoas ouviram música na semana passada?",
        "What is the crash rate?",
        "Qual o tempo médio de carregamento?",
    ],
)
def test_metrics_the_digests_never_compute_are_refused(
    question: str, eval_digests: list[Digest]
) -> None:
    got = answer(question, eval_digests)
    assert not got.suportada
    assert got.reason == "metric"


@pytest.mark.parametrize(
    "question", ["Quanto é 48/6?", "What is 12 times 7?", "Quanto dá 2 + 2?", "What is 15% of 200?"]
)
def test_arithmetic_is_not_answered_with_a_week(question: str, eval_digests: list[Digest]) -> None:
    got = answer(question, eval_digests)
    assert not got.suportada
    assert got.semanas == ()


@pytest.mark.parametrize(
    "question",
    [
        "Compare May with June",
        "Compare maio com junho",
        "Como foram as críticas no primeiro semestre?",
        "What were the complaints in the first half of the year?",
        "Compare setembro e outubro",
        "Mais comentários na semana 35 ou na 36?",
        "Quais foram as críticas no ano passado?",
        "Mais comentários na semana 39 ou na 40?",
    ],
)
def test_a_period_or_a_compared_side_without_digest_is_refused(
    question: str, eval_digests: list[Digest]
) -> None:
    got = answer(question, eval_digests)
    # Then it is refused naming what the digests cover, never answered from the nearest weeks
    assert not got.suportada
    assert got.reason == "period"
    assert "2026-W40" in got.resposta
    assert "2026-W48" in got.resposta


def test_a_partly_covered_period_is_answered_for_its_covered_weeks_saying_so(
    eval_digests: list[Digest],
) -> None:
    got = answer("Quantos comentários recebemos no segundo semestre?", eval_digests)
    assert got.suportada
    assert got.semanas[0] == "2026-W40"
    assert got.semanas[-1] == "2026-W48"
    assert "Sem digest para 2026-W27–2026-W39" in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "e aí, como tão as coisas?",
        "como tá indo?",
        "how's it going",
        "alguma novidade?",
        "me dá um resumo",
        "what's up with the comments?",
        "Tudo certo com os comentários?",
        "Quick update?",
        "Como estamos?",
        "Status?",
        "Oi",
        "Anything new?",
        "O que tá rolando?",
    ],
)
def test_casual_questions_get_the_summary_of_the_latest_digests(
    question: str, eval_digests: list[Digest]
) -> None:
    got = answer(question, eval_digests)
    assert got.suportada
    assert got.semanas == ("2026-W48",)
    assert "891" in got.resposta


def test_a_casual_question_about_a_month_summarises_that_month(
    eval_digests: list[Digest],
) -> None:
    got = answer("how's October going so far?", eval_digests)
    assert got.suportada
    assert got.semanas == ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44")
    assert "906" in got.resposta


def test_two_named_weeks_are_shown_side_by_side_with_the_larger_named(
    eval_digests: list[Digest],
) -> None:
    got = answer("Mais comentários na semana 45 ou na 46?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46")
    assert "887" in got.resposta
    assert "804" in got.resposta
    assert "Mais comentários em 2026-W45 que em 2026-W46." in got.resposta


def test_two_named_weeks_with_a_category_give_its_count_and_share_in_each(
    eval_digests: list[Digest],
) -> None:
    got = answer("As críticas foram maiores na semana 42 ou na 47?", eval_digests)
    assert got.semanas == ("2026-W42", "2026-W47")
    assert "CRÍTICA 330 comentários (32,5%)" in got.resposta
    assert "CRÍTICA 320 comentários (39%)" in got.resposta


def test_two_named_weeks_with_a_tag_give_its_mentions_in_each(
    eval_digests: list[Digest],
) -> None:
    got = answer("Did crashes get more mentions in week 44 or 45?", eval_digests)
    assert got.semanas == ("2026-W44", "2026-W45")
    assert "24 comments" in got.resposta
    assert "12 comments" in got.resposta


@pytest.mark.parametrize(
    ("question", "first", "last", "count"),
    [
        ("primeiro semestre", "2026-W01", "2026-W26", 26),
        ("second half of 2025", "2025-W27", "2025-W52", 26),
        ("terceiro trimestre", "2026-W27", "2026-W39", 13),
        ("Compare May with June", "2026-W19", "2026-W26", 8),
        ("compare june and july", "2026-W23", "2026-W31", 9),
    ],
)
def test_halves_quarters_and_short_month_names_are_periods(
    question: str, first: str, last: str, count: int
) -> None:
    weeks = parse_period(question, TODAY).weeks or ()
    assert (weeks[0], weeks[-1], len(weeks)) == (first, last, count)


def test_may_as_a_verb_is_not_a_month() -> None:
    assert parse_period("may I ask about week 47", TODAY).weeks == ("2026-W47",)


@pytest.mark.parametrize(
    "question",
    [
        "What do people think about the new layout?",
        "O que a galera achou do layout novo?",
        "Qual a opinião dos ouvintes sobre o layout?",
        "What is the opinion of users about crashes?",
        "What do most users think about crashes?",
        "O que o pessoal acha do layout?",
        "What do people complain about the most?",
        "O que os usuários mais pedem?",
        "Quais as principais críticas das semanas 45 e 46?",
        "O que dizem do tempo de carregamento?",
        "What do people say about the free trial?",
        "What do the top complaints say?",
        "O que o relatório diz sobre travamentos?",
        "What does the latest digest say?",
    ],
)
def test_what_listeners_think_is_still_answered(question: str, eval_digests: list[Digest]) -> None:
    got = answer(question, eval_digests)
    assert got.suportada


def test_a_list_of_two_weeks_complaints_is_not_turned_into_a_comparison(
    eval_digests: list[Digest],
) -> None:
    got = answer("Quais as principais críticas das semanas 45 e 46?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46")
    assert "Principais críticas recorrentes" in got.resposta
    assert "Mais comentários" not in got.resposta


def test_two_bare_week_numbers_are_the_weeks_compared(eval_digests: list[Digest]) -> None:
    got = answer("Houve mais dúvidas na 45 ou na 46?", eval_digests)
    assert got.semanas == ("2026-W45", "2026-W46")
    assert "DÚVIDA 126 comentários (14,2%)" in got.resposta
    assert "Mais comentários de DÚVIDA em 2026-W46 que em 2026-W45." in got.resposta


def test_a_count_of_weeks_is_not_two_week_numbers() -> None:
    assert parse_period("In 2 or 3 weeks, what changed?", TODAY).weeks is None


@pytest.mark.parametrize(
    ("question", "weeks"),
    [
        ("Which week had more praise: 43 or 45?", ("2026-W43", "2026-W45")),
        ("Qual semana teve mais críticas, a 44 ou a 45?", ("2026-W44", "2026-W45")),
        ("A semana 47 teve mais críticas do que a 48?", ("2026-W47", "2026-W48")),
    ],
)
def test_a_week_question_with_two_numbers_compares_those_weeks(
    question: str, weeks: tuple[str, str], eval_digests: list[Digest]
) -> None:
    assert answer(question, eval_digests).semanas == weeks


def test_a_relative_who_is_not_a_question_about_one_listener(eval_digests: list[Digest]) -> None:
    got = answer("What do users who mention crashes say?", eval_digests)
    assert got.suportada
    assert "crashes and freezes" in got.resposta.lower()


@pytest.fixture(scope="module")
def two_years() -> list[Digest]:
    """100 weekly digests of another seed, 2025-W02..2026-W49."""
    return [Digest.from_json(item) for item in build(11, date(2025, 1, 6), 100)]


def test_a_year_named_once_belongs_to_both_compared_weeks(two_years: list[Digest]) -> None:
    got = ask("Compare week 10 and 11 of 2025", two_years, today=date(2026, 12, 9))
    assert got.semanas == ("2025-W10", "2025-W11")


@pytest.mark.parametrize(
    "question",
    [
        "e aí, como tão as coisas?",
        "how's October going so far?",
        "Mais comentários na semana 45 ou na 46?",
        "As críticas foram maiores na semana 42 ou na 47?",
        "Houve mais dúvidas na 45 ou na 46?",
        "Resumo do terceiro trimestre de 2025",
    ],
)
def test_new_kinds_state_only_numbers_of_cited_passages(
    question: str, two_years: list[Digest]
) -> None:
    got = ask(question, two_years, today=date(2026, 12, 9))
    assert got.suportada
    assert len(got.resposta.split()) <= 150
    cited = {n for p in got.fontes for n in numbers_in_text(p.text)}
    assert set(numbers_in_text(got.resposta, got.language)) <= cited
    assert set(got.semanas) == {p.semana for p in got.fontes}


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Como anda a revisão humana?", "revisão humana"),
        ("How's review going?", "human review"),
        ("Como está o volume de comentários?", "2026-W48: 891"),
    ],
)
def test_a_casual_how_about_one_subject_answers_that_subject(
    question: str, kind: str, eval_digests: list[Digest]
) -> None:
    got = answer(question, eval_digests)
    assert got.semanas == ("2026-W48",)
    assert kind in got.resposta


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        # A personal detail of whoever wrote something.
        ("qual o whatsapp da moça que reclamou do preço?", "person"),
        ("me passa o instagram do cara que elogiou o layout", "person"),
        ("how old is the listener who praised the layout?", "person"),
        # Ir + an infinitive is a prediction.
        ("as críticas de preço vão diminuir em dezembro?", "future"),
        ("o pedido de letras vai sumir logo?", "future"),
        # One comment's id, or every comment with its count.
        ("qual o id do comentário mais antigo sobre preço?", "metric"),
        ("list all 120 comments about the layout", "metric"),
    ],
)
def test_personal_details_predictions_and_comment_lookups_are_refused(
    question: str, reason: str, eval_digests: list[Digest]
) -> None:
    # Given a question the digests cannot answer, worded in passing
    got = answer(question, eval_digests)
    # Then it is refused for that reason, citing no week
    assert not got.suportada, got.resposta
    assert got.reason == reason
    assert got.semanas == ()


@pytest.mark.parametrize(
    "question",
    [
        "o que os fãs pediram na semana 45?",
        "what is the top complaint name in week 45?",
        "como vai o pedido de letras?",
    ],
)
def test_either_cue_alone_is_still_answered(question: str, eval_digests: list[Digest]) -> None:
    # Given a question with only one of the personal-detail cues, or "vai" without a prediction
    got = answer(question, eval_digests)
    # Then it is answered
    assert got.suportada, got.resposta
