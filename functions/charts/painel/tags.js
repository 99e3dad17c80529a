// Tags in the viewer's words. GET /api/tags gives every taxonomy tag in Portuguese and English (the
// server's one vocabulary); the page shows words and keeps the id for filters, corrections and
// tooltips. Loaded once per login; until it arrives (or if it fails) a tag reads as its id.

import { getJson } from "./api.js";

const TAG_ID = /^(feat|fix|perf|ui|doc|test|sec|api)_[a-z]+$/;

let words = new Map(); // id -> { nome, name_en }
let patterns = new Map(); // scope -> { nome, name_en }
let slot = "{s}";
let loading = null;

/**
 * "en" for a viewer whose browser asks for English first, "pt" otherwise (the page is PT-BR).
 * The page has no language setting of its own; a `lang` on <html> other than pt-BR would be one.
 */
export function viewerLanguage() {
  const pageLanguage = document.documentElement.lang;
  const preferred =
    pageLanguage && !/^pt/i.test(pageLanguage)
      ? pageLanguage
      : (navigator.languages?.[0] ?? navigator.language ?? "pt-BR");
  return /^en\b/i.test(preferred) ? "en" : "pt";
}

/** Fetch the vocabulary once; every caller awaits the same request. A failure is retried later. */
export function loadTagWords() {
  loading ??= getJson("/api/tags")
    .then((body) => {
      words = new Map((body.tags ?? []).map((item) => [item.tag, item]));
      patterns = new Map((body.escopos ?? []).map((item) => [item.escopo, item]));
      slot = typeof body.assunto === "string" && body.assunto ? body.assunto : slot;
      return true;
    })
    .catch(() => {
      loading = null;
      return false;
    });
  return loading;
}

/** The tag in the viewer's words: the vocabulary's, else its scope's pattern, else the id. */
export function tagName(tag, language = viewerLanguage()) {
  const key = language === "en" ? "name_en" : "nome";
  const known = words.get(tag);
  if (known?.[key]) return known[key];
  const [scope, ...rest] = String(tag).split("_");
  const pattern = patterns.get(scope)?.[key];
  if (pattern && rest.length) return pattern.split(slot).join(rest.join(" "));
  return String(tag);
}

/** Every known tag as {tag, name}, in the viewer's words and alphabetical order. */
export function tagOptions(extra = []) {
  const ids = new Set([...words.keys(), ...extra.filter((tag) => TAG_ID.test(tag))]);
  const locale = viewerLanguage() === "en" ? "en" : "pt-BR";
  return [...ids]
    .map((tag) => ({ tag, name: tagName(tag) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale) || a.tag.localeCompare(b.tag));
}

/** Case, accents and spacing ignored: "Versões ao vivo" finds "versoes  ao vivo". */
function fold(text) {
  return String(text)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export class UnknownTag extends Error {
  constructor(message) {
    super(message);
    this.name = "UnknownTag";
  }
}

/**
 * The id a person meant by what they typed in a tag field: an id as it is; words of either
 * language, whole or a part that only one tag has. Throws UnknownTag with a sentence to show.
 */
export function resolveTag(typed) {
  const text = String(typed).trim();
  if (TAG_ID.test(text.toLowerCase())) return text.toLowerCase();
  const wanted = fold(text);
  const names = (tag, item) => [tag, item.nome, item.name_en].map(fold);
  const exact = [...words].filter(([tag, item]) => names(tag, item).includes(wanted));
  if (exact.length === 1) return exact[0][0];
  const partial = [...words].filter(([tag, item]) => names(tag, item).some((n) => n.includes(wanted)));
  if (partial.length === 1) return partial[0][0];
  if (partial.length > 1 || exact.length > 1) {
    const shown = partial.slice(0, 3).map(([tag]) => `“${tagName(tag)}”`);
    throw new UnknownTag(
      `“${text}” corresponde a ${partial.length} tags (${shown.join(", ")}${partial.length > 3 ? "…" : ""}): escolha uma da lista.`,
    );
  }
  throw new UnknownTag(`Nenhuma tag se chama “${text}”: escolha uma da lista ou digite o código (ex.: fix_volume).`);
}
