// "Temas novos": groups of comments no tag covers (GET /api/temas), each with its words, size,
// growth and sample comments shown as quotations; "Promover" makes it a tag
// (POST /api/temas/{id}/promover), "Dispensar" hides it (POST /api/temas/{id}/dispensar).
// The card stays hidden when the themes function is not there.

import { ApiError, getJson, request } from "./api.js";
import { announce, byId, clear, el, formatNumber } from "./dom.js";

const TAG_PATTERN = /^(feat|fix|perf|ui|doc|test|sec|api)_[a-z]+$/;

function suggestedTag(theme) {
  const first = String(theme.palavras?.[0] ?? "").split(" ")[0];
  const subject = first.normalize("NFKD").replace(/[^a-z]/gi, "").toLowerCase();
  return subject ? `feat_${subject}` : "feat_";
}

function growthText(theme) {
  if (theme.crescimento === null || theme.crescimento === undefined) {
    return theme.anterior ? "" : "novo neste período";
  }
  const percent = Math.round(theme.crescimento * 100);
  // The count before comes first: "+5.300%" alone reads as a lot of comments when it was 1 -> 54.
  return `${formatNumber(theme.anterior)} no período anterior (${percent >= 0 ? "+" : ""}${formatNumber(percent)}%)`;
}

function themeItem(theme, reload) {
  const tagInput = el("input", {
    class: "input",
    attrs: {
      id: `tema-tag-${theme.id}`,
      name: "tag",
      value: suggestedTag(theme),
      maxlength: 64,
      pattern: TAG_PATTERN.source,
      "aria-label": `Tag para o tema ${theme.nome}`,
      spellcheck: "false",
    },
  });
  const error = el("p", { class: "form-error", attrs: { role: "alert" } });
  const promote = el("button", {
    class: "btn btn-primary",
    text: "Promover a tag",
    attrs: { type: "submit", "data-acao": "promover" },
  });
  const dismiss = el("button", {
    class: "btn",
    text: "Dispensar",
    attrs: { type: "button", "data-acao": "dispensar" },
  });
  const form = el("form", { class: "theme-actions", attrs: { novalidate: true } }, [
    tagInput,
    promote,
    dismiss,
  ]);
  async function act(path, json, done) {
    error.textContent = "";
    promote.disabled = dismiss.disabled = true;
    try {
      await request(path, { method: "POST", json });
      announce(done);
      await reload();
    } catch (failure) {
      error.textContent =
        failure instanceof ApiError ? failure.message : `Não foi possível: ${failure.message}`;
      promote.disabled = dismiss.disabled = false;
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const tag = tagInput.value.trim();
    if (!TAG_PATTERN.test(tag)) {
      error.textContent = "A tag deve ser escopo_assunto, como feat_ingresso.";
      return;
    }
    act(`/api/temas/${theme.id}/promover`, { tag }, `Tema promovido a ${tag}.`);
  });
  dismiss.addEventListener("click", () =>
    act(`/api/temas/${theme.id}/dispensar`, undefined, "Tema dispensado."),
  );
  const quotes = (theme.amostras_texto ?? []).map((sample) =>
    el("blockquote", { class: "quote", text: sample.texto, attrs: { "data-id": sample.id } }),
  );
  const heading = theme.rotulo || theme.nome;
  // Without a label the heading is the words themselves: list only what it does not already say.
  // A "word" may be a phrase ("coração neon"): it is said when each of its words is.
  const wordsOf = (text) => text.toLocaleLowerCase("pt-BR").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const said = new Set(wordsOf(heading));
  const unsaid = (theme.palavras ?? []).filter((word) => !wordsOf(word).every((w) => said.has(w)));
  return el("li", { class: "theme", attrs: { "data-tema": theme.id } }, [
    el("div", { class: "theme-head" }, [
      el("h3", { class: "theme-name", text: heading }),
      el("span", { class: "chip", text: `${formatNumber(theme.tamanho)} comentários` }),
    ]),
    el("p", { class: "muted theme-meta", text: `${theme.chave} · ${growthText(theme)}` }),
    unsaid.length > 0
      ? el("p", { class: "theme-words", text: `Palavras: ${unsaid.join(", ")}` })
      : null,
    ...quotes,
    form,
    error,
  ]);
}

export async function loadThemes() {
  const card = byId("card-temas");
  const list = byId("lista-temas");
  const periodo = byId("temas-periodo").value || "dia";
  const reload = () => loadThemes();
  try {
    const body = await getJson("/api/temas", { query: { periodo, status: "novo", limit: "10" } });
    clear(list);
    const temas = body?.temas ?? [];
    byId("temas-vazio").hidden = temas.length > 0;
    for (const theme of temas) list.append(themeItem(theme, reload));
    card.hidden = false;
  } catch {
    card.hidden = true;
  }
}

export function setupThemes() {
  byId("temas-periodo").addEventListener("change", () => loadThemes());
}
