"""themes: new themes (groups of comments no tag covers), found on a schedule and read over HTTP.

Two functions-framework targets live here:
- `run_themes`: the push subscription of topic themes-tick (CloudEvents, job `themes-daily`):
  finds the themes of the day closed before the tick and of that day's ISO week.
- `handle_http`: `GET /api/temas`, `POST /api/temas/{id}/promover` and
  `POST /api/temas/{id}/dispensar` for analysts and admins.

Each handler decodes the request or event, calls one library function and maps the outcome.
"""

from __future__ import annotations

import logging

import functions_framework
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import get_app
from shared.config import get_function_settings
from shared.decoding import decode_json
from shared.http import json_response, query_args, require_media_type
from shared.logs import configure_logging
from shared.routing import HEALTH_ROUTE, Call, Route, Router
from shared.schedule import Tick, format_scheduled_time, tick_handler
from shared.themes import service

HTTP_FUNCTION = "themes-api"
RUN_FUNCTION = "themes-run"
# The job of infra/stack.json whose ticks reach this function; another job's are refused.
JOB = "themes-daily"
JSON = ("application/json",)
MAX_BODY_BYTES = 4 * 1024

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("themes", get_function_settings().log_level)
log = logging.getLogger("themes")


# --- HTTP handlers ------------------------------------------------------------------------------


def list_themes(call: Call) -> Response:
    query = service.parse_list_query(query_args(call.request))
    return json_response(
        service.list_themes(call.app.engine, query, call.app.settings.product_zone)
    )


def promote(call: Call) -> Response:
    require_media_type(call.request, JSON)
    theme_id = service.parse_theme_id(call.params["id"])
    promotion = service.parse_promotion(decode_json(call.body()))
    return json_response(
        service.promote_theme(call.app.engine, theme_id, promotion, by=call.username)
    )


def dismiss(call: Call) -> Response:
    theme_id = service.parse_theme_id(call.params["id"])
    return json_response(service.dismiss_theme(call.app.engine, theme_id, by=call.username))


# What this function serves; infra/terraform/openapi.yaml.tftpl documents the same operations.
ROUTES = (
    HEALTH_ROUTE,
    Route("/api/temas", "GET", auth.ANY_ROLE, list_themes),
    Route("/api/temas/{id}/promover", "POST", auth.ANY_ROLE, promote, max_body=MAX_BODY_BYTES),
    Route("/api/temas/{id}/dispensar", "POST", auth.ANY_ROLE, dismiss),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the themes function: the ROUTES table."""
    return router(request)


# --- the scheduled run --------------------------------------------------------------------------


@functions_framework.cloud_event
@tick_handler(JOB, function=RUN_FUNCTION)
def run_themes(tick: Tick) -> None:
    """Find the themes of the day closed before the tick and of its week. A database error
    propagates: the function answers 5xx and Pub/Sub redelivers (a rerun replaces the run)."""
    outcomes = service.run_for_tick(get_app(), tick.scheduled_time)
    log.info(
        "tick handled",
        extra={
            "job": tick.job,
            "scheduled_time": format_scheduled_time(tick.scheduled_time),
            "periods": [f"{o.period.kind} {o.period.key}: {o.themes}" for o in outcomes],
        },
    )
