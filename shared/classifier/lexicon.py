"""Sentiment-lexicon features: what a word means even when no training row contained it.

The n-gram model only knows the words its training rows hold. A valence lexicon (thousands of
Portuguese and English words scored from very negative to very positive by people) reaches past
that vocabulary: "palhaçada" or "deplorable" pull towards CRÍTICA although no training row says
them. The lexicon is folded into the model artifact at training time as hashed word columns, the
same hash the n-gram featuriser uses, so inference needs numpy alone and reads no file.

Three features per comment: log(1 + sum of positive valences), log(1 + sum of negative
valences), each after negation (a negator among the two previous words flips and damps a
valence, as VADER does), and the share of lexicon words among the comment's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.classifier.features import NgramConfig, hash_blocks
from shared.classifier.text import CodeArray, encode_batch

N_FEATURES = 3
# VADER's damping of a negated valence ("não é bom" is less negative than "ruim" is).
NEGATION_SCALAR = -0.74


def word_columns(
    encoded: CodeArray, bits: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(row, hashed unigram column) of every word of an encoded batch, in reading order."""
    blocks = hash_blocks(encoded, NgramConfig(1, 0, 1, 1, bits))
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return blocks[0]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Hashed valences and negators; `scale` puts the features on the n-gram features' scale."""

    bits: int
    columns: npt.NDArray[np.int64]  # sorted, unique
    valences: npt.NDArray[np.float64]
    negators: npt.NDArray[np.int64]  # sorted, unique
    scale: float

    @classmethod
    def build(
        cls, valences: dict[str, float], negators: Sequence[str], bits: int, scale: float
    ) -> Lexicon:
        """From normalised single words; words that hash to one column share their mean."""
        words = sorted(valences)
        rows, cols = word_columns(encode_batch(words), bits)
        # A word the normaliser splits in two (or empties) is not a single-word entry: skip it.
        per_row = np.bincount(rows, minlength=len(words))
        single = per_row == 1
        sums: dict[int, list[float]] = {}
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            if single[row]:
                sums.setdefault(col, []).append(valences[words[row]])
        columns = np.array(sorted(sums), dtype=np.int64)
        means = np.array([float(np.mean(sums[c])) for c in columns.tolist()], dtype=np.float64)
        _, negator_cols = (
            word_columns(encode_batch(list(negators)), bits)
            if negators
            else (
                None,
                np.zeros(0, dtype=np.int64),
            )
        )
        return cls(bits, columns, means, np.unique(negator_cols), scale)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bits": self.bits,
            "columns": self.columns,
            "valences": self.valences.astype(np.float32),
            "negators": self.negators,
            "scale": self.scale,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        return cls(
            bits=int(data["bits"]),
            columns=np.asarray(data["columns"], dtype=np.int64),
            valences=np.asarray(data["valences"], dtype=np.float64),
            negators=np.asarray(data["negators"], dtype=np.int64),
            scale=float(data["scale"]),
        )

    def features(self, encoded: CodeArray, n_texts: int) -> npt.NDArray[np.float64]:
        """One row of `N_FEATURES` per comment of the encoded batch."""
        rows, cols = word_columns(encoded, self.bits)
        result = np.zeros((n_texts, N_FEATURES), dtype=np.float64)
        if rows.size == 0 or self.columns.size == 0:
            return result
        index = np.minimum(np.searchsorted(self.columns, cols), self.columns.size - 1)
        hit = self.columns[index] == cols
        value = np.where(hit, self.valences[index], 0.0)
        if self.negators.size:
            n_index = np.minimum(np.searchsorted(self.negators, cols), self.negators.size - 1)
            is_negator = self.negators[n_index] == cols
            negated = np.zeros(cols.size, dtype=np.bool_)
            for back in (1, 2):  # a negator one or two words before, in the same comment
                same_row = rows[back:] == rows[:-back]
                negated[back:] |= is_negator[:-back] & same_row
            value = np.where(negated, value * NEGATION_SCALAR, value)
        positive = np.bincount(rows, weights=np.maximum(value, 0.0), minlength=n_texts)
        negative = np.bincount(rows, weights=np.maximum(-value, 0.0), minlength=n_texts)
        found = np.bincount(rows, weights=hit.astype(np.float64), minlength=n_texts)
        words = np.maximum(np.bincount(rows, minlength=n_texts), 1)
        result[:, 0] = np.log1p(positive)
        result[:, 1] = np.log1p(negative)
        result[:, 2] = found / words
        result *= self.scale
        return result

    def text_features(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self.features(encode_batch(texts), len(texts)) if texts else np.zeros((0, 3))
