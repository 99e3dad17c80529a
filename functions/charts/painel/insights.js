// The question box: POST /api/insights/perguntar {pergunta} -> {resposta, semanas, fontes, suportada}.

import { ApiError, request } from "./api.js";
import { byId, clear, el } from "./dom.js";

const MESSAGES = {
  not_enough_digests:
    "Ainda não há resumos semanais suficientes para responder: são precisos pelo menos 3.",
};

export function setupQuestions() {
  const form = byId("form-pergunta");
  const input = byId("pergunta");
  const button = byId("perguntar");
  const error = byId("erro-pergunta");
  const answer = byId("resposta");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pergunta = input.value.trim();
    error.textContent = "";
    if (!pergunta) {
      error.textContent = "Escreva uma pergunta.";
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Pensando…";
    answer.setAttribute("aria-busy", "true");
    try {
      const response = await request("/api/insights/perguntar", {
        method: "POST",
        json: { pergunta },
      });
      show(await response.json());
    } catch (failure) {
      answer.hidden = true;
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
        error.textContent = MESSAGES[failure.code] ?? `Não foi possível responder: ${failure.message}`;
      } else {
        error.textContent = `O serviço de perguntas não respondeu (${failure.message}). Tente de novo em instantes.`;
      }
    } finally {
      button.disabled = false;
      button.textContent = "Perguntar";
      answer.removeAttribute("aria-busy");
    }
  });
}

function show(result) {
  byId("resposta-texto").textContent = result.resposta ?? "";
  const note = byId("resposta-suporte");
  note.hidden = result.suportada !== false;
  note.textContent =
    result.suportada === false ? "Os resumos semanais não sustentam uma resposta a esta pergunta." : "";

  const weeks = byId("resposta-semanas");
  clear(weeks);
  const semanas = Array.isArray(result.semanas) ? result.semanas : [];
  if (semanas.length) {
    weeks.append(el("span", { class: "muted", text: "Semanas usadas: " }));
    for (const semana of semanas) weeks.append(el("span", { class: "chip", text: semana }));
  }

  const sources = byId("resposta-fontes");
  clear(sources);
  const fontes = Array.isArray(result.fontes) ? result.fontes : [];
  for (const fonte of fontes) {
    sources.append(
      el("li", {}, [
        el("span", { class: "chip", text: fonte.semana ?? "" }),
        el("q", { text: fonte.trecho ?? "" }),
      ]),
    );
  }
  byId("titulo-fontes").hidden = fontes.length === 0;
  byId("resposta").hidden = false;
}
