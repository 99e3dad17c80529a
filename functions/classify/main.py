"""classify: the comment API over HTTP and the Pub/Sub consumer that classifies and stores.

Two functions-framework targets live here:
- `handle_http`: auth, sync classification, ingest, list/detail/export/correction of comments.
- `consume_comments`: the push subscription of topic comments-submitted (CloudEvents).

Each handler decodes the request, calls one library function and maps the outcome to a status.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.wrappers import Request, Response

from shared import auth
from shared.bootstrap import App, get_app
from shared.comments import corrections, csv_export, cursors, listing, store
from shared.config import get_function_settings
from shared.errors import PoisonMessage
from shared.http import (
    client_ip,
    json_response,
    next_page_link,
    query_args,
    received_at,
    request_id_of,
    require_media_type,
)
from shared.logs import configure_logging, log_context
from shared.routing import HEALTH_ROUTE, Call, Route, Router
from shared.validation import (
    NDJSON_CONTENT_TYPES,
    NdjsonItemCounter,
    ParsedComments,
    parse_comments,
    parse_conflicts_query,
    parse_correction,
    parse_list_query,
    validate_comment_id,
)

HTTP_FUNCTION = "classify-api"
CONSUMER_FUNCTION = "classify-consumer"
JSON = ("application/json",)
# The largest body of each route. Credentials: a 1,024-character password and a 128-character
# username sent as JSON \u escapes of surrogate pairs (12 bytes a character) are under 14 KB.
# A refresh token (refresh, logout) is a JWT of well under 4 KB. A correction is a category and at most 20 tags.
# Comment batches take MAX_BODY_BYTES; their item limits refuse the rest while decoding.
LOGIN_BODY_BYTES = 16 * 1024
REFRESH_BODY_BYTES = 4 * 1024
CORRECTION_BODY_BYTES = 16 * 1024
BATCH_BODY = "max_body_bytes"

# Settings are read (and validated) at cold start: a misconfigured instance fails to start.
configure_logging("classify", get_function_settings().log_level)
log = logging.getLogger("classify")


# --- HTTP handlers ------------------------------------------------------------------------------


def login(call: Call) -> Response:
    request, settings = call.request, call.app.settings
    require_media_type(request, JSON)
    credentials = auth.parse_credentials(call.body())
    address = client_ip(request, settings.trusted_proxy_hops)
    tokens = auth.login(call.app.engine, settings, credentials, client_ip=address)
    return json_response(tokens)


def refresh(call: Call) -> Response:
    require_media_type(call.request, JSON)
    token = auth.parse_refresh(call.body())
    return json_response(auth.rotate_refresh_token(call.app.engine, call.app.settings, token))


def logout(call: Call) -> Response:
    require_media_type(call.request, JSON)
    token = auth.parse_refresh(call.body())
    auth.logout(call.app.engine, call.app.settings, token)
    return Response(status=204)


def classify(call: Call) -> Response:
    require_media_type(call.request, JSON)
    parsed = _comments_in(call, max_items=call.app.settings.max_sync_batch, allow_ndjson=False)
    outcome = store.classify_and_store(call.app, parsed.comments)
    # One object in, one object out; a list in, a list out. 201 when this request stored
    # something, 200 when it only replayed what was already stored.
    return json_response(
        outcome.items[0] if parsed.single else outcome.items,
        status=201 if outcome.stored else 200,
    )


def ingest(call: Call) -> Response:
    request, settings = call.request, call.app.settings
    require_media_type(request, (*JSON, *sorted(NDJSON_CONTENT_TYPES)))
    batch = _comments_in(call, max_items=settings.max_ingest_batch, allow_ndjson=True).comments
    # Imported here: only this endpoint needs the Pub/Sub client.
    from shared.ingest import submit_comments

    ids = submit_comments(
        call.app, batch, request_id=request_id_of(request), received_at=received_at(request)
    )
    return json_response({"accepted": len(ids), "ids": ids}, status=202)


def _comments_in(call: Call, *, max_items: int, allow_ndjson: bool) -> ParsedComments:
    request, settings = call.request, call.app.settings
    # NDJSON is counted while it arrives: a flood of lines is refused before it is all read.
    ndjson = allow_ndjson and request.mimetype in NDJSON_CONTENT_TYPES
    return parse_comments(
        call.body(NdjsonItemCounter(max_items) if ndjson else None),
        request.content_type,
        max_items=max_items,
        max_text_chars=settings.max_text_chars,
        allow_ndjson=allow_ndjson,
        received_at=received_at(request),
    )


def list_comments(call: Call) -> Response:
    args = query_args(call.request)
    query = parse_list_query(
        args, max_page_size=call.app.settings.max_page_size, zone=call.app.settings.product_zone
    )
    page = listing.list_comments(call.app.engine, query, cursor_secret=_cursor_secret(call.app))
    headers = {
        "X-Total-Count": str(page.total.value),
        "X-Total-Count-Exact": "true" if page.total.exact else "false",
    }
    if page.next_cursor is not None:
        headers["X-Next-Cursor"] = page.next_cursor
        headers["Link"] = next_page_link(call.request.path, args, page.next_cursor)
    return json_response(page.items, headers=headers)


def export(call: Call) -> Response:
    settings = call.app.settings
    query = parse_list_query(
        query_args(call.request),
        max_page_size=settings.max_page_size,
        paginated=False,
        zone=settings.product_zone,
    )
    chunks = csv_export.export_csv(call.app.engine, query.filters, query.ordem)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        chunks,
        status=200,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="comentarios-{stamp}.csv"'},
    )


def conflicts(call: Call) -> Response:
    limit = parse_conflicts_query(
        query_args(call.request), max_page_size=call.app.settings.max_page_size
    )
    items, total = store.list_id_conflicts(call.app.engine, limit=limit)
    return json_response({"items": items, "total": total})


def detail(call: Call) -> Response:
    comment_id = validate_comment_id(call.params["id"])
    return json_response(corrections.get_comment(call.app.engine, comment_id))


def correct(call: Call) -> Response:
    comment_id = validate_comment_id(call.params["id"])
    require_media_type(call.request, JSON)
    correction = parse_correction(call.body())
    item = corrections.correct_comment(call.app.engine, comment_id, correction, by=call.username)
    return json_response(item)


def _cursor_secret(app: App) -> bytes:
    return cursors.cursor_secret_from(app.settings.cursor_secret.get_secret_value())


# What this function serves; infra/terraform/openapi.yaml.tftpl documents the same operations.
ROUTES = (
    HEALTH_ROUTE,
    Route("/api/auth/login", "POST", None, login, max_body=LOGIN_BODY_BYTES),
    Route("/api/auth/refresh", "POST", None, refresh, max_body=REFRESH_BODY_BYTES),
    Route("/api/auth/logout", "POST", None, logout, max_body=REFRESH_BODY_BYTES),
    Route("/api/comentarios", "GET", auth.ANY_ROLE, list_comments),
    Route(
        "/api/comentarios",
        "POST",
        auth.ADMIN_ONLY,
        classify,
        per_user_limit="classify_requests_per_window",
        max_body=BATCH_BODY,
    ),
    Route("/api/comentarios/ingest", "POST", auth.ADMIN_ONLY, ingest, max_body=BATCH_BODY),
    Route("/api/comentarios/export", "GET", auth.ANY_ROLE, export),
    Route("/api/comentarios/conflitos", "GET", auth.ADMIN_ONLY, conflicts),
    Route("/api/comentarios/{id}", "GET", auth.ANY_ROLE, detail),
    Route("/api/comentarios/{id}", "PATCH", auth.ANY_ROLE, correct, max_body=CORRECTION_BODY_BYTES),
)
router = Router(ROUTES, function=HTTP_FUNCTION)


@functions_framework.http
def handle_http(request: Request) -> Response:
    """Every HTTP path of the classify function: the ROUTES table."""
    return router(request)


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
