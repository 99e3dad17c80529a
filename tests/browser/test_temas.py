"""The "Temas novos" card: the day's themes listed with their words, size and quoted samples;
promoting one to a tag and dismissing another from the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shared.timezone import local_day, zone_named
from tests.browser.conftest import Painel, shoot_card
from tests.support.themes_data import rumour_comments

pytestmark = pytest.mark.browser

LYRIC = [
    f"{opening} {ending}"
    for opening in (
        "o refrão coração de neon",
        "coração de neon",
        "esse verso coração de neon",
        "a parte do coração de neon",
    )
    for ending in (
        "não sai da cabeça",
        "tá em todo lugar",
        "virou meme",
        "gruda demais",
        "é sobre quem?",
    )
]


@pytest.fixture(scope="module")
def themed_day(painel: Painel) -> str:
    """The rumour and the lyric written an hour ago, then today's themes found."""
    now = datetime.now(UTC)
    at = (now - timedelta(hours=1)).isoformat()
    batch = [
        {"id": f"tema-{n}", "texto": text, "criado_em": at}
        for n, text in enumerate(rumour_comments(60) + LYRIC)
    ]
    stored = painel.api.post(painel.base_url + "/api/comentarios", json=batch, timeout=120)
    assert stored.status_code in (200, 201), stored.text
    day = local_day(now - timedelta(hours=1), zone_named("America/Sao_Paulo")).isoformat()
    painel.alumusic("themes", "run", "--period", "dia", "--date", day)
    return day


def test_a_malformed_tag_is_refused_on_the_page(
    log_in: Callable[[], Page], painel: Painel, themed_day: str
) -> None:
    # (runs before the promotion below, which takes the themes off the list)
    theme = painel.get("/api/temas?periodo=dia").json()["temas"][0]
    page = log_in()
    item = page.locator(f'#card-temas li[data-tema="{theme["id"]}"]')
    item.get_by_label(f"Tag para o tema {theme['nome']}").fill("Boato Novo")
    item.get_by_role("button", name="Promover a tag").click()
    expect(item.locator(".form-error")).to_have_text(
        "A tag deve ser escopo_assunto, como feat_ingresso."
    )
    assert painel.get("/api/temas?periodo=dia").json()["temas"][0]["status"] == "novo"


def test_themes_are_listed_promoted_and_dismissed(
    log_in: Callable[[], Page], painel: Painel, themed_day: str, screenshots_dir: Any
) -> None:
    listed = painel.get("/api/temas?periodo=dia").json()["temas"]
    rumour = next(t for t in listed if "boato" in t["palavras"])
    lyric = next(t for t in listed if t["id"] != rumour["id"] and "neon" in t["nome"])
    # When the dashboard opens
    page = log_in()
    card = page.locator("#card-temas")
    expect(card).to_be_visible()
    # Then each theme shows its words, its SQL size and its samples as quotations, as text
    item = card.locator(f'li[data-tema="{rumour["id"]}"]')
    expect(item.locator(".theme-name")).to_have_text(rumour["nome"])
    # and its words, single or phrases, are not listed a second time under a heading made of them
    expect(item.locator(".theme-words")).to_have_count(0)
    expect(card.locator(f'li[data-tema="{lyric["id"]}"] .theme-words')).to_have_count(0)
    expect(item.locator(".chip")).to_have_text(f"{rumour['tamanho']} comentários")
    expect(item.locator("blockquote")).to_have_text([s["texto"] for s in rumour["amostras_texto"]])
    shoot_card(card, screenshots_dir / "painel-temas.png")
    # When the rumour is promoted to a tag from the page
    item.get_by_label(f"Tag para o tema {rumour['nome']}").fill("feat_boato")
    with page.expect_response(f"**/api/temas/{rumour['id']}/promover") as promoted:
        item.get_by_role("button", name="Promover a tag").click()
    assert promoted.value.status == 200, promoted.value.text()
    # Then it leaves the list, and its comments carry the tag
    expect(card.locator(f'li[data-tema="{rumour["id"]}"]')).to_have_count(0)
    tagged = painel.get("/api/comentarios?tag=feat_boato&limit=200").json()
    assert len(tagged) == rumour["tamanho"]
    # When the lyric is dismissed
    other = card.locator(f'li[data-tema="{lyric["id"]}"]')
    with page.expect_response(f"**/api/temas/{lyric['id']}/dispensar") as dismissed:
        other.get_by_role("button", name="Dispensar").click()
    assert dismissed.value.status == 200
    expect(card.locator(f'li[data-tema="{lyric["id"]}"]')).to_have_count(0)
    statuses = painel.get("/api/temas?periodo=dia&status=dispensado").json()["temas"]
    assert [t["id"] for t in statuses] == [lyric["id"]]
