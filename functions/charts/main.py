"""charts: the scheduled chart refresh, the charts API and the private dashboard.

Two functions-framework targets live here:
- `refresh_charts`: the push subscription of topic charts-tick (CloudEvents); one tick a minute.
- `handle_http`: GET /api/relatorio/semana (the latest snapshot) and the dashboard under /painel.

Each handler decodes the request, calls one library function and maps the outcome to a status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import App, get_app
from shared.config import get_settings
from shared.db import ping
from shared.errors import PoisonMessage
from shared.http import json_response, require_principal, serve
from shared.logs import configure_logging, log_context

HTTP_FUNCTION = "charts-api"
# The dashboard's files ship beside this module (the image copies functions/charts whole).
PAINEL_DIR = Path(__file__).resolve().parent / "painel"
REFRESH_FUNCTION = "charts-refresh"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("charts", get_settings().log_level)
log = logging.getLogger("charts")

Handler = Callable[..., Response]

url_map = Map(
    [
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/api/relatorio/semana", endpoint="weekly_report", methods=["GET"]),
        Rule("/painel", endpoint="painel_root", methods=["GET"], strict_slashes=True),
        Rule("/painel/", endpoint="painel", methods=["GET"], strict_slashes=True),
        Rule("/painel/<path:asset>", endpoint="painel", methods=["GET"]),
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


def weekly_report(request: Request, app: App) -> Response:
    from shared.charts.snapshots import weekly_report as latest_weekly_report

    require_principal(request, app.settings, auth.ANY_ROLE)
    return json_response(latest_weekly_report(app))


def painel_root(request: Request, app: App) -> Response:
    # Relative asset URLs in the page resolve under /painel/ only with the trailing slash.
    return Response(status=308, headers={"Location": "/painel/"})


def painel(request: Request, app: App, asset: str = "") -> Response:
    from shared.charts.painel import PAGE_HEADERS, serve_asset

    # The page and its files are public; the data they fetch needs a token.
    body, content_type = serve_asset(asset, PAINEL_DIR)
    return Response(body, status=200, content_type=content_type, headers=PAGE_HEADERS)


HANDLERS: Mapping[str, Handler] = {
    "healthz": healthz,
    "weekly_report": weekly_report,
    "painel_root": painel_root,
    "painel": painel,
}


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
    """Every HTTP path of the charts function."""
    return serve(request, _route, function=HTTP_FUNCTION)


# --- scheduled refresh --------------------------------------------------------------------------


def _publish_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


@functions_framework.cloud_event
def refresh_charts(cloud_event: CloudEvent) -> None:
    """Refresh the chart snapshot for one tick of job charts-refresh.

    A tick that can never be read is logged and acknowledged: the next minute's tick does its
    work. Any other exception propagates, the function answers 5xx and Pub/Sub redelivers (then
    dead-letters); meanwhile the API serves the last good snapshot, marked stale when old.
    """
    from shared.charts.snapshots import iso_utc, refresh
    from shared.events import message_from_cloud_event
    from shared.schedule import parse_tick

    app = get_app()
    with log_context(message_id=str(cloud_event["id"]), function=REFRESH_FUNCTION):
        try:
            message = message_from_cloud_event(cloud_event)
            tick = parse_tick(message.data, message.attributes, _publish_time(message.publish_time))
        except PoisonMessage as error:
            log.error("unreadable tick acknowledged", extra={"reason": error.message})
            return
        outcome = refresh(app, tick.scheduled_time)
        log.info(
            "tick handled",
            extra={
                "job": tick.job,
                "scheduled_time": iso_utc(tick.scheduled_time),
                "new_snapshot": outcome.created,
                "duration_ms": outcome.snapshot.duration_ms,
            },
        )
