"""insights: plain-language questions answered from the stored weekly digests.

One functions-framework target, `handle_http`: `POST /api/insights/perguntar` (analyst or admin)
decodes the question, calls `shared.insights.answer_question` and returns its JSON; `/healthz`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import functions_framework
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import App, get_app
from shared.config import get_settings
from shared.db import ping
from shared.http import json_response, read_body, require_media_type, require_principal, serve
from shared.insights import answer_question, parse_question
from shared.logs import configure_logging

HTTP_FUNCTION = "insights-api"
JSON = ("application/json",)
# A question is at most a few hundred characters; anything near this is not a question.
MAX_BODY_BYTES = 16 * 1024

configure_logging("insights", get_settings().log_level)
log = logging.getLogger("insights")

Handler = Callable[..., Response]

url_map = Map(
    [
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/api/insights/perguntar", endpoint="ask", methods=["POST"]),
    ],
    strict_slashes=False,
)


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


def ask(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    require_media_type(request, JSON)
    body = read_body(request, min(MAX_BODY_BYTES, app.settings.max_body_bytes))
    question = parse_question(body, max_chars=app.settings.insights_max_question_chars)
    answer = answer_question(app, question)
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


HANDLERS: Mapping[str, Handler] = {"healthz": healthz, "ask": ask}


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
    """Every HTTP path of the insights function."""
    return serve(request, _route, function=HTTP_FUNCTION)
