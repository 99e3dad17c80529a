"""`alumusic alerts run` against the test database, with the webhooks and mail on a real loopback
HTTP server (the mail sink): the alert is sent once per channel, a failed channel alone again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from shared.cli import main
from shared.config import Settings, get_settings
from tests.support.alerts_data import CRASH, comment_rows, spread
from tests.support.digest_data import insert_comments
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, clean_db: sa.Engine, mail_sink: MailSink
) -> Iterator[MailSink]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SENDGRID_API_HOST", mail_sink.url)
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.cli-key")
    monkeypatch.delenv("ALERTS_EMAILS", raising=False)
    monkeypatch.setenv("ALERTS_WEBHOOK_URLS", f"slack:{mail_sink.webhook_url('slack')}")
    get_settings.cache_clear()
    yield mail_sink
    get_settings.cache_clear()


def seed_crash_spike(engine: sa.Engine, now: datetime) -> None:
    """200 crash comments in the last hour over a quiet baseline (2 a week in the same hour).

    Each window also holds 400 criticisms of the volume, so the category's own count moves by
    less than ALERTS_MIN_RATIO and only the crash tag is news."""
    # Inside the last closed hour whenever the run happens within minutes of `now`.
    start, end = now - timedelta(minutes=45), now - timedelta(minutes=15)
    insert_comments(engine, comment_rows("crash", spread(start, end, 200)))
    for week in range(5):
        shift = timedelta(days=7 * week)
        volume = spread(start - shift, end - shift, 400)
        insert_comments(engine, comment_rows(f"vol{week}", volume, tags=("fix_volume",)))
        if week:
            insert_comments(
                engine, comment_rows(f"base{week}", spread(start - shift, end - shift, 2))
            )


def test_a_crash_spike_sends_one_webhook_once(
    cli_env: MailSink, clean_db: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given 200 crash comments in the last hour over a quiet baseline
    sink = cli_env
    seed_crash_spike(clean_db, datetime.now(UTC))

    # When alerts run
    assert main(["alerts", "run"]) == 0

    # Then exactly one webhook POST arrived, naming the crash tag in words with its numbers
    out = capsys.readouterr().out
    assert "1 alert(s) stored" in out
    hooks = sink.received_webhooks()
    assert len(hooks) == 1
    body = hooks[0].body
    assert set(body) == {"text", "blocks"}
    assert '"travamentos" (tag fix_travamento)' in body["text"]
    assert "Alta de" in body["text"]
    assert "na última hora" in body["text"]
    assert "200 comentários" in body["text"]
    assert "média de 2 nas mesmas horas" in body["text"]
    assert "(2, 2, 2, 2)" in body["text"]
    with clean_db.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT regra, janela, contagem, media_base, contagens_base FROM alerts")
        ).one()
    assert stored.regra == f"tag:{CRASH}:alta"
    assert (stored.janela, stored.contagem, float(stored.media_base)) == ("hora", 200, 2.0)
    assert stored.contagens_base == [2, 2, 2, 2]

    # When alerts run again
    assert main(["alerts", "run"]) == 0

    # Then nothing more is stored or sent
    out = capsys.readouterr().out
    assert "0 alert(s) stored" in out
    assert "0 delivery(ies) sent" in out
    assert len(sink.received_webhooks()) == 1


def test_a_failing_channel_is_retried_alone(
    cli_env: MailSink,
    clean_db: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given three channels (Slack-shaped, plain JSON, e-mail), the JSON one failing once
    sink = cli_env
    monkeypatch.setenv(
        "ALERTS_WEBHOOK_URLS", f"slack:{sink.webhook_url('slack')},{sink.webhook_url('json')}"
    )
    monkeypatch.setenv("ALERTS_EMAILS", "ana@alumusic.test")
    get_settings.cache_clear()
    sink.fail_next_webhook("json", times=1, status=503)
    seed_crash_spike(clean_db, datetime.now(UTC))

    # When alerts run
    assert main(["alerts", "run"]) == 0

    # Then the Slack webhook and the e-mail got the alert, the JSON webhook's failure is reported
    out = capsys.readouterr().out
    assert "2 delivery(ies) sent, 1 failed" in out
    assert "http 503" in out
    assert [h.name for h in sink.received_webhooks()] == ["slack"]
    assert len(sink.received("ana@alumusic.test")) == 1

    # When alerts run again
    assert main(["alerts", "run"]) == 0

    # Then only the JSON webhook is sent, in the plain shape, and nothing else again
    assert "1 delivery(ies) sent, 0 failed" in capsys.readouterr().out
    hooks = sink.received_webhooks()
    assert [h.name for h in hooks] == ["slack", "json"]
    plain = hooks[1].body
    assert plain["tipo"] == "alerta"
    assert plain["alerta"]["chave"] == CRASH
    assert plain["alerta"]["nome"] == "travamentos"
    assert plain["alerta"]["contagem"] == 200
    assert plain["alerta"]["contagens_base"] == [2, 2, 2, 2]
    mails = sink.received("ana@alumusic.test")
    assert len(mails) == 1
    assert "travamentos" in mails[0].subject
    with clean_db.connect() as conn:
        statuses = conn.execute(
            sa.text("SELECT channel, status, attempts FROM alert_deliveries ORDER BY channel")
        ).all()
    assert [(s.status, s.attempts) for s in statuses] == [("sent", 1), ("sent", 2), ("sent", 1)]

    # And a third run sends nothing
    assert main(["alerts", "run"]) == 0
    assert "0 delivery(ies) sent, 0 failed" in capsys.readouterr().out
    assert len(sink.received_webhooks()) == 2


def test_bad_input_is_a_clear_error(cli_env: MailSink, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "run", "--at", "yesterday"]) == 2
    assert "--at 'yesterday' is not an ISO 8601 date-time" in capsys.readouterr().err
    assert main(["alerts", "run", "--at", "2026-12-01T10:00:00"]) == 2
    assert "needs an offset" in capsys.readouterr().err


def test_without_channels_the_run_says_nothing_is_sent(
    cli_env: MailSink,
    clean_db: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("ALERTS_WEBHOOK_URLS")
    get_settings.cache_clear()
    seed_crash_spike(clean_db, datetime.now(UTC))
    assert main(["alerts", "run"]) == 0
    out = capsys.readouterr().out
    assert "1 alert(s) stored" in out
    assert "no channel configured" in out
    assert cli_env.received_webhooks() == []
