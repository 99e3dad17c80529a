// The latest weekly digest (GET /api/digests, then /api/digests/{semana}). The card stays hidden
// when there is none yet or the endpoint is not there.

import { getJson } from "./api.js";
import { byId, clear, el, formatDay } from "./dom.js";

// The mark the digest writer opens a listener's quoted words with (shared/digest/writer.py).
const QUOTATION_MARK = "> ";

function weeksIn(listing) {
  const entries = Array.isArray(listing)
    ? listing
    : (listing?.digests ?? listing?.items ?? listing?.semanas ?? []);
  return entries
    .map((entry) => (typeof entry === "string" ? entry : entry?.semana))
    .filter((semana) => typeof semana === "string" && semana.length > 0);
}

export async function loadLatestDigest() {
  const card = byId("card-resumo");
  try {
    const weeks = weeksIn(await getJson("/api/digests"));
    if (weeks.length === 0) {
      card.hidden = true;
      return null;
    }
    // ISO weeks ("2026-W48") sort as text.
    const latest = [...weeks].sort().at(-1);
    const digest = await getJson(`/api/digests/${encodeURIComponent(latest)}`);
    const texto = typeof digest?.texto === "string" ? digest.texto.trim() : "";
    if (!texto) {
      card.hidden = true;
      return null;
    }
    const span = digest.inicio && digest.fim ? ` · ${formatDay(digest.inicio)} a ${formatDay(digest.fim)}` : "";
    byId("resumo-semana").textContent = `Semana ${digest.semana ?? latest}${span}`;
    const holder = byId("resumo-texto");
    clear(holder);
    for (const paragraph of texto.split(/\n\s*\n/)) {
      const block = paragraph.trim();
      // A listener's words come marked as a quotation ("> "): shown set apart, never as the
      // product's own paragraph.
      if (block.startsWith(QUOTATION_MARK)) {
        const quoted = block.slice(QUOTATION_MARK.length);
        holder.append(el("blockquote", { class: "quote", text: quoted }));
      } else {
        holder.append(el("p", { text: block }));
      }
    }
    card.hidden = false;
    return latest;
  } catch {
    // No digest yet (404), or the digest function is not deployed: the panel simply has no card.
    card.hidden = true;
    return null;
  }
}
