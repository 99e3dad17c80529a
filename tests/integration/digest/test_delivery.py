"""Once per week, never twice: the real `sendgrid` client against the loopback sink."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.digest import service
from shared.timezone import IsoWeek
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration


def deliveries(engine: sa.Engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT email, status, attempts FROM digest_deliveries"))
        return {row.email: (row.status, row.attempts) for row in rows}


def mails_per_recipient(sink: MailSink, recipients: tuple[str, ...]) -> dict[str, int]:
    return {email: len(sink.received(email)) for email in recipients}


def test_the_mail_is_multipart_with_subject_and_unsubscribe_header(
    digest_app: App, recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    # When the week is run
    result = service.run_week(digest_app, seeded)
    # Then each recipient got the digest: plain text and HTML, subject with the week
    assert result.delivery is not None
    assert sorted(result.delivery.sent) == sorted(recipients)
    mail = mail_sink.received(recipients[0])[0]
    assert mail.subject == "Resumo semanal AluMusic 2026-W47"
    assert mail.text.startswith(result.digest.texto)
    assert "Feedbacks por IA" in mail.text
    assert mail.html == result.digest.html
    assert "<table" in mail.html
    assert "<img" not in mail.html
    assert mail.headers["List-Unsubscribe"].startswith("<mailto:")
    assert mail.api_key == "SG.loopback-key"


def test_a_rerun_sends_nothing_twice(
    digest_app: App, recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    first = service.run_week(digest_app, seeded)
    # When the same week runs again (a redelivered tick, an operator's re-run)
    second = service.run_week(digest_app, seeded)
    # Then the stored digest is the same one and no mail is sent again
    assert second.created is False
    assert second.digest.texto == first.digest.texto
    assert second.delivery is not None
    assert second.delivery.sent == []
    assert second.delivery.already_sent == len(recipients)
    assert mails_per_recipient(mail_sink, recipients) == dict.fromkeys(recipients, 1)


def test_two_concurrent_runs_send_each_recipient_one_mail(
    make_app: Callable[..., App], recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    # Given two instances (their own engines and mailers) started at the same moment
    apps = [make_app(), make_app(), make_app()]
    barrier = threading.Barrier(len(apps))
    errors: list[BaseException] = []

    def run(app: App) -> None:
        try:
            barrier.wait(timeout=10)
            service.run_week(app, seeded)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then nothing failed, one digest is stored and each recipient got exactly one mail
    assert errors == []
    assert mails_per_recipient(mail_sink, recipients) == dict.fromkeys(recipients, 1)
    with apps[0].engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM weekly_digests")).scalar_one() == 1
    assert all(status == "sent" for status, _ in deliveries(apps[0].engine).values())


def test_a_failing_recipient_is_retried_and_nobody_gets_two_mails(
    digest_app: App, recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    # Given the provider answers 503 twice for one recipient
    unlucky = recipients[1]
    mail_sink.fail_next(unlucky, times=2, status=503)
    # When the week runs: the others are sent, and the run fails so the tick is redelivered
    with pytest.raises(service.DeliveryFailed) as failure:
        service.run_week(digest_app, seeded)
    assert failure.value.details["failed"] == {unlucky: "http 503"}
    assert deliveries(digest_app.engine)[unlucky] == ("failed", 1)
    # and the redelivery fails again for that recipient only
    with pytest.raises(service.DeliveryFailed):
        service.run_week(digest_app, seeded)
    # When the provider recovers and the tick comes a third time
    third = service.run_week(digest_app, seeded)
    # Then the unlucky recipient gets the mail and nobody got it twice
    assert third.delivery is not None
    assert third.delivery.sent == [unlucky]
    assert mails_per_recipient(mail_sink, recipients) == dict.fromkeys(recipients, 1)
    state = deliveries(digest_app.engine)
    assert state[unlucky] == ("sent", 3)
    assert all(state[email] == ("sent", 1) for email in recipients if email != unlucky)


def test_a_refused_key_fails_the_run_without_marking_anyone_sent(
    make_app: Callable[..., App], recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    # Given the provider refuses every send for every recipient
    for email in recipients:
        mail_sink.fail_next(email, times=1, status=401)
    app = make_app()
    with pytest.raises(service.DeliveryFailed):
        service.run_week(app, seeded)
    assert all(status == "failed" for status, _ in deliveries(app.engine).values())
    assert mail_sink.received() == []


def test_no_send_builds_only_and_a_later_send_delivers(
    digest_app: App, recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    built = service.run_week(digest_app, seeded, send=False)
    assert built.delivery is None
    assert mail_sink.received() == []
    sent = service.run_week(digest_app, seeded)
    assert sent.created is False
    assert mails_per_recipient(mail_sink, recipients) == dict.fromkeys(recipients, 1)


def test_a_removed_recipient_gets_nothing_and_a_new_one_gets_the_week_once(
    digest_app: App, recipients: tuple[str, ...], seeded: IsoWeek, mail_sink: MailSink
) -> None:
    service.remove_recipient(digest_app.engine, recipients[0])
    service.run_week(digest_app, seeded)
    service.add_recipient(digest_app.engine, "Nova.Pessoa@AluMusic.test")
    service.run_week(digest_app, seeded)
    service.run_week(digest_app, seeded)
    assert mail_sink.received(recipients[0]) == []
    assert len(mail_sink.received("nova.pessoa@alumusic.test")) == 1


def test_a_week_that_has_not_ended_is_refused(digest_app: App) -> None:
    from datetime import UTC, datetime

    from shared.errors import InvalidInput

    with pytest.raises(InvalidInput, match="has not ended"):
        service.build_digest(
            digest_app, IsoWeek.parse("2026-W49"), now=datetime(2026, 11, 30, 11, tzinfo=UTC)
        )
