"""Chart snapshots: computed by the scheduled refresh, stored, served by the charts API.

Where a snapshot lives:
- the `chart_snapshots` row (keyed by the tick's scheduled time) is the source of truth: the API
  reads the newest row, and a redelivered tick finds its row and changes nothing;
- the bucket gets a copy (`charts/latest.json` and `charts/<scheduled time>.json`) for readers
  outside the database (exports, a static page, the API itself when PostgreSQL is down). A bucket
  outage does not fail the refresh: the row is stored, the failure is logged.

Staleness: a snapshot is `stale` when its as-of time is older than CHARTS_STALE_AFTER_SECONDS
(150 s by default: two missed one-minute ticks). Whatever makes refreshes fail - the database
timing out, the function crashing, the scheduler stopped - the API keeps serving the last good
snapshot and says it is stale.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import InterfaceError, OperationalError

from shared.charts.queries import Windows, compute_reports
from shared.classifier import CATEGORIES
from shared.errors import TransientFailure
from shared.models import chart_snapshots
from shared.storage import StorageUnavailable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from shared.bootstrap import App
    from shared.config import Settings
    from shared.storage import ObjectStore

log = logging.getLogger(__name__)

LATEST_OBJECT = "latest.json"


@dataclass(frozen=True)
class Snapshot:
    scheduled_time: datetime
    payload: dict[str, Any]
    generated_at: datetime
    duration_ms: float

    def document(self) -> dict[str, Any]:
        """The payload with where it came from, as written to the bucket."""
        return {
            **self.payload,
            "snapshot": {
                "scheduled_time": iso_utc(self.scheduled_time),
                "generated_at": iso_utc(self.generated_at),
                "duration_ms": self.duration_ms,
            },
        }


@dataclass(frozen=True)
class RefreshOutcome:
    snapshot: Snapshot
    created: bool  # False: the tick was already refreshed (a redelivery)
    stored_in_bucket: bool


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def object_key(settings: Settings, name: str) -> str:
    return f"{settings.charts_object_prefix}{name}"


def snapshot_object_name(scheduled_time: datetime) -> str:
    return scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + ".json"


# --- computing ----------------------------------------------------------------------------------


def chart_series(reports: dict[str, Any]) -> dict[str, Any]:
    """The same numbers as `labels` + `datasets` arrays, the shape chart libraries take."""
    days = reports["evolucao_temporal"]
    hours = reports["comentarios_por_hora"]
    tags = reports["top_tags_48h"]
    share = reports["distribuicao_categorias"]
    confidence = reports["confianca_media_por_categoria"]
    return {
        "distribuicao_categorias": {
            "labels": list(CATEGORIES),
            "datasets": [{"label": "%", "data": [share[c] for c in CATEGORIES]}],
        },
        "evolucao_temporal": {
            "labels": [day["data"] for day in days],
            "datasets": [{"label": c, "data": [day[c] for day in days]} for c in CATEGORIES],
        },
        "top_tags_48h": {
            "labels": [tag["tag"] for tag in tags],
            "datasets": [{"label": "frequencia", "data": [tag["frequencia"] for tag in tags]}],
        },
        "confianca_media_por_categoria": {
            "labels": list(CATEGORIES),
            "datasets": [{"label": "confianca", "data": [confidence[c] for c in CATEGORIES]}],
        },
        "comentarios_por_hora": {
            "labels": [hour["hora"] for hour in hours],
            "datasets": [{"label": "quantidade", "data": [hour["quantidade"] for hour in hours]}],
        },
    }


def build_payload(reports: dict[str, Any], windows: Windows) -> dict[str, Any]:
    """The stored snapshot: the earlier system's body (`relatorios`, `reload`, `gerado_em`) plus
    the windows it covers and the chart-library series."""
    return {
        "relatorios": reports,
        "reload": False,
        "gerado_em": iso_utc(windows.as_of),
        "fuso_horario": windows.zone.key,
        "periodo": {
            "inicio": iso_utc(windows.week_start),
            "fim": iso_utc(windows.as_of),
            "tags_desde": iso_utc(windows.tags_since),
        },
        "series": chart_series(reports),
    }


def compute_payload(engine: Engine, settings: Settings, as_of: datetime) -> dict[str, Any]:
    windows = Windows.ending_at(as_of, settings.product_zone)
    with engine.connect() as conn:
        reports = compute_reports(conn, windows)
    return build_payload(reports, windows)


# --- storing ------------------------------------------------------------------------------------


REPORT_KEYS: Final[tuple[str, ...]] = (
    "distribuicao_categorias",
    "evolucao_temporal",
    "top_tags_48h",
    "confianca_media_por_categoria",
    "comentarios_por_hora",
)
PAYLOAD_KEYS: Final[tuple[str, ...]] = (
    "relatorios",
    "reload",
    "gerado_em",
    "fuso_horario",
    "periodo",
    "series",
)


def _by_category(values: dict[str, Any]) -> dict[str, Any]:
    return {category: values[category] for category in CATEGORIES if category in values}


def in_reading_order(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with its keys in the order it was built (jsonb stores them sorted by length)."""
    reports = payload["relatorios"]
    ordered_reports = {key: reports[key] for key in REPORT_KEYS if key in reports}
    for key in ("distribuicao_categorias", "confianca_media_por_categoria"):
        ordered_reports[key] = _by_category(reports[key])
    ordered_reports["evolucao_temporal"] = [
        {"data": day["data"], **_by_category(day)} for day in reports["evolucao_temporal"]
    ]
    ordered_reports["top_tags_48h"] = [
        {"tag": tag["tag"], "frequencia": tag["frequencia"]} for tag in reports["top_tags_48h"]
    ]
    ordered_reports["comentarios_por_hora"] = [
        {"hora": hour["hora"], "quantidade": hour["quantidade"]}
        for hour in reports["comentarios_por_hora"]
    ]
    ordered: dict[str, Any] = {key: payload[key] for key in PAYLOAD_KEYS if key in payload}
    ordered.update({key: value for key, value in payload.items() if key not in ordered})
    ordered["relatorios"] = ordered_reports
    if "periodo" in payload:
        ordered["periodo"] = {
            key: payload["periodo"][key]
            for key in ("inicio", "fim", "tags_desde")
            if key in payload["periodo"]
        }
    if "series" in payload:
        # The series are the reports reshaped; reshaping again restores their order.
        ordered["series"] = chart_series(ordered_reports)
    return ordered


def _snapshot_from_row(row: Any) -> Snapshot:
    return Snapshot(
        scheduled_time=row.scheduled_time,
        payload=in_reading_order(dict(row.payload)),
        generated_at=row.generated_at,
        duration_ms=float(row.duration_ms),
    )


def load_snapshot(engine: Engine, scheduled_time: datetime) -> Snapshot | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(chart_snapshots).where(chart_snapshots.c.scheduled_time == scheduled_time)
        ).first()
    return None if row is None else _snapshot_from_row(row)


def latest_snapshot(engine: Engine) -> Snapshot | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(chart_snapshots).order_by(chart_snapshots.c.scheduled_time.desc()).limit(1)
        ).first()
    return None if row is None else _snapshot_from_row(row)


def _store(
    engine: Engine, settings: Settings, scheduled_time: datetime, payload: dict[str, Any], ms: float
) -> tuple[Snapshot, bool, bool]:
    """Insert the snapshot unless the tick already has one; (snapshot, created, is newest)."""
    cutoff = scheduled_time - timedelta(hours=settings.charts_retention_hours)
    with engine.begin() as conn:
        row = conn.execute(
            insert(chart_snapshots)
            .values(scheduled_time=scheduled_time, payload=payload, duration_ms=ms)
            .on_conflict_do_nothing(index_elements=[chart_snapshots.c.scheduled_time])
            .returning(chart_snapshots)
        ).first()
        created = row is not None
        if row is None:  # another delivery of the same tick won the race
            row = conn.execute(
                sa.select(chart_snapshots).where(chart_snapshots.c.scheduled_time == scheduled_time)
            ).one()
        conn.execute(sa.delete(chart_snapshots).where(chart_snapshots.c.scheduled_time < cutoff))
        newest = conn.execute(sa.select(sa.func.max(chart_snapshots.c.scheduled_time))).scalar()
    return _snapshot_from_row(row), created, newest == scheduled_time


def _copy_to_bucket(
    storage: ObjectStore, settings: Settings, snapshot: Snapshot, *, newest: bool
) -> bool:
    document = snapshot.document()
    try:
        storage.put_json(
            object_key(settings, snapshot_object_name(snapshot.scheduled_time)), document
        )
        # A late tick must not replace a newer `latest`.
        if newest:
            storage.put_json(object_key(settings, LATEST_OBJECT), document)
    except StorageUnavailable as error:
        log.warning(
            "chart snapshot stored in the database but not in the bucket",
            extra={"scheduled_time": iso_utc(snapshot.scheduled_time), "reason": error.message},
        )
        return False
    return True


def refresh(app: App, scheduled_time: datetime) -> RefreshOutcome:
    """Compute and store the snapshot of the tick scheduled at `scheduled_time` (idempotent).

    Database errors propagate (the tick is redelivered); a bucket outage is logged only.
    """
    if scheduled_time.tzinfo is None:
        raise ValueError("scheduled_time must be aware")
    existing = load_snapshot(app.engine, scheduled_time)
    if existing is not None:
        log.info(
            "chart snapshot already stored for this tick",
            extra={"scheduled_time": iso_utc(scheduled_time)},
        )
        return RefreshOutcome(existing, created=False, stored_in_bucket=False)
    started = time.perf_counter()
    payload = compute_payload(app.engine, app.settings, scheduled_time)
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    snapshot, created, newest = _store(
        app.engine, app.settings, scheduled_time, payload, duration_ms
    )
    stored_in_bucket = created and _copy_to_bucket(
        app.storage, app.settings, snapshot, newest=newest
    )
    log.info(
        "chart snapshot refreshed" if created else "chart snapshot already stored for this tick",
        extra={
            "scheduled_time": iso_utc(scheduled_time),
            "duration_ms": duration_ms,
            "stored_in_bucket": stored_in_bucket,
        },
    )
    return RefreshOutcome(snapshot, created=created, stored_in_bucket=stored_in_bucket)


# --- serving ------------------------------------------------------------------------------------


def is_stale(as_of: datetime, now: datetime, stale_after_seconds: int) -> bool:
    return (now - as_of).total_seconds() > stale_after_seconds


def _as_of(payload: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(payload["gerado_em"]).replace("Z", "+00:00"))


def weekly_report(app: App, now: datetime | None = None) -> dict[str, Any]:
    """The body of GET /api/relatorio/semana: the newest snapshot, marked stale when old.

    With PostgreSQL unreachable the bucket's `latest` copy is served instead; before the first
    refresh ever, the charts are computed on the spot (nothing is stored).
    """
    now = now or datetime.now(UTC)
    settings = app.settings
    try:
        snapshot = latest_snapshot(app.engine)
    except (OperationalError, InterfaceError) as error:
        log.warning("database unreachable; serving the bucket's latest charts", exc_info=True)
        payload = _from_bucket(app.storage, settings)
        if payload is None:
            raise TransientFailure("charts unavailable: database and bucket unreachable") from error
        source = "bucket"
    else:
        if snapshot is None:
            payload, source = compute_payload(app.engine, settings, now), "computed"
        else:
            payload, source = snapshot.payload, "snapshot"
    payload.pop("snapshot", None)
    return {
        **payload,
        "stale": is_stale(_as_of(payload), now, settings.charts_stale_after_seconds),
        "fonte": source,
    }


def _from_bucket(storage: ObjectStore, settings: Settings) -> dict[str, Any] | None:
    try:
        document = storage.get_json(object_key(settings, LATEST_OBJECT))
    except StorageUnavailable:
        log.warning("bucket unreachable too", exc_info=True)
        return None
    return dict(document) if isinstance(document, dict) else None
