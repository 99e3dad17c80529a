"""insights: plain-language questions answered from the stored weekly digests.

One functions-framework target, `handle_http`, serving the ROUTES table:
`POST /api/insights/perguntar` (analyst or admin) decodes the question, calls
`shared.insights.answer_question` and returns its JSON; `/healthz` for the platform.
"""

from __future__ import annotations

import logging

import functions_framework
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.config import get_function_settings
from shared.http import json_response, require_media_type
from shared.insights import answer_question, parse_question
from shared.logs import configure_logging
from shared.routing import HEALTH_ROUTE, Call, Route, Router

HTTP_FUNCTION = "insights-api"
JSON = ("application/json",)
# A question is at most a few hundred characters; anything near this is not a question.
MAX_BODY_BYTES = 16 * 1024

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("insights", get_function_settings().log_level)
log = logging.getLogger("insights")


def ask(call: Call) -> Response:
    request, settings = call.request, call.app.settings
    require_media_type(request, JSON)
    question = parse_question(call.body(), max_chars=settings.insights_max_question_chars)
    answer = answer_question(call.app, question)
    log.info(
        "answered",
        extra={
            "suportada": answer.suportada,
            "semanas": list(answer.semanas),
            "answerer": answer.answerer,
            "fallback_reason": answer.fallback_reason,
        },
    )
    return json_response(answer.to_json())


ROUTES = (
    HEALTH_ROUTE,
    Route(
        "/api/insights/perguntar",
        "POST",
        auth.ANY_ROLE,
        ask,
        per_user_limit="insights_requests_per_window",
        max_body=MAX_BODY_BYTES,
    ),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the insights function: the ROUTES table."""
    return router(request)
