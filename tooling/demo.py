"""Demo comments: rows of the project's labelled corpus under fresh ids.

The local stack (`alumusic dev up --demo N`) and the pipeline benchmark use real listener texts,
not invented ones, so what the dashboard shows and what the benchmark measures look like
production traffic. Ids are new on every run, so loading the demo twice adds comments instead of
being ignored as redeliveries.
"""

from __future__ import annotations

import csv
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

CORPUS_DIR: Final = Path(__file__).resolve().parent / "classifier" / "corpus"


@dataclass(frozen=True, slots=True)
class CorpusRow:
    texto: str
    categoria: str
    idioma: str


@lru_cache(maxsize=4)
def load_corpus(corpus_dir: Path = CORPUS_DIR) -> tuple[CorpusRow, ...]:
    """Every labelled row of the corpus CSVs (header texto,categoria,idioma) in `corpus_dir`."""
    rows: list[CorpusRow] = []
    for path in sorted(corpus_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                texto = (record.get("texto") or "").strip()
                if texto:
                    rows.append(
                        CorpusRow(
                            texto=texto,
                            categoria=(record.get("categoria") or "").strip(),
                            idioma=(record.get("idioma") or "").strip(),
                        )
                    )
    if not rows:
        raise RuntimeError(f"no labelled comments found in {corpus_dir}/*.csv")
    return tuple(rows)


def run_prefix(kind: str = "demo") -> str:
    """A prefix no earlier run used, e.g. `demo-3f9a1c2e`."""
    return f"{kind}-{secrets.token_hex(4)}"


def demo_comments(
    count: int,
    *,
    prefix: str | None = None,
    seed: int | None = None,
    corpus_dir: Path = CORPUS_DIR,
) -> list[dict[str, str]]:
    """`count` comments `{id, texto}` sampled from the corpus, ids `<prefix>-<n>`."""
    return list(iter_demo_comments(count, prefix=prefix, seed=seed, corpus_dir=corpus_dir))


def iter_demo_comments(
    count: int,
    *,
    prefix: str | None = None,
    seed: int | None = None,
    corpus_dir: Path = CORPUS_DIR,
) -> Iterator[dict[str, str]]:
    if count < 0:
        raise ValueError("count must not be negative")
    rows = load_corpus(corpus_dir)
    prefix = prefix or run_prefix()
    rng = random.Random(seed)
    width = max(6, len(str(count)))
    for number in range(count):
        row = rows[rng.randrange(len(rows))]
        yield {"id": f"{prefix}-{number:0{width}d}", "texto": row.texto}
