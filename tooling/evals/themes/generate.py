"""Write themes.csv from base.json: every comment as written, plus near-duplicate variants.

Variants of a theme's first `VARIANTS_PER_THEME` comments, one kind each in turn: shouted (upper
case), accents dropped, letters stretched, emoji added, a word added, and all of these at once.
Each variant names the comment it copies (`variante_de`); the evaluation requires both in one
group. Deterministic: the same base gives the same file.

Run: `python -m tooling.evals.themes.generate`.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).parent
BASE_PATH: Final = HERE / "base.json"
CSV_PATH: Final = HERE / "themes.csv"
VARIANTS_PER_THEME: Final = 10
NOISE: Final = "ruido"


def _no_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def _stretched(text: str) -> str:
    # The last vowel of each word of five letters or more, held ("demaaaais").
    words = []
    for word in text.split(" "):
        vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiou"]
        if len(word) >= 5 and vowels:
            at = vowels[-1]
            word = word[: at + 1] + word[at] * 3 + word[at + 1 :]
        words.append(word)
    return " ".join(words)


def _emoji(text: str) -> str:
    return f"{text} 😭😭"


def _word_added(text: str) -> str:
    return f"{text} mesmo"


def _everything(text: str) -> str:
    return _emoji(_stretched(_no_accents(text).upper()))


KINDS: Final[tuple[tuple[str, Callable[[str], str]], ...]] = (
    ("maiusculas", str.upper),
    ("sem_acentos", _no_accents),
    ("letras_repetidas", _stretched),
    ("emoji", _emoji),
    ("palavra_a_mais", _word_added),
    ("tudo_junto", _everything),
)


def rows() -> list[dict[str, str]]:
    base = json.loads(BASE_PATH.read_text(encoding="utf-8"))
    result: list[dict[str, str]] = []
    turn = 0
    for theme, spec in base["temas"].items():
        for number, text in enumerate(spec["comentarios"]):
            comment_id = f"{theme}-{number:02d}"
            result.append({"id": comment_id, "texto": text, "tema": theme, "variante_de": ""})
            if number < VARIANTS_PER_THEME:
                kind, change = KINDS[turn % len(KINDS)]
                turn += 1
                result.append(
                    {
                        "id": f"{comment_id}-{kind}",
                        "texto": change(text),
                        "tema": theme,
                        "variante_de": comment_id,
                    }
                )
    for number, text in enumerate(base["ruido"]):
        result.append(
            {"id": f"{NOISE}-{number:02d}", "texto": text, "tema": NOISE, "variante_de": ""}
        )
    return result


def main() -> None:
    with CSV_PATH.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "texto", "tema", "variante_de"])
        writer.writeheader()
        writer.writerows(rows())


if __name__ == "__main__":
    main()
