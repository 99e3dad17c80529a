// The private dashboard: login, tabs, and wiring of the charts, the comment browser, the review
// queue, the latest digest and the question box. No data ever goes through innerHTML.

import { loadAlerts } from "./alerts.js";
import { ApiError, currentUser, isLoggedIn, listComments, login, logout, onSessionExpired } from "./api.js";
import { ChartsPanel, TAG_CHOSEN } from "./charts.js";
import { CommentBrowser, CorrectionDialog } from "./comments.js";
import { loadLatestDigest } from "./digest.js";
import { announce, byId, el, fillCategorySelect, formatNumber } from "./dom.js";
import { setupQuestions } from "./insights.js";
import { loadTagWords, tagName, tagOptions } from "./tags.js";
import { loadThemes, setupThemes } from "./themes.js";

const TABS = [
  { tab: "aba-visao", panel: "painel-visao", hash: "#visao" },
  { tab: "aba-comentarios", panel: "painel-comentarios", hash: "#comentarios" },
  { tab: "aba-revisao", panel: "painel-revisao", hash: "#revisao" },
  { tab: "aba-alertas", panel: "painel-alertas", hash: "#alertas" },
];

for (const select of document.querySelectorAll("select[data-categorias]")) {
  fillCategorySelect(select, {
    allLabel: select.dataset.categorias === "todas" ? "Todas" : undefined,
  });
}

const charts = new ChartsPanel();
const dialog = new CorrectionDialog();
const browser = new CommentBrowser({
  name: "comentarios",
  form: byId("filtros-comentarios"),
  results: byId("resultados-comentarios"),
  dialog,
  exportable: true,
  emptyText: "Nenhum comentário atende a estes filtros.",
});
const reviewQueue = new CommentBrowser({
  name: "revisao",
  form: byId("filtros-revisao"),
  results: byId("resultados-revisao"),
  dialog,
  exportable: false,
  emptyText: "Nada para revisar: todos os comentários estão acima do limiar de confiança.",
  onTotal: showReviewCount,
});
setupQuestions();
setupThemes();

// The tag filter suggests every tag in the viewer's words (the id beside it, as the option's
// label); a tag of the chart the taxonomy lacks is offered too. Typing words or an id both work.
let chartTags = [];

function fillTagSuggestions() {
  byId("tags-conhecidas").replaceChildren(
    ...tagOptions(chartTags).map(({ tag, name }) =>
      el("option", { attrs: { value: name, label: tag, "data-tag": tag } }),
    ),
  );
}

charts.onData = (snapshot) => {
  chartTags = (snapshot.relatorios?.top_tags_48h ?? []).map((t) => t.tag);
  fillTagSuggestions();
};

// A bar of the tag chart lists that tag's comments: the filter shows its words, the list its id.
byId("grafico-tags").addEventListener(TAG_CHOSEN, (event) => {
  browser.setFilters({ tag: tagName(event.detail.tag) });
  const listed = browser.loaded;
  // The first visit to the list loads it with these filters; a later one searches again.
  selectTab(TABS.findIndex(({ panel }) => panel === "painel-comentarios"));
  if (listed) browser.search();
});

function showReviewCount(total) {
  byId("contagem-revisao").textContent = Number.isFinite(total) && total > 0 ? formatNumber(total) : "";
}

async function refreshReviewCount() {
  try {
    const page = await listComments({ needs_review: "true", limit: "1" });
    showReviewCount(page.total);
  } catch {
    showReviewCount(null);
  }
}

// --- tabs (WAI-ARIA tabs pattern: arrows, Home and End move between tabs) ---------------------

function selectTab(index, { focus = false } = {}) {
  TABS.forEach(({ tab, panel }, i) => {
    const selected = i === index;
    const button = byId(tab);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    byId(panel).hidden = !selected;
  });
  const chosen = byId(TABS[index].tab);
  if (focus) chosen.focus();
  history.replaceState(null, "", TABS[index].hash);
  if (TABS[index].panel === "painel-comentarios") browser.ensureLoaded();
  if (TABS[index].panel === "painel-revisao") reviewQueue.ensureLoaded();
  if (TABS[index].panel === "painel-alertas") loadAlerts();
}

TABS.forEach(({ tab }, index) => {
  const button = byId(tab);
  button.addEventListener("click", () => selectTab(index));
  button.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    selectTab((moves[event.key] + TABS.length) % TABS.length, { focus: true });
  });
});

// --- login and session ---------------------------------------------------------------------------

function showLogin(message = "") {
  charts.destroy();
  byId("tela-app").hidden = true;
  byId("abas").hidden = true;
  byId("sessao").hidden = true;
  byId("tela-login").hidden = false;
  byId("erro-login").textContent = message;
  byId("login-senha").value = "";
  byId("login-usuario").focus();
}

function showApp() {
  const user = currentUser();
  byId("usuario").textContent = user?.username ?? "";
  byId("papel").textContent = user ? (user.role === "admin" ? "administrador" : "analista") : "";
  byId("tela-login").hidden = true;
  byId("tela-app").hidden = false;
  byId("abas").hidden = false;
  byId("sessao").hidden = false;
  const fromHash = TABS.findIndex(({ hash }) => hash === window.location.hash);
  selectTab(fromHash >= 0 ? fromHash : 0);
  charts.start();
  loadTagWords().then(() => fillTagSuggestions());
  loadLatestDigest();
  loadThemes();
  refreshReviewCount();
  // The badge counts the last 24 hours' alerts; the list loads with it.
  loadAlerts();
}

byId("atualizar-alertas").addEventListener("click", () => loadAlerts());

byId("form-login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = byId("login-usuario").value.trim();
  const password = byId("login-senha").value;
  const error = byId("erro-login");
  if (!username || !password) {
    error.textContent = "Informe usuário e senha.";
    return;
  }
  performance.mark("painel:login-enviado");
  const button = byId("entrar");
  button.disabled = true;
  button.textContent = "Entrando…";
  error.textContent = "";
  try {
    await login(username, password);
    showApp();
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      error.textContent = "Usuário ou senha incorretos.";
    } else if (failure instanceof ApiError && failure.status === 429) {
      error.textContent = "Muitas tentativas seguidas. Espere alguns minutos e tente de novo.";
    } else {
      error.textContent = `Não foi possível entrar: ${failure.message}`;
    }
  } finally {
    button.disabled = false;
    button.textContent = "Entrar";
  }
});

byId("sair").addEventListener("click", () => {
  logout();
  showLogin();
  announce("Você saiu do painel.");
});

onSessionExpired(() => showLogin("Sua sessão expirou. Entre de novo."));

if (isLoggedIn()) showApp();
else showLogin();
