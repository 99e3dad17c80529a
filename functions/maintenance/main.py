"""maintenance: the scheduled table maintenance (job table-maintenance, topic maintenance-tick).

One functions-framework target, `run_maintenance`, behind the push subscription of the tick
topic (CloudEvents): it reads the tick, calls `shared.maintenance.maintain_tables` for its
scheduled time and logs what was vacuumed or analysed. A tick it can never handle (unreadable, or
another job's) is logged and acknowledged (the next tick does the work); a database error
propagates, the function answers 5xx and Pub/Sub redelivers, then dead-letters.
"""

from __future__ import annotations

import logging

import functions_framework

from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.logs import configure_logging
from shared.maintenance import run_tick
from shared.schedule import Tick, format_scheduled_time, tick_handler

FUNCTION = "maintenance-run"
# The job of infra/stack.json whose ticks reach this function; another job's are refused.
JOB = "table-maintenance"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("maintenance", get_function_settings().log_level)
log = logging.getLogger("maintenance")


@functions_framework.cloud_event
@tick_handler(JOB, function=FUNCTION)
def run_maintenance(tick: Tick) -> None:
    """Archive and delete expired comments, delete expired refresh tokens, then vacuum or
    analyse the product's tables that changed enough, for one tick."""
    done = run_tick(get_app(), tick.scheduled_time)
    outcome = done.tables
    log.info(
        "tick handled",
        extra={
            "job": tick.job,
            "scheduled_time": format_scheduled_time(tick.scheduled_time),
            "autovacuum": "on" if outcome.autovacuum_on else "off",
            "tables_checked": outcome.tables_checked,
            "busy": outcome.busy,
            "refresh_tokens_deleted": outcome.refresh_tokens_deleted,
            "comments_archived": done.retention.rows,
            "days_archived": [day.day.isoformat() for day in done.retention.days],
            "maintained": [f"{a.action} {a.table}" for a in outcome.actions],
            "duration_ms": round(sum(a.duration_ms for a in outcome.actions), 1),
        },
    )
