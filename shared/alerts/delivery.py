"""Each alert sent once per channel; a channel that fails is retried alone on the next run.

One row per (alert, channel) in `alert_deliveries`, queued when the alert is stored. A run claims
each row not yet `sent` with `SELECT ... FOR UPDATE SKIP LOCKED`, sends, and marks it `sent` or
`failed` in the same transaction: a concurrent run skips it, a later run sees it sent. Rows of a
channel no longer configured wait (and are tried again if it comes back); rows of alerts older than
RETRY_HOURS are left as they are, so a channel down for a day does not replay stale alerts.

As with the digest, a process killed after a channel accepted and before the commit sends that one
alert again on the next run; the window is one HTTP round trip.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from shared.alerts import render
from shared.alerts.channels import Channel
from shared.alerts.store import COLUMNS, StoredAlert
from shared.mail import MailFailure, OutgoingMail

if TYPE_CHECKING:
    from shared.bootstrap import App

log = logging.getLogger(__name__)

RETRY_HOURS: Final = 24
MAX_ERROR_CHARS: Final = 500


class ChannelFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class DeliveryReport:
    sent: list[tuple[int, str]] = field(default_factory=list)
    failed: dict[tuple[int, str], str] = field(default_factory=dict)


_CLAIM_SQL: Final = sa.text(
    f"""
    SELECT d.channel, {", ".join(f"a.{c.strip()}" for c in COLUMNS.split(","))}
    FROM alert_deliveries AS d JOIN alerts AS a ON a.id = d.alert_id
    WHERE d.status <> 'sent' AND a.created_at > CAST(:since AS timestamptz)
      AND d.channel = ANY(CAST(:channels AS text[]))
      AND NOT ((d.alert_id, d.channel) IN (
          SELECT * FROM unnest(CAST(:tried_ids AS bigint[]), CAST(:tried_channels AS text[]))
      ))
    ORDER BY d.alert_id, d.channel
    LIMIT 1
    FOR UPDATE OF d SKIP LOCKED
    """
)

_MARK_SQL: Final = sa.text(
    """
    UPDATE alert_deliveries
    SET attempts = attempts + 1,
        status = CASE WHEN CAST(:error AS text) IS NULL THEN 'sent' ELSE 'failed' END,
        last_error = CAST(:error AS text),
        sent_at = CASE WHEN CAST(:error AS text) IS NULL THEN now() END
    WHERE alert_id = :alert_id AND channel = :channel
    """
)


def post_json(url: str, body: object, timeout_seconds: float) -> None:
    """POST `body` as JSON; ChannelFailure unless the receiver answers 2xx."""
    # http(s) only: channels.py refuses any other scheme at cold start.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_seconds) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        raise ChannelFailure(f"http {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise ChannelFailure(f"connection error ({type(error).__name__})") from error


def send(app: App, channel: Channel, alert: StoredAlert, zone: ZoneInfo) -> None:
    """Send one alert to one channel; ChannelFailure saying why it did not go."""
    timeout = app.settings.alerts_webhook_timeout_seconds
    if channel.kind == "slack":
        post_json(channel.target, render.slack_body(alert, zone), timeout)
    elif channel.kind == "json":
        post_json(channel.target, render.json_body(alert, zone), timeout)
    else:
        subject, text, html = render.mail_parts(alert, zone)
        try:
            app.mailer.send(OutgoingMail(to=channel.target, subject=subject, text=text, html=html))
        except MailFailure as failure:
            raise ChannelFailure(failure.reason) from failure


def deliver_pending(app: App, channels: Sequence[Channel], now: datetime) -> DeliveryReport:
    """Send every stored alert not yet sent to each configured channel, one row at a time."""
    report = DeliveryReport()
    by_id = {channel.id: channel for channel in channels}
    if not by_id:
        return report
    zone = app.settings.product_zone
    tried: list[tuple[int, str]] = []
    while True:
        with app.engine.begin() as conn:
            row = conn.execute(
                _CLAIM_SQL,
                {
                    "since": now - timedelta(hours=RETRY_HOURS),
                    "channels": list(by_id),
                    "tried_ids": [alert_id for alert_id, _ in tried],
                    "tried_channels": [channel for _, channel in tried],
                },
            ).first()
            if row is None:
                break
            alert = StoredAlert.from_row(row)
            key = (alert.id, row.channel)
            tried.append(key)
            error: str | None = None
            try:
                send(app, by_id[row.channel], alert, zone)
            except ChannelFailure as failure:
                error = failure.reason[:MAX_ERROR_CHARS]
            conn.execute(_MARK_SQL, {"alert_id": alert.id, "channel": row.channel, "error": error})
        if error is None:
            report.sent.append(key)
        else:
            report.failed[key] = error
            log.warning(
                "alert delivery failed",
                extra={"alert_id": alert.id, "channel": row.channel, "reason": error},
            )
    return report
