"""Where alerts go: the webhooks of ALERTS_WEBHOOK_URLS and the addresses of ALERTS_EMAILS.

A webhook URL on `hooks.slack.com`, or written with a `slack:` prefix, gets Slack's incoming-webhook
shape (`text` plus `blocks`); any other URL gets plain JSON. Each channel has a stable id, the key
of its delivery rows: a webhook's id carries its host and a digest of the URL, never the URL, which
often holds a secret (Slack's does).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

ChannelKind = Literal["slack", "json", "email"]

SLACK_PREFIX: Final = "slack:"
SLACK_HOSTS: Final = frozenset({"hooks.slack.com"})
_EMAIL_RE: Final = re.compile(r"^[^@\s,]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    kind: ChannelKind
    target: str  # the URL posted to, or the address mailed

    @property
    def is_webhook(self) -> bool:
        return self.kind != "email"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def webhook_channel(raw: str) -> Channel:
    """The channel of one entry of ALERTS_WEBHOOK_URLS; ValueError saying what is wrong."""
    url = raw[len(SLACK_PREFIX) :] if raw.lower().startswith(SLACK_PREFIX) else raw
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # The entry itself is not repeated: the rest of a webhook URL is often its secret.
        raise ValueError(
            "ALERTS_WEBHOOK_URLS: an entry is not an http:// or https:// URL with a host"
        )
    slack = raw.lower().startswith(SLACK_PREFIX) or parts.hostname.lower() in SLACK_HOSTS
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    kind: ChannelKind = "slack" if slack else "json"
    return Channel(id=f"{kind}:{parts.hostname.lower()}:{digest}", kind=kind, target=url)


def email_channel(raw: str) -> Channel:
    address = raw.strip().lower()
    if not _EMAIL_RE.match(address):
        raise ValueError(f"ALERTS_EMAILS: {raw!r} is not an e-mail address")
    return Channel(id=f"email:{address}", kind="email", target=address)


def parse_channels(webhook_urls: str, emails: str) -> list[Channel]:
    """Every configured channel, each once, webhooks first."""
    channels = [webhook_channel(raw) for raw in _split(webhook_urls)]
    channels += [email_channel(raw) for raw in _split(emails)]
    return list({channel.id: channel for channel in channels}.values())
