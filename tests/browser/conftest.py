"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against the whole stack.

The stack is the one `make dev` runs (`alumusic dev up`, see tests/e2e/conftest.py) on free ports
with a database of its own. It is seeded through the public API with corpus comments written over
the last four weeks (`criado_em`), plus a few the tests look for; one chart refresh and the digests
of the last closed weeks (`alumusic charts refresh`, `alumusic digest backfill`) are done before the
browser opens. A missing Chromium fails the suite: the browser tests are part of `make test`.

Screenshots go to a temporary directory; set PAINEL_SCREENSHOTS_DIR=docs to refresh the ones the
README shows.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

from tests.e2e.conftest import RunningStack, start_stack
from tooling.demo import demo_comments
from tooling.devstack.postgres import PostgresServer
from tooling.devstack.stack import load_stack, repo_root
from tooling.devstack.state import read_secrets
from tooling.devstack.waiting import wait_until

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHART_NAMES = ("distribuicao", "evolucao", "tags", "confianca", "hora")
CATEGORIAS = ("ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM")
XSS_TEXT = "<img src=x onerror=alert(1)>"
SEEDED_CORPUS_COMMENTS = 240
SEEDED_EARLIER_COMMENTS = 800
DIGEST_WEEKS = 3
# Comments the tests find by a phrase of their own (the corpus never says these words).
MARKED = {
    "painel-xss": XSS_TEXT,
    "painel-correcao": "Adorei o arranjo de cordas zabumbafonico do segundo refrão, ficou lindo demais",
    "painel-busca-1": "Quando sai o clipe oficial xilofonetico dessa faixa?",
    "painel-busca-2": "O volume xilofonetico cai sozinho no meio da música, arruma isso",
}


@dataclass
class Painel:
    """The running stack as the browser tests see it."""

    stack: RunningStack
    api: requests.Session
    state_dir: Path
    seeded_ids: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.stack.gateway_url

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.api.get(self.base_url + path, **kwargs)

    def snapshot(self) -> dict[str, Any]:
        response = self.get("/api/relatorio/semana")
        assert response.status_code == 200, response.text
        document: dict[str, Any] = response.json()
        return document

    def alumusic(self, *args: str) -> str:
        """`alumusic <args>` against the stack's database, bucket and emulator; its output."""
        secrets_of_stack = read_secrets(self.state_dir)
        env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "DATABASE_URL": self.stack.database_url,
            "JWT_PUBLIC_KEYS": secrets_of_stack.get("jwt_public_keys", ""),
            "CURSOR_SECRET": secrets_of_stack.get("cursor_secret", ""),
            "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{self.stack.ports['PUBSUB_PORT']}",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.stack.ports['S3_PORT']}",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
        }
        bucket = load_stack().buckets
        if bucket:
            env["S3_BUCKET"] = bucket[0]
        result = subprocess.run(
            [sys.executable, "-m", "shared.cli", *args],
            cwd=repo_root(),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"alumusic {args} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def refresh_charts(self) -> dict[str, Any]:
        """One chart refresh now (`alumusic charts refresh` against the stack), then the snapshot."""
        before = self.snapshot().get("gerado_em") if self._has_snapshot() else None
        self.alumusic("charts", "refresh")

        def newer() -> bool:
            return self.snapshot().get("gerado_em") != before

        assert wait_until(newer, timeout=30, interval=0.2), "the refreshed snapshot is not served"
        return self.snapshot()

    def build_digests(self) -> list[dict[str, Any]]:
        """The digests of the last closed weeks (`alumusic digest backfill`, as the weekly job
        builds them), then the stored ones as `GET /api/digests` lists them, newest first."""
        self.alumusic("digest", "backfill", "--weeks", str(DIGEST_WEEKS))
        listing = self.get("/api/digests")
        assert listing.status_code == 200, listing.text
        digests: list[dict[str, Any]] = listing.json()["digests"]
        return digests

    def delete_digests(self) -> None:
        """No weekly digest stored (there is no API that deletes one)."""
        engine = sa.create_engine(self.stack.database_url, poolclass=sa.NullPool)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM digest_deliveries"))
                conn.execute(sa.text("DELETE FROM weekly_digests"))
        finally:
            engine.dispose()

    def _has_snapshot(self) -> bool:
        return self.get("/api/relatorio/semana").status_code == 200


def _seed_comments() -> list[dict[str, str]]:
    """Corpus comments as the demo writes them (daily rhythm, growing volume): the last six and a
    half days for the charts, three weeks before that for the weekly digests, plus the marked
    ones, written in the last two hours. None near the charts' 7-day edge, so no comment leaves
    their window while the tests run."""
    now = datetime.now(UTC)
    recent = demo_comments(
        SEEDED_CORPUS_COMMENTS, prefix="painel-corpus", seed=20261130, now=now, weeks=1
    )
    earlier = demo_comments(
        SEEDED_EARLIER_COMMENTS, prefix="painel-antigo", seed=20261129, now=now, weeks=4
    )
    comments = [
        *(c for c in recent if _age(c, now) < timedelta(days=6.5)),
        *(c for c in earlier if _age(c, now) > timedelta(days=8)),
    ]
    for number, (comment_id, texto) in enumerate(MARKED.items()):
        ago = timedelta(minutes=20 + 10 * number)
        comments.append({"id": comment_id, "texto": texto, "criado_em": (now - ago).isoformat()})
    return comments


def _age(comment: dict[str, str], now: datetime) -> timedelta:
    return now - datetime.fromisoformat(comment["criado_em"])


def _assert_times_kept(painel: Painel, seeded: list[dict[str, str]]) -> None:
    """The API stored each comment at the `criado_em` it was sent with (the charts rest on it)."""
    for comment in (seeded[0], seeded[len(seeded) // 2], seeded[-1]):
        stored = painel.get(f"/api/comentarios/{comment['id']}")
        assert stored.status_code == 200, stored.text
        assert datetime.fromisoformat(stored.json()["criado_em"]) == datetime.fromisoformat(
            comment["criado_em"]
        ), comment["id"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: the browser tests need it "
            "(apt-get install -y chromium, or set CHROMIUM_PATH)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            # Date inputs follow the browser's language (pt-BR when chromium-l10n is installed).
            env={**os.environ, "LANGUAGE": "pt_BR"},
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def painel(tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer) -> Iterator[Painel]:
    database = f"alumusic_browser_{secrets.token_hex(4)}"
    state_dir = tmp_path_factory.mktemp("browser-stack")
    stack = start_stack(state_dir, pg_server.url(database))
    try:
        session = stack.admin_session()
        painel = Painel(stack=stack, api=session, state_dir=state_dir)

        page = session.get(stack.gateway_url + "/painel", timeout=30)
        assert page.status_code == 200, f"the stack does not serve /painel: {page.status_code}"

        seeded = _seed_comments()
        for start in range(0, len(seeded), 500):
            batch = seeded[start : start + 500]
            stored = session.post(stack.gateway_url + "/api/comentarios", json=batch, timeout=120)
            assert stored.status_code in (200, 201), stored.text
        painel.seeded_ids = [comment["id"] for comment in seeded]
        _assert_times_kept(painel, seeded)
        painel.refresh_charts()
        painel.build_digests()
        yield painel
    finally:
        stack.stop()
        pg_server.drop_database(database)


@dataclass
class Watch:
    """What the page did that it must not: dialogs, uncaught errors, CSP violations."""

    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


def open_context(browser: Browser, painel: Painel, *, locale: str = "pt-BR") -> BrowserContext:
    """A fresh browser profile on the stack; `locale` is the viewer's language (navigator.language)."""
    context = browser.new_context(
        base_url=painel.base_url,
        locale=locale,
        timezone_id="America/Sao_Paulo",
        viewport={"width": 1366, "height": 900},
        reduced_motion="reduce",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def context(chromium: Browser, painel: Painel) -> Iterator[BrowserContext]:
    context = open_context(chromium, painel)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: BrowserContext, watch: Watch) -> Iterator[Page]:
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            watch.csp_violations.append(message.text)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("console", on_console)
    yield page
    assert watch.dialogs == [], f"the page opened dialogs: {watch.dialogs}"
    assert watch.page_errors == [], f"uncaught errors in the page: {watch.page_errors}"
    assert watch.csp_violations == [], f"CSP violations: {watch.csp_violations}"


@pytest.fixture
def log_in(page: Page, painel: Painel) -> Callable[[], Page]:
    """Open /painel and log in as the stack's admin through the form."""

    return lambda: log_in_page(page, painel)


def log_in_page(page: Page, painel: Painel) -> Page:
    """Open /painel in `page` and log in as the stack's admin through the form."""
    page.goto("/painel")
    page.get_by_label("Usuário").fill(painel.stack.admin_username)
    page.get_by_label("Senha").fill(painel.stack.admin_password)
    page.get_by_role("button", name="Entrar").click()
    page.locator("#tela-app").wait_for(state="visible")
    return page


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("PAINEL_SCREENSHOTS_DIR")
    if configured:
        path = Path(configured)
        if not path.is_absolute():
            path = repo_root() / path
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("painel-screenshots")


def shoot_card(card: Locator, path: Path) -> None:
    """A screenshot of one card of the page, whole: taken scrolled into view, where the sticky top
    bar would cover the card's head, so the bar stays in place meanwhile (set through the CSSOM,
    which the page's Content-Security-Policy allows, unlike an injected style sheet)."""
    card.page.evaluate("document.querySelector('.topbar').style.position = 'static'")
    try:
        card.screenshot(path=str(path))
    finally:
        card.page.evaluate("document.querySelector('.topbar').style.position = ''")


@pytest.fixture(scope="session")
def measurements() -> Iterator[dict[str, Any]]:
    """Figures the browser tests measure (not asserted), written to reports/ at the end."""
    figures: dict[str, Any] = {}
    yield figures
    if figures:
        reports = repo_root() / "reports"
        reports.mkdir(exist_ok=True)
        figures["measured_at"] = datetime.now(UTC).isoformat()
        (reports / "painel-browser.json").write_text(json.dumps(figures, indent=2) + "\n")


def charts_in_page(page: Page) -> dict[str, dict[str, Any]]:
    """Each chart's data as Chart.js holds it and how many canvas pixels it painted."""
    result: dict[str, dict[str, Any]] = page.evaluate(
        """(names) => Object.fromEntries(names.map((name) => {
            const canvas = document.getElementById(`grafico-${name}`);
            const chart = window.Chart && window.Chart.getChart(canvas);
            if (!chart) return [name, null];
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
            return [name, {
                labels: chart.data.labels,
                datasets: chart.data.datasets.map((d) => ({label: d.label ?? null, data: d.data})),
                painted,
                area: canvas.width * canvas.height,
            }];
        }))""",
        list(CHART_NAMES),
    )
    return result


def wait_for_charts(page: Page, *, timeout_ms: float = 15_000) -> None:
    page.wait_for_function(
        """(names) => names.every((name) => {
            const canvas = document.getElementById(`grafico-${name}`);
            return window.Chart && window.Chart.getChart(canvas);
        })""",
        arg=list(CHART_NAMES),
        timeout=timeout_ms,
    )
