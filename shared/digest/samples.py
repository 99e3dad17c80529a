"""Representative comments for a digest: personal data masked, near-duplicates left out.

A digest travels by e-mail to people outside the analyst role, so listeners' e-mail addresses,
phone numbers and links never leave the database in a sample.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from shared.digest.contract import Sample

EMAIL_MASK: Final = "[e-mail]"
PHONE_MASK: Final = "[telefone]"
URL_MASK: Final = "[link]"
MAX_SAMPLE_CHARS: Final = 180
NEAR_DUPLICATE_JACCARD: Final = 0.6

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|br|io|ly|me|tv|co|gg|info|biz|app|xyz)(?:/\S*)?",
    re.IGNORECASE,
)
# Seven or more digits, allowing the separators people type: +55 (11) 98765-4321, 555.123.4567.
_PHONE_RE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def mask_pii(text: str) -> str:
    """The text with e-mail addresses, links and phone numbers replaced by placeholders."""
    masked = _EMAIL_RE.sub(EMAIL_MASK, text)
    masked = _URL_RE.sub(URL_MASK, masked)
    return _PHONE_RE.sub(PHONE_MASK, masked)


def shorten(text: str, limit: int = MAX_SAMPLE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:!? ") + "…"


def _shingles(text: str) -> frozenset[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _WORD_RE.findall(plain)
    if len(words) < 3:
        return frozenset(words)
    return frozenset(" ".join(words[i : i + 2]) for i in range(len(words) - 1))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= NEAR_DUPLICATE_JACCARD


def pick_samples(
    candidates: Iterable[tuple[str, str]], *, limit: int = 3, exclude: Sequence[str] = ()
) -> list[Sample]:
    """Up to `limit` `{id, texto}` from `candidates` (best first), no two alike, PII masked.

    `exclude` holds texts already shown elsewhere in the digest, so a comment that carries two
    tags does not appear twice.
    """
    chosen: list[Sample] = []
    seen = [_shingles(text) for text in exclude]
    for comment_id, text in candidates:
        shingles = _shingles(text)
        if any(_similar(shingles, other) for other in seen):
            continue
        seen.append(shingles)
        chosen.append(Sample(id=comment_id, texto=shorten(mask_pii(text))))
        if len(chosen) == limit:
            break
    return chosen
