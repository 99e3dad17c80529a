"""`alumusic digest recipients|run|backfill` against the test database and the loopback sink."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from shared.cli import main
from shared.config import Settings, get_settings
from shared.timezone import IsoWeek
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, clean_db: sa.Engine, mail_sink: MailSink
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SENDGRID_API_HOST", mail_sink.url)
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.cli-key")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_recipients_are_added_listed_and_removed(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "recipients", "add", "Ana@AluMusic.test", "--name", "Ana"]) == 0
    assert main(["digest", "recipients", "add", "ana@alumusic.test"]) == 0
    assert "was already a recipient" in capsys.readouterr().out
    assert main(["digest", "recipients", "add", "not-an-address"]) == 2
    assert main(["digest", "recipients", "list"]) == 0
    assert capsys.readouterr().out.strip() == "ana@alumusic.test  (Ana)"
    assert main(["digest", "recipients", "remove", "ana@alumusic.test"]) == 0
    assert main(["digest", "recipients", "remove", "ana@alumusic.test"]) == 1
    assert main(["digest", "recipients", "list"]) == 0
    assert "no recipients" in capsys.readouterr().out


def test_run_no_send_then_run_then_backfill(
    cli_env: None,
    seeded: IsoWeek,
    mail_sink: MailSink,
    clean_db: sa.Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["digest", "recipients", "add", "ana@alumusic.test"]) == 0
    assert main(["digest", "run", "--week", "2026-W47", "--no-send", "--show"]) == 0
    out = capsys.readouterr().out
    assert "digest 2026-W47 built (writer template)" in out
    assert "Feedbacks por IA" in out
    assert mail_sink.received() == []
    assert main(["digest", "run", "--week", "2026-W47"]) == 0
    assert main(["digest", "run", "--week", "2026-W47"]) == 0
    assert "0 recipient(s); 1 had it already" in capsys.readouterr().out
    assert len(mail_sink.received()) == 1
    assert main(["digest", "run", "--week", "2026-47"]) == 2
    assert main(["digest", "backfill", "--weeks", "3"]) == 0
    with clean_db.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM weekly_digests")).scalar_one()
    assert stored >= 3
    assert len(mail_sink.received()) == 1


def test_without_a_mail_setup_the_run_fails_before_anyone_is_claimed(
    cli_env: None,
    monkeypatch: pytest.MonkeyPatch,
    seeded: IsoWeek,
    clean_db: sa.Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given no SendGrid key and the real SendGrid host
    monkeypatch.delenv("SENDGRID_API_KEY")
    monkeypatch.delenv("SENDGRID_API_HOST")
    get_settings.cache_clear()
    assert main(["digest", "recipients", "add", "ana@alumusic.test"]) == 0
    # When the week is run, then it stops with the reason and no delivery is recorded
    assert main(["digest", "run", "--week", "2026-W47"]) == 2
    assert "SENDGRID_API_KEY is unset" in capsys.readouterr().err
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM digest_deliveries")).scalar_one() == 0
