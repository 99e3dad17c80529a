"""Hashed character and word n-grams, computed with numpy over a whole batch at once.

scikit-learn's vectorisers build every n-gram as a Python string; on this product's comments that
caps character n-grams at 17k-34k comments a second on one core before the model even runs (see
docs/classifier.md). Here a batch becomes one array of code points, and every n-gram of every
comment is a rolling polynomial hash of that array (uint64 arithmetic wraps, which is the modulus),
so the cost is a few dozen vector operations per batch whatever its size.

Character n-grams stay inside words, as scikit-learn's ``char_wb`` analyser does: each comment is
padded with spaces and an n-gram may not contain an interior space. Word n-grams are hashed from
the same array with prefix sums, so nothing is split into Python strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.classifier.text import SEPARATOR, SPACE, CodeArray, encode_batch

IntArray = npt.NDArray[np.int64]

_SPACE = SPACE
_SENTINEL = SEPARATOR
_P = np.uint64(0x100000001B3)  # FNV-64 prime: odd, so it is invertible modulo 2**64
_P_INVERSE = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads hashes over the top bits
_WORD_SEED = np.uint64(0x5851F42D4C957F2D)
_BIGRAM_P = np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True, slots=True)
class NgramConfig:
    """Which n-grams to hash and into how many columns (2**bits)."""

    char_min: int = 2
    char_max: int = 5
    word_min: int = 1
    word_max: int = 2
    bits: int = 20

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NgramConfig:
        return cls(**{key: int(value) for key, value in data.items()})

    @property
    def n_features(self) -> int:
        return 1 << self.bits


def hash_texts(texts: Sequence[str], config: NgramConfig) -> tuple[IntArray, IntArray]:
    """(row, column) of every n-gram occurrence in the normalised texts (see `hash_codes`)."""
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return hash_codes(encode_batch(texts), config)


def hash_codes(encoded: CodeArray, config: NgramConfig) -> tuple[IntArray, IntArray]:
    """(row, column) of every n-gram occurrence in an encoded batch (`encode_batch`).

    Rows follow the input order; a column repeats when an n-gram does.
    """
    blocks = hash_blocks(encoded, config)
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return (
        np.concatenate([rows for rows, _ in blocks]),
        np.concatenate([cols for _, cols in blocks]),
    )


def hash_blocks(encoded: CodeArray, config: NgramConfig) -> list[tuple[IntArray, IntArray]]:
    """The occurrences as one (rows, columns) block per n-gram kind and length.

    Within a block rows never decrease, so per-row sums need no sort (see `LocalClassifier`).
    """
    codes = encoded.astype(np.uint64)
    is_sentinel = codes == _SENTINEL
    is_gap = is_sentinel | (codes == _SPACE)
    row_of = np.cumsum(is_sentinel, dtype=np.int64)
    shift = np.uint64(64 - config.bits)

    blocks: list[tuple[IntArray, IntArray]] = []
    if config.char_max >= config.char_min >= 1:
        _char_ngrams(codes, is_sentinel, is_gap, row_of, config, shift, blocks)
    if config.word_max >= config.word_min >= 1:
        _word_ngrams(codes, is_gap, row_of, config, shift, blocks)
    return blocks


def _char_ngrams(
    codes: npt.NDArray[np.uint64],
    is_sentinel: npt.NDArray[np.bool_],
    is_gap: npt.NDArray[np.bool_],
    row_of: IntArray,
    config: NgramConfig,
    shift: np.uint64,
    blocks: list[tuple[IntArray, IntArray]],
) -> None:
    # Every comment is " words " between separators, with single spaces: an n-gram of three or
    # more characters is inside one padded word exactly when its interior holds no space and no
    # separator; a shorter one when it holds no separator (and, alone, is no space).
    total = codes.shape[0]
    gaps_before = np.concatenate(([0], np.cumsum(is_gap, dtype=np.int32)))
    rolling = codes.copy()
    with np.errstate(over="ignore"):
        for n in range(1, config.char_max + 1):
            if n > 1:
                rolling = rolling[:-1] * _P + codes[n - 1 :]
            if n < config.char_min:
                continue
            count = total - n + 1
            if count <= 0:
                break
            if n >= 3:
                valid = gaps_before[n - 1 : n - 1 + count] == gaps_before[1 : 1 + count]
            elif n == 2:
                valid = ~(is_sentinel[:count] | is_sentinel[1 : count + 1])
            else:
                valid = ~is_gap
            seeded = rolling[valid] ^ np.uint64(n)
            blocks.append((row_of[:count][valid], ((seeded * _MIX) >> shift).astype(np.int64)))


def _word_ngrams(
    codes: npt.NDArray[np.uint64],
    is_gap: npt.NDArray[np.bool_],
    row_of: IntArray,
    config: NgramConfig,
    shift: np.uint64,
    blocks: list[tuple[IntArray, IntArray]],
) -> None:
    total = codes.shape[0]
    in_word = ~is_gap
    previous_gap = np.concatenate(([True], is_gap[:-1]))
    next_gap = np.concatenate((is_gap[1:], [True]))
    starts = np.flatnonzero(in_word & previous_gap)
    ends = np.flatnonzero(in_word & next_gap) + 1
    if starts.size == 0:
        return
    with np.errstate(over="ignore"):
        powers = np.full(total, _P, dtype=np.uint64)
        powers[0] = 1
        powers = np.cumprod(powers, dtype=np.uint64)
        inverse_powers = np.full(total, _P_INVERSE, dtype=np.uint64)
        inverse_powers[0] = 1
        inverse_powers = np.cumprod(inverse_powers, dtype=np.uint64)
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(codes * powers, dtype=np.uint64)))
        # Hash of codes[s:e] as if it started at position 0: shift it back by P**-s.
        words = (prefix[ends] - prefix[starts]) * inverse_powers[starts] ^ _WORD_SEED
        word_rows = row_of[starts]
        gram = words
        for n in range(1, config.word_max + 1):
            if n > 1:
                gram = gram[:-1] * _BIGRAM_P + words[n - 1 :]
            if n < config.word_min:
                continue
            count = words.shape[0] - n + 1
            if count <= 0:
                break
            valid = word_rows[:count] == word_rows[n - 1 :]
            seeded = gram[valid] ^ np.uint64(0x100 + n)
            blocks.append((word_rows[:count][valid], ((seeded * _MIX) >> shift).astype(np.int64)))
