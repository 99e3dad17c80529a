"""digest: the weekly digest, sent on a schedule and read back over HTTP.

Two functions-framework targets live here:
- `send_weekly_digest`: the push subscription of topic digest-tick (CloudEvents). Builds the last
  ISO week closed before the tick's scheduled time and sends it once per recipient.
- `handle_http`: `GET /api/digests` and `GET /api/digests/<semana>` for analysts and admins.

Each handler decodes the request or event, calls one library function and maps the outcome.
"""

from __future__ import annotations

import logging

import functions_framework
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.digest import service, store
from shared.errors import InvalidInput
from shared.http import json_response
from shared.logs import configure_logging
from shared.routing import HEALTH_ROUTE, Call, Route, Router
from shared.schedule import Tick, tick_handler

HTTP_FUNCTION = "digest-api"
SEND_FUNCTION = "digest-send"
# The job of infra/stack.json whose ticks reach this function; another job's are refused.
JOB = "weekly-digest"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("digest", get_function_settings().log_level)
log = logging.getLogger("digest")


# --- HTTP handlers ------------------------------------------------------------------------------


def list_digests(call: Call) -> Response:
    if call.request.args:
        raise InvalidInput(f"unknown query parameters: {', '.join(sorted(call.request.args))}")
    return json_response({"digests": store.list_digests(call.app.engine)})


def detail(call: Call) -> Response:
    return json_response(service.get_digest(call.app.engine, call.params["semana"]).as_json())


# What this function serves; infra/terraform/openapi.yaml.tftpl documents the same operations.
ROUTES = (
    HEALTH_ROUTE,
    Route("/api/digests", "GET", auth.ANY_ROLE, list_digests),
    Route("/api/digests/{semana}", "GET", auth.ANY_ROLE, detail),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the digest function: the ROUTES table."""
    return router(request)


# --- the scheduled send -------------------------------------------------------------------------


@functions_framework.cloud_event
@tick_handler(JOB, function=SEND_FUNCTION)
def send_weekly_digest(tick: Tick) -> None:
    """Build and send the digest of the week closed before the tick.

    A failure, a send refused for one recipient included, propagates: the function answers 5xx
    and Pub/Sub redelivers; recipients already sent are not sent again.
    """
    result = service.run_for_tick(get_app(), tick.scheduled_time)
    log.info(
        "weekly digest done",
        extra={
            "semana": result.digest.semana,
            "built": result.created,
            "sent": len(result.delivery.sent) if result.delivery else 0,
        },
    )
