// The five charts of GET /api/relatorio/semana, redrawn every minute, with the snapshot's age
// and a warning when the server says the snapshot is stale.

import { ApiError, getJson } from "./api.js";
import {
  CATEGORIAS,
  CORES,
  byId,
  clear,
  dataTable,
  formatDay,
  formatFraction,
  formatHour,
  formatNumber,
  formatPercent,
} from "./dom.js";
import { loadTagWords, tagName } from "./tags.js";

const REFRESH_MS = 60_000;
/** The event the tag chart's canvas sends when a bar is clicked: `detail.tag` is its id. */
export const TAG_CHOSEN = "tag-escolhida";
const FONT = '"Inter", system-ui, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif';
const GRID = "#eef0f4";
const INK = "#475569";

function chartLibrary() {
  const Chart = window.Chart;
  if (!Chart) throw new Error("a biblioteca de gráficos não carregou");
  if (!chartLibrary.configured) {
    Chart.defaults.font.family = FONT;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = INK;
    Chart.defaults.locale = "pt-BR";
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.boxHeight = 10;
    Chart.defaults.plugins.legend.labels.usePointStyle = true;
    Chart.defaults.plugins.tooltip.padding = 10;
    Chart.defaults.plugins.tooltip.cornerRadius = 8;
    Chart.defaults.maintainAspectRatio = false;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      Chart.defaults.animation = false;
    } else {
      Chart.defaults.animation.duration = 350;
    }
    chartLibrary.configured = true;
  }
  return Chart;
}

const withAlpha = (hex, alpha) =>
  `${hex}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, "0")}`;

function valuesIn(object) {
  return CATEGORIAS.map((categoria) => {
    const value = object?.[categoria];
    return typeof value === "number" ? value : null;
  });
}

/** Turn one snapshot into the five Chart.js configurations (data and tables for "Ver dados"). */
function shape(relatorios) {
  const distribuicao = relatorios.distribuicao_categorias ?? {};
  const evolucao = relatorios.evolucao_temporal ?? [];
  const tags = relatorios.top_tags_48h ?? [];
  const confianca = relatorios.confianca_media_por_categoria ?? {};
  const porHora = relatorios.comentarios_por_hora ?? [];

  return {
    distribuicao: {
      config: {
        type: "doughnut",
        data: {
          labels: CATEGORIAS,
          datasets: [
            {
              data: valuesIn(distribuicao).map((v) => v ?? 0),
              backgroundColor: CATEGORIAS.map((c) => CORES[c]),
              borderColor: "#fff",
              borderWidth: 2,
              hoverOffset: 6,
            },
          ],
        },
        options: {
          cutout: "62%",
          plugins: {
            legend: { position: "right" },
            tooltip: { callbacks: { label: (ctx) => ` ${ctx.label}: ${formatPercent(ctx.parsed)}` } },
          },
        },
      },
      table: dataTable(
        ["Categoria", "Percentual"],
        CATEGORIAS.map((c) => [c, formatPercent(distribuicao[c])]),
        "Percentual de comentários por categoria",
      ),
    },
    evolucao: {
      config: {
        type: "bar",
        data: {
          labels: evolucao.map((day) => formatDay(day.data)),
          datasets: CATEGORIAS.map((c) => ({
            label: c,
            data: evolucao.map((day) => day[c] ?? 0),
            backgroundColor: CORES[c],
            borderRadius: 3,
            maxBarThickness: 44,
          })),
        },
        options: {
          scales: {
            x: { stacked: true, grid: { display: false } },
            y: { stacked: true, beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: "bottom" } },
          interaction: { mode: "index", intersect: false },
        },
      },
      table: dataTable(
        ["Dia", ...CATEGORIAS],
        evolucao.map((day) => [formatDay(day.data), ...CATEGORIAS.map((c) => formatNumber(day[c] ?? 0))]),
        "Comentários por categoria por dia",
      ),
    },
    tags: {
      config: {
        type: "bar",
        data: {
          labels: tags.map((t) => tagName(t.tag)),
          datasets: [
            {
              label: "Menções",
              data: tags.map((t) => t.frequencia),
              // The ids ride with the data so a refreshed chart's tooltips name its own tags.
              tagIds: tags.map((t) => t.tag),
              backgroundColor: withAlpha("#4f46e5", 0.85),
              hoverBackgroundColor: "#4338ca",
              borderRadius: 4,
              maxBarThickness: 22,
            },
          ],
        },
        options: {
          indexAxis: "y",
          // A bar opens the comments that carry its tag (app.js listens on the canvas).
          onClick: (_event, elements, chart) => {
            const tag = chart.data.datasets[0]?.tagIds?.[elements[0]?.index];
            if (tag) chart.canvas.dispatchEvent(new CustomEvent(TAG_CHOSEN, { detail: { tag } }));
          },
          onHover: (_event, elements, chart) => {
            chart.canvas.style.cursor = elements.length ? "pointer" : "default";
          },
          scales: {
            x: { beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
            y: { grid: { display: false } },
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                afterTitle: (items) => items[0]?.dataset.tagIds?.[items[0].dataIndex] ?? "",
                label: (ctx) => ` ${formatNumber(ctx.parsed.x)} ${ctx.parsed.x === 1 ? "menção" : "menções"}`,
              },
            },
          },
        },
      },
      table: dataTable(
        ["Tag", "Código", "Menções"],
        tags.map((t) => [tagName(t.tag), t.tag, formatNumber(t.frequencia)]),
        "As 10 tags mais frequentes nas últimas 48 horas",
      ),
    },
    confianca: {
      config: {
        type: "bar",
        data: {
          labels: CATEGORIAS,
          datasets: [
            {
              label: "Confiança média",
              data: valuesIn(confianca),
              backgroundColor: CATEGORIAS.map((c) => withAlpha(CORES[c], 0.85)),
              borderRadius: 4,
              maxBarThickness: 40,
            },
          ],
        },
        options: {
          scales: {
            y: {
              min: 0,
              max: 1,
              grid: { color: GRID },
              ticks: { callback: (v) => formatFraction(v) },
            },
            x: { grid: { display: false } },
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (ctx) => ` ${formatFraction(ctx.parsed.y)}` } },
          },
        },
      },
      table: dataTable(
        ["Categoria", "Confiança média"],
        CATEGORIAS.map((c) => [c, formatFraction(confianca[c])]),
        "Confiança média por categoria",
      ),
    },
    hora: {
      config: {
        type: "line",
        data: {
          labels: porHora.map((h) => formatHour(h.hora)),
          datasets: [
            {
              label: "Comentários",
              data: porHora.map((h) => h.quantidade),
              borderColor: "#4f46e5",
              backgroundColor: withAlpha("#4f46e5", 0.12),
              fill: true,
              tension: 0.35,
              cubicInterpolationMode: "monotone",
              pointRadius: 2.5,
              pointHoverRadius: 5,
              borderWidth: 2,
            },
          ],
        },
        options: {
          scales: {
            y: { beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
            x: { grid: { display: false } },
          },
          plugins: { legend: { display: false } },
          interaction: { mode: "index", intersect: false },
        },
      },
      table: dataTable(
        ["Hora", "Comentários"],
        porHora.map((h) => [formatHour(h.hora), formatNumber(h.quantidade)]),
        "Comentários por hora nas últimas 24 horas",
      ),
    },
  };
}

function sum(values) {
  return values.reduce((total, value) => total + (Number.isFinite(value) ? value : 0), 0);
}

export function ageText(seconds) {
  if (seconds < 60) return `Atualizado há ${seconds} s`;
  if (seconds < 3600) return `Atualizado há ${Math.floor(seconds / 60)} min`;
  return `Atualizado há ${Math.floor(seconds / 3600)} h`;
}

export class ChartsPanel {
  constructor() {
    this.charts = new Map();
    this.generatedAt = null;
    this.timer = 0;
    this.clock = 0;
    this.loading = null;
    this.firstPaintMarked = false;
    this.onData = () => {};
    byId("atualizar-graficos").addEventListener("click", () => this.load({ manual: true }));
  }

  start() {
    this.stop();
    this.load();
    this.timer = window.setInterval(() => this.load(), REFRESH_MS);
    this.clock = window.setInterval(() => this.tick(), 1000);
  }

  stop() {
    window.clearInterval(this.timer);
    window.clearInterval(this.clock);
  }

  destroy() {
    this.stop();
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.firstPaintMarked = false;
  }

  async load({ manual = false } = {}) {
    if (this.loading) return this.loading;
    const button = byId("atualizar-graficos");
    button.disabled = true;
    byId("indicador-atualizacao").classList.add("pulse-on");
    this.loading = (async () => {
      try {
        // The words are asked for beside the snapshot, so the first paint already shows them.
        const [snapshot] = await Promise.all([getJson("/api/relatorio/semana"), loadTagWords()]);
        this.render(snapshot);
        byId("aviso-graficos").hidden = true;
        if (manual) this.setInfo("");
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 503)) {
          this.setInfo("Ainda não há gráficos calculados: o primeiro retrato sai em até um minuto.");
        } else if (error instanceof ApiError && error.status === 401) {
          return;
        } else {
          this.setInfo(
            `Não foi possível atualizar os gráficos (${error.message}). Mostrando os últimos dados recebidos.`,
          );
        }
      } finally {
        button.disabled = false;
        byId("indicador-atualizacao").classList.remove("pulse-on");
        this.loading = null;
      }
    })();
    return this.loading;
  }

  setInfo(message) {
    const info = byId("aviso-graficos");
    info.textContent = message;
    info.hidden = !message;
  }

  render(snapshot) {
    const Chart = chartLibrary();
    const relatorios = snapshot.relatorios ?? {};
    const shaped = shape(relatorios);
    for (const [name, { config, table }] of Object.entries(shaped)) {
      const existing = this.charts.get(name);
      if (existing) {
        existing.data = config.data;
        existing.update();
      } else {
        this.charts.set(name, new Chart(byId(`grafico-${name}`), config));
      }
      const holder = byId(`dados-${name}`);
      clear(holder);
      holder.append(table);
    }

    const evolucao = relatorios.evolucao_temporal ?? [];
    byId("kpi-semana").textContent = formatNumber(
      sum(evolucao.map((day) => sum(CATEGORIAS.map((c) => day[c])))),
    );
    byId("kpi-dia").textContent = formatNumber(
      sum((relatorios.comentarios_por_hora ?? []).map((h) => h.quantidade)),
    );
    const distribuicao = relatorios.distribuicao_categorias ?? {};
    const top = CATEGORIAS.filter((c) => (distribuicao[c] ?? 0) > 0).sort(
      (a, b) => distribuicao[b] - distribuicao[a],
    )[0];
    byId("kpi-top").textContent = top ? `${top} · ${formatPercent(distribuicao[top])}` : "–";
    const tag = (relatorios.top_tags_48h ?? [])[0];
    const kpiTag = byId("kpi-tag");
    kpiTag.textContent = tag ? tagName(tag.tag) : "–";
    if (tag) kpiTag.setAttribute("title", tag.tag);
    else kpiTag.removeAttribute("title");

    const stale = byId("aviso-stale");
    stale.hidden = !snapshot.stale;
    stale.textContent = snapshot.stale
      ? "Atenção: a última atualização dos gráficos falhou. Estes são os dados do último retrato válido e podem estar desatualizados."
      : "";

    this.generatedAt = snapshot.gerado_em ? new Date(snapshot.gerado_em) : new Date();
    this.tick();
    this.onData(snapshot);

    if (!this.firstPaintMarked) {
      this.firstPaintMarked = true;
      // The charts are drawn on the next frame; the mark is the first paint with data.
      window.requestAnimationFrame(() =>
        window.requestAnimationFrame(() => performance.mark("painel:primeira-pintura-com-dados")),
      );
    }
  }

  tick() {
    if (!this.generatedAt) return;
    const seconds = Math.max(0, Math.round((Date.now() - this.generatedAt.getTime()) / 1000));
    const label = byId("atualizado");
    label.textContent = ageText(seconds);
    label.setAttribute("title", this.generatedAt.toLocaleString("pt-BR"));
  }
}
