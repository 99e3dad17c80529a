"""charts: the scheduled chart refresh, the charts API and the private dashboard.

Two functions-framework targets live here:
- `refresh_charts`: the push subscription of topic charts-tick (CloudEvents); one tick a minute.
- `handle_http`: GET /api/relatorio/semana (the latest snapshot), GET /api/tags (the tags in
  words) and the dashboard under /painel.

Each handler decodes the request, calls one library function and maps the outcome to a status.
"""

from __future__ import annotations

import logging
from pathlib import Path

import functions_framework
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.errors import InvalidInput
from shared.http import json_response
from shared.logs import configure_logging
from shared.routing import HEALTH_ROUTE, Call, Route, Router
from shared.schedule import Tick, tick_handler

HTTP_FUNCTION = "charts-api"
# The dashboard's files ship beside this module (the image copies functions/charts whole).
PAINEL_DIR = Path(__file__).resolve().parent / "painel"
REFRESH_FUNCTION = "charts-refresh"
# The job of infra/stack.json whose ticks reach this function; another job's are refused.
JOB = "charts-refresh"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("charts", get_function_settings().log_level)
log = logging.getLogger("charts")


# --- HTTP handlers ------------------------------------------------------------------------------


def weekly_report(call: Call) -> Response:
    from shared.charts.snapshots import weekly_report as latest_weekly_report

    return json_response(latest_weekly_report(call.app))


def tag_words(call: Call) -> Response:
    from shared.charts.tag_words import tag_words as vocabulary

    if call.request.args:
        raise InvalidInput(f"unknown query parameters: {', '.join(sorted(call.request.args))}")
    return json_response(vocabulary())


def painel_root(call: Call) -> Response:
    # Relative asset URLs in the page resolve under /painel/ only with the trailing slash.
    # werkzeug's redirect gives the small HTML body (and type) the document says /painel answers.
    return redirect("/painel/", code=308, Response=Response)


def painel(call: Call) -> Response:
    from shared.charts.painel import PAGE_HEADERS, serve_asset

    # The page and its files are public; the data they fetch needs a token.
    body, content_type = serve_asset(call.params["asset"], PAINEL_DIR)
    return Response(body, status=200, content_type=content_type, headers=PAGE_HEADERS)


# What this function serves; infra/terraform/openapi.yaml.tftpl documents the same operations.
ROUTES = (
    HEALTH_ROUTE,
    Route("/api/relatorio/semana", "GET", auth.ANY_ROLE, weekly_report),
    Route("/api/tags", "GET", auth.ANY_ROLE, tag_words),
    Route("/painel", "GET", None, painel_root),
    Route("/painel/{asset=**}", "GET", None, painel),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the charts function: the ROUTES table."""
    return router(request)


# --- scheduled refresh --------------------------------------------------------------------------


@functions_framework.cloud_event
@tick_handler(JOB, function=REFRESH_FUNCTION)
def refresh_charts(tick: Tick) -> None:
    """Refresh the chart snapshot for one tick of job charts-refresh.

    A failure propagates: the function answers 5xx and Pub/Sub redelivers (then dead-letters);
    meanwhile the API serves the last good snapshot, marked stale when old.
    """
    from shared.charts.snapshots import iso_utc, refresh

    outcome = refresh(get_app(), tick.scheduled_time)
    log.info(
        "tick handled",
        extra={
            "job": tick.job,
            "scheduled_time": iso_utc(tick.scheduled_time),
            "new_snapshot": outcome.created,
            "duration_ms": outcome.snapshot.duration_ms,
        },
    )
