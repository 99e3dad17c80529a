// Alerts (GET /api/alertas): a spike or drop of a tag or category against the same hours of the
// previous 4 weeks, newest first, with the numbers it rests on; the tab's badge counts the last
// 24 hours. Every number is the API's (computed in SQL).

import { getJson } from "./api.js";
import { byId, clear, el, formatDateTime, formatNumber } from "./dom.js";

const WINDOW_WORDS = { hora: "última hora", dia: "últimas 24 horas" };
const DIRECTION_WORDS = { alta: "Alta", queda: "Queda" };
const pFormat = new Intl.NumberFormat("pt-BR", { maximumSignificantDigits: 2 });

function pText(p) {
  if (!Number.isFinite(p)) return "–";
  return p < 0.0001 ? "< 0,0001" : pFormat.format(p);
}

function subject(alerta) {
  if (alerta.escopo === "tag") {
    return el("span", {}, [
      el("strong", { text: alerta.nome ?? alerta.chave }),
      " ",
      el("span", { class: "tag", text: alerta.chave }),
    ]);
  }
  return el("span", {}, ["categoria ", el("strong", { text: alerta.chave })]);
}

function row(alerta) {
  const direction = alerta.direcao === "queda" ? "queda" : "alta";
  return el("tr", { attrs: { "data-id": alerta.id } }, [
    el("td", { text: formatDateTime(alerta.fim) }),
    el("td", {}, [el("span", { class: `badge alert-${direction}`, text: DIRECTION_WORDS[direction] })]),
    el("td", {}, [subject(alerta)]),
    el("td", { text: WINDOW_WORDS[alerta.janela] ?? alerta.janela }),
    el("td", { class: "num", text: formatNumber(alerta.contagem) }),
    el("td", { class: "num", text: formatNumber(alerta.media_base) }),
    el("td", { text: (alerta.contagens_base ?? []).map(formatNumber).join(" · ") }),
    el("td", { class: "num", text: pText(alerta.p_valor) }),
  ]);
}

export function showAlertCount(total) {
  byId("contagem-alertas").textContent = Number.isFinite(total) && total > 0 ? formatNumber(total) : "";
}

export async function loadAlerts() {
  const holder = byId("resultados-alertas");
  holder.setAttribute("aria-busy", "true");
  try {
    const body = await getJson("/api/alertas", { query: { limite: "100" } });
    const alertas = Array.isArray(body?.alertas) ? body.alertas : [];
    showAlertCount(body?.ultimas_24h);
    clear(holder);
    if (alertas.length === 0) {
      holder.append(el("p", { class: "empty", text: "Nenhum alerta ainda: nada fugiu do normal das últimas 4 semanas." }));
      return;
    }
    const headers = ["Quando", "Mudança", "O quê", "Janela", "Comentários", "Média base", "4 semanas antes", "p"];
    const table = el("table", { class: "table" });
    table.append(el("caption", { class: "sr-only", text: "Alertas, do mais recente ao mais antigo" }));
    table.append(el("thead", {}, [el("tr", {}, headers.map((h) => el("th", { text: h, attrs: { scope: "col" } })))]));
    table.append(el("tbody", {}, alertas.map(row)));
    holder.append(table);
  } catch (failure) {
    showAlertCount(null);
    clear(holder);
    holder.append(el("p", { class: "empty", text: `Não foi possível carregar os alertas: ${failure.message}` }));
  } finally {
    holder.removeAttribute("aria-busy");
  }
}
