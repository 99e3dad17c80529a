"""Hashed n-grams: the numpy featuriser against a plain Python reference."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from shared.classifier.features import NgramConfig, hash_texts
from shared.classifier.text import normalize_batch

CONFIG = NgramConfig(char_min=2, char_max=5, word_min=1, word_max=2, bits=20)


def _reference(text: str) -> list[tuple[str, str]]:
    # char_wb n-grams of each space-padded word, then word unigrams and bigrams
    grams: list[tuple[str, str]] = []
    words = text.split()
    for word in words:
        padded = f" {word} "
        for n in range(CONFIG.char_min, CONFIG.char_max + 1):
            grams += [("c", padded[i : i + n]) for i in range(len(padded) - n + 1)]
    grams += [("w", word) for word in words]
    grams += [("b", f"{a} {b}") for a, b in itertools.pairwise(words)]
    return grams


def test_occurrence_counts_match_the_reference() -> None:
    # Given a batch with short, long, empty and emoji comments
    raw = ["olá mundo lindo", "mundo olá", "", "🔥", "a b c", "lindo lindo", "what? no!"]
    # When hashed
    rows, cols = hash_texts(raw, CONFIG)
    # Then each comment has exactly the reference's number of n-gram occurrences
    for row, text in enumerate(normalize_batch(raw)):
        assert int((rows == row).sum()) == len(_reference(text))
    assert cols.min() >= 0
    assert cols.max() < CONFIG.n_features


def test_same_ngram_same_column_anywhere() -> None:
    # Given two comments sharing words at different positions
    rows, cols = hash_texts(["ola mundo lindo", "mundo ola"], CONFIG)
    mine = Counter(cols[rows == 0].tolist()) & Counter(cols[rows == 1].tolist())
    reference = Counter(_reference("ola mundo lindo")) & Counter(_reference("mundo ola"))
    # Then they share as many columns as the reference shares n-grams
    assert sum(mine.values()) == sum(reference.values())


def test_empty_batch() -> None:
    rows, cols = hash_texts([], CONFIG)
    assert rows.size == 0
    assert cols.size == 0


def test_hashing_is_stable_across_batches() -> None:
    # Given the same text alone and inside a bigger batch / Then the same columns
    _, alone = hash_texts(["playlist travando"], CONFIG)
    rows, cols = hash_texts(["outra coisa", "playlist travando"], CONFIG)
    assert np.array_equal(np.sort(alone), np.sort(cols[rows == 1]))
