"""The themes evaluation: how clean the groups are and whether near-duplicates stay together.

On `themes.csv` (comments over 8 invented themes the taxonomy lacks, noise, and near-duplicate
variants of 10 comments per theme; see generate.py), `shared.themes.grouping.group_comments` runs
as the daily job runs it, then:
- purity: over the comments in themes, the share that belong to their theme's majority subject
  (noise counts as impure);
- coverage: the share of the subjects' comments that land in a theme whose majority is their subject;
- near-duplicate splits: variants whose group is not the group of the comment they copy (bar 0);
- named: subjects whose largest theme's name holds one of the subject's expected words;
- found: subjects that are the majority of at least one theme.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from shared.insights.text import fold
from shared.themes.grouping import COSINE_THRESHOLD, MIN_THEME_SIZE, Comment, group_comments

HERE: Final = Path(__file__).parent
CSV_PATH: Final = HERE / "themes.csv"
BASE_PATH: Final = HERE / "base.json"
NOISE: Final = "ruido"


@dataclass(frozen=True, slots=True)
class ThemesReport:
    comments: int
    subjects: int
    themes: int
    found: int
    named: int
    purity: float
    coverage: float
    near_duplicates: int
    near_duplicate_splits: int
    threshold: float
    milliseconds: float
    names: dict[str, str] = field(default_factory=dict)


def _words(name: str) -> set[str]:
    # Names show words as listeners wrote them ("plágio"); expected words match with or without
    # their accents.
    return set(fold(name.replace("·", " ")).split())


def expected_words_path(path: Path) -> Path:
    """Where a labelled set's expected name words are: `base.json` for the product's own set, the
    file of the same name ending in `.json` for any other (`independent.csv` -> `independent.json`)."""
    return BASE_PATH if path.resolve() == CSV_PATH.resolve() else path.with_suffix(".json")


def evaluate(
    path: Path = CSV_PATH, *, threshold: float = COSINE_THRESHOLD, min_size: int = MIN_THEME_SIZE
) -> ThemesReport:
    """Raises OSError when the set or its expected words cannot be read, ValueError when they do
    not fit together (a column missing, a subject without expected words)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = json.loads(expected_words_path(path).read_text(encoding="utf-8"))["temas"]
    columns = {"id", "texto", "tema", "variante_de"}
    if not rows or not columns <= set(rows[0]):
        raise ValueError(f"{path}: a labelled set needs the columns {sorted(columns)}")
    unnamed = sorted({row["tema"] for row in rows} - set(expected) - {NOISE})
    if unnamed:
        raise ValueError(
            f"{expected_words_path(path)} has no expected words for {', '.join(unnamed)}"
        )
    label = {row["id"]: row["tema"] for row in rows}
    started = time.perf_counter()
    grouping = group_comments(
        [Comment(row["id"], row["texto"]) for row in rows], threshold=threshold, min_size=min_size
    )
    elapsed = (time.perf_counter() - started) * 1000
    in_themes = pure = 0
    covered: Counter[str] = Counter()
    largest: dict[str, tuple[int, str]] = {}
    for theme in grouping.themes:
        subjects = Counter(label[i] for i in theme.member_ids)
        subject, count = subjects.most_common(1)[0]
        in_themes += len(theme.member_ids)
        if subject != NOISE:
            pure += count
            covered[subject] += count
            if count > largest.get(subject, (0, ""))[0]:
                largest[subject] = (count, theme.name)
    subject_sizes = Counter(v for v in label.values() if v != NOISE)
    named = sum(
        1
        for subject, (_, name) in largest.items()
        if _words(name) & _words(" ".join(expected[subject]["palavras"]))
    )
    variants = [row for row in rows if row["variante_de"]]
    splits = sum(
        1
        for row in variants
        if grouping.assignment.get(row["id"]) != grouping.assignment.get(row["variante_de"])
    )
    return ThemesReport(
        comments=len(rows),
        subjects=len(subject_sizes),
        themes=len(grouping.themes),
        found=len(largest),
        named=named,
        purity=round(pure / in_themes, 4) if in_themes else 0.0,
        coverage=round(sum(covered.values()) / sum(subject_sizes.values()), 4),
        near_duplicates=len(variants),
        near_duplicate_splits=splits,
        threshold=threshold,
        milliseconds=round(elapsed, 1),
        names={subject: name for subject, (_, name) in sorted(largest.items())},
    )


def as_dict(report: ThemesReport) -> dict[str, Any]:
    return asdict(report)
