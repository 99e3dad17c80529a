"""The comment list's cursors: opaque, signed tokens naming where a page ended.

A cursor is bound to its query (order and filters) and carries the walk's total, so every page of
one walk reports the same total and only the first pays for counting it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
from datetime import datetime
from typing import Any, Final

from shared.comments.types import CommentFilters, Ordem, Position, Total, by_time
from shared.errors import InvalidInput
from shared.validation import COMMENT_ID_RE

CURSOR_VERSION: Final = 1


def cursor_secret_from(cursor_secret: str) -> bytes:
    """The key signing the comment list's cursors, derived from CURSOR_SECRET for this one use
    (a cursor key has nothing to do with tokens: verifiers hold no token secret)."""
    return hmac.new(cursor_secret.encode("utf-8"), b"comment-list-cursor", hashlib.sha256).digest()


def filters_fingerprint(filters: CommentFilters) -> str:
    canonical = json.dumps(filters.canonical(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()[:16]


def encode_cursor(
    position: Position,
    *,
    ordem: Ordem,
    fingerprint: str,
    secret: bytes,
    total: Total | None = None,
) -> str:
    """An opaque, signed token: base64url JSON of where the page ended (and the walk's total),
    plus an HMAC."""
    key: Any = position.key.isoformat() if isinstance(position.key, datetime) else position.key
    data: dict[str, Any] = {
        "v": CURSOR_VERSION,
        "o": ordem,
        "f": fingerprint,
        "k": [key, position.id],
    }
    if total is not None:
        data["t"] = [total.value, total.exact]
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return f"{_b64encode(payload)}.{_b64encode(_signature(payload, secret))}"


def decode_cursor(
    token: str, *, secret: bytes, ordem: Ordem, fingerprint: str
) -> tuple[Position, Total | None]:
    """The position a cursor names and the total it carries (None when it carries none);
    InvalidInput when it was altered or belongs to another query."""
    invalid = InvalidInput("cursor is not one this API issued (altered or truncated)")
    encoded_payload, dot, encoded_signature = token.partition(".")
    if not dot or not token.isascii():
        raise invalid
    try:
        payload = _b64decode(encoded_payload)
        signature = _b64decode(encoded_signature)
    except (binascii.Error, ValueError):
        raise invalid from None
    # Only the canonical spelling: base64 leaves spare bits that would let two tokens decode alike.
    if _b64encode(payload) != encoded_payload or _b64encode(signature) != encoded_signature:
        raise invalid
    if not hmac.compare_digest(signature, _signature(payload, secret)):
        raise invalid
    try:
        data = json.loads(payload)
    except ValueError:
        raise invalid from None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        raise invalid
    if data.get("o") != ordem or data.get("f") != fingerprint:
        raise InvalidInput(
            "cursor belongs to a query with other filters or another ordem; "
            "repeat the same query with the cursor, or start again without one"
        )
    key_and_id = data.get("k")
    if not (isinstance(key_and_id, list) and len(key_and_id) == 2):
        raise invalid
    key, row_id = key_and_id
    if not isinstance(row_id, str) or not COMMENT_ID_RE.fullmatch(row_id):
        raise invalid
    return _position(key, row_id, ordem, invalid), _carried_total(data.get("t"), invalid)


def _carried_total(raw: Any, invalid: InvalidInput) -> Total | None:
    if raw is None:
        return None
    if not (isinstance(raw, list) and len(raw) == 2):
        raise invalid
    value, exact = raw
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid
    if not isinstance(exact, bool):
        raise invalid
    return Total(value=value, exact=exact)


def _position(key: Any, row_id: str, ordem: Ordem, invalid: InvalidInput) -> Position:
    if by_time(ordem):
        if not isinstance(key, str):
            raise invalid
        try:
            instant = datetime.fromisoformat(key)
        except ValueError:
            raise invalid from None
        if instant.tzinfo is None:
            raise invalid
        return Position(key=instant, id=row_id)
    if isinstance(key, bool) or not isinstance(key, int | float):
        raise invalid
    if not (math.isfinite(key) and 0.0 <= key <= 1.0):
        raise invalid
    return Position(key=float(key), id=row_id)
