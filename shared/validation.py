"""Everything that comes from outside is checked here, with messages that say what and where.

Bad input raises `InvalidInput` (400) or `PayloadTooLarge` (413) before anything is stored.

Choices the API documents:
- A comment id is 1..128 characters of `[A-Za-z0-9._:@-]`. A JSON integer id is accepted and
  stored as its decimal string (older clients send numeric ids); any other type is refused.
- Fields other than `id`, `texto` and `criado_em` in a comment object are ignored, so clients of
  the earlier system that send extra fields keep working. Texts are stored verbatim (not trimmed).
- `criado_em` (optional) is when the listener wrote the comment: ISO 8601 with a UTC offset (`Z`
  or `-03:00`), not before 2000 and not more than 5 minutes ahead of the request's arrival (clock
  skew). A comment without one is stamped with the time its request arrived.
- In list and export filters a bare date is a day of PRODUCT_TIMEZONE (`ate` covers the whole
  day); a datetime with an offset is that instant; one without an offset is a wall-clock time of
  PRODUCT_TIMEZONE.
- Query parameters are strict: unknown or repeated parameters are refused so a typo never
  silently widens a filter. An empty value (`?q=`) counts as not given, as HTML forms send them.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Final

from shared.classifier import CATEGORIES
from shared.classifier.tags import SCOPES as TAG_SCOPES
from shared.classifier.tags import TAG_PATTERN
from shared.comments.types import (
    ORDENS,
    CommentFilters,
    CommentIn,
    Correction,
    ListQuery,
    Ordem,
)
from shared.decoding import (
    array_items,
    check_text,
    decode_json_object,
    json_type,
    loads,
    query_integer,
    shown,
    utf8_text,
)
from shared.errors import InvalidInput, PayloadTooLarge
from shared.timezone import day_bounds

COMMENT_ID_RE: Final = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
_NON_BLANK: Final = re.compile(r"\S")
# The taxonomy's own tag shape, so a filter or a correction accepts exactly what the classifier emits.
TAG_RE: Final = TAG_PATTERN
MAX_TAG_CHARS: Final = 64
MAX_TAGS_PER_COMMENT: Final = 20
MAX_QUERY_TEXT_CHARS: Final = 200
MAX_CURSOR_CHARS: Final = 1024
DEFAULT_PAGE_SIZE: Final = 50
NDJSON_CONTENT_TYPES: Final = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)

# A comment time is refused when it is more than this ahead of the request's arrival: enough for
# clocks that drift, too little to date a comment in the future on purpose.
MAX_CLOCK_SKEW: Final = timedelta(minutes=5)
# Earlier than any comment the product can have received; catches epoch-0 and year-1 defaults.
EARLIEST_COMMENT_TIME: Final = datetime(2000, 1, 1, tzinfo=UTC)
MAX_TIME_TEXT_CHARS: Final = 64


# --- comments -----------------------------------------------------------------------------------


def validate_comment_id(value: Any, *, field: str = "id") -> str:
    """A client comment id as stored (string), or InvalidInput."""
    if isinstance(value, bool) or value is None:
        raise InvalidInput(f"{field} must be a string or an integer, got {json_type(value)}")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string or an integer, got {json_type(value)}")
    if not COMMENT_ID_RE.fullmatch(value):
        raise InvalidInput(
            f"{field} {shown(value)} is not a valid comment id "
            "(1 to 128 characters among letters, digits and . _ : @ -)"
        )
    return value


def parse_comment_time(value: Any, *, now: datetime, field: str = "field 'criado_em'") -> datetime:
    """A client's comment time -> aware UTC instant, or InvalidInput saying what is wrong.

    `now` is the request's arrival: the time may be at most MAX_CLOCK_SKEW after it.
    """
    if not isinstance(value, str):
        raise InvalidInput(
            f"{field} must be an ISO 8601 string with a UTC offset, got {json_type(value)}"
        )
    quoted = shown(value)
    example = "(e.g. 2026-11-30T14:05:00-03:00 or 2026-11-30T17:05:00Z)"
    try:
        if len(value) > MAX_TIME_TEXT_CHARS:
            raise ValueError
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} {quoted} is not an ISO 8601 date-time {example}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidInput(f"{field} {quoted} has no UTC offset; add Z or ±hh:mm {example}")
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(f"{field} {quoted} is out of range") from None
    if instant < EARLIEST_COMMENT_TIME:
        raise InvalidInput(
            f"{field} {quoted} is before {EARLIEST_COMMENT_TIME.date().isoformat()}; "
            "send when the listener wrote the comment"
        )
    latest = now.astimezone(UTC) + MAX_CLOCK_SKEW
    if instant > latest:
        raise InvalidInput(
            f"{field} {quoted} is in the future (more than "
            f"{int(MAX_CLOCK_SKEW.total_seconds() // 60)} minutes after "
            f"{now.astimezone(UTC).isoformat(timespec='seconds')}, when the request arrived)"
        )
    return instant


def _comment(item: Any, *, where: str, max_text_chars: int, received_at: datetime) -> CommentIn:
    prefix = f"{where}: " if where else ""
    if not isinstance(item, dict):
        raise InvalidInput(f"{prefix}a comment must be a JSON object, got {json_type(item)}")
    if "id" not in item:
        raise InvalidInput(f"{prefix}field 'id' is missing")
    if "texto" not in item:
        raise InvalidInput(f"{prefix}field 'texto' is missing")
    try:
        comment_id = validate_comment_id(item["id"], field="field 'id'")
        texto = item["texto"]
        if not isinstance(texto, str):
            raise InvalidInput(f"field 'texto' must be a string, got {json_type(texto)}")
        check_text(texto, field="field 'texto'")
        if not texto.strip():
            raise InvalidInput("field 'texto' is empty")
        if len(texto) > max_text_chars:
            raise InvalidInput(
                f"field 'texto' has {len(texto)} characters; the limit is {max_text_chars}"
            )
        given = item.get("criado_em")
        criado_em = received_at if given is None else parse_comment_time(given, now=received_at)
    except InvalidInput as error:
        raise InvalidInput(prefix + error.message) from None
    return CommentIn(id=comment_id, texto=texto, criado_em=criado_em)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True, slots=True)
class ParsedComments:
    """The comments of a body, and whether it was one comment object rather than an array or
    NDJSON (the sync API answers one object for one object, a list for a list)."""

    comments: list[CommentIn]
    single: bool


def parse_comments(
    body: bytes,
    content_type: str | None,
    *,
    max_items: int,
    max_text_chars: int,
    allow_ndjson: bool,
    received_at: datetime | None = None,
) -> ParsedComments:
    """One object, a JSON array, or (when allowed) NDJSON -> the comments, all valid, ids unique.

    `received_at` (default: now) is when the request arrived: the `criado_em` of every comment
    that does not bring its own, and the reference for refusing comment times in the future.
    """
    text = utf8_text(body, what="body")
    items: list[Any]
    labels: list[str]
    single = False
    if allow_ndjson and _media_type(content_type) in NDJSON_CONTENT_TYPES:
        items, labels = _ndjson_items(text, max_items=max_items)
    else:
        try:
            document = _decode_document(text, max_items=max_items)
        except InvalidInput as error:
            # A body of several JSON lines sent as application/json is NDJSON all the same.
            if not (allow_ndjson and "Extra data" in error.message):
                raise
            items, labels = _ndjson_items(text, max_items=max_items)
        else:
            if isinstance(document, list):
                if not document:
                    raise InvalidInput("the list of comments is empty")
                items, labels = document, [f"item {i}" for i in range(len(document))]
            elif isinstance(document, dict):
                items, labels, single = [document], [""], True
            else:
                raise InvalidInput(
                    f"body must be a comment object or an array of them, got {json_type(document)}"
                )
    comments = comments_from_items(
        items, labels, max_items=max_items, max_text_chars=max_text_chars, received_at=received_at
    )
    return ParsedComments(comments=comments, single=single)


def _decode_document(text: str, *, max_items: int) -> Any:
    """The body's JSON document; an array is decoded item by item and refused at the first item
    past `max_items`."""
    items = array_items(text)
    if items is None:
        if not text.strip():
            raise InvalidInput("body is empty; a JSON document is expected")
        return loads(text, what="body")
    decoded: list[Any] = []
    for item in items:
        if len(decoded) == max_items:
            raise _too_many_comments(max_items)
        decoded.append(item)
    return decoded


def _too_many_comments(max_items: int, count: int | None = None) -> PayloadTooLarge:
    """413 for a request over the item limit; `count` is unknown when decoding stopped at the
    first comment past it."""
    counted = f"more than {max_items}" if count is None else str(count)
    details = {"limit": max_items} if count is None else {"count": count, "limit": max_items}
    return PayloadTooLarge(
        f"{counted} comments in one request; the limit is {max_items}", details=details
    )


def comments_from_items(
    items: list[Any],
    labels: list[str] | None = None,
    *,
    max_items: int,
    max_text_chars: int,
    received_at: datetime | None = None,
) -> list[CommentIn]:
    """Decoded comment objects -> the comments, all valid, ids unique (the rules of
    `parse_comments`, for items that arrive already decoded, as in a Pub/Sub message).
    `labels` name each item in error messages (default "item 0", "item 1", ...)."""
    arrival = (received_at or datetime.now(UTC)).astimezone(UTC)
    if labels is None:
        labels = [f"item {i}" for i in range(len(items))]
    if len(items) > max_items:
        raise _too_many_comments(max_items, len(items))
    comments: list[CommentIn] = []
    first_seen: dict[str, str] = {}
    for item, label in zip(items, labels, strict=True):
        comment = _comment(item, where=label, max_text_chars=max_text_chars, received_at=arrival)
        if comment.id in first_seen:
            raise InvalidInput(
                f"{label}: id {comment.id!r} appears more than once in this request "
                f"(first at {first_seen[comment.id]})",
                details={"id": comment.id},
            )
        first_seen[comment.id] = label
        comments.append(comment)
    return comments


# Where a line holds a JSON value: a printable ASCII character (every JSON value starts with one),
# and the rest of its line, so each such line is one match and the scan is linear.
_NDJSON_VALUE_LINE: Final = re.compile(rb"[!-~][^\n]*")


class NdjsonItemCounter:
    """Counts NDJSON items in a body's chunks as they arrive and refuses (413) at the first one
    past `max_items`, so a flood of small lines is refused after reading about `max_items` lines,
    not the whole body. A line counts when it holds a printable ASCII character: every item does,
    and a line the decoder would skip never does, so this never refuses a body the decoder takes."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.items = 0
        self._line_counted = False  # the line the previous chunk ended inside was counted

    def __call__(self, chunk: bytes) -> None:
        first_newline = chunk.find(b"\n")
        for match in _NDJSON_VALUE_LINE.finditer(chunk):
            continuing = self._line_counted and (first_newline < 0 or match.start() < first_newline)
            if not continuing:
                self.items += 1
                if self.items > self.max_items:
                    raise _too_many_comments(self.max_items)
        last_newline = chunk.rfind(b"\n")
        tail = chunk[last_newline + 1 :]
        in_same_line = last_newline < 0 and self._line_counted
        self._line_counted = in_same_line or _NDJSON_VALUE_LINE.search(tail) is not None


def _ndjson_items(text: str, *, max_items: int) -> tuple[list[Any], list[str]]:
    """The items of NDJSON, one a line, refused at the first item past `max_items`. A line ends
    at `\\n` only: U+2028, U+0085 and the like are text inside a comment, as JSON says, and blank
    lines are skipped without a step of Python each."""
    items: list[Any] = []
    labels: list[str] = []
    position, number = 0, 1
    while (content := _NON_BLANK.search(text, position)) is not None:
        newline = text.rfind("\n", position, content.start())
        start = position if newline < 0 else newline + 1
        number += text.count("\n", position, start)
        end = text.find("\n", content.start())
        end = len(text) if end < 0 else end
        if len(items) == max_items:
            raise _too_many_comments(max_items)
        label = f"line {number}"
        items.append(loads(text[start:end], what=label, one_line=True))
        labels.append(label)
        position = end
    if not items:
        raise InvalidInput("body holds no comments")
    return items, labels


# --- corrections --------------------------------------------------------------------------------


def validate_categoria(value: Any, *, field: str = "categoria") -> str:
    if not isinstance(value, str) or value not in CATEGORIES:
        what = shown(value) if isinstance(value, str) else json_type(value)
        raise InvalidInput(
            f"{field} {what} is not a category; valid values: {', '.join(CATEGORIES)}",
            details={"valid": list(CATEGORIES)},
        )
    return value


def validate_tag(value: Any, *, field: str = "tag") -> str:
    if not isinstance(value, str) or len(value) > MAX_TAG_CHARS or not TAG_RE.fullmatch(value):
        what = shown(value) if isinstance(value, str) else json_type(value)
        raise InvalidInput(
            f"{field} {what} is not a tag; a tag is scope_subject in lowercase ASCII, "
            f"scope one of {', '.join(TAG_SCOPES)} (e.g. feat_letra, fix_volume)"
        )
    return value


def parse_correction(body: bytes) -> Correction:
    document = decode_json_object(body)
    allowed = ("categoria", "tags_funcionalidades")
    unknown = sorted(set(document) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"unknown field(s) {', '.join(map(repr, unknown))}; a correction may set "
            f"{' and '.join(allowed)}"
        )
    if not document:
        raise InvalidInput("a correction needs categoria and/or tags_funcionalidades")
    categoria = None
    if "categoria" in document:
        categoria = validate_categoria(document["categoria"])
    tags = None
    if "tags_funcionalidades" in document:
        raw = document["tags_funcionalidades"]
        if not isinstance(raw, list):
            raise InvalidInput(
                f"tags_funcionalidades must be an array of tags, got {json_type(raw)}"
            )
        if len(raw) > MAX_TAGS_PER_COMMENT:
            raise InvalidInput(
                f"tags_funcionalidades has {len(raw)} tags; the limit is {MAX_TAGS_PER_COMMENT}"
            )
        checked = [
            validate_tag(tag, field=f"tags_funcionalidades[{i}]") for i, tag in enumerate(raw)
        ]
        # A tag set: the same tag twice means nothing more than once.
        tags = tuple(dict.fromkeys(checked))
    return Correction(categoria=categoria, tags=tags)


# --- list and export queries --------------------------------------------------------------------


FILTER_PARAMS: Final = (
    "categoria",
    "tag",
    "q",
    "desde",
    "ate",
    "confianca_min",
    "confianca_max",
    "needs_review",
    "ordem",
)
PAGE_PARAMS: Final = ("limit", "cursor")


def _single_values(args: Mapping[str, Sequence[str]], allowed: Sequence[str]) -> dict[str, str]:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"unknown query parameter(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(allowed)}",
            details={"unknown": unknown, "known": list(allowed)},
        )
    values: dict[str, str] = {}
    for name, given in args.items():
        if len(given) > 1:
            raise InvalidInput(
                f"query parameter {name!r} is given {len(given)} times; give it once"
            )
        value = given[0] if given else ""
        check_text(value, field=f"query parameter {name!r}")
        if value.strip():
            values[name] = value
    return values


def _parse_instant(value: str, *, name: str, end_of_day: bool, zone: tzinfo) -> datetime:
    """ISO date or datetime -> aware UTC instant. A bare date is a day of `zone`; `ate` given as
    a date covers that whole day."""
    text = value.strip()
    try:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            instant = datetime.fromisoformat(text)
            if instant.tzinfo is None:
                # A wall-clock time without an offset is one of the product's zone, like its days.
                instant = instant.replace(tzinfo=zone)
            instant = instant.astimezone(UTC)
            # `ate` with a time is inclusive; stored times have microsecond precision.
            return instant + timedelta(microseconds=1) if end_of_day else instant
        start, end = day_bounds(day, zone)
        return end if end_of_day else start
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"{name} {shown(value)} is not an ISO date or datetime "
            "(e.g. 2024-05-31 or 2024-05-31T18:30:00-03:00)"
        ) from None


def _fraction(values: Mapping[str, str], name: str) -> float | None:
    if name not in values:
        return None
    value = values[name]
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{name} {shown(value)} is not a number between 0 and 1") from None
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise InvalidInput(f"{name} {shown(value)} is not a number between 0 and 1")
    # Compared with a REAL column as a REAL: PostgreSQL refuses a cast that underflows (5e-324
    # would be a 500), so the bound is the REAL nearest to it (0.0 for anything that tiny).
    as_real: float = struct.unpack("<f", struct.pack("<f", number))[0]
    return as_real


_TRUE = frozenset({"true", "1", "yes", "sim"})
_FALSE = frozenset({"false", "0", "no", "nao", "não"})


def _flag(values: Mapping[str, str], name: str) -> bool | None:
    if name not in values:
        return None
    value = values[name]
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidInput(f"{name} {shown(value)} is not a boolean (true or false)")


def parse_list_query(
    args: Mapping[str, Sequence[str]],
    *,
    max_page_size: int,
    paginated: bool = True,
    zone: tzinfo | None = None,
) -> ListQuery:
    """Query string of GET /api/comentarios (paginated) or its export (not paginated).

    `zone` is the product's time zone (PRODUCT_TIMEZONE): bare dates are its days.
    """
    if zone is None:
        from shared.config import get_settings

        zone = get_settings().product_zone
    allowed = (*FILTER_PARAMS, *PAGE_PARAMS) if paginated else FILTER_PARAMS
    values = _single_values(args, allowed)

    categoria = validate_categoria(values["categoria"]) if "categoria" in values else None
    tag = validate_tag(values["tag"]) if "tag" in values else None
    q = None
    if "q" in values:
        # The limit is on what was sent, as documented, not on what is left after trimming.
        if len(values["q"]) > MAX_QUERY_TEXT_CHARS:
            raise InvalidInput(
                f"q has {len(values['q'])} characters; the limit is {MAX_QUERY_TEXT_CHARS}"
            )
        q = values["q"].strip()

    created_from = (
        _parse_instant(values["desde"], name="desde", end_of_day=False, zone=zone)
        if "desde" in values
        else None
    )
    created_before = (
        _parse_instant(values["ate"], name="ate", end_of_day=True, zone=zone)
        if "ate" in values
        else None
    )
    if created_from and created_before and created_before <= created_from:
        raise InvalidInput(
            f"ate ({values['ate']}) is before desde ({values['desde']})",
        )

    confianca_min = _fraction(values, "confianca_min")
    confianca_max = _fraction(values, "confianca_max")
    if confianca_min is not None and confianca_max is not None and confianca_min > confianca_max:
        raise InvalidInput(
            f"confianca_min ({confianca_min}) is greater than confianca_max ({confianca_max})"
        )

    needs_review = _flag(values, "needs_review")

    ordem_value = values.get("ordem", "recentes")
    if ordem_value not in ORDENS:
        raise InvalidInput(
            f"ordem {shown(ordem_value)} is not an order; valid values: {', '.join(ORDENS)}"
        )
    ordem: Ordem = ordem_value

    limit = DEFAULT_PAGE_SIZE if paginated else max_page_size
    if "limit" in values:
        limit = query_integer(values["limit"], name="limit", low=1, high=max_page_size)

    cursor = values.get("cursor")
    if cursor is not None and len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidInput("cursor is not one this API issued")

    return ListQuery(
        filters=CommentFilters(
            categoria=categoria,
            tag=tag,
            q=q,
            created_from=created_from,
            created_before=created_before,
            confianca_min=confianca_min,
            confianca_max=confianca_max,
            needs_review=needs_review,
        ),
        ordem=ordem,
        limit=limit,
        cursor=cursor,
    )


def parse_alerts_query(args: Mapping[str, Sequence[str]], *, default: int, high: int) -> int:
    """Query string of GET /api/alertas: how many alerts to show (`limite`)."""
    values = _single_values(args, ("limite",))
    if "limite" not in values:
        return default
    return query_integer(values["limite"], name="limite", low=1, high=high)


def parse_conflicts_query(args: Mapping[str, Sequence[str]], *, max_page_size: int) -> int:
    """Query string of GET /api/comentarios/conflitos: how many conflicts to show (`limit`)."""
    values = _single_values(args, ("limit",))
    if "limit" not in values:
        return DEFAULT_PAGE_SIZE
    return query_integer(values["limit"], name="limit", low=1, high=max_page_size)
