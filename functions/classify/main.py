"""classify: the comment API over HTTP and the Pub/Sub consumer that classifies and stores.

Two functions-framework targets live here:
- `handle_http`: auth, sync classification, ingest, list/detail/export/correction of comments.
- `consume_comments`: the push subscription of topic comments-submitted (CloudEvents).

Each handler decodes the request, calls one library function and maps the outcome to a status.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import auth, comments
from shared.bootstrap import App, get_app
from shared.config import get_settings
from shared.db import ping
from shared.errors import PoisonMessage
from shared.http import (
    client_ip,
    json_response,
    query_args,
    read_body,
    received_at,
    request_id_of,
    require_media_type,
    require_principal,
    serve,
)
from shared.logs import configure_logging, log_context
from shared.validation import (
    NDJSON_CONTENT_TYPES,
    parse_comments,
    parse_conflicts_query,
    parse_correction,
    parse_list_query,
    validate_comment_id,
)

HTTP_FUNCTION = "classify-api"
CONSUMER_FUNCTION = "classify-consumer"
JSON = ("application/json",)

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("classify", get_settings().log_level)
log = logging.getLogger("classify")

Handler = Callable[..., Response]

url_map = Map(
    [
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/api/auth/login", endpoint="login", methods=["POST"]),
        Rule("/api/auth/refresh", endpoint="refresh", methods=["POST"]),
        Rule("/api/comentarios", endpoint="list", methods=["GET"]),
        Rule("/api/comentarios", endpoint="classify", methods=["POST"]),
        Rule("/api/comentarios/ingest", endpoint="ingest", methods=["POST"]),
        Rule("/api/comentarios/export", endpoint="export", methods=["GET"]),
        Rule("/api/comentarios/conflitos", endpoint="conflicts", methods=["GET"]),
        Rule("/api/comentarios/<comment_id>", endpoint="detail", methods=["GET"]),
        Rule("/api/comentarios/<comment_id>", endpoint="correct", methods=["PATCH"]),
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


def login(request: Request, app: App) -> Response:
    require_media_type(request, JSON)
    credentials = auth.parse_credentials(read_body(request, app.settings.max_body_bytes))
    tokens = auth.login(app.engine, app.settings, credentials, client_ip=client_ip(request))
    return json_response(tokens)


def refresh(request: Request, app: App) -> Response:
    require_media_type(request, JSON)
    token = auth.parse_refresh(read_body(request, app.settings.max_body_bytes))
    return json_response(auth.refresh_access(app.engine, app.settings, token))


def classify(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ADMIN_ONLY)
    require_media_type(request, JSON)
    body = read_body(request, app.settings.max_body_bytes)
    batch = parse_comments(
        body,
        request.content_type,
        max_items=app.settings.max_sync_batch,
        max_text_chars=app.settings.max_text_chars,
        allow_ndjson=False,
        received_at=received_at(request),
    )
    items = comments.classify_and_store(app, batch)
    # One object in, one object out; a list in, a list out.
    single = body.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{"
    return json_response(items[0] if single else items)


def ingest(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ADMIN_ONLY)
    require_media_type(request, (*JSON, *sorted(NDJSON_CONTENT_TYPES)))
    batch = parse_comments(
        read_body(request, app.settings.max_body_bytes),
        request.content_type,
        max_items=app.settings.max_ingest_batch,
        max_text_chars=app.settings.max_text_chars,
        allow_ndjson=True,
        received_at=received_at(request),
    )
    # Imported here: only this endpoint needs the Pub/Sub client.
    from shared.ingest import submit_comments

    ids = submit_comments(
        app, batch, request_id=request_id_of(request), received_at=received_at(request)
    )
    return json_response({"accepted": len(ids), "ids": ids}, status=202)


def list_comments(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    query = parse_list_query(
        query_args(request),
        max_page_size=app.settings.max_page_size,
        zone=app.settings.product_zone,
    )
    page = comments.list_comments(app.engine, query, cursor_secret=_cursor_secret(app))
    return json_response(
        {"items": page.items, "next_cursor": page.next_cursor},
        headers={
            "X-Total-Count": str(page.total.value),
            "X-Total-Count-Exact": "true" if page.total.exact else "false",
        },
    )


def export(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    query = parse_list_query(
        query_args(request),
        max_page_size=app.settings.max_page_size,
        paginated=False,
        zone=app.settings.product_zone,
    )
    chunks = comments.export_csv(app.engine, query.filters, query.ordem)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        chunks,
        status=200,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="comentarios-{stamp}.csv"'},
    )


def conflicts(request: Request, app: App) -> Response:
    require_principal(request, app.settings, auth.ADMIN_ONLY)
    limit = parse_conflicts_query(query_args(request), max_page_size=app.settings.max_page_size)
    items, total = comments.list_id_conflicts(app.engine, limit=limit)
    return json_response({"items": items, "total": total})


def detail(request: Request, app: App, comment_id: str) -> Response:
    require_principal(request, app.settings, auth.ANY_ROLE)
    return json_response(comments.get_comment(app.engine, validate_comment_id(comment_id)))


def correct(request: Request, app: App, comment_id: str) -> Response:
    principal = require_principal(request, app.settings, auth.ANY_ROLE)
    comment_id = validate_comment_id(comment_id)
    require_media_type(request, JSON)
    correction = parse_correction(read_body(request, app.settings.max_body_bytes))
    item = comments.correct_comment(app.engine, comment_id, correction, by=principal.username)
    return json_response(item)


HANDLERS: Mapping[str, Handler] = {
    "healthz": healthz,
    "login": login,
    "refresh": refresh,
    "classify": classify,
    "ingest": ingest,
    "list": list_comments,
    "export": export,
    "conflicts": conflicts,
    "detail": detail,
    "correct": correct,
}


def _cursor_secret(app: App) -> bytes:
    return comments.cursor_secret_from(app.settings.jwt_secret.get_secret_value())


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
    """Every HTTP path of the classify function."""
    return serve(request, _route, function=HTTP_FUNCTION)


# --- Pub/Sub consumer ---------------------------------------------------------------------------


@functions_framework.cloud_event
def consume_comments(cloud_event: CloudEvent) -> None:
    """Classify and store one CommentsSubmitted message; poison goes to the dead-letter topic.

    Any other exception propagates: the function answers 5xx and Pub/Sub redelivers, then
    dead-letters after the subscription's maximum delivery attempts.
    """
    # Imported here: the HTTP function's cold start does not need the Pub/Sub client.
    from shared.consumer import dead_letter, store_submitted_comments
    from shared.events import MalformedEnvelope, message_from_cloud_event

    app = get_app()
    try:
        message = message_from_cloud_event(cloud_event)
    except MalformedEnvelope as error:
        with log_context(message_id=str(cloud_event["id"]), function=CONSUMER_FUNCTION):
            dead_letter(app, error.raw, {}, error.message)
        return
    with log_context(message_id=message.message_id, function=CONSUMER_FUNCTION):
        try:
            stored = store_submitted_comments(
                app,
                message.data,
                message.attributes,
                message_id=message.message_id,
                publish_time=message.publish_time,
            )
        except PoisonMessage as error:
            dead_letter(app, message.data, message.attributes, error.message)
            return
        log.info("stored", extra={"stored": stored})
