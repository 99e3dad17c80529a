"""The labelled data the embedded model learns from, and the fixed held-out split.

Three kinds of files live under `tooling/classifier/corpus/` (see its README):
- listener comments, `*.csv` with `texto,categoria[,idioma]`, the five categories;
- real YouTube comments, `youtube/*.csv` with `CONTENT,CLASS`, spam (1) or not spam (0) only;
- real public text, `external/*.csv` with `texto,rotulo` (the source's own label), mapped onto the
  categories by `external/sources.json` (one entry per file: origin, licence, mapping, weight).

A listener row is held out when the hash of its split key falls in the lowest `HELD_OUT_PERCENT`
of 100 buckets. The rule depends on the text alone, so it never changes when files are added,
reordered or edited elsewhere, and near-duplicates (same split key) always fall on the same side.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared.classifier import CATEGORIES
from shared.classifier.local import OUT_OF_SCOPE
from shared.classifier.text import split_key
from shared.errors import DomainError

LABELS = frozenset({*CATEGORIES, OUT_OF_SCOPE})

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
YOUTUBE_DIR = CORPUS_DIR / "youtube"
# A person's category for YouTube rows the collection calls not spam (`COMMENT_ID,categoria`).
YOUTUBE_LABELS_FILE = YOUTUBE_DIR / "labels" / "not_spam_categories.csv"
EXTERNAL_DIR = CORPUS_DIR / "external"
SOURCES_FILE = EXTERNAL_DIR / "sources.json"
RELABEL_FILE = EXTERNAL_DIR / "relabel.csv"
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
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class ExternalSource:
    """One file of real public text and how its labels become the product's categories."""

    file: str
    origin: str
    licence: str
    labels: dict[str, str | None]  # the source's label -> a category, OUTRO, or None (unused)
    weight: float


@dataclass(frozen=True, slots=True)
class YoutubeComment:
    """One real YouTube comment, spam or not; `video` is the file stem (e.g. `Youtube01-Psy`).

    `categoria` is what a person read a not-spam row as (one of the four other categories or
    OUTRO), or None where nobody did; training then gives the row a pseudo-label.
    """

    texto: str
    is_spam: bool
    video: str
    categoria: str | None = None


def is_held_out(text: str) -> bool:
    """Whether a listener comment belongs to the held-out split (never used for training)."""
    digest = hashlib.sha256(split_key(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELD_OUT_PERCENT


def listener_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def youtube_files(directory: Path = YOUTUBE_DIR) -> list[Path]:
    return sorted(directory.glob("*.csv"))


def _text_rows(path: Path, label_column: str) -> Iterator[tuple[int, str, str]]:
    """(line, stripped texto, stripped label) of every row; a missing column or text stops it."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"texto", label_column} - set(reader.fieldnames or ())
        if missing:
            raise CorpusError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for line, record in enumerate(reader, start=2):
            text = (record.get("texto") or "").strip()
            if not text:
                raise CorpusError(f"{path.name}:{line}: empty texto")
            yield line, text, (record.get(label_column) or "").strip()


def load_listener_comments(files: Iterable[Path] | None = None) -> list[LabelledComment]:
    """Every listener row, in file then line order; a bad row stops the load with its location.

    A row may be OUTRO (none of the five): the model learns it and never answers it.
    """
    rows: list[LabelledComment] = []
    for path in sorted(files) if files is not None else listener_files():
        for line, text, category in _text_rows(path, "categoria"):
            if category not in LABELS:
                raise CorpusError(f"{path.name}:{line}: unknown categoria {category!r}")
            rows.append(LabelledComment(text, category, path.stem))
    return rows


def load_youtube_labels(path: Path = YOUTUBE_LABELS_FILE) -> dict[str, str]:
    """COMMENT_ID -> the category a person gave a not-spam YouTube row."""
    if not path.is_file():
        return {}
    labels: dict[str, str] = {}
    # SPAM is not among them: the collection's spam label is the truth the rotations measure.
    allowed = LABELS - {SPAM}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            comment_id = (record.get("COMMENT_ID") or "").strip()
            category = (record.get("categoria") or "").strip()
            if not comment_id or category not in allowed:
                raise CorpusError(
                    f"{path.name}:{line}: needs a COMMENT_ID and a categoria other than SPAM, "
                    f"got {comment_id!r}, {category!r}"
                )
            if comment_id in labels:
                raise CorpusError(f"{path.name}:{line}: COMMENT_ID {comment_id!r} appears twice")
            labels[comment_id] = category
    return labels


def load_youtube_comments(
    files: Iterable[Path] | None = None, labels_file: Path = YOUTUBE_LABELS_FILE
) -> list[YoutubeComment]:
    """Every YouTube row, in file then line order, with a person's category where one exists."""
    labels = load_youtube_labels(labels_file)
    matched: set[str] = set()
    rows: list[YoutubeComment] = []
    for path in sorted(files) if files is not None else youtube_files():
        with path.open(encoding="utf-8", newline="") as handle:
            for line, record in enumerate(csv.DictReader(handle), start=2):
                label = (record.get("CLASS") or "").strip()
                if label not in {"0", "1"}:
                    raise CorpusError(f"{path.name}:{line}: CLASS must be 0 or 1, got {label!r}")
                comment_id = (record.get("COMMENT_ID") or "").strip()
                category = labels.get(comment_id)
                if category is not None:
                    matched.add(comment_id)
                if category is not None and label == "1":
                    raise CorpusError(
                        f"{path.name}:{line}: a spam row has a category in {labels_file.name}"
                    )
                rows.append(
                    YoutubeComment(record.get("CONTENT") or "", label == "1", path.stem, category)
                )
    # With every video read, a label whose comment none of them holds is a mistake (a mistyped
    # id would otherwise leave its comment pseudo-labelled and unmeasured without a word).
    stray = sorted(set(labels) - matched) if files is None else []
    if stray:
        raise CorpusError(
            f"{labels_file.name}: {len(stray)} COMMENT_ID(s) no video holds, e.g. {stray[0]!r}"
        )
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


def external_sources(path: Path = SOURCES_FILE) -> list[ExternalSource]:
    """The external files' descriptions; a bad entry stops the load with its position."""
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["sources"]
    except (ValueError, KeyError, TypeError) as error:
        raise CorpusError(f"{path.name}: not a {{'sources': [...]}} document ({error})") from None
    allowed = {*LABELS, None}
    sources: list[ExternalSource] = []
    for index, entry in enumerate(entries):
        try:
            source = ExternalSource(
                file=str(entry["file"]),
                origin=str(entry["origin"]),
                licence=str(entry["licence"]),
                labels={str(k): v for k, v in dict(entry["labels"]).items()},
                weight=float(entry["weight"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CorpusError(f"{path.name}: source {index}: {error!r}") from None
        bad = {v for v in source.labels.values() if v not in allowed}
        if bad or not 0.0 < source.weight <= 10.0 or "/" in source.file:
            raise CorpusError(f"{path.name}: source {index} ({source.file}): bad labels or weight")
        sources.append(source)
    return sources


def load_relabels(path: Path = RELABEL_FILE) -> dict[str, str]:
    """Split key -> category for external rows whose mapped label a person corrected."""
    if not path.is_file():
        return {}
    relabels: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            category = (record.get("categoria") or "").strip()
            if category not in LABELS:
                raise CorpusError(f"{path.name}:{line}: unknown categoria {category!r}")
            relabels[split_key(record.get("texto") or "")] = category
    return relabels


def load_external_comments(
    sources: Sequence[ExternalSource] | None = None, directory: Path = EXTERNAL_DIR
) -> list[LabelledComment]:
    """Every usable external row with its mapped (or corrected) category and its source's weight.

    The category may be OUTRO (none of the five). Rows whose label maps to nothing are left out.
    """
    rows: list[LabelledComment] = []
    relabels = load_relabels(directory / RELABEL_FILE.name)
    for source in external_sources(directory / SOURCES_FILE.name) if sources is None else sources:
        path = directory / source.file
        for line, text, label in _text_rows(path, "rotulo"):
            if label not in source.labels:
                raise CorpusError(f"{path.name}:{line}: label {label!r} not in sources.json")
            category = relabels.get(split_key(text), source.labels[label])
            if category is not None:
                rows.append(LabelledComment(text, category, path.stem, source.weight))
    return rows


def external_files() -> list[Path]:
    return (
        [EXTERNAL_DIR / source.file for source in external_sources()]
        + ([SOURCES_FILE] if SOURCES_FILE.is_file() else [])
        + ([RELABEL_FILE] if RELABEL_FILE.is_file() else [])
    )


def data_files() -> list[Path]:
    """Every file the model is trained from, in a stable order (part of the model version)."""
    labels = [YOUTUBE_LABELS_FILE] if YOUTUBE_LABELS_FILE.is_file() else []
    return listener_files() + youtube_files() + labels + external_files()
