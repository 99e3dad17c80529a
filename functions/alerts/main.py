"""alerts: spikes and drops of tags and categories, checked on a schedule and read over HTTP.

Two functions-framework targets live here:
- `run_alerts`: the push subscription of topic alerts-tick (CloudEvents), job alerts-check every
  5 minutes. Checks the windows ending before the tick's scheduled time, stores what is new and
  sends what was not sent yet.
- `handle_http`: `GET /api/alertas` for analysts and admins.

Each handler decodes the request or event, calls one library function and maps the outcome.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import functions_framework
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.alerts import render, service, store
from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.http import json_response, query_args
from shared.logs import configure_logging
from shared.routing import HEALTH_ROUTE, Call, Route, Router
from shared.schedule import Tick, format_scheduled_time, tick_handler
from shared.validation import parse_alerts_query

HTTP_FUNCTION = "alerts-api"
RUN_FUNCTION = "alerts-run"
# The job of infra/stack.json whose ticks reach this function; another job's are refused.
JOB = "alerts-check"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("alerts", get_function_settings().log_level)
log = logging.getLogger("alerts")


# --- HTTP handlers ------------------------------------------------------------------------------


def list_alerts(call: Call) -> Response:
    limit = parse_alerts_query(
        query_args(call.request), default=service.DEFAULT_LIST, high=service.MAX_LIST
    )
    alerts, last_day = store.list_alerts(call.app.engine, limit=limit, now=datetime.now(UTC))
    return json_response(
        {"alertas": [render.as_json(alert) for alert in alerts], "ultimas_24h": last_day}
    )


# What this function serves; infra/terraform/openapi.yaml.tftpl documents the same operations.
ROUTES = (
    HEALTH_ROUTE,
    Route("/api/alertas", "GET", auth.ANY_ROLE, list_alerts),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the alerts function: the ROUTES table."""
    return router(request)


# --- the scheduled check ------------------------------------------------------------------------


@functions_framework.cloud_event
@tick_handler(JOB, function=RUN_FUNCTION)
def run_alerts(tick: Tick) -> None:
    """Check, store and deliver for one tick of job alerts-check.

    A database failure propagates: the function answers 5xx and Pub/Sub redelivers; the stored
    alerts are keyed on their window, so a redelivered tick stores nothing twice. A channel that
    fails is logged and tried again on the next tick.
    """
    result = service.run(get_app(), tick.scheduled_time)
    log.info(
        "tick handled",
        extra={
            "job": tick.job,
            "scheduled_time": format_scheduled_time(tick.scheduled_time),
            "compared": result.observed,
            "stored": [alert.regra for alert in result.stored],
            "sent": len(result.delivery.sent),
            "failed": len(result.delivery.failed),
            "check_ms": round(result.check_ms, 1),
        },
    )
