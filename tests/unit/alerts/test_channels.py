"""Where alerts go: channels from the settings, and what each channel is sent."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr, ValidationError

from shared.alerts import render
from shared.alerts.channels import parse_channels
from shared.alerts.store import StoredAlert
from shared.config import load_settings

ZONE = ZoneInfo("America/Sao_Paulo")


def alert(escopo: str = "tag", chave: str = "fix_travamento") -> StoredAlert:
    return StoredAlert(
        id=7,
        regra=f"{escopo}:{chave}:alta",
        escopo=escopo,
        chave=chave,
        janela="hora",
        direcao="alta",
        inicio=datetime(2026, 11, 30, 13, tzinfo=UTC),
        fim=datetime(2026, 11, 30, 14, tzinfo=UTC),
        contagem=1200,
        media_base=Decimal("2.25"),
        contagens_base=(2, 3, 1, 3),
        p_valor=1e-30,
        created_at=datetime(2026, 11, 30, 14, 5, tzinfo=UTC),
    )


def test_a_url_chooses_its_shape_and_its_id_hides_the_secret_path() -> None:
    slack_host, prefixed, plain, mail = parse_channels(
        "https://hooks.slack.com/services/T0/B0/SECRET, slack:https://chat.example/hook,"
        "https://ops.example/alerts?token=abc",
        " Ana@AluMusic.test ",
    )
    assert (slack_host.kind, prefixed.kind, plain.kind, mail.kind) == (
        "slack",
        "slack",
        "json",
        "email",
    )
    assert prefixed.target == "https://chat.example/hook"
    assert slack_host.id.startswith("slack:hooks.slack.com:")
    assert "SECRET" not in slack_host.id
    assert "token" not in plain.id
    assert mail.id == "email:ana@alumusic.test"


def test_the_same_channel_twice_is_one_channel() -> None:
    assert len(parse_channels("https://a.example/x,https://a.example/x", "a@b.io,A@B.io")) == 2


@pytest.mark.parametrize(
    ("urls", "emails", "message"),
    [
        ("ftp://files.example/x", "", "not an http:// or https:// URL"),
        ("hooks.slack.com/services/x", "", "not an http:// or https:// URL"),
        ("", "not-an-address", "is not an e-mail address"),
    ],
)
def test_bad_channels_stop_the_start(urls: str, emails: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        load_settings(("alerts",), alerts_webhook_urls=SecretStr(urls), alerts_emails=emails)


def test_the_text_names_the_tag_in_words_with_its_numbers() -> None:
    text = render.text(alert(), ZONE)
    assert text.startswith(
        'Alerta AluMusic: Alta de "travamentos" (tag fix_travamento) na última hora'
    )
    assert "1.200 comentários de 30/11 10:00 a 30/11 11:00 (America/Sao_Paulo)" in text
    assert "média de 2,25 nas mesmas horas das 4 semanas anteriores (2, 3, 1, 3)" in text
    assert text.endswith("teste de Poisson, p < 0,0001.")
    assert render.text(alert("categoria", "CRÍTICA"), ZONE).startswith(
        "Alerta AluMusic: Alta da categoria CRÍTICA na última hora"
    )


def test_slack_gets_text_and_blocks_and_the_plain_json_every_number() -> None:
    slack = render.slack_body(alert(chave="ui_<b>&"), ZONE)
    assert set(slack) == {"text", "blocks"}
    section = slack["blocks"][1]["text"]["text"]
    assert "<b>" not in section
    assert "&lt;b&gt;&amp;" in section
    plain = render.json_body(alert(), ZONE)
    assert plain["texto"] == render.text(alert(), ZONE)
    assert plain["alerta"]["contagens_base"] == [2, 3, 1, 3]
    assert plain["alerta"]["media_base"] == 2.25
