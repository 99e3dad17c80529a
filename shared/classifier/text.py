"""Text normalisation for the embedded classifier, done over a whole batch at once.

A batch becomes one array of Unicode code points (comments separated by NUL), because the
featuriser hashes n-grams straight from that array. The few steps that need regular expressions
(links, e-mail addresses, HTML markup) run only on the comments a cheap probe of the joined batch
points at; every other step is a vector operation. What carries meaning in listener comments stays
(question and exclamation marks as words of their own, emoji, links as one token, money signs);
what only adds variety goes (case, accents, HTML markup and entities, stretched letters, other
punctuation, runs of spaces).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

CodeArray = npt.NDArray[np.uint32]

# Stand-in words: plain letters, so the n-gram featuriser treats them like words.
URL_WORD = "xurlx"
EMAIL_WORD = "xemailx"
# A link also leaves a word naming its site: "xurl" + the site's name + "x" ("xurlyoutubex").
_SITE_PREFIX = "xurl"
SEPARATOR = 0  # NUL separates comments in an encoded batch
SPACE = 32

_TLDS = "com|net|org|info|biz|ly|me|tv|io|co|br|us|uk"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # Bare domains as spammers write them ("murdev.com", "kidsmediausa . com"); spaces around the
    # dot only for the long TLDs, so Portuguese "obrigado. me" stays text.
    # Labels at most 63 characters and at most 8 of them before the ending: unbounded, a run of
    # "ab." is tried again from every label and the mask turns quadratic.
    rf"|\b[a-z0-9][a-z0-9-]{{1,62}}(?:\.(?:[a-z0-9-]{{1,63}}\.){{0,8}}(?:{_TLDS})"
    r"|\s{0,2}\.\s{0,2}(?:com|net|org))\b(?:/[^\s<>\"']*)?"
    # YouTube's short links, spelled without a scheme; ".be" in general would take "really.Be".
    r"|\byoutu\.be/[^\s<>\"']*",
    re.IGNORECASE,
)
# Starts with a literal or a small set, so scanning a whole batch for it is fast.
_URL_PROBE = re.compile(rf"https?://|www\.|\.\s{{0,2}}(?:{_TLDS})\b|youtu\.be/", re.IGNORECASE)
# Starts only where a run of local-part characters starts (the leftmost match starts there anyway):
# otherwise every position of a long run with no address after it is tried again.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]*@[\w-]+\.[\w.]*\w")
_MARKUP = re.compile(r"<[^<>]{0,500}>")

_MARKS = "?!$@"  # become words of their own
_MARK_ALIASES = {"¿": "?", "¡": "!", "€": "$", "£": "$"}
_PUNCTUATION = "\"#%&'()*+,-./:;<=>[\\]^_`{|}~«»“”‘’„‚…–—·•"  # become spaces
_DROPPED = ["\u00ad", "\u2060", "\ufeff", "\ufe0e", "\ufe0f", *map(chr, range(0x200B, 0x2010))]


def _build_tables() -> tuple[CodeArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    # One entry per code point: what it becomes, whether it is dropped, whether it is a mark.
    translate = np.arange(0x110000, dtype=np.uint32)
    dropped = np.zeros(0x110000, dtype=np.bool_)
    marks = np.zeros(0x110000, dtype=np.bool_)
    dropped[0x0300:0x0370] = True  # combining accents left by NFKD
    for ch in _DROPPED:
        dropped[ord(ch)] = True
    for code in range(0x3001):  # U+3000 is the last space character
        if chr(code).isspace() and code != SEPARATOR:
            translate[code] = SPACE
    for ch in _PUNCTUATION:
        translate[ord(ch)] = SPACE
    for ch in _MARKS:
        marks[ord(ch)] = True
    for alias, mark in _MARK_ALIASES.items():
        translate[ord(alias)] = ord(mark)
        marks[ord(alias)] = True
    translate[SEPARATOR] = SEPARATOR
    return translate, dropped, marks


_TRANSLATE, _DROPPED_MASK, _MARK_MASK = _build_tables()


def encode_batch(texts: Sequence[str]) -> CodeArray:
    """The batch as one code-point array: `" words "` per comment, comments joined by NUL.

    Each comment starts and ends with exactly one space, words are separated by single spaces, and
    the array holds exactly `len(texts) - 1` separators.
    """
    docs = [html.unescape(text) if "&" in text else text for text in texts]
    docs = _substitute_where(docs, "@", _EMAIL, f" {EMAIL_WORD} ")
    docs = _substitute_where(docs, _URL_PROBE, _URL, _link_words)
    docs = _substitute_where(docs, "<", _MARKUP, " ")
    joined = " \x00 ".join(docs)
    if joined.count("\x00") != len(docs) - 1:
        joined = " \x00 ".join(doc.replace("\x00", " ") for doc in docs)
    # NFKD first: compatibility forms (ligatures, styled letters) may decompose into capitals.
    folded = unicodedata.normalize("NFKD", f" {joined} ").lower()
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4")
    codes = codes[~_DROPPED_MASK[codes]]
    codes = _TRANSLATE[codes]
    codes = _collapse_stretches(codes)
    codes = _isolate_marks(codes)
    return _collapse_spaces(codes)


def decode_batch(codes: CodeArray) -> list[str]:
    """The normalised comments held in an encoded batch, without their padding spaces."""
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    return [doc.strip(" ") for doc in text.split("\x00")]


def normalize_batch(texts: Sequence[str]) -> list[str]:
    """Normalised form of each text, in order (what the featuriser sees, as strings)."""
    if not texts:
        return []
    return decode_batch(encode_batch(texts))


def normalize(text: str) -> str:
    """Normalised form of one text (see `normalize_batch`)."""
    return normalize_batch([text])[0]


_HOST_PARTS = re.compile(r"[a-z0-9-]+")
_GENERIC_LABELS = frozenset(("com", "net", "org", "gov", "edu"))


def _link_words(match: re.Match[str]) -> str:
    # A link's host says what kind of link it is: a YouTube channel or a shop next to a comment
    # is how spam reads, a t.co wrapper is what every tweet with a picture carries. So a link
    # becomes the link word plus one word naming its site ("xurlsoundcloudx", "xurltx").
    link = match[0].lower()
    host = link.split("://", 1)[-1].split("/", 1)[0].replace(" ", "")
    labels = _HOST_PARTS.findall(host)
    while len(labels) > 1 and (len(labels[-1]) <= 2 or labels[-1] in _GENERIC_LABELS):
        labels.pop()  # "www.reclameaqui.com.br" -> "reclameaqui", "t.co" -> "t"
    site = labels[-1].replace("-", "") if labels else ""
    return f" {URL_WORD} {_SITE_PREFIX}{site}x "


def is_stand_in(word: str) -> bool:
    """Whether a normalised word stands for a link, a link's site or an e-mail address."""
    return word == EMAIL_WORD or (word.startswith(_SITE_PREFIX) and word.endswith("x"))


def _substitute_where(
    docs: list[str],
    probe: re.Pattern[str] | str,
    pattern: re.Pattern[str],
    replacement: str | Callable[[re.Match[str]], str],
) -> list[str]:
    # Scan the joined batch once with the cheap probe; run the full pattern on hit comments only.
    joined = "\n".join(docs)
    if isinstance(probe, str):
        if probe not in joined:
            return docs
        hits = [index for index, doc in enumerate(docs) if probe in doc]
    else:
        offsets = [match.start() for match in probe.finditer(joined)]
        if not offsets:
            return docs
        ends = np.cumsum(np.fromiter((len(doc) + 1 for doc in docs), np.int64, len(docs)))
        hits = sorted(set(np.searchsorted(ends, offsets, side="right").tolist()))
    updated = list(docs)
    for index in hits:
        updated[index] = pattern.sub(replacement, updated[index])
    return updated


def _collapse_stretches(codes: CodeArray) -> CodeArray:
    # "kkkkkk", "hinooooo", "!!!!" -> at most two in a row.
    if codes.shape[0] < 3:
        return codes
    keep = np.ones(codes.shape[0], dtype=np.bool_)
    keep[2:] = ~((codes[2:] == codes[1:-1]) & (codes[2:] == codes[:-2]))
    return codes[keep]


def _isolate_marks(codes: CodeArray) -> CodeArray:
    # "isso?" -> "isso ? ": a mark is a word, and char n-grams of "isso" stay the same.
    is_mark = _MARK_MASK[codes]
    if not is_mark.any():
        return codes
    widths = np.where(is_mark, 3, 1)
    expanded = np.repeat(codes, widths)
    starts = np.cumsum(widths) - widths
    mark_starts = starts[is_mark]
    expanded[mark_starts] = SPACE
    expanded[mark_starts + 1] = codes[is_mark]
    expanded[mark_starts + 2] = SPACE
    return expanded


def _collapse_spaces(codes: CodeArray) -> CodeArray:
    is_space = codes == SPACE
    keep = np.ones(codes.shape[0], dtype=np.bool_)
    keep[1:] = ~(is_space[1:] & is_space[:-1])
    return codes[keep]


# The held-out split key has its own, frozen normalisation: the feature normalisation may evolve
# with the model, but a row must never move between the training and the held-out side.
_SPLIT_REPEAT = re.compile(r"(.)\1+")


def split_key(text: str) -> str:
    """Letters, digits and symbols (emoji) only, accents removed, casefolded, runs collapsed.

    Near-duplicates ("HINOOOO", "hino!") share a key, so they land on the same side of the split.
    """
    decomposed = unicodedata.normalize("NFKD", html.unescape(text)).casefold()
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LNS")
    return _SPLIT_REPEAT.sub(r"\1", kept)
