"""An alert in words (PT-BR, the product's language): the text every channel carries, Slack's
`blocks`, the plain JSON body and the e-mail. Every number is a stored column of the alert, read
back from SQL; the tag is named in words (`tag_name`) beside its id."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Final
from zoneinfo import ZoneInfo

from shared.alerts.store import StoredAlert
from shared.digest.vocabulary import tag_name
from shared.numbers import format_number

_WINDOW_WORDS: Final = {"hora": "na última hora", "dia": "nas últimas 24 horas"}
_DIRECTION_WORDS: Final = {"alta": "Alta", "queda": "Queda"}
SMALLEST_P_SHOWN: Final = 0.0001


def subject_name(alert: StoredAlert) -> str:
    """What moved, after "Alta"/"Queda": `de "travamentos" (tag fix_travamento)` or
    `da categoria CRÍTICA` (Portuguese contracts "de a" to "da")."""
    if alert.escopo == "tag":
        return f'de "{tag_name(alert.chave)}" (tag {alert.chave})'
    return f"da categoria {alert.chave}"


def p_text(p_value: float) -> str:
    if p_value < SMALLEST_P_SHOWN:
        return f"p < {format_number(SMALLEST_P_SHOWN, places=4)}"
    return f"p = {format_number(p_value, places=4)}"


def _local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%d/%m %H:%M")


def title(alert: StoredAlert) -> str:
    return f"{_DIRECTION_WORDS[alert.direcao]} {subject_name(alert)} {_WINDOW_WORDS[alert.janela]}"


def text(alert: StoredAlert, zone: ZoneInfo) -> str:
    baseline = ", ".join(format_number(n) for n in alert.contagens_base)
    return (
        f"Alerta AluMusic: {title(alert)}: {format_number(alert.contagem)} comentários "
        f"de {_local(alert.inicio, zone)} a {_local(alert.fim, zone)} ({zone.key}), contra "
        f"média de {format_number(float(alert.media_base))} nas mesmas horas das 4 "
        f"semanas anteriores ({baseline}); teste de Poisson, {p_text(alert.p_valor)}."
    )


def as_json(alert: StoredAlert) -> dict[str, Any]:
    """The alert's fields and numbers as the API and the plain JSON webhook carry them."""
    return {
        "id": alert.id,
        "regra": alert.regra,
        "escopo": alert.escopo,
        "chave": alert.chave,
        "nome": tag_name(alert.chave) if alert.escopo == "tag" else alert.chave,
        "janela": alert.janela,
        "direcao": alert.direcao,
        "inicio": alert.inicio.isoformat(),
        "fim": alert.fim.isoformat(),
        "contagem": alert.contagem,
        "media_base": float(alert.media_base),
        "contagens_base": list(alert.contagens_base),
        "p_valor": alert.p_valor,
        "criado_em": alert.created_at.isoformat(),
    }


def _mrkdwn(value: str) -> str:
    # Slack's three control characters; everything else is shown as written.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(alert: StoredAlert, zone: ZoneInfo) -> dict[str, Any]:
    """Slack's incoming-webhook shape: `text` (notifications, fallbacks) and `blocks`."""
    message = text(alert, zone)
    return {
        "text": message,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title(alert)[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(message)}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _mrkdwn(f"regra {alert.regra}")}],
            },
        ],
    }


def json_body(alert: StoredAlert, zone: ZoneInfo) -> dict[str, Any]:
    return {"tipo": "alerta", "texto": text(alert, zone), "alerta": as_json(alert)}


def mail_parts(alert: StoredAlert, zone: ZoneInfo) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the alert's e-mail."""
    message = text(alert, zone)
    html = (
        "<!DOCTYPE html><html lang='pt-BR'><head><meta charset='utf-8'></head>"
        f"<body style='font-family:sans-serif'><h2>{escape(title(alert))}</h2>"
        f"<p>{escape(message)}</p></body></html>"
    )
    return f"[AluMusic] {title(alert)}", message, html
