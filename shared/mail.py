"""Outgoing e-mail through SendGrid's v3 API, with the official `sendgrid` client.

`SENDGRID_API_HOST` points the client elsewhere: a loopback SendGrid-compatible sink in tests and in
`make dev` (shared/devstack/mail_sink.py). A refused or failed send raises `MailFailure`, whose
`transient` says whether trying again later can help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Final, Protocol
from urllib.parse import urlsplit

from shared.config import Settings
from shared.errors import DomainError, TransientFailure

log = logging.getLogger(__name__)

LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


class MailFailure(TransientFailure, code="mail_failed", status=503):
    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(f"mail: {reason}")
        self.reason = reason
        self.transient = transient


class MailNotConfigured(DomainError, code="mail_not_configured", status=503):
    """No way to send: raised before any recipient is tried, so no delivery is marked."""


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> str | None:
        """Send one mail; returns the provider's message id when it gives one."""
        ...


class SendGridMailer:
    def __init__(
        self,
        *,
        api_key: str,
        host: str,
        from_email: str,
        from_name: str,
        timeout_seconds: float,
    ) -> None:
        from sendgrid import SendGridAPIClient

        self.from_email = from_email
        self.from_name = from_name
        self._client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
        # The client sets no timeout of its own; a hung provider must not hold the function.
        self._client.client.timeout = timeout_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> SendGridMailer:
        key = settings.sendgrid_api_key.get_secret_value() if settings.sendgrid_api_key else ""
        if not key:
            if settings.environment == "production":
                raise MailNotConfigured("SENDGRID_API_KEY is needed to send e-mail in production")
            # Without a key only a local sink is reachable: never send a fake key to SendGrid.
            host = urlsplit(settings.sendgrid_api_host).hostname or ""
            if host not in LOOPBACK_HOSTS:
                raise MailNotConfigured(
                    "SENDGRID_API_KEY is unset: set it, or point SENDGRID_API_HOST at a local "
                    "sink (python -m tooling.devstack.mail_sink)"
                )
            key = "local-sink"  # the sink accepts any key
        return cls(
            api_key=key,
            host=settings.sendgrid_api_host,
            from_email=settings.digest_from_email,
            from_name=settings.digest_from_name,
            timeout_seconds=settings.sendgrid_timeout_seconds,
        )

    def send(self, mail: OutgoingMail) -> str | None:
        from python_http_client.exceptions import HTTPError
        from sendgrid.helpers.mail import Content, From, Header, Mail, To

        message = Mail(
            from_email=From(self.from_email, self.from_name),
            to_emails=To(mail.to),
            subject=mail.subject,
        )
        # text/plain first: SendGrid requires that order, and mail readers prefer the last part.
        message.add_content(Content("text/plain", mail.text))
        message.add_content(Content("text/html", mail.html))
        for name, value in mail.headers.items():
            message.add_header(Header(name, value))
        try:
            response = self._client.send(message)
        except HTTPError as error:
            status = int(getattr(error, "status_code", 0) or 0)
            transient = status == 429 or status >= 500
            raise MailFailure(f"http {status}", transient=transient) from error
        except OSError as error:  # connection refused, timeout, DNS
            raise MailFailure(
                f"connection error ({type(error).__name__})", transient=True
            ) from error
        message_id = response.headers.get("X-Message-Id") if response.headers else None
        return str(message_id) if message_id else None
