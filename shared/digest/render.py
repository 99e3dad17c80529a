"""The digest as an e-mail: plain text, and HTML with inline CSS and a bar chart drawn in HTML.

No remote images and no stylesheet: mail clients strip both. Everything that came from listeners
or from a writer is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Final

from shared.digest.contract import WeekStats
from shared.digest.vocabulary import tag_label
from shared.digest.writer import QUOTATION_MARK, is_quotation
from shared.digest.writer import paragraphs as text_paragraphs
from shared.numbers import format_number

SUBJECT_PREFIX: Final = "Resumo semanal AluMusic"
BAR_COLOURS: Final[dict[str, str]] = {
    "ELOGIO": "#2e7d32",
    "CRÍTICA": "#c62828",
    "SUGESTÃO": "#1565c0",
    "DÚVIDA": "#f9a825",
    "SPAM": "#757575",
}
FONT: Final = "font-family:Arial,Helvetica,sans-serif;color:#222;"


def subject_for(semana: str) -> str:
    return f"{SUBJECT_PREFIX} {semana}"


def plain_text(texto: str, unsubscribe: str) -> str:
    return f"{texto}\n\n--\nPara deixar de receber este resumo: {unsubscribe}\n"


def _bar_chart(stats: WeekStats) -> str:
    rows = []
    for cat in stats["categorias"]:
        width = max(0.0, min(100.0, float(cat["percentual"])))
        colour = BAR_COLOURS.get(cat["categoria"], "#555")
        change = cat["variacao_pontos"]
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        rows.append(
            "<tr>"
            f'<td style="{FONT}font-size:13px;padding:2px 8px 2px 0;white-space:nowrap;">'
            f"{escape(cat['categoria'])}</td>"
            f'<td style="padding:2px 0;width:100%;">'
            f'<div style="background:#eee;width:100%;height:14px;">'
            f'<div style="background:{colour};width:{width:.1f}%;height:14px;"></div></div></td>'
            f'<td style="{FONT}font-size:13px;padding:2px 0 2px 8px;white-space:nowrap;">'
            f"{escape(format_number(cat['percentual'], places=1, unit='%'))} ({format_number(cat['total'])}) "
            f"{sign}{escape(format_number(abs(change), places=1, unit='pp'))}</td>"
            "</tr>"
        )
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" '
        'style="width:100%;border-collapse:collapse;margin:8px 0 16px 0;">'
        + "".join(rows)
        + "</table>"
    )


def _samples(stats: WeekStats) -> str:
    items = []
    for themes, title in (
        (stats["criticas_recorrentes"], "Críticas"),
        (stats["sugestoes_relevantes"], "Sugestões"),
    ):
        for theme in themes[:3]:
            for sample in theme["exemplos"][:1]:
                items.append(
                    f'<li style="margin:0 0 6px 0;"><span style="color:#666;">{title} · '
                    f"{escape(tag_label(theme['tag']))}:</span> "
                    f"&ldquo;{escape(sample['texto'])}&rdquo;</li>"
                )
    if not items:
        return ""
    return (
        f'<h3 style="{FONT}font-size:14px;margin:16px 0 6px 0;">Comentários de exemplo</h3>'
        f'<ul style="{FONT}font-size:13px;padding-left:18px;margin:0;">{"".join(items)}</ul>'
    )


def _paragraph(block: str) -> str:
    if is_quotation(block):
        # A listener's words: set apart and attributed, never in the product's own paragraph.
        return (
            f'<blockquote style="{FONT}font-size:15px;line-height:1.5;font-style:italic;'
            'margin:0 0 12px 0;padding:4px 12px;border-left:3px solid #bbb;color:#444;">'
            f"&ldquo;{escape(block.removeprefix(QUOTATION_MARK))}&rdquo;</blockquote>"
        )
    return (
        f'<p style="{FONT}font-size:15px;line-height:1.5;margin:0 0 12px 0;">'
        + escape(block).replace("\n", "<br>")
        + "</p>"
    )


def html_body(stats: WeekStats, texto: str, unsubscribe: str) -> str:
    paragraphs = "".join(_paragraph(block) for block in text_paragraphs(texto))
    title = escape(subject_for(stats["semana"]))
    return (
        "<!DOCTYPE html>"
        f'<html lang="pt-BR"><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body style="margin:0;padding:0;background:#f5f5f5;">'
        '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;">'
        f'<h2 style="{FONT}font-size:18px;margin:0 0 12px 0;">{title}</h2>'
        f"{paragraphs}"
        f'<h3 style="{FONT}font-size:14px;margin:16px 0 6px 0;">'
        f"Comentários por categoria ({format_number(stats['total'])})</h3>"
        f"{_bar_chart(stats)}"
        f"{_samples(stats)}"
        f'<p style="{FONT}font-size:11px;color:#777;margin:24px 0 0 0;">'
        f'<a href="{escape(unsubscribe, quote=True)}" style="color:#777;">'
        "Deixar de receber este resumo</a></p>"
        "</div></body></html>"
    )
