"""One alerts run (check, store, deliver) and the stored alerts read back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from shared.alerts import check, delivery, store
from shared.alerts.channels import Channel, parse_channels

if TYPE_CHECKING:
    from shared.bootstrap import App
    from shared.config import Settings

MAX_LIST: Final = 500
DEFAULT_LIST: Final = 100


@dataclass(frozen=True)
class RunResult:
    windows: list[check.Window]
    observed: int  # (scope, key, window) rows compared with their baseline
    stored: list[store.StoredAlert]
    delivery: delivery.DeliveryReport
    check_ms: float
    channels: list[Channel]


def thresholds(settings: Settings) -> check.Thresholds:
    return check.Thresholds(
        min_count=settings.alerts_min_count,
        min_ratio=settings.alerts_min_ratio,
        max_p_value=settings.alerts_max_p_value,
    )


def channels(settings: Settings) -> list[Channel]:
    return parse_channels(settings.alerts_webhook_urls.get_secret_value(), settings.alerts_emails)


def check_and_store(
    app: App, now: datetime, configured: list[Channel]
) -> tuple[list[check.Window], int, list[store.StoredAlert]]:
    """Compare every rule's windows ending before `now` with their baselines and store the
    significant changes (with their deliveries queued); the windows, rows compared, new alerts."""
    windows = check.windows_ending(now)
    limits = thresholds(app.settings)
    with app.engine.begin() as conn:
        observations = check.observe(conn, windows)
        ids = store.store_findings(
            conn,
            check.findings(observations, limits),
            cooldown=timedelta(minutes=app.settings.alerts_cooldown_minutes),
            channels=[channel.id for channel in configured],
        )
        stored = store.find_alerts(conn, ids) if ids else []
    return windows, len(observations), stored


def run(app: App, now: datetime) -> RunResult:
    """Check at `now`, store what is new, then send every alert not yet sent to each channel
    (a channel that failed before included)."""
    configured = channels(app.settings)
    started = time.perf_counter()
    windows, observed, stored = check_and_store(app, now, configured)
    check_ms = (time.perf_counter() - started) * 1000
    report = delivery.deliver_pending(app, configured, now)
    return RunResult(windows, observed, stored, report, check_ms, configured)
