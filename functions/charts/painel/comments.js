// The comment browser (every list filter, keyset paging, CSV export) and the correction dialog.
// The same component serves the review queue with fixed filters.

import { ApiError, downloadExport, listComments, request } from "./api.js";
import {
  announce,
  byId,
  categoryBadge,
  clear,
  el,
  formatDateTime,
  formatFraction,
  formatNumber,
  tagChips,
} from "./dom.js";
import { UnknownTag, loadTagWords, resolveTag, tagName } from "./tags.js";

/**
 * The API query of a filter form: empty fields are left out, percentages become fractions, a tag
 * typed in words becomes its id (throws UnknownTag when no single tag has those words).
 */
export function queryOf(form) {
  const query = {};
  for (const [name, raw] of new FormData(form).entries()) {
    const value = String(raw).trim();
    if (!value) continue;
    if (name === "confianca_min" || name === "confianca_max") {
      const percent = Number(value.replace(",", "."));
      query[name] = Number.isFinite(percent) ? String(percent / 100) : value;
    } else if (name === "tag") {
      query[name] = resolveTag(value);
    } else {
      query[name] = value;
    }
  }
  return query;
}

function modelAnswer(item) {
  const model = item.model ?? {};
  return {
    categoria: model.categoria ?? item.categoria_modelo ?? item.categoria,
    tags: model.tags ?? item.tags_modelo ?? item.tags_funcionalidades ?? [],
  };
}

function confidenceMeter(value) {
  const percent = Number.isFinite(value) ? Math.round(value * 100) : 0;
  const level = percent >= 80 ? "alta" : percent >= 60 ? "media" : "baixa";
  return el("span", { class: `confidence confidence-${level}` }, [
    el("meter", {
      attrs: {
        min: "0",
        max: "1",
        low: "0.6",
        high: "0.8",
        optimum: "1",
        value: String(value ?? 0),
        "aria-hidden": "true",
      },
    }),
    el("span", { class: "confidence-value", text: formatFraction(value) }),
  ]);
}

export class CommentBrowser {
  /**
   * @param {object} options
   * @param {HTMLFormElement} options.form the filter form (its controls' names are API params)
   * @param {HTMLElement} options.results where the list, the summary and the pager go
   * @param {CorrectionDialog} options.dialog
   * @param {boolean} options.exportable show the CSV export of the filter
   * @param {string} options.emptyText
   * @param {(total: number|null) => void} [options.onTotal]
   */
  constructor({ form, results, dialog, exportable, emptyText, onTotal, name }) {
    this.form = form;
    this.results = results;
    this.dialog = dialog;
    this.exportable = exportable;
    this.emptyText = emptyText;
    this.onTotal = onTotal ?? (() => {});
    this.name = name;
    this.query = {};
    this.cursors = [null];
    this.page = 0;
    this.loaded = false;
    this.requestSerial = 0;

    this.summary = el("p", { class: "results-summary", attrs: { role: "status", "aria-live": "polite" } });
    this.exportButton = el("button", {
      class: "btn btn-secondary",
      text: "Exportar CSV",
      attrs: { type: "button", "aria-describedby": `${name}-export-ajuda` },
    });
    this.exportHelp = el("span", {
      class: "sr-only",
      text: "Baixa todos os comentários que atendem aos filtros atuais, não só esta página.",
      attrs: { id: `${name}-export-ajuda` },
    });
    this.error = el("p", { class: "form-error", attrs: { role: "alert" } });
    this.list = el("div", { class: "comment-list" });
    this.prevButton = el("button", { class: "btn btn-secondary", text: "← Anterior", attrs: { type: "button" } });
    this.nextButton = el("button", { class: "btn btn-secondary", text: "Próxima →", attrs: { type: "button" } });
    this.pageLabel = el("span", { class: "page-label" });
    const toolbar = el("div", { class: "results-toolbar" }, [
      this.summary,
      exportable ? el("div", {}, [this.exportButton, this.exportHelp]) : null,
    ]);
    const pager = el("nav", { class: "pager", attrs: { "aria-label": "Paginação" } }, [
      this.prevButton,
      this.pageLabel,
      this.nextButton,
    ]);
    results.replaceChildren(toolbar, this.error, this.list, pager);

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.search();
    });
    form.addEventListener("reset", () => {
      // The reset event comes before the fields are cleared: search once they are.
      this.results.setAttribute("aria-busy", "true");
      window.setTimeout(() => this.search(), 0);
    });
    this.prevButton.addEventListener("click", () => this.go(this.page - 1));
    this.nextButton.addEventListener("click", () => this.go(this.page + 1));
    this.exportButton.addEventListener("click", () => this.exportCsv());
  }

  /** Every filter back to its default, then `values` (by control name); no search is made. */
  setFilters(values) {
    for (const control of this.form.elements) {
      if (control instanceof HTMLSelectElement) {
        const chosen = [...control.options].find((option) => option.defaultSelected) ?? control.options[0];
        control.value = chosen?.value ?? "";
      } else if (control instanceof HTMLInputElement && control.type !== "hidden") {
        control.value = control.defaultValue;
      }
    }
    for (const [name, value] of Object.entries(values)) {
      const control = this.form.elements.namedItem(name);
      if (control) control.value = value;
    }
  }

  /** Load page one of the form's current filter. */
  async search() {
    // A tag typed in words is resolved against the vocabulary, so it has to be there first.
    await loadTagWords();
    try {
      this.query = queryOf(this.form);
    } catch (error) {
      if (!(error instanceof UnknownTag)) throw error;
      this.error.textContent = `Filtro inválido: ${error.message}`;
      this.results.removeAttribute("aria-busy");
      return;
    }
    this.cursors = [null];
    return this.go(0);
  }

  /** Load the first page once, when the view is first shown. */
  ensureLoaded() {
    if (!this.loaded) return this.search();
    return Promise.resolve();
  }

  async go(page) {
    if (page < 0 || page >= this.cursors.length) return;
    const serial = ++this.requestSerial;
    this.results.setAttribute("aria-busy", "true");
    this.error.textContent = "";
    this.prevButton.disabled = true;
    this.nextButton.disabled = true;
    try {
      const cursor = this.cursors[page];
      const [result] = await Promise.all([
        listComments({ ...this.query, ...(cursor ? { cursor } : {}) }),
        loadTagWords(),
      ]);
      if (serial !== this.requestSerial) return;
      this.loaded = true;
      this.page = page;
      this.cursors.length = page + 1;
      if (result.nextCursor) this.cursors.push(result.nextCursor);
      this.renderPage(result);
      if (page === 0) this.onTotal(result.total);
    } catch (error) {
      if (serial !== this.requestSerial) return;
      this.error.textContent =
        error instanceof ApiError && error.status === 400
          ? `Filtro inválido: ${error.message}`
          : `Não foi possível carregar os comentários: ${error.message}`;
      this.prevButton.disabled = this.page === 0;
      this.nextButton.disabled = this.page + 1 >= this.cursors.length;
    } finally {
      if (serial === this.requestSerial) this.results.removeAttribute("aria-busy");
    }
  }

  renderPage(result) {
    const { items, total, totalExact } = result;
    if (total === null || Number.isNaN(total)) {
      this.summary.textContent = `${formatNumber(items.length)} comentários nesta página`;
    } else {
      const about = totalExact ? "" : "cerca de ";
      const noun = total === 1 ? "comentário encontrado" : "comentários encontrados";
      this.summary.textContent = `${about}${formatNumber(total)} ${noun}`;
    }
    this.pageLabel.textContent = `Página ${this.page + 1}`;
    this.prevButton.disabled = this.page === 0;
    this.nextButton.disabled = this.page + 1 >= this.cursors.length;
    this.exportButton.disabled = items.length === 0;

    clear(this.list);
    if (items.length === 0) {
      this.list.append(el("p", { class: "empty", text: this.emptyText }));
      return;
    }
    const table = el("table", { class: "table comments-table" });
    table.append(el("caption", { class: "sr-only", text: "Comentários filtrados" }));
    table.append(
      el("thead", {}, [
        el("tr", {}, [
          el("th", { text: "Comentário", attrs: { scope: "col" } }),
          el("th", { text: "Resposta do modelo", attrs: { scope: "col" } }),
          el("th", { text: "Correção humana", attrs: { scope: "col" } }),
          el("th", { text: "Ações", attrs: { scope: "col", class: "col-actions" } }),
        ]),
      ]),
    );
    const body = el("tbody");
    for (const item of items) body.append(this.row(item));
    table.append(body);
    this.list.append(table);
  }

  row(item) {
    const model = modelAnswer(item);
    const correction = item.correction;
    const tr = el("tr", { attrs: { "data-id": item.id } });

    const review = item.needs_review
      ? el("span", { class: "flag flag-review", text: "precisa de revisão" })
      : null;
    tr.append(
      el("td", { class: "cell-text", attrs: { "data-label": "Comentário" } }, [
        el("p", { class: "comment-text", text: item.texto }),
        el("p", { class: "comment-meta" }, [
          el("span", { class: "mono", text: item.id }),
          " · ",
          el("time", { text: formatDateTime(item.created_at), attrs: { datetime: item.created_at } }),
        ]),
      ]),
    );
    tr.append(
      el("td", { class: "cell-model", attrs: { "data-label": "Resposta do modelo" } }, [
        el("div", { class: "stack" }, [
          el("div", { class: "inline" }, [categoryBadge(model.categoria), confidenceMeter(item.confianca)]),
          tagChips(model.tags),
          review,
          item.fallback_reason
            ? el("span", { class: "hint", text: `reserva: ${item.fallback_reason}` })
            : null,
        ]),
      ]),
    );
    const correctionCell = el("td", { class: "cell-correction", attrs: { "data-label": "Correção humana" } });
    if (correction) {
      correctionCell.append(
        el("div", { class: "stack" }, [
          el("div", { class: "inline" }, [
            categoryBadge(correction.categoria ?? model.categoria),
            el("span", { class: "flag flag-done", text: "corrigido" }),
          ]),
          tagChips(correction.tags ?? model.tags),
          el("span", {
            class: "hint",
            text: `por ${correction.by ?? "–"} em ${formatDateTime(correction.at)}`,
          }),
        ]),
      );
    } else {
      correctionCell.append(el("span", { class: "muted", text: "Sem correção" }));
    }
    tr.append(correctionCell);

    const button = el("button", {
      class: "btn btn-small btn-secondary",
      text: correction ? "Editar correção" : "Corrigir",
      attrs: { type: "button", "aria-label": `Corrigir o comentário ${item.id}` },
    });
    button.addEventListener("click", async () => {
      const updated = await this.dialog.open(item, button);
      if (updated) {
        const fresh = this.row(updated);
        tr.replaceWith(fresh);
        fresh.querySelector("button")?.focus();
      }
    });
    tr.append(el("td", { class: "col-actions", attrs: { "data-label": "Ações" } }, [button]));
    return tr;
  }

  async exportCsv() {
    this.exportButton.disabled = true;
    const label = this.exportButton.textContent;
    this.exportButton.textContent = "Exportando…";
    try {
      // The export takes the filters only: it is every matching comment, not one page.
      const { limit: _limit, cursor: _cursor, ...filters } = this.query;
      const { filename, bytes } = await downloadExport(filters);
      announce(`Exportação pronta: ${filename} (${formatNumber(Math.round(bytes / 1024))} KB).`, {
        tone: "success",
      });
    } catch (error) {
      this.error.textContent = `A exportação falhou: ${error.message}`;
    } finally {
      this.exportButton.textContent = label;
      this.exportButton.disabled = false;
    }
  }
}

/** The correction dialog: PATCH /api/comentarios/{id} with categoria and tags_funcionalidades. */
export class CorrectionDialog {
  constructor() {
    this.dialog = byId("dialogo-correcao");
    this.form = byId("form-correcao");
    this.select = byId("correcao-categoria");
    this.tags = byId("correcao-tags");
    this.error = byId("erro-correcao");
    this.saveButton = byId("salvar-correcao");
    this.resolve = null;
    this.item = null;
    this.opener = null;

    byId("cancelar-correcao").addEventListener("click", () => this.close(null));
    this.dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.close(null);
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.tags.addEventListener("input", () => this.showTagWords());
  }

  typedTags() {
    return this.tags.value
      .split(/[\s,;]+/)
      .map((tag) => tag.trim().toLowerCase())
      .filter(Boolean);
  }

  /** The field takes ids (what the API stores); beside it, what they mean in words. */
  showTagWords() {
    const tags = this.typedTags();
    byId("correcao-tags-nomes").textContent = tags.length
      ? `Em palavras: ${tags.map((tag) => tagName(tag)).join(", ")}`
      : "Sem tags.";
  }

  open(item, opener) {
    this.item = item;
    this.opener = opener;
    const model = modelAnswer(item);
    byId("correcao-texto").textContent = item.texto;
    byId("correcao-modelo").textContent =
      `Modelo: ${model.categoria} (${formatFraction(item.confianca)})` +
      (model.tags.length ? ` · tags: ${model.tags.map((tag) => tagName(tag)).join(", ")}` : " · sem tags");
    this.select.value = item.categoria ?? model.categoria;
    this.tags.value = (item.tags_funcionalidades ?? model.tags).join(", ");
    this.showTagWords();
    this.error.textContent = "";
    this.dialog.showModal();
    this.select.focus();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  close(result) {
    if (this.dialog.open) this.dialog.close();
    const resolve = this.resolve;
    this.resolve = null;
    if (this.opener?.isConnected) this.opener.focus();
    if (resolve) resolve(result);
  }

  async save() {
    const tags = this.typedTags();
    this.saveButton.disabled = true;
    this.error.textContent = "";
    try {
      const response = await request(`/api/comentarios/${encodeURIComponent(this.item.id)}`, {
        method: "PATCH",
        json: { categoria: this.select.value, tags_funcionalidades: tags },
      });
      const updated = await response.json();
      announce(
        `Correção salva: ${updated.categoria}. Os gráficos mostram a mudança na próxima atualização.`,
        { tone: "success" },
      );
      this.close(updated);
    } catch (error) {
      this.error.textContent =
        error instanceof ApiError && error.status === 400
          ? `Correção recusada: ${error.message}`
          : `Não foi possível salvar: ${error.message}`;
    } finally {
      this.saveButton.disabled = false;
    }
  }
}
