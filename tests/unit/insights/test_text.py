"""Folding, stemming and language detection of questions."""

from __future__ import annotations

import pytest

from shared.insights.text import detect_language, fold, stem, terms


def test_fold_removes_accents_and_case():
    assert fold("RECLAMAÇÕES Críticas Sugestão Dúvida") == "reclamacoes criticas sugestao duvida"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("reclamações", "reclamação"),
        ("complaints", "complaint"),
        ("críticas", "crítica"),
        ("sugestões", "sugestão"),
        ("carregamento", "carregar"),
        ("subiu", "subir"),
        ("loading", "loads"),
        ("notificações", "notificação"),
    ],
)
def test_inflections_share_a_stem(a, b):
    assert stem(fold(a)) == stem(fold(b))


def test_stems_keep_at_least_three_letters_and_tags_whole():
    assert stem("ads") == "ads"
    assert stem("fix_volume") == "fix_volume"
    assert stem("2026") == "2026"


def test_terms_drop_stop_words_and_split_a_tag_into_its_subject():
    got = terms("o que falam sobre fix_volume?")
    assert "fix_volume" in got
    assert stem("volume") in got
    assert "que" not in got
    assert "o" not in got


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Quais foram as principais reclamações na semana passada?", "pt"),
        ("o que subiu", "pt"),
        ("What were the main complaints last week?", "en"),
        ("How many comments did we get in week 47?", "en"),
        ("Resumo da semana 47", "pt"),
        ("Compare week 44 vs week 45", "en"),
        ("Crítica?", "pt"),
    ],
)
def test_language_of_a_question(question, language):
    assert detect_language(question) == language
