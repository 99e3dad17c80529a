"""The one guarded way in for what callers send: JSON bodies and numeric query parameters.

Every function decodes through here, so hostile input costs little and gets a 400 naming the field
(`field 'username'`, `item 3: field 'id'`, `line 7`), never a 500:
- a JSON document is UTF-8 (a leading BOM is tolerated) without a raw NUL byte;
- it nests at most MAX_DEPTH levels (Python's parser would otherwise recurse until it fails);
- its integers have at most MAX_INTEGER_DIGITS digits: int() of thousands of digits costs
  quadratic time and then raises ValueError; no field the product reads needs more;
- its numbers are finite (NaN, Infinity and 1e999 are refused);
- its strings and keys hold no NUL character or unpaired surrogate, which PostgreSQL text cannot;
- a whole-number query parameter is ASCII digits, its length checked before int() reads it.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from shared.errors import InvalidInput

MAX_DEPTH: Final = 32
MAX_INTEGER_DIGITS: Final = 20
MAX_SHOWN_CHARS: Final = 40
_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")  # JSON's own, not Unicode's
# A string holds a NUL or a surrogate only when the text has one raw or escapes one like this
# (a match inside a string, `\\u0000`, only costs the walk).
_REFUSED_ESCAPE: Final = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_CONTAINERS: Final = frozenset({dict, list})  # the parser makes no subclass of either

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class _Refused:
    """A number the parser met: refused by `check_decoded`, which knows the field it sits in."""

    message: str  # with "{place}" where the field's name goes


class _RefusedCount(threading.local):
    """Numbers refused so far by this thread's decodes: a decode that refused none leaves no
    `_Refused` in its value to look for. Per thread, as requests are served on several."""

    count = 0


_REFUSED: Final = _RefusedCount()


def _refuse(message: str) -> _Refused:
    _REFUSED.count += 1
    return _Refused(message)


def _integer(text: str) -> int | _Refused:
    digits = len(text) - text.startswith("-")
    if digits > MAX_INTEGER_DIGITS:
        return _refuse(
            f"{{place}} is an integer of {digits} digits; at most {MAX_INTEGER_DIGITS} are accepted"
        )
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _refuse("{place} is a number too large to represent")
    return value


def _constant(name: str) -> _Refused:
    return _refuse(f"{{place}} is not a number: {name} is not a JSON number")


_DECODER: Final = json.JSONDecoder(parse_int=_integer, parse_float=_float, parse_constant=_constant)


def decode_json(body: bytes, *, what: str = "body") -> Any:
    """One JSON document, guarded as the module says; InvalidInput naming `what` or a field."""
    text = utf8_text(body, what=what)
    if not text.strip():
        raise InvalidInput(f"{what} is empty; a JSON document is expected")
    return loads(text, what=what)


def decode_json_object(body: bytes, *, what: str = "body") -> dict[str, Any]:
    value = decode_json(body, what=what)
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object, got {json_type(value)}")
    return value


def utf8_text(body: bytes, *, what: str) -> str:
    if b"\x00" in body:
        raise InvalidInput(f"{what} contains a NUL byte")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{what} is not UTF-8 (byte {error.start})") from None


def loads(text: str, *, what: str, one_line: bool = False) -> Any:
    """One JSON value, checked; a syntax error is placed by column, and by line unless `text` is
    one line of a larger body (its line number would name the wrong line)."""
    value, end, refused = _raw_decode(text, 0, what=what, one_line=one_line)
    rest = _skip_whitespace(text, end)
    if rest != len(text):
        _raise_syntax(json.JSONDecodeError("Extra data", text, rest), what=what, one_line=one_line)
    if refused or not _plain_strings(text) or not _within_depth(value, text, 0, end, depth=0):
        check_decoded(value, what=what)
    return value


def array_items(text: str, *, what: str = "body") -> Iterator[Any] | None:
    """When `text` is one JSON array: its items, each decoded and checked when reached, so a
    caller can stop at its item limit without decoding the rest (a body of millions of `{}`
    costs nothing past it). None when `text` holds anything else."""
    start = _skip_whitespace(text, 0)
    if not text.startswith("[", start):
        return None
    return _array_items(text, start + 1, what=what)


def _array_items(text: str, position: int, *, what: str) -> Iterator[Any]:
    plain = _plain_strings(text)
    position = _skip_whitespace(text, position)
    index = 0
    while not (index == 0 and text.startswith("]", position)):
        start = position
        item, position, refused = _raw_decode(text, start, what=what)
        if refused or not plain or not _within_depth(item, text, start, position, depth=1):
            check_decoded(item, what=what, path=(index,))
        yield item
        index += 1
        position = _skip_whitespace(text, position)
        if not text.startswith(",", position):
            break
        position += 1
    if not text.startswith("]", position):
        expected = "Expecting value" if index == 0 else "Expecting ',' delimiter"
        _raise_syntax(json.JSONDecodeError(expected, text, position), what=what, one_line=False)
    end = _skip_whitespace(text, position + 1)
    if end != len(text):
        _raise_syntax(json.JSONDecodeError("Extra data", text, end), what=what, one_line=False)


def _raw_decode(
    text: str, start: int, *, what: str, one_line: bool = False
) -> tuple[Any, int, bool]:
    """The JSON value starting at `start` (leading whitespace skipped), where it ends, and
    whether it holds a refused number; not yet checked by `check_decoded`, so a caller decoding
    item by item can name each item."""
    before = _REFUSED.count
    try:
        value, end = _DECODER.raw_decode(text, _skip_whitespace(text, start))
    except json.JSONDecodeError as error:
        _raise_syntax(error, what=what, one_line=one_line)
    except RecursionError:
        raise InvalidInput(f"{what} is nested deeper than {MAX_DEPTH} levels") from None
    return value, end, _REFUSED.count != before


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _raise_syntax(error: json.JSONDecodeError, *, what: str, one_line: bool) -> NoReturn:
    place = f"column {error.colno}" if one_line else f"line {error.lineno}, column {error.colno}"
    raise InvalidInput(f"{what} is not valid JSON: {error.msg} ({place})") from None


# A decoded value is checked node by node (`check_decoded`) only when it may hold something to
# refuse: a refused number, a string from text that is not plain, or deep nesting. Most bodies
# have none; skipping the walk over each of their strings took a message of 500 comments from
# 1.26 to 0.45 ms of CPU (json.loads alone: 0.21 ms).


def _plain_strings(text: str) -> bool:
    """Whether no string decoded from `text` can hold a NUL or an unpaired surrogate."""
    if "\x00" in text or _REFUSED_ESCAPE.search(text) is not None:
        return False
    try:
        text.encode("utf-8")  # a raw surrogate (text not decoded from bytes) cannot be encoded
    except UnicodeEncodeError:
        return False
    return True


def _within_depth(value: Any, text: str, start: int, end: int, *, depth: int) -> bool:
    """Whether no array or object in `value` sits MAX_DEPTH levels deep (`value` at `depth`)."""
    # Each level of nesting opens a bracket, so few brackets settle it without a walk.
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH - depth:
        return True
    level = [value]
    while level:
        if depth >= MAX_DEPTH:
            return False
        inner: list[Any] = []
        for node in level:
            items = node.values() if type(node) is dict else node
            # Compared by type in C: a comment's strings cost no step of Python each.
            if not _CONTAINERS.isdisjoint(map(type, items)):
                inner.extend(item for item in items if type(item) in _CONTAINERS)
        level = inner
        depth += 1
    return True


def check_decoded(value: Any, *, what: str, path: Path = ()) -> None:
    """Refuse, naming the field, what the parser let through: nesting deeper than MAX_DEPTH,
    refused numbers, NUL characters and unpaired surrogates in strings and keys. `path` is where
    `value` sits in a larger document (an item of an array decoded one item at a time)."""
    pending: list[tuple[Any, Path]] = [(value, path)]
    while pending:
        node, where = pending.pop()
        if isinstance(node, str):
            _check_string(node, what=what, path=where)
        elif isinstance(node, _Refused):
            raise InvalidInput(node.message.format(place=place_of(what, where)))
        elif isinstance(node, dict | list):
            if len(where) >= MAX_DEPTH:
                raise InvalidInput(
                    f"{place_of(what, where)} is nested deeper than {MAX_DEPTH} levels"
                )
            if isinstance(node, dict):
                for key, item in node.items():
                    _check_string(key, what=what, path=(*where, key))
                    pending.append((item, (*where, key)))
            else:
                pending.extend((item, (*where, index)) for index, item in enumerate(node))


def _check_string(value: str, *, what: str, path: Path) -> None:
    problem = _text_problem(value)
    if problem is not None:
        raise InvalidInput(f"{place_of(what, path)} {problem}")


def check_text(value: str, *, field: str) -> None:
    """Refuse what PostgreSQL text cannot hold: NUL characters and unpaired surrogates."""
    problem = _text_problem(value)
    if problem is not None:
        raise InvalidInput(f"{field} {problem}")


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired UTF-16 surrogate"
    return None


def place_of(what: str, path: Sequence[str | int]) -> str:
    """How a message names a place in a document: `body`, `field 'a.b[2]'`, `item 3: field 'id'`
    (an item of a top-level array), `line 7: field 'texto'` (`what` names a line of NDJSON)."""
    parts = [] if what == "body" and path else [what]
    rest = list(path)
    if rest and isinstance(rest[0], int):
        parts.append(f"item {rest.pop(0)}")
    if rest:
        name = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in rest)
        parts.append(f"field {name.removeprefix('.')!r}")
    return ": ".join(parts)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def shown(value: str) -> str:
    """`value` as a message quotes it: cut after MAX_SHOWN_CHARS, so a hostile value is not sent
    back whole."""
    return repr(value if len(value) <= MAX_SHOWN_CHARS else value[:MAX_SHOWN_CHARS] + "...")


def query_integer(value: str, *, name: str, low: int, high: int) -> int:
    """A whole-number query parameter between `low` and `high` (leading zeros allowed), or
    InvalidInput naming it; a value longer than `high` is refused before int() reads it."""
    text = value.strip()
    significant = text.lstrip("0") or "0"
    if (
        not text.isascii()
        or not text.isdigit()
        or len(significant) > len(str(high))
        or not low <= int(significant) <= high
    ):
        raise InvalidInput(f"{name} {shown(value)} is not a whole number between {low} and {high}")
    return int(significant)
