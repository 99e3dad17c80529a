"""The labelled data the embedded model learns from, and the fixed held-out split.

Two kinds of files live under `tooling/classifier/corpus/` (see its README):
- listener comments, `*.csv` with `texto,categoria[,idioma]`, the five categories;
- real YouTube comments, `youtube/*.csv` with `CONTENT,CLASS`, spam (1) or not spam (0) only.

A listener row is held out when the hash of its split key falls in the lowest `HELD_OUT_PERCENT`
of 100 buckets. The rule depends on the text alone, so it never changes when files are added,
reordered or edited elsewhere, and near-duplicates (same split key) always fall on the same side.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared.classifier import CATEGORIES
from shared.classifier.text import split_key
from shared.errors import DomainError

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
YOUTUBE_DIR = CORPUS_DIR / "youtube"
HELD_OUT_PERCENT = 20
SPAM = "SPAM"


class CorpusError(DomainError):
    code = "invalid_corpus"
    status = 422


@dataclass(frozen=True, slots=True)
class LabelledComment:
    """One listener comment with its category; `source` is the file it came from."""

    texto: str
    categoria: str
    source: str


@dataclass(frozen=True, slots=True)
class YoutubeComment:
    """One real YouTube comment, spam or not; `video` is the file stem (e.g. `Youtube01-Psy`)."""

    texto: str
    is_spam: bool
    video: str


def is_held_out(text: str) -> bool:
    """Whether a listener comment belongs to the held-out split (never used for training)."""
    digest = hashlib.sha256(split_key(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELD_OUT_PERCENT


def listener_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def youtube_files(directory: Path = YOUTUBE_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def load_listener_comments(files: Iterable[Path] | None = None) -> list[LabelledComment]:
    """Every listener row, in file then line order; a bad row stops the load with its location."""
    rows: list[LabelledComment] = []
    for path in sorted(files) if files is not None else listener_files():
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"texto", "categoria"} - set(reader.fieldnames or ())
            if missing:
                raise CorpusError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
            for line, record in enumerate(reader, start=2):
                text = (record.get("texto") or "").strip()
                category = (record.get("categoria") or "").strip()
                if not text:
                    raise CorpusError(f"{path.name}:{line}: empty texto")
                if category not in CATEGORIES:
                    raise CorpusError(f"{path.name}:{line}: unknown categoria {category!r}")
                rows.append(LabelledComment(text, category, path.stem))
    return rows


def load_youtube_comments(files: Iterable[Path] | None = None) -> list[YoutubeComment]:
    """Every YouTube row, in file then line order."""
    rows: list[YoutubeComment] = []
    for path in sorted(files) if files is not None else youtube_files():
        with path.open(encoding="utf-8", newline="") as handle:
            for line, record in enumerate(csv.DictReader(handle), start=2):
                label = (record.get("CLASS") or "").strip()
                if label not in {"0", "1"}:
                    raise CorpusError(f"{path.name}:{line}: CLASS must be 0 or 1, got {label!r}")
                rows.append(YoutubeComment(record.get("CONTENT") or "", label == "1", path.stem))
    return rows


def split_listener_comments(
    rows: Sequence[LabelledComment],
) -> tuple[list[LabelledComment], list[LabelledComment]]:
    """(training rows, held-out rows)."""
    train: list[LabelledComment] = []
    held_out: list[LabelledComment] = []
    for row in rows:
        (held_out if is_held_out(row.texto) else train).append(row)
    return train, held_out


def data_files() -> list[Path]:
    """Every file the model is trained from, in a stable order (part of the model version)."""
    return listener_files() + youtube_files()
