// DOM helpers. Data only ever reaches the page through textContent and attributes set here:
// never innerHTML, so a comment like <img src=x onerror=alert(1)> is shown as text.

import { tagName } from "./tags.js";

export const CATEGORIAS = ["ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM"];

export const CORES = {
  ELOGIO: "#16a34a",
  "CRÍTICA": "#dc2626",
  "SUGESTÃO": "#2563eb",
  "DÚVIDA": "#d97706",
  SPAM: "#64748b",
};

const CATEGORY_CLASS = {
  ELOGIO: "cat-elogio",
  "CRÍTICA": "cat-critica",
  "SUGESTÃO": "cat-sugestao",
  "DÚVIDA": "cat-duvida",
  SPAM: "cat-spam",
};

/**
 * Create an element. `options.text` becomes textContent; `options.attrs` are set with
 * setAttribute (never event handlers or style); `children` are nodes or strings (text nodes).
 */
export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

const numberFormat = new Intl.NumberFormat("pt-BR");
const percentFormat = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 1 });
const dateTimeFormat = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "short" });

export function formatNumber(value) {
  return Number.isFinite(value) ? numberFormat.format(value) : "–";
}

/** 0.873 -> "87,3%" */
export function formatFraction(value) {
  return Number.isFinite(value) ? `${percentFormat.format(value * 100)}%` : "–";
}

/** 42.5 (already a percentage) -> "42,5%" */
export function formatPercent(value) {
  return Number.isFinite(value) ? `${percentFormat.format(value)}%` : "–";
}

export function formatDateTime(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : dateTimeFormat.format(date);
}

const WEEKDAYS = ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"];

/** "2026-11-27" -> "sex 27/11" (a calendar day of the product, read as written). */
export function formatDay(isoDay) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(isoDay));
  if (!match) return String(isoDay);
  const [, year, month, day] = match;
  const weekday = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay();
  return `${WEEKDAYS[weekday]} ${day}/${month}`;
}

/** "2026-11-30T08:00:00-03:00" -> "08h": the hour as the server wrote it (product time zone). */
export function formatHour(isoHour) {
  const match = /T(\d{2}):/.exec(String(isoHour));
  return match ? `${match[1]}h` : String(isoHour);
}

export function categoryBadge(categoria) {
  const known = CATEGORY_CLASS[categoria];
  return el("span", { class: `badge ${known ?? "cat-outra"}`, text: categoria ?? "–" });
}

/** Tags as chips in the viewer's words; the id, which filters and corrections take, on hover. */
export function tagChips(tags) {
  const list = el("span", { class: "tags" });
  for (const tag of tags ?? []) {
    list.append(el("span", { class: "tag", text: tagName(tag), attrs: { title: tag, "data-tag": tag } }));
  }
  return list;
}

/** Fill a <select> with the five categories (and an "all" choice when asked). */
export function fillCategorySelect(select, { allLabel } = {}) {
  clear(select);
  if (allLabel) select.append(el("option", { text: allLabel, attrs: { value: "" } }));
  for (const categoria of CATEGORIAS) {
    select.append(el("option", { text: categoria, attrs: { value: categoria } }));
  }
}

/** A small accessible table (used for "Ver dados" under each chart). */
export function dataTable(headers, rows, caption) {
  const table = el("table", { class: "table table-compact" });
  if (caption) table.append(el("caption", { class: "sr-only", text: caption }));
  const head = el("tr", {}, headers.map((h) => el("th", { text: h, attrs: { scope: "col" } })));
  table.append(el("thead", {}, [head]));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, row.map((cell) => el("td", { text: cell }))));
  table.append(body);
  return table;
}

let announceTimer = 0;

/** Say something to screen readers (and show it briefly as a toast). */
export function announce(message, { tone = "info" } = {}) {
  const live = document.getElementById("anuncio");
  if (!live) return;
  live.textContent = message;
  live.className = `toast toast-${tone} toast-visible`;
  window.clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    live.className = "sr-only";
  }, 5000);
}
