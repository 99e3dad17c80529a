"""The private dashboard /painel in headless Chromium against the running stack."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from shared.classifier.tags import TAG_PATTERN
from shared.digest.vocabulary import tag_name
from tests.browser.conftest import (
    CATEGORIAS,
    CHART_NAMES,
    XSS_TEXT,
    Painel,
    Watch,
    charts_in_page,
    log_in_page,
    open_context,
    shoot_card,
    wait_for_charts,
)
from tests.support.alerts_data import comment_rows, spread
from tests.support.digest_data import insert_comments

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

FIRST_PAINT_MARK = "painel:primeira-pintura-com-dados"


def _mark_ms(page: Page, name: str) -> float:
    value: float = page.evaluate(
        "(name) => performance.getEntriesByName(name).at(-1).startTime", name
    )
    return round(value, 1)


def _open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=re.compile(name)).click()


def _filter(page: Page, **fields: str) -> None:
    """Fill the comment filters by their labels and submit; waits for the list to settle."""
    form = page.locator("#filtros-comentarios")
    form.get_by_role("button", name="Limpar").click()
    for label, value in fields.items():
        control = form.get_by_label(label, exact=True)
        if control.evaluate("(node) => node.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.get_by_role("button", name="Filtrar").click()
    _settled(page, "#resultados-comentarios")


def _settled(page: Page, results: str) -> None:
    page.wait_for_function(
        "(selector) => { const r = document.querySelector(selector);"
        " return r && !r.hasAttribute('aria-busy') && r.querySelector('table, .empty'); }",
        arg=results,
    )


def _row_ids(page: Page, results: str) -> list[str]:
    ids: list[str] = page.locator(f"{results} tbody tr").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.id)"
    )
    return ids


# --- login --------------------------------------------------------------------------------------


def test_login_refuses_a_wrong_password_and_offers_no_sign_up(page: Page, painel: Painel) -> None:
    # Given the dashboard's login page
    response = page.goto("/painel")
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp, csp
    # When a wrong password is sent
    page.get_by_label("Usuário").fill(painel.stack.admin_username)
    page.get_by_label("Senha").fill("not the password")
    page.get_by_label("Senha").press("Enter")
    # Then an error is announced and the dashboard stays closed
    expect(page.locator("#erro-login")).to_have_text("Usuário ou senha incorretos.")
    expect(page.locator("#tela-app")).to_be_hidden()
    # And there is no way to sign up
    assert page.get_by_role("link", name=re.compile("cadastr|criar conta", re.I)).count() == 0
    assert page.get_by_role("button", name=re.compile("cadastr|criar conta", re.I)).count() == 0


def test_login_and_logout_with_the_keyboard_only(page: Page, painel: Painel) -> None:
    # Given the login page, focus starts in the user field
    page.goto("/painel")
    expect(page.get_by_label("Usuário")).to_be_focused()
    # When the user types, tabs to the password and presses Enter
    page.keyboard.type(painel.stack.admin_username)
    page.keyboard.press("Tab")
    page.keyboard.type(painel.stack.admin_password)
    page.keyboard.press("Enter")
    # Then the dashboard opens, and the tabs move with the arrow keys
    expect(page.locator("#tela-app")).to_be_visible()
    page.get_by_role("tab", name="Visão geral").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Comentários")).to_be_focused()
    expect(page.locator("#painel-comentarios")).to_be_visible()
    page.keyboard.press("End")
    expect(page.locator("#painel-alertas")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#painel-revisao")).to_be_visible()
    # And "Sair" revokes the refresh token and ends the session: a reload shows the login again
    with page.expect_response("**/api/auth/logout") as logged_out:
        page.get_by_role("button", name="Sair").press("Enter")
    assert logged_out.value.status == 204
    expect(page.locator("#tela-login")).to_be_visible()
    page.reload()
    expect(page.locator("#tela-login")).to_be_visible()


def test_an_expired_access_token_is_refreshed_once_then_the_login_returns(
    log_in: Callable[[], Page],
) -> None:
    # Given a logged-in tab whose access token the server no longer accepts
    page = log_in()
    wait_for_charts(page)
    key = "alumusic.painel.sessao"
    stored = json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", key))
    stored["access"] = "not-a-valid-token"
    page.evaluate("([key, value]) => sessionStorage.setItem(key, value)", [key, json.dumps(stored)])
    # When the page is loaded again
    with page.expect_response("**/api/auth/refresh") as refreshed:
        page.reload()
    # Then it got a new access token with the refresh token and shows the charts
    assert refreshed.value.status == 200
    wait_for_charts(page)
    renewed = json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", key))
    assert renewed["access"] != "not-a-valid-token"
    # When neither token is accepted any more
    page.evaluate(
        "([key, value]) => sessionStorage.setItem(key, value)",
        [key, json.dumps({"access": "expired", "refresh": "expired"})],
    )
    page.reload()
    # Then the login form comes back, saying why
    expect(page.locator("#tela-login")).to_be_visible()
    expect(page.locator("#erro-login")).to_have_text("Sua sessão expirou. Entre de novo.")


def test_every_control_has_a_label(log_in: Callable[[], Page]) -> None:
    page = log_in()
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea, button")]
            .filter((node) => node.type !== "hidden")
            .filter((node) => {
                if (node.tagName === "BUTTON") return !(node.textContent.trim() || node.getAttribute("aria-label"));
                return node.labels.length === 0 && !node.getAttribute("aria-label");
            })
            .map((node) => node.id || node.name || node.outerHTML.slice(0, 80))"""
    )
    assert unlabeled == []


# --- the five charts ----------------------------------------------------------------------------


def test_five_charts_are_drawn_with_the_snapshot_data(
    page: Page,
    log_in: Callable[[], Page],
    screenshots_dir: Any,
    measurements: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # When the analyst logs in (the snapshot compared is the one the page received)
    with page.expect_response("**/api/relatorio/semana") as received:
        log_in()
    assert received.value.status == 200
    relatorios = received.value.json()["relatorios"]
    wait_for_charts(page)
    page.wait_for_function(
        "(name) => performance.getEntriesByName(name).length > 0", arg=FIRST_PAINT_MARK
    )
    after_login_ms = round(
        _mark_ms(page, FIRST_PAINT_MARK) - _mark_ms(page, "painel:login-enviado"), 1
    )

    # Then the five charts hold exactly the snapshot's numbers and painted their canvases
    charts = charts_in_page(page)
    for name in CHART_NAMES:
        assert charts[name] is not None, f"chart {name} was not drawn"
        assert charts[name]["painted"] > charts[name]["area"] * 0.01, f"chart {name} is blank"
    distribution = charts["distribuicao"]["datasets"][0]["data"]
    assert charts["distribuicao"]["labels"] == list(CATEGORIAS)
    assert distribution == [relatorios["distribuicao_categorias"][c] for c in CATEGORIAS]
    assert sum(distribution) == pytest.approx(100, abs=0.1)
    evolution = {d["label"]: d["data"] for d in charts["evolucao"]["datasets"]}
    assert len(charts["evolucao"]["labels"]) == len(relatorios["evolucao_temporal"]) == 7
    for categoria in CATEGORIAS:
        assert evolution[categoria] == [day[categoria] for day in relatorios["evolucao_temporal"]]
    assert sum(map(sum, evolution.values())) > 0
    assert charts["tags"]["labels"] == [tag_name(t["tag"]) for t in relatorios["top_tags_48h"]]
    assert 0 < len(charts["tags"]["labels"]) <= 10
    confidence = charts["confianca"]["datasets"][0]["data"]
    assert all(value is None or 0 <= value <= 1 for value in confidence)
    assert any(value for value in confidence)
    hours = charts["hora"]["datasets"][0]["data"]
    assert hours == [h["quantidade"] for h in relatorios["comentarios_por_hora"]]
    assert len(hours) == 24
    assert sum(hours) > 0
    # And the snapshot's age and the KPIs are shown
    expect(page.locator("#atualizado")).to_have_text(re.compile(r"^Atualizado há \d+ (s|min|h)$"))
    expect(page.locator("#aviso-stale")).to_be_hidden()
    expect(page.locator("#kpi-dia")).to_have_text(f"{sum(hours):,}".replace(",", "."))
    # And the data is readable as a table too
    page.locator("#card-tags summary").click()
    expect(page.locator("#dados-tags tbody tr")).to_have_count(len(relatorios["top_tags_48h"]))
    page.locator("#card-tags summary").click()

    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots_dir / "painel-visao-geral.png"), full_page=True)

    # And on a phone the page reflows to one column without sideways scrolling
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshots_dir / "painel-celular.png"))
    page.set_viewport_size({"width": 1366, "height": 900})

    # First paint with data on a fresh load with a session (measured, not asserted)
    page.reload()
    wait_for_charts(page)
    page.wait_for_function(
        "(name) => performance.getEntriesByName(name).length > 0", arg=FIRST_PAINT_MARK
    )
    cold_ms = _mark_ms(page, FIRST_PAINT_MARK)
    measurements["first_paint_with_data_ms"] = {
        "page_load_with_session": cold_ms,
        "after_login_submit": after_login_ms,
    }
    with capsys.disabled():
        print(
            f"\n[painel] first paint with data: {cold_ms} ms from navigation start "
            f"(page load, logged in); {after_login_ms} ms from login submit"
        )


def test_charts_refresh_every_minute_and_warn_when_stale(
    page: Page, log_in: Callable[[], Page]
) -> None:
    # Given the dashboard open with a clock the test can move
    page.clock.install()
    log_in()
    wait_for_charts(page)
    expect(page.locator("#aviso-stale")).to_be_hidden()
    expect(page.locator("#atualizado")).to_have_text(re.compile(r"^Atualizado há \d+ s$"))

    # And a server that now says its snapshot is stale (its last refresh failed)
    def stale(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        body["stale"] = True
        route.fulfill(response=response, body=json.dumps(body))

    page.route("**/api/relatorio/semana", stale)
    # When a minute passes
    with page.expect_response("**/api/relatorio/semana"):
        page.clock.fast_forward("01:01")
    # Then the page asked again on its own, shows the warning and keeps the charts
    expect(page.locator("#aviso-stale")).to_be_visible()
    expect(page.locator("#aviso-stale")).to_contain_text("desatualizados")
    assert all(charts_in_page(page)[name] for name in CHART_NAMES)
    # And the age counts on: over a minute now
    expect(page.locator("#atualizado")).to_have_text(re.compile(r"^Atualizado há \d+ min$"))
    # When the server is fresh again, a manual refresh clears the warning
    page.unroute("**/api/relatorio/semana")
    page.get_by_role("button", name="Atualizar agora").click()
    expect(page.locator("#aviso-stale")).to_be_hidden()


# --- the comment browser ------------------------------------------------------------------------


def _api_page(painel: Painel, **params: str) -> tuple[list[dict[str, Any]], str | None, int]:
    """One page of the list API (a plain array): items, next cursor, total (from the headers)."""
    response = painel.get("/api/comentarios", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list), body
    return body, response.headers.get("X-Next-Cursor"), int(response.headers["X-Total-Count"])


def _api_ids(painel: Painel, **params: str) -> list[str]:
    return [item["id"] for item in _api_page(painel, **params)[0]]


def _busiest_category(painel: Painel) -> tuple[str, int]:
    totals = {c: _api_page(painel, categoria=c, limit="1")[2] for c in CATEGORIAS}
    categoria = max(totals, key=lambda c: totals[c])
    return categoria, totals[categoria]


def test_filters_select_what_the_api_selects(log_in: Callable[[], Page], painel: Painel) -> None:
    # Given the comment browser
    page = log_in()
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    results = "#resultados-comentarios"

    # When filtering by the busiest category
    categoria, total = _busiest_category(painel)
    _filter(page, Categoria=categoria)
    # Then the count and the rows are the API's, each showing that final category
    expect(page.locator(f"{results} .results-summary")).to_have_text(
        re.compile(rf"^(cerca de )?{total} comentários? encontrados?$")
    )
    assert _row_ids(page, results) == _api_ids(painel, categoria=categoria, limit="50")
    for row in page.locator(f"{results} tbody tr").all():
        corrected = row.locator(".cell-correction .badge")
        shown = corrected if corrected.count() else row.locator(".cell-model .badge")
        expect(shown).to_have_text(categoria)

    # When searching the text
    _filter(page, **{"Buscar no texto": "xilofonetico"})
    # Then only the comments that say it are listed
    assert sorted(_row_ids(page, results)) == ["painel-busca-1", "painel-busca-2"]
    expect(page.locator(f"{results} .comment-text")).to_have_count(2)

    # When combining a confidence range, a tag, a date range, the review flag and an order
    combos: list[tuple[dict[str, str], dict[str, str]]] = [
        (
            {"Confiança mín. (%)": "90", "Ordem": "confianca_asc"},
            {"confianca_min": "0.9", "ordem": "confianca_asc"},
        ),
        ({"Confiança máx. (%)": "80"}, {"confianca_max": "0.8"}),
        ({"Precisa de revisão": "true"}, {"needs_review": "true"}),
        ({"Ordem": "antigos", "Por página": "25"}, {"ordem": "antigos", "limit": "25"}),
    ]
    top_tag = painel.snapshot()["relatorios"]["top_tags_48h"][0]["tag"]
    combos.append(({"Tag": top_tag}, {"tag": top_tag}))
    day = page.evaluate("() => new Date(Date.now() - 86400000).toISOString().slice(0, 10)")
    combos.append(({"Desde": day, "Até": day}, {"desde": day, "ate": day}))
    for fields, params in combos:
        _filter(page, **fields)
        # Then the page lists exactly what the API lists for the same query
        expected = _api_ids(painel, **{"limit": "50", **params})
        assert _row_ids(page, results) == expected, (fields, params)
    assert _api_ids(painel, confianca_max="0.8"), "the seed has no low-confidence comment"


def test_keyset_paging_forward_and_back(log_in: Callable[[], Page], painel: Painel) -> None:
    # Given 25 comments a page
    page = log_in()
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    results = "#resultados-comentarios"
    _filter(page, **{"Por página": "25"})
    first, cursor, total = _api_page(painel, limit="25")
    assert total > 50
    assert cursor
    assert _row_ids(page, results) == [item["id"] for item in first]
    expect(page.get_by_role("button", name="← Anterior")).to_be_disabled()
    # When going to the next page
    page.get_by_role("button", name="Próxima →").click()
    _settled(page, results)
    # Then it is the API's next page, nothing repeated
    second, _, _ = _api_page(painel, limit="25", cursor=cursor)
    expect(page.locator(f"{results} .page-label")).to_have_text("Página 2")
    second_ids = _row_ids(page, results)
    assert second_ids == [item["id"] for item in second]
    assert not set(second_ids) & {item["id"] for item in first}
    # When going back
    page.get_by_role("button", name="← Anterior").click()
    _settled(page, results)
    # Then page one again
    assert _row_ids(page, results) == [item["id"] for item in first]
    # And the last page of a filter cannot go further
    _filter(page, **{"Buscar no texto": "xilofonetico"})
    expect(page.get_by_role("button", name="Próxima →")).to_be_disabled()


def test_csv_export_downloads_what_is_filtered(log_in: Callable[[], Page], painel: Painel) -> None:
    # Given a filter on a category
    page = log_in()
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    categoria, total = _busiest_category(painel)
    _filter(page, Categoria=categoria)
    # When exporting
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exportar CSV").click()
    download = download_info.value
    # Then the file is the CSV of every filtered comment (all pages), with the API's filename
    assert re.fullmatch(r"comentarios-\d{8}T\d{6}Z\.csv", download.suggested_filename)
    content = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == total
    assert {row["categoria"] for row in rows} == {categoria}
    expected: set[str] = set()
    cursor: str | None = None
    while True:
        items, cursor, _ = _api_page(
            painel, categoria=categoria, limit="100", **({"cursor": cursor} if cursor else {})
        )
        expected |= {item["id"] for item in items}
        if not cursor:
            break
    assert {row["id"] for row in rows} == expected
    expect(page.locator("#anuncio")).to_contain_text("Exportação pronta")


def test_html_in_a_comment_is_shown_as_text(
    log_in: Callable[[], Page], watch: Watch, painel: Painel
) -> None:
    # Given a stored comment whose text is an HTML injection
    page = log_in()
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    # When it is listed and opened for correction
    _filter(page, **{"Buscar no texto": "onerror"})
    row = page.locator("#resultados-comentarios tbody tr[data-id='painel-xss']")
    # Then its text is visible, verbatim, and no element was made of it
    expect(row.locator(".comment-text")).to_have_text(XSS_TEXT)
    assert page.locator("#conteudo img").count() == 0
    row.get_by_role("button", name="Corrigir o comentário painel-xss").click()
    expect(page.locator("#correcao-texto")).to_have_text(XSS_TEXT)
    assert page.locator("dialog img").count() == 0
    page.keyboard.press("Escape")
    expect(page.locator("#dialogo-correcao")).to_be_hidden()
    # And focus goes back to the button that opened the dialog
    expect(row.get_by_role("button", name="Corrigir o comentário painel-xss")).to_be_focused()
    # And nothing ran: no dialog, no error
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.page_errors == []


def test_review_queue_lists_low_confidence_comments_least_sure_first(
    log_in: Callable[[], Page], painel: Painel, screenshots_dir: Any
) -> None:
    # Given comments under the review threshold
    expected, _, total = _api_page(painel, needs_review="true", ordem="confianca_asc", limit="25")
    assert total > 0, "the seed produced no comment for review"
    # When the review queue is opened
    page = log_in()
    expect(page.locator("#contagem-revisao")).to_have_text(str(total))
    _open_tab(page, "Fila de revisão")
    _settled(page, "#resultados-revisao")
    # Then it lists them, least confident first, each flagged
    assert _row_ids(page, "#resultados-revisao") == [item["id"] for item in expected]
    confidences = [item["confianca"] for item in expected]
    assert confidences == sorted(confidences)
    expect(page.locator("#resultados-revisao .flag-review")).to_have_count(len(expected))
    page.screenshot(path=str(screenshots_dir / "painel-revisao.png"))


def test_correcting_a_label_changes_the_chart_after_a_refresh(
    log_in: Callable[[], Page], painel: Painel, screenshots_dir: Any
) -> None:
    # Given a comment the model labelled, and the charts as they are
    stored = painel.get("/api/comentarios/painel-correcao").json()
    model = stored["model"]["categoria"]
    target = "DÚVIDA" if model != "DÚVIDA" else "SPAM"
    page = log_in()
    wait_for_charts(page)
    before = dict(
        zip(CATEGORIAS, charts_in_page(page)["distribuicao"]["datasets"][0]["data"], strict=True)
    )

    # When the analyst corrects its category in the comment browser
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    _filter(page, **{"Buscar no texto": "zabumbafonico"})
    row = page.locator("#resultados-comentarios tbody tr[data-id='painel-correcao']")
    row.get_by_role("button", name="Corrigir o comentário painel-correcao").click()
    dialog = page.get_by_role("dialog", name="Corrigir rótulo")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text(f"Modelo: {model}")).to_be_visible()
    dialog.get_by_label("Categoria correta").select_option(target)
    page.screenshot(path=str(screenshots_dir / "painel-correcao.png"))
    dialog.get_by_role("button", name="Salvar correção").click()
    expect(dialog).to_be_hidden()

    # Then the row shows the model's answer beside the human correction
    row = page.locator("#resultados-comentarios tbody tr[data-id='painel-correcao']")
    expect(row.locator(".cell-model .badge")).to_have_text(model)
    expect(row.locator(".cell-correction .badge")).to_have_text(target)
    expect(row.locator(".cell-correction")).to_contain_text(f"por {painel.stack.admin_username}")
    expect(page.locator("#anuncio")).to_contain_text("Correção salva")
    saved = painel.get("/api/comentarios/painel-correcao").json()
    assert (saved["model"]["categoria"], saved["categoria"]) == (model, target)
    # (the latest comments, the corrected one among them, for the README)
    page.locator("#filtros-comentarios").get_by_role("button", name="Limpar").click()
    _settled(page, "#resultados-comentarios")
    page.set_viewport_size({"width": 1366, "height": 1180})
    page.screenshot(path=str(screenshots_dir / "painel-comentarios.png"))
    page.set_viewport_size({"width": 1366, "height": 900})

    # When the charts are refreshed and the page asks for them again
    after = painel.refresh_charts()["relatorios"]["distribuicao_categorias"]
    assert after[target] > before[target]
    assert after[model] < before[model]
    _open_tab(page, "Visão geral")
    page.get_by_role("button", name="Atualizar agora").click()
    # Then the distribution chart moved one comment from the model's category to the correction's
    page.wait_for_function(
        "([target, value]) => window.Chart.getChart(document.getElementById('grafico-distribuicao'))"
        ".data.datasets[0].data[['ELOGIO','CRÍTICA','SUGESTÃO','DÚVIDA','SPAM'].indexOf(target)] === value",
        arg=[target, after[target]],
    )
    shown = dict(
        zip(CATEGORIAS, charts_in_page(page)["distribuicao"]["datasets"][0]["data"], strict=True)
    )
    assert shown == {c: after[c] for c in CATEGORIAS}
    assert shown[target] > before[target]
    assert shown[model] < before[model]


# --- tags in words -------------------------------------------------------------------------------


def _taxonomy_tags(painel: Painel) -> list[str]:
    response = painel.get("/api/tags")
    assert response.status_code == 200, response.text
    return [item["tag"] for item in response.json()["tags"]]


def _chips(page: Page, scope: str) -> list[dict[str, str]]:
    """Each tag chip under `scope`: the text a person reads and the id it carries."""
    chips: list[dict[str, str]] = page.locator(f"{scope} .tag").evaluate_all(
        "(nodes) => nodes.map((n) => ({text: n.textContent, title: n.title, tag: n.dataset.tag}))"
    )
    return chips


def _assert_chips_in_words(chips: list[dict[str, str]], language: str) -> None:
    assert chips, "no tag chip to look at"
    for chip in chips:
        assert TAG_PATTERN.match(chip["tag"]), chip
        assert chip["text"] == tag_name(chip["tag"], language), chip
        assert not TAG_PATTERN.match(chip["text"]), chip
        assert chip["title"] == chip["tag"], chip


def test_tags_read_as_words_in_the_charts_the_filter_and_the_rows(
    log_in: Callable[[], Page], painel: Painel, screenshots_dir: Any
) -> None:
    # Given the latest snapshot's top tags, and a PT-BR viewer
    top = [t["tag"] for t in painel.snapshot()["relatorios"]["top_tags_48h"]]
    assert top, "the seed produced no tag"
    page = log_in()
    wait_for_charts(page)

    # Then the tag chart, its table and the "tag em alta" figure name each tag in words
    labels = charts_in_page(page)["tags"]["labels"]
    assert labels == [tag_name(tag, "pt") for tag in top]
    assert not [label for label in labels if TAG_PATTERN.match(label)]
    page.locator("#card-tags summary").click()
    rows = page.locator("#dados-tags tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))"
    )
    assert [row[:2] for row in rows] == [[tag_name(tag, "pt"), tag] for tag in top]
    expect(page.locator("#kpi-tag")).to_have_text(tag_name(top[0], "pt"))
    expect(page.locator("#kpi-tag")).to_have_attribute("title", top[0])
    page.locator("#card-tags summary").click()
    # And hovering the first bar shows its words with the id under them
    bar = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.getElementById("grafico-tags"));
            const { x, y } = chart.getDatasetMeta(0).data[0];
            return { x: x / 2, y };
        }"""
    )
    page.locator("#grafico-tags").hover(position=bar)
    page.wait_for_function(
        "() => window.Chart.getChart(document.getElementById('grafico-tags')).tooltip.opacity === 1"
    )
    tooltip = page.evaluate(
        "() => window.Chart.getChart(document.getElementById('grafico-tags')).tooltip.title"
    )
    assert tooltip == [tag_name(top[0], "pt"), top[0]]
    shoot_card(page.locator("#card-tags"), screenshots_dir / "painel-tags.png")

    # When that bar is clicked
    page.locator("#grafico-tags").click(position=bar)
    # Then the comment list opens on that tag: its words in the filter, the API's rows for its id
    expect(page.locator("#painel-comentarios")).to_be_visible()
    expect(page.get_by_label("Tag", exact=True)).to_have_value(tag_name(top[0], "pt"))
    _settled(page, "#resultados-comentarios")
    page.wait_for_function(
        "(n) => document.querySelectorAll('#resultados-comentarios tbody tr').length === n",
        arg=len(_api_ids(painel, tag=top[0], limit="50")),
    )
    assert _row_ids(page, "#resultados-comentarios") == _api_ids(painel, tag=top[0], limit="50")

    # When the comment browser is opened
    _open_tab(page, "Comentários")
    _settled(page, "#resultados-comentarios")
    # Then the tag filter offers every taxonomy tag in words, alphabetically, the id beside it
    options = page.locator("#tags-conhecidas option").evaluate_all(
        "(nodes) => nodes.map((n) => ({value: n.value, tag: n.dataset.tag, label: n.label}))"
    )
    assert {o["tag"] for o in options} >= set(_taxonomy_tags(painel))
    for option in options:
        assert option["value"] == tag_name(option["tag"], "pt"), option
        assert option["label"] == option["tag"], option
        assert not TAG_PATTERN.match(option["value"]), option
    in_order = "(values) => values.every((v, i) => i === 0 || values[i - 1].localeCompare(v, 'pt-BR') <= 0)"
    assert page.evaluate(in_order, [o["value"] for o in options])

    # When filtering by a tag typed in its words, in capitals
    results = "#resultados-comentarios"
    _filter(page, Tag=tag_name(top[0], "pt").upper())
    # Then the list is the API's for that tag id, each row's chips in words with the id on hover
    expected = _api_ids(painel, tag=top[0], limit="50")
    assert expected
    assert _row_ids(page, results) == expected
    _assert_chips_in_words(_chips(page, results), "pt")
    # And the correction dialog names the model's tags in words, and the ids typed in its field
    first = page.locator(f"{results} tbody tr").first
    first.get_by_role("button", name=re.compile("Corrigir o comentário")).click()
    dialog = page.get_by_role("dialog", name="Corrigir rótulo")
    expect(dialog.locator("#correcao-modelo")).to_contain_text(tag_name(top[0], "pt"))
    assert top[0] not in dialog.locator("#correcao-modelo").inner_text()
    dialog.get_by_label("Tags (separadas por vírgula)").fill(f"{top[0]}, fix_volume")
    expect(dialog.locator("#correcao-tags-nomes")).to_have_text(
        f"Em palavras: {tag_name(top[0], 'pt')}, {tag_name('fix_volume', 'pt')}"
    )
    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_be_hidden()
    # And the English words and the id select the same comments
    for other in (tag_name(top[0], "en"), top[0]):
        _filter(page, Tag=other)
        assert _row_ids(page, results) == expected, other

    # When the typed words match no tag
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    _filter(page, Tag="palavra que tag nenhuma tem")
    # Then the page says so, and the list was never asked for such a tag
    expect(page.locator(f"{results} .form-error")).to_contain_text("Nenhuma tag se chama")
    assert not [url for url in asked if "tag=" in url], asked

    # When the review queue is shown
    _open_tab(page, "Fila de revisão")
    _settled(page, "#resultados-revisao")
    # Then its rows' tags are words too
    _assert_chips_in_words(_chips(page, "#resultados-revisao"), "pt")


def test_an_english_viewer_reads_the_tags_in_english(chromium: Browser, painel: Painel) -> None:
    # Given a viewer whose browser asks for English
    context = open_context(chromium, painel, locale="en-US")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        top = [t["tag"] for t in painel.snapshot()["relatorios"]["top_tags_48h"]]
        # When the dashboard opens
        log_in_page(page, painel)
        wait_for_charts(page)
        # Then the tag chart and the filter's suggestions speak English
        assert charts_in_page(page)["tags"]["labels"] == [tag_name(tag, "en") for tag in top]
        _open_tab(page, "Comentários")
        _settled(page, "#resultados-comentarios")
        values = page.locator("#tags-conhecidas option").evaluate_all(
            "(nodes) => nodes.map((n) => [n.dataset.tag, n.value])"
        )
        assert values
        assert all(value == tag_name(tag, "en") for tag, value in values)
        # And filtering by the English words lists that tag's comments, with English chips
        _filter(page, Tag=tag_name(top[0], "en"))
        assert _row_ids(page, "#resultados-comentarios") == _api_ids(painel, tag=top[0], limit="50")
        _assert_chips_in_words(_chips(page, "#resultados-comentarios"), "en")
    finally:
        context.close()
    assert errors == []


# --- the weekly digest and the question box -------------------------------------------------------


def test_without_digests_the_card_is_hidden_and_the_question_box_says_why(
    log_in: Callable[[], Page], painel: Painel
) -> None:
    # Given a stack holding no weekly digest
    painel.delete_digests()
    assert painel.get("/api/digests").json() == {"digests": []}
    page = log_in()
    wait_for_charts(page)
    # Then the digest card is not shown
    expect(page.locator("#card-resumo")).to_be_hidden()
    # When a question is asked
    page.get_by_label("Sua pergunta").fill("Do que as pessoas mais reclamaram nas últimas semanas?")
    with page.expect_response("**/api/insights/perguntar") as asked:
        page.get_by_role("button", name="Perguntar").click()
    # Then the insights function refuses it (409) and the page says why, showing no answer
    assert asked.value.status == 409
    assert asked.value.json()["error"]["code"] == "not_enough_digests"
    expect(page.locator("#erro-pergunta")).to_have_text(
        "Ainda não há resumos semanais suficientes para responder: são precisos pelo menos 3."
    )
    expect(page.locator("#resposta")).to_be_hidden()


def test_latest_digest_is_shown_and_a_question_is_answered_from_the_digests(
    page: Page, log_in: Callable[[], Page], painel: Painel, screenshots_dir: Any
) -> None:
    # Given the digests of the last closed weeks, built from the seeded comments
    digests = painel.build_digests()
    assert len(digests) >= 3
    latest = digests[0]
    detail = painel.get(f"/api/digests/{latest['semana']}").json()
    # When the dashboard opens
    with page.expect_response(f"**/api/digests/{latest['semana']}") as shown:
        log_in()
    assert shown.value.status == 200
    # Then the latest week's digest is shown with its dates, paragraph by paragraph, as text
    inicio, fim = (date.fromisoformat(latest[key]) for key in ("inicio", "fim"))
    expect(page.locator("#resumo-semana")).to_have_text(
        f"Semana {latest['semana']} · seg {inicio:%d/%m} a dom {fim:%d/%m}"
    )
    # (a listener's words, marked "> ", set apart as a quotation)
    blocks = [p.strip() for p in re.split(r"\n\s*\n", detail["texto"].strip())]
    quoted = [b.removeprefix("> ") for b in blocks if b.startswith("> ")]
    expect(page.locator("#resumo-texto p")).to_have_text(
        [b for b in blocks if not b.startswith("> ")]
    )
    expect(page.locator("#resumo-texto blockquote")).to_have_text(quoted)
    assert page.locator("#resumo-texto *:not(p, blockquote)").count() == 0

    # When a question about that week is asked
    page.get_by_label("Sua pergunta").fill(
        f"Quantos comentários recebemos na semana {latest['semana']}?"
    )
    with page.expect_response("**/api/insights/perguntar") as asked:
        page.get_by_role("button", name="Perguntar").click()
    assert asked.value.status == 200, asked.value.text()
    answer = asked.value.json()
    # Then the answer rests on that digest's SQL count, and the page shows it, the week and the
    # passages it cites
    assert str(latest["total"]) in answer["resposta"]
    assert answer["semanas"] == [latest["semana"]]
    expect(page.locator("#resposta-texto")).to_have_text(answer["resposta"])
    expect(page.locator("#resposta-semanas .chip")).to_have_text(answer["semanas"])
    expect(page.locator("#resposta-fontes li q")).to_have_text(
        [fonte["trecho"] for fonte in answer["fontes"]]
    )
    expect(page.locator("#erro-pergunta")).to_be_empty()
    shoot_card(page.locator("#card-resumo"), screenshots_dir / "painel-resumo.png")

    # When a question about the criticisms of the last weeks is asked
    page.get_by_label("Sua pergunta").fill(
        "Quais foram as principais críticas nas últimas semanas?"
    )
    with page.expect_response("**/api/insights/perguntar") as asked:
        page.get_by_role("button", name="Perguntar").click()
    assert asked.value.status == 200, asked.value.text()
    answer = asked.value.json()
    # Then it names the criticisms in words, never by their tag ids, and the page shows it
    assert answer["suportada"] is True, answer
    assert "críticas" in answer["resposta"].lower()
    assert not re.search(r"\b(?:fix|feat|perf|ui|doc|test|sec|api)_[a-z]+", answer["resposta"])
    expect(page.locator("#resposta-texto")).to_have_text(answer["resposta"])
    shoot_card(page.locator("#card-pergunta"), screenshots_dir / "painel-pergunta.png")


# --- alerts -------------------------------------------------------------------------------------


def test_a_crash_spike_shows_under_alertas_and_the_badge_counts_the_last_day(
    log_in: Callable[[], Page], painel: Painel, screenshots_dir: Any
) -> None:
    # Given 200 crash comments in the last hour (stored with their rollups) and one alerts run
    engine = sa.create_engine(painel.stack.database_url, poolclass=sa.NullPool)
    try:
        now = datetime.now(UTC)
        times = spread(now - timedelta(minutes=45), now - timedelta(minutes=15), 200)
        insert_comments(engine, comment_rows("painel-alerta", times))
    finally:
        engine.dispose()
    painel.alumusic("alerts", "run")
    listing = painel.get("/api/alertas").json()
    crash = next(
        a for a in listing["alertas"] if a["chave"] == "fix_travamento" and a["direcao"] == "alta"
    )
    # When the dashboard opens
    page = log_in()
    # Then the tab's badge counts the alerts of the last 24 hours, as the API does
    expect(page.locator("#contagem-alertas")).to_have_text(str(listing["ultimas_24h"]))
    # And the Alertas tab lists the spike: the tag in words, its count and baseline
    _open_tab(page, "Alertas")
    _settled(page, "#resultados-alertas")
    assert _row_ids(page, "#resultados-alertas") == [str(a["id"]) for a in listing["alertas"]]
    row = page.locator(f'#resultados-alertas tbody tr[data-id="{crash["id"]}"]')
    expect(row).to_contain_text("travamentos")
    expect(row).to_contain_text("Alta")
    expect(row.locator("td").nth(4)).to_have_text("200")
    baseline = " · ".join(str(n) for n in crash["contagens_base"])
    expect(row.locator("td").nth(6)).to_have_text(baseline)
    shoot_card(page.locator("#painel-alertas"), screenshots_dir / "painel-alertas.png")
