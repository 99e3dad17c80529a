"""digest: the weekly digest, sent on a schedule and read back over HTTP.

Two functions-framework targets live here:
- `send_weekly_digest`: the push subscription of topic digest-tick (CloudEvents). Builds the last
  ISO week closed before the tick's scheduled time and sends it once per recipient.
- `handle_http`: `GET /api/digests` and `GET /api/digests/<semana>` for analysts and admins.

Each handler decodes the request or event, calls one library function and maps the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import App, get_app
from shared.config import get_settings
from shared.db import ping
from shared.digest import service
from shared.errors import InvalidInput, PoisonMessage
from shared.http import json_response, require_principal, serve
from shared.logs import configure_logging, log_context

HTTP_FUNCTION = "digest-api"
SEND_FUNCTION = "digest-send"
JOB_NAME = "weekly-digest"

configure_logging("digest", get_settings().log_level)
log = logging.getLogger("digest")

Handler = Callable[..., Response]

url_map = Map(
    [
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/api/digests", endpoint="list", methods=["GET"]),
        Rule("/api/digests/<semana>", endpoint="detail", methods=["GET"]),
    ],
    strict_slashes=False,
)


# --- HTTP handlers ------------------------------------------------------------------------------


def healthz(request: Request, app: App) -> Response:
    if ping(app.engine):
        return json_response({"status": "ok"})
    return json_response(
        {
            "status": "unavailable",
            "error": {"code": "unavailable", "message": "database unreachable"},
        },
        status=503,
    )


def list_digests(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    if request.args:
        raise InvalidInput(f"unknown query parameters: {', '.join(sorted(request.args))}")
    return json_response({"digests": service.list_digests(app.engine)})


def detail(request: Request, app: App, semana: str) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    return json_response(service.get_digest(app.engine, semana).as_json())


HANDLERS: Mapping[str, Handler] = {"healthz": healthz, "list": list_digests, "detail": detail}


def _route(request: Request) -> Response:
    adapter = url_map.bind_to_environ(request.environ)
    try:
        endpoint, arguments = adapter.match()
    except NotFound:
        raise NotFound(f"no such path: {request.path}") from None
    except MethodNotAllowed as error:
        raise MethodNotAllowed(
            valid_methods=error.valid_methods,
            description=f"{request.method} is not allowed on {request.path}",
        ) from None
    return HANDLERS[str(endpoint)](request, get_app(), **arguments)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the digest function."""
    return serve(request, _route, function=HTTP_FUNCTION)


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
