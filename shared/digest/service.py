"""The weekly digest's life: build once per ISO week, store, deliver once per recipient, read back.

Building is idempotent on the week: the first stored digest of a week is the digest of that week
(`INSERT ... ON CONFLICT DO NOTHING`, then everyone reads the stored row), so a re-run, a
redelivered tick or two concurrent runs send the same text.

Delivery is one row per (week, recipient). Each row is claimed with `SELECT ... FOR UPDATE SKIP
LOCKED` and stays locked while its mail is sent, then is marked `sent` in the same transaction: a
concurrent run skips it, a later run sees it sent. A send that fails marks the row `failed` and,
once every other recipient was tried, `deliver_digest` raises `DeliveryFailed` so the scheduled
message is redelivered; only the rows not yet `sent` are tried again.

What is still at-least-once: a process killed after the provider accepted a mail and before the
row's commit sends that one mail again on the next run. The window is one HTTP round trip.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from shared import models
from shared.digest.render import html_body, plain_text, subject_for
from shared.digest.stats import compute_stats
from shared.digest.store import StoredDigest, find_digest, insert_digest
from shared.digest.writer import write_text
from shared.errors import InvalidInput, NotFound, TransientFailure
from shared.mail import MailFailure, OutgoingMail
from shared.timezone import IsoWeek

if TYPE_CHECKING:
    from shared.bootstrap import App

log = logging.getLogger(__name__)

_EMAIL_RE: Final = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
MAX_ERROR_CHARS: Final = 500


class DeliveryFailed(TransientFailure, code="delivery_failed"): ...


@dataclass
class DeliveryReport:
    semana: str
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    already_sent: int = 0


@dataclass(frozen=True)
class RunResult:
    digest: StoredDigest
    created: bool
    delivery: DeliveryReport | None


# --- building -----------------------------------------------------------------------------------


def unsubscribe_target(app: App) -> str:
    configured = app.settings.digest_unsubscribe_url
    if configured:
        return configured
    return f"mailto:{app.settings.digest_from_email}?subject={quote('descadastrar resumo semanal')}"


def require_closed(week: IsoWeek, zone: ZoneInfo, now: datetime | None = None) -> None:
    latest = IsoWeek.last_closed_before(now or datetime.now(UTC), zone)
    if week > latest:
        raise InvalidInput(
            f"week {week} has not ended yet in {zone.key}; the latest closed week is {latest}"
        )


def build_digest(
    app: App, week: IsoWeek, *, now: datetime | None = None
) -> tuple[StoredDigest, bool]:
    """The stored digest of `week`, built and stored first when there is none. True when built now."""
    require_closed(week, app.settings.product_zone, now)
    existing = find_digest(app.engine, str(week))
    if existing is not None:
        return existing, False
    stats = compute_stats(app.engine, week, app.settings.product_timezone)
    llm = app.llm if app.settings.digest_writer == "llm" else None
    written = write_text(stats, writer=app.settings.digest_writer, llm=llm)
    html = html_body(stats, written.texto, unsubscribe_target(app))
    created = insert_digest(app.engine, stats, written, html)
    stored = find_digest(app.engine, str(week))
    assert stored is not None  # inserted now or by a concurrent run
    if created:
        log.info(
            "digest built",
            extra={
                "semana": str(week),
                "writer": written.writer,
                "fallback_reason": written.fallback_reason,
                "total": stats["total"],
            },
        )
    return stored, created


def get_digest(engine: Engine, semana: str) -> StoredDigest:
    """The stored digest of `semana` ("2026-W47"); InvalidInput if malformed, NotFound if absent."""
    week = IsoWeek.parse(semana)
    digest = find_digest(engine, str(week))
    if digest is None:
        raise NotFound(f"no digest stored for week {week}")
    return digest


# --- delivering ---------------------------------------------------------------------------------


_CLAIM_SQL = sa.text(
    """
    SELECT d.email FROM digest_deliveries AS d
    WHERE d.semana = :semana AND d.status <> 'sent'
      AND d.email IN (SELECT email FROM digest_recipients)
      AND NOT (d.email = ANY(CAST(:tried AS text[])))
    ORDER BY d.email
    LIMIT 1
    FOR UPDATE OF d SKIP LOCKED
    """
)

_ENQUEUE_SQL = sa.text(
    """
    INSERT INTO digest_deliveries (semana, email)
    SELECT :semana, email FROM digest_recipients
    ON CONFLICT (semana, email) DO NOTHING
    """
)


def mail_for(app: App, digest: StoredDigest, recipient: str) -> OutgoingMail:
    unsubscribe = unsubscribe_target(app)
    targets = [f"<mailto:{app.settings.digest_from_email}?subject=unsubscribe>"]
    if app.settings.digest_unsubscribe_url:
        targets.insert(0, f"<{app.settings.digest_unsubscribe_url}>")
    return OutgoingMail(
        to=recipient,
        subject=subject_for(digest.semana),
        text=plain_text(digest.texto, unsubscribe),
        html=digest.html,
        headers={"List-Unsubscribe": ", ".join(targets)},
    )


def deliver_digest(app: App, digest: StoredDigest) -> DeliveryReport:
    """Send `digest` to every recipient who has not had it yet; raise DeliveryFailed if any failed."""
    report = DeliveryReport(semana=digest.semana)
    mailer = app.mailer  # a mail setup that cannot work fails here, before any row is claimed
    with app.engine.begin() as conn:
        conn.execute(_ENQUEUE_SQL, {"semana": digest.semana})
    tried: list[str] = []
    while True:
        with app.engine.begin() as conn:
            email = conn.execute(_CLAIM_SQL, {"semana": digest.semana, "tried": tried}).scalar()
            if email is None:
                break
            tried.append(email)
            error: str | None = None
            try:
                mailer.send(mail_for(app, digest, email))
            except MailFailure as failure:
                error = failure.reason
            conn.execute(
                sa.text(
                    """
                    UPDATE digest_deliveries
                    SET attempts = attempts + 1,
                        status = CASE WHEN CAST(:error AS text) IS NULL THEN 'sent' ELSE 'failed' END,
                        last_error = CAST(:error AS text),
                        sent_at = CASE WHEN CAST(:error AS text) IS NULL THEN now() END
                    WHERE semana = :semana AND email = :email
                    """
                ),
                {
                    "semana": digest.semana,
                    "email": email,
                    "error": error and error[:MAX_ERROR_CHARS],
                },
            )
        if error is None:
            report.sent.append(email)
        else:
            report.failed[email] = error
            log.warning(
                "digest delivery failed",
                extra={"semana": digest.semana, "recipient": email, "reason": error},
            )
    with app.engine.connect() as conn:
        report.already_sent = int(
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM digest_deliveries WHERE semana = :semana AND status = 'sent'"
                ),
                {"semana": digest.semana},
            ).scalar_one()
        ) - len(report.sent)
    if report.failed:
        raise DeliveryFailed(
            f"digest {digest.semana}: {len(report.failed)} of "
            f"{len(report.failed) + len(report.sent)} sends failed; they are retried on the next run",
            details={"failed": report.failed, "sent": report.sent},
        )
    return report


def run_week(
    app: App, week: IsoWeek, *, send: bool = True, now: datetime | None = None
) -> RunResult:
    """Build (once) and, when `send`, deliver (once per recipient) the digest of `week`."""
    digest, created = build_digest(app, week, now=now)
    delivery = deliver_digest(app, digest) if send else None
    if delivery is not None:
        log.info(
            "digest delivered",
            extra={
                "semana": digest.semana,
                "sent": len(delivery.sent),
                "already_sent": delivery.already_sent,
            },
        )
    return RunResult(digest=digest, created=created, delivery=delivery)


def run_for_tick(app: App, scheduled_time: datetime) -> RunResult:
    """The scheduled run: the last ISO week closed before the tick's scheduled time."""
    week = IsoWeek.last_closed_before(scheduled_time, app.settings.product_zone)
    return run_week(app, week, send=True, now=scheduled_time)


def backfill(app: App, weeks: int, *, now: datetime | None = None) -> list[tuple[str, bool]]:
    """Build the last `weeks` closed weeks that have no digest yet (nothing is sent)."""
    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks must be between 1 and 520")
    latest = IsoWeek.last_closed_before(now or datetime.now(UTC), app.settings.product_zone)
    built = []
    for offset in range(weeks - 1, -1, -1):
        digest, created = build_digest(app, latest.shifted(-offset), now=now)
        built.append((digest.semana, created))
    return built


# --- recipients ---------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL_RE.fullmatch(cleaned) or len(cleaned) > 254:
        raise InvalidInput(f"{email!r} is not an e-mail address")
    return cleaned


def add_recipient(engine: Engine, email: str, nome: str | None = None) -> bool:
    """True when added, False when it was already there."""
    with engine.begin() as conn:
        row = conn.execute(
            insert(models.digest_recipients)
            .values(email=normalise_email(email), nome=nome)
            .on_conflict_do_nothing(index_elements=["email"])
            .returning(models.digest_recipients.c.email)
        ).first()
    return row is not None


def remove_recipient(engine: Engine, email: str) -> bool:
    table = models.digest_recipients
    with engine.begin() as conn:
        result = conn.execute(sa.delete(table).where(table.c.email == normalise_email(email)))
    return bool(result.rowcount)


def list_recipients(engine: Engine) -> list[dict[str, Any]]:
    table = models.digest_recipients
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.email))
        return [
            {"email": r.email, "nome": r.nome, "created_at": r.created_at.isoformat()} for r in rows
        ]
