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

# Masks run over listener text, so each must take time linear in it. A pattern tried at every
# position of a long run of the characters it starts with (`a.a.a...`, `1.1.1...`) rescans the
# run from each one: quadratic. Each mask is therefore tried only where its run begins (`starts`)
# and where the previous mask ended: a start that fails sees the same characters to its right as
# every later start of its run, so they fail too, and skipping them masks exactly the same.
_EMAIL_RE = re.compile(r"[\w.+-]++@[\w-]+(?:\.[\w-]+)+")
_EMAIL_STARTS = re.compile(r"(?<![\w.+-])(?=[\w.+-])")
_URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|br|io|ly|me|tv|co|gg|info|biz|app|xyz)(?:/\S*)?",
    re.IGNORECASE,
)
# A link starts where a scheme or `www.` does, or at the first word character of a run of
# dot-separated labels (after the labels of hyphens only that may open it: `-.-.x.com`).
_URL_STARTS = re.compile(
    r"\b(?=(?:https?|ftp)://|www\.)|(?<![\w-])(?<![\w-]\.)(?:-++\.)*+-*+(?=\w)",
    re.IGNORECASE,
)
# Bare domains the link mask's fixed list of endings misses (`painel-alumusic.online`). A run of
# dot-separated labels is a domain when its last label is letters only (2 to 24: a top-level
# domain) and either that ending is a known one, or another label holds a hyphen or a digit, or a
# path follows. Ordinary text reads differently: numbers (`1.5`, `v1.2`) end in digits, and two
# words joined by a missing space (`ok.obrigado`) have neither hyphen, digit nor path. A run that
# is no domain as a whole is still cut after its last known ending (`site.online.trava`).
# The run is matched once from where it starts and consumed whole, so the pass is linear.
_DOMAIN_RE = re.compile(r"(?<![\w.-])[\w-]++(?:\.[\w-]++)++(?P<path>/\S*)?")
# Endings a host is recognised by even without a hyphen, digit or path before or after it.
_KNOWN_ENDINGS_LIST: Final = (
    "com net org br io ly me tv co gg info biz app xyz online site store shop link live click top "
    "club vip dev pro cc us uk pt ws cloud digital space website tech fun icu pw ru cn page blog "
    "news email support help host"
)
_KNOWN_ENDINGS: Final = frozenset(_KNOWN_ENDINGS_LIST.split())
_TLD_LENGTHS: Final = range(2, 25)
# Seven or more digits, allowing the separators people type: +55 (11) 98765-4321, 555.123.4567.
_PHONE_RE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def mask_pii(text: str) -> str:
    """The text with e-mail addresses, links and phone numbers replaced by placeholders."""
    return _PHONE_RE.sub(PHONE_MASK, mask_addresses(text))


def mask_addresses(text: str) -> str:
    """The text with e-mail addresses, links and bare domains replaced by placeholders."""
    masked = _mask_at_starts(_EMAIL_RE, _EMAIL_STARTS, EMAIL_MASK, text)
    masked = _mask_at_starts(_URL_RE, _URL_STARTS, URL_MASK, masked)
    return _DOMAIN_RE.sub(_mask_domain, masked)


def _mask_at_starts(pattern: re.Pattern[str], starts: re.Pattern[str], mask: str, text: str) -> str:
    """`pattern.sub(mask, text)`, with `pattern` tried only at `starts` and where a mask ended."""
    pieces: list[str] = []
    kept = at = 0
    while at < len(text):
        found = pattern.match(text, at)
        if found is not None and found.end() > at:
            pieces += [text[kept:at], mask]
            kept = at = found.end()
            continue
        start = starts.search(text, at)
        if start is not None and start.end() == at:
            start = starts.search(text, at + 1)
        if start is None:
            break
        at = start.end()
    pieces.append(text[kept:])
    return "".join(pieces)


def _is_ending(label: str) -> bool:
    return label.isalpha() and len(label) in _TLD_LENGTHS


def _mask_domain(found: re.Match[str]) -> str:
    """The run of labels in `found` with the domain it holds, if any, masked."""
    run, path = found.group(0), found.group("path") or ""
    labels = run[: len(run) - len(path)].split(".")
    last = labels[-1]
    if _is_ending(last) and (
        last.casefold() in _KNOWN_ENDINGS
        or path
        or any(ch == "-" or ch.isdigit() for label in labels[:-1] for ch in label)
    ):
        return URL_MASK
    for end in range(len(labels) - 2, 0, -1):
        if _is_ending(labels[end]) and labels[end].casefold() in _KNOWN_ENDINGS:
            return ".".join([URL_MASK, *labels[end + 1 :]]) + path
    return run


def shorten(text: str, limit: int = MAX_SAMPLE_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:!? ") + "…"


def plain_words(text: str) -> list[str]:
    """The words of `text`, case and accents folded, so two spellings of a comment compare equal."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD_RE.findall("".join(ch for ch in folded if not unicodedata.combining(ch)))


def _shingles(text: str) -> frozenset[str]:
    words = plain_words(text)
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
