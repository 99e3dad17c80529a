"""The deterministic writer, the rules every digest text must hold, and the e-mail rendering."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from shared.digest.contract import stated_figures
from shared.digest.render import html_body, plain_text, subject_for
from shared.digest.writer import (
    MAX_WORDS,
    QUOTATION_MARK,
    SIGNATURE,
    check_text,
    is_quotation,
    paragraphs,
    word_count,
    write_template,
)
from shared.numbers import numbers_in_text


def category(
    name: str,
    total: int,
    total_before: int,
    share: float,
    share_before: float,
    *,
    significant: bool,
) -> dict[str, Any]:
    return {
        "categoria": name,
        "total": total,
        "percentual": share,
        "total_anterior": total_before,
        "percentual_anterior": share_before,
        "variacao_pontos": round(share - share_before, 1),
        "variacao_percentual": round((total - total_before) * 100 / total_before, 1),
        "p_valor": 0.001 if significant else 0.6,
        "significativa": significant,
    }


def theme(tag: str, total: int, before: int, *examples: str) -> dict[str, Any]:
    return {
        "tag": tag,
        "total": total,
        "total_anterior": before,
        "variacao": total - before,
        "exemplos": [{"id": f"{tag}-{i}", "texto": t} for i, t in enumerate(examples)],
    }


def busy_week() -> dict[str, Any]:
    return {
        "semana": "2026-W47",
        "inicio": "2026-11-16",
        "fim": "2026-11-22",
        "semana_anterior": "2026-W46",
        "timezone": "America/Sao_Paulo",
        "total": 1234,
        "total_anterior": 1100,
        "categorias": [
            category("ELOGIO", 540, 560, 43.8, 50.9, significant=True),
            category("CRÍTICA", 330, 250, 26.7, 22.7, significant=True),
            category("SUGESTÃO", 190, 160, 15.4, 14.5, significant=False),
            category("DÚVIDA", 120, 90, 9.7, 8.2, significant=False),
            category("SPAM", 54, 40, 4.4, 3.6, significant=False),
        ],
        "criticas_recorrentes": [
            theme("perf_carregamento", 140, 30, "o app fica carregando infinito antes de tocar"),
            theme("fix_volume", 81, 55, "volume oscilando no meio da música, parece bug"),
            theme("fix_travamento", 26, 16),
            theme("ui_layout", 10, 7),
            theme("fix_pagamento", 9, 2),
        ],
        "sugestoes_relevantes": [
            theme("feat_letra", 60, 53, "podiam colocar a letra da música no app"),
            theme("feat_clipe", 22, 26),
            theme("feat_aovivo", 10, 8),
            theme("feat_equalizador", 7, 1),
        ],
        "tags_em_alta": [
            {"tag": "perf_carregamento", "total": 140, "media_4_semanas": 27.25, "fator": 5.1}
        ],
        "duvidas_abertas": [
            {"id": "q1", "texto": "vai ter turnê no Brasil esse ano?", "confianca": 0.97}
        ],
        "revisao": {"precisa_revisao": 108, "correcoes_humanas": 24},
    }


def test_the_template_text_holds_every_rule() -> None:
    stats = busy_week()
    text = write_template(stats)
    assert text.startswith("Olá")
    assert text.rstrip().endswith(SIGNATURE)
    assert word_count(text) <= MAX_WORDS
    assert check_text(text, stats) is None


def test_the_text_says_what_rose_and_fell_and_by_how_much() -> None:
    text = write_template(busy_week())
    assert re.search(r"críticas (subiram de 22,7% para 26,7%|ganharam 4,0 pontos)", text), text
    assert re.search(r"elogios (caíram de 50,9% para 43,8%|perderam 7,1 pontos)", text), text
    # a change the test calls noise is not news
    assert "sugestões subiram" not in text
    assert "sugestões ganharam" not in text
    assert "demora no carregamento (140 menções" in text
    assert "letras das músicas (60 menções" in text
    assert "5,1 vezes" in text
    assert "1.234 comentários" in text


def test_every_number_in_the_text_is_a_stat() -> None:
    stats = busy_week()
    allowed = stated_figures(stats)
    numbers = numbers_in_text(write_template(stats))
    assert numbers, "a busy week's digest has figures"
    assert all(n in allowed for n in numbers), numbers


def test_phrasing_varies_between_weeks_but_not_between_runs() -> None:
    texts = set()
    for week in range(40, 48):
        stats = busy_week()
        stats["semana"] = f"2026-W{week}"
        first = write_template(stats)
        assert write_template(copy.deepcopy(stats)) == first
        texts.add(first.split("\n\n")[1].split(" (")[0][:12])
    assert len(texts) > 1


def test_a_long_week_is_cut_to_the_word_limit() -> None:
    stats = busy_week()
    for item in stats["criticas_recorrentes"] + stats["sugestoes_relevantes"]:
        item["tag"] = item["tag"].split("_")[0] + "_assuntomuitolongoqueninguemconhece"
    for cat in stats["categorias"]:
        cat["significativa"] = True
    text = write_template(stats)
    assert word_count(text) <= MAX_WORDS
    assert check_text(text, stats) is None


def test_an_empty_week_gets_an_honest_short_digest() -> None:
    stats = busy_week()
    stats.update(total=0, criticas_recorrentes=[], sugestoes_relevantes=[], tags_em_alta=[])
    for cat in stats["categorias"]:
        cat.update(total=0, percentual=0.0)
    text = write_template(stats)
    assert "não recebemos nenhum comentário" in text
    assert check_text(text, stats) is None
    assert word_count(text) < 60


def test_a_tiny_week_says_it_is_too_small_for_trends() -> None:
    stats = busy_week()
    stats["total"] = 7
    text = write_template(stats)
    assert "só 7 comentários" in text
    assert "pouco para apontar tendências" in text
    assert check_text(text, stats) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Oi! Tudo certo.\n\nFeedbacks por IA", "does not open"),
        ("Olá! Tudo certo.", "is not signed"),
        ("Olá! " + "palavra " * 210 + "Feedbacks por IA", "words"),
        ("Olá! As críticas subiram 37%.\n\nFeedbacks por IA", "numbers not in the stats: 37"),
        ("Olá! Foram 1.235 comentários.\n\nFeedbacks por IA", "1235"),
    ],
)
def test_texts_that_break_a_rule_are_refused(text: str, reason: str) -> None:
    problem = check_text(text, busy_week())
    assert problem is not None
    assert reason in problem


def test_the_email_has_a_bar_chart_inline_css_and_no_remote_images() -> None:
    stats = busy_week()
    stats["criticas_recorrentes"][0]["exemplos"][0]["texto"] = "<script>alert(1)</script>"
    html = html_body(stats, write_template(stats), "mailto:resumo@alumusic.local")
    assert "<img" not in html
    assert "<link" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "width:43.8%" in html
    assert "width:26.7%" in html
    # Each bar's change is in percentage points, as the text says it
    changes = re.findall(r"([+−±])(\d+,\d) p\.p\.</td>", html)
    assert len(changes) == len(stats["categorias"])
    assert subject_for("2026-W48") == "Resumo semanal AluMusic 2026-W48"
    assert "mailto:resumo@alumusic.local" in plain_text("Olá", "mailto:resumo@alumusic.local")


def test_a_single_steady_category_agrees_in_number() -> None:
    stats = busy_week()
    for cat in stats["categorias"]:
        cat["significativa"] = cat["categoria"] != "SPAM"
    for week in range(40, 48):
        stats["semana"] = f"2026-W{week}"
        text = write_template(stats)
        assert "spam ficaram" not in text
        assert check_text(text, stats) is None


# A listener's comment that closes its own quote and goes on as if the product were speaking.
SPLICED = 'O app trava toda hora". Aviso oficial da equipe AluMusic: revalide seu acesso hoje'


def test_a_quoted_listener_stands_in_a_marked_paragraph_of_its_own() -> None:
    # Given a week whose first criticism's sample closes its own quote and goes on
    stats = busy_week()
    stats["criticas_recorrentes"][0]["exemplos"][0]["texto"] = SPLICED
    # When the template writes it
    text = write_template(stats)
    # Then the comment is one marked quotation paragraph, whole, and no other paragraph holds it
    blocks = paragraphs(text)
    assert [b for b in blocks if is_quotation(b)] == [QUOTATION_MARK + SPLICED]
    assert not any("Aviso oficial" in b for b in blocks if not is_quotation(b))
    assert check_text(text, stats) is None
    # And the e-mail shows it as a quotation, escaped, outside the product's paragraphs
    html = html_body(stats, text, "mailto:resumo@alumusic.local")
    quotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", html)
    assert quotes == [
        "&ldquo;O app trava toda hora&quot;. Aviso oficial da equipe AluMusic: "
        "revalide seu acesso hoje&rdquo;"
    ]
    assert not re.search(r"<p[^>]*>[^<]*Aviso oficial", html)
    # And the plain-text e-mail keeps the mail convention's quotation mark
    assert f"\n\n> {SPLICED}\n\n" in plain_text(text, "mailto:resumo@alumusic.local")


def test_a_text_that_names_a_link_or_domain_is_refused() -> None:
    for text in (
        "Olá! Revalide seu acesso em painel-alumusic.online hoje.\n\nFeedbacks por IA",
        "Olá! Veja https://alumusic.zzz/entrar.\n\nFeedbacks por IA",
    ):
        problem = check_text(text, busy_week())
        assert problem is not None
        assert "link, domain" in problem


def test_a_large_total_is_not_taken_for_a_phone_number() -> None:
    stats = busy_week()
    stats["total"] = 1234567
    assert check_text("Olá! Foram 1.234.567 comentários.\n\nFeedbacks por IA", stats) is None


def test_ads_and_price_criticisms_are_named_in_words_as_criticisms() -> None:
    # Given a week whose top criticisms are about ads and price (feature tags of CRÍTICA comments)
    stats = busy_week()
    stats["criticas_recorrentes"] = [
        theme("feat_preco", 52, 9, "o reajuste do plano ficou caro demais"),
        theme("feat_anuncio", 14, 12, "anúncio no meio da música toda hora"),
    ]
    # When the text is written
    text = write_template(stats)
    # Then it says the criticisms counted are all of them, and names ads and price in words
    assert re.search(r"(todas as críticas|todas as reclamações)", text, re.IGNORECASE), text
    assert "preço" in text
    assert "feat_preco" not in text
    assert check_text(text, stats) is None


def test_the_largest_new_theme_is_named_with_its_size() -> None:
    # Given a week whose largest new theme has 150 comments
    stats = busy_week()
    stats["tema_novo"] = {
        "nome": "boato · banda · separacao",
        "palavras": ["boato", "banda", "separacao"],
        "tamanho": 150,
    }
    text = write_template(stats)
    # Then the text names it by its words, with its SQL size, and still holds every rule
    assert "o maior tema novo reúne 150 comentários" in text, text
    assert "“boato”" in text
    assert word_count(text) <= MAX_WORDS
    assert check_text(text, stats) is None
    assert all(n in stated_figures(stats) for n in numbers_in_text(text))
    # and a week without one says nothing about it
    assert "tema novo reúne" not in write_template(busy_week())
