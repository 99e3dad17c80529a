"""Properties that hold for any digests, not only the evaluation ones: on digests generated with
other seeds, dates and lengths, every supported answer states only numbers its cited passages
hold, names exactly the weeks it cites, stays within 150 words and answers in the question's
language; unsupported answers cite nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.numbers import numbers_in_text
from shared.timezone import IsoWeek
from tooling.evals.insights.generate import build

QUESTIONS = [
    "O que subiu na semana passada?",
    "What fell last week?",
    "Quais foram as principais reclamações nas últimas 3 semanas?",
    "What are people asking for?",
    "O que falam sobre travamentos?",
    "What do users say about loading times?",
    "Compare as duas últimas semanas",
    "How did criticism change over the weeks?",
    "Quantos comentários tivemos nas últimas 4 semanas?",
    "Quais tags estão em alta?",
    "Any open questions from listeners?",
    "Quantos comentários precisaram de revisão?",
    "Resumo do último digest",
    "When did praise fall?",
    "Which week had the most comments?",
    "Houve alguma variação significativa?",
    "Qual categoria teve a maior participação?",
    "Em que semana o spam foi maior?",
    "O que devemos priorizar?",
    "What happened in the last month?",
]


@pytest.mark.parametrize(
    ("seed", "first_monday", "weeks"),
    [(7, date(2025, 12, 15), 5), (99, date(2026, 3, 2), 8), (2024, date(2026, 6, 29), 3)],
)
def test_answers_are_grounded_on_unseen_digests(seed, first_monday, weeks):
    digests = [Digest.from_json(item) for item in build(seed, first_monday, weeks)]
    today = first_monday + timedelta(weeks=weeks)
    stored = {d.semana for d in digests}
    assert str(IsoWeek.of_date(today)) not in stored
    for question in QUESTIONS:
        got = ask(question, digests, today=today)
        assert len(got.resposta.split()) <= 150, question
        if not got.suportada:
            assert got.fontes == (), question
            continue
        cited = {n for p in got.fontes for n in numbers_in_text(p.text)}
        # "em 2 de 3 semanas" counts cited passages: the one kind of number not copied from one
        # and the closing note naming weeks asked for that have no digest (nothing to cite there)
        text = re.sub(r"(Sem digest para|No digest for) [^.]*\.", "", got.resposta)
        stated = set(
            numbers_in_text(re.sub(r"\d+ (de|of) \d+ (semanas|weeks)", "", text), got.language)
        )
        # A sum of weekly totals is the one figure composed, and it says so
        if "Somando" not in got.resposta and "Summed" not in got.resposta:
            assert stated <= cited, (question, stated - cited, got.resposta)
        assert set(got.semanas) == {p.semana for p in got.fontes}, question
        assert set(got.semanas) <= stored, question
        assert got.language == ("en" if question in ENGLISH else "pt"), question


ENGLISH = {q for q in QUESTIONS if q.split()[0] in {"What", "How", "Any", "When", "Which"}}
