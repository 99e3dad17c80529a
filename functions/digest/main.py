"""digest: the weekly digest, sent on a schedule and read back over HTTP.

Two functions-framework targets live here:
- `send_weekly_digest`: the push subscription of topic digest-tick (CloudEvents). Builds the last
  ISO week closed before the tick's scheduled time and sends it once per recipient.
- `handle_http`: `GET /api/digests` and `GET /api/digests/<semana>` for analysts and admins.

Each handler decodes the request or event, calls one library function and maps the outcome.
"""

from __future__ import annotations

import logging
from datetime import datetime

import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.digest import service, store
from shared.errors import InvalidInput, PoisonMessage
from shared.http import json_response
from shared.logs import configure_logging, log_context
from shared.routing import HEALTH_ROUTE, Call, Route, Router

HTTP_FUNCTION = "digest-api"
SEND_FUNCTION = "digest-send"
JOB_NAME = "weekly-digest"

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
def send_weekly_digest(cloud_event: CloudEvent) -> None:
    """Build and send the digest of the week closed before the tick.

    A tick that can never be read is acknowledged (logged with its reason): redelivering it would
    not help. Any other failure, a send refused for one recipient included, propagates: the
    function answers 5xx and Pub/Sub redelivers; recipients already sent are not sent again.
    """
    from shared.events import message_from_cloud_event
    from shared.schedule import parse_tick

    with log_context(message_id=str(cloud_event["id"]), function=SEND_FUNCTION):
        try:
            message = message_from_cloud_event(cloud_event)
            published = (
                datetime.fromisoformat(message.publish_time.replace("Z", "+00:00"))
                if message.publish_time
                else None
            )
            tick = parse_tick(message.data, message.attributes, published)
        except (PoisonMessage, ValueError) as error:
            log.error("unreadable digest tick acknowledged", extra={"reason": str(error)})
            return
        if tick.job != JOB_NAME:
            log.error("tick of another job acknowledged", extra={"job": tick.job})
            return
        result = service.run_for_tick(get_app(), tick.scheduled_time)
        log.info(
            "weekly digest done",
            extra={
                "semana": result.digest.semana,
                "built": result.created,
                "sent": len(result.delivery.sent) if result.delivery else 0,
            },
        )
