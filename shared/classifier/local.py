"""The embedded classifier: no network, no key, tens of thousands of comments a second.

Inference needs numpy alone (scikit-learn is only for training), so a cold start is loading one
joblib file of arrays. Everything here is read-only after loading, so one instance serves any
number of threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.classifier import CATEGORIES, Classification
from shared.classifier.features import NgramConfig, hash_blocks
from shared.classifier.lexicon import N_FEATURES as LEXICON_FEATURES
from shared.classifier.lexicon import Lexicon
from shared.classifier.text import encode_batch
from shared.config import Settings
from shared.errors import DomainError

log = logging.getLogger(__name__)

MODEL_NAME = "local"
# A class the model may learn but never answers: text that is none of the five categories
# (chatter, news, another subject). Its probability mass lowers the confidence of the category
# that is answered, which is what sends such text to the review queue and the cascade.
OUT_OF_SCOPE = "OUTRO"
ARTIFACT_FORMAT = 1
DEFAULT_ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "local-model.joblib"

TagExtractor = Callable[[Sequence[str]], list[tuple[str, ...]]]


class ModelNotTrained(DomainError):
    code = "model_not_trained"
    status = 503


class LocalClassifier:
    """Category, tags and calibrated confidence for a batch of comments, from a trained artifact."""

    def __init__(self, artifact: dict[str, Any], tag_extractor: TagExtractor | None = None) -> None:
        if artifact.get("format") != ARTIFACT_FORMAT:
            raise ModelNotTrained(
                f"model artifact format {artifact.get('format')!r} is not {ARTIFACT_FORMAT}; "
                "run `alumusic train`"
            )
        self._version = str(artifact["version"])
        self.classes: tuple[str, ...] = tuple(artifact["classes"])
        unknown = set(self.classes) - {*CATEGORIES, OUT_OF_SCOPE}
        if unknown:
            raise ModelNotTrained(f"model artifact has unknown categories {sorted(unknown)}")
        answerable = [label in CATEGORIES for label in self.classes]
        if not any(answerable):
            raise ModelNotTrained("model artifact has none of the five categories")
        # Added to the probabilities before the argmax: a class never answered can never win.
        self._never = _frozen([0.0 if ok else -2.0 for ok in answerable], np.float64)
        # SPAM must also be clearly likelier than OUTRO (by the artifact's ratio; 1.0 in an
        # artifact trained before the ratio existed): chatter that is none of the five ("just came
        # to check the views") is not spam unless spam is what the model sees, and clearly so.
        # Such a comment gets the likeliest of the four others, with its low probability.
        self._out_of_scope = (
            self.classes.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in self.classes else -1
        )
        self._spam = self.classes.index("SPAM") if "SPAM" in self.classes else -1
        self.spam_over_outro = float(artifact.get("spam_over_outro", 1.0))
        if not np.isfinite(self.spam_over_outro) or self.spam_over_outro < 1.0:
            raise ModelNotTrained(
                f"model artifact spam_over_outro {self.spam_over_outro!r} is not a ratio >= 1"
            )
        self._never_spam = _frozen(
            [-2.0 if label in (OUT_OF_SCOPE, "SPAM") else 0.0 for label in self.classes], np.float64
        )
        self.ngrams = NgramConfig.from_dict(artifact["ngrams"])
        weights = np.asarray(artifact["weights"], dtype=np.float32)
        idf_squared = np.asarray(artifact["idf_squared"], dtype=np.float32)
        if weights.shape != (len(self.classes), self.ngrams.n_features):
            raise ModelNotTrained("model artifact weights do not match its n-gram settings")
        # One row per hashed column: the class weights, then idf**2 for the length norm, so one
        # gather per occurrence fetches everything it contributes.
        self._table = _frozen(np.column_stack([weights.T, idf_squared]), np.float32)
        self._intercept = _frozen(artifact["intercept"], np.float64)
        self.temperature = float(artifact["temperature"])
        n_classes = len(self.classes)
        self.class_scale = _frozen(
            artifact.get("class_scale", np.full(n_classes, 1.0 / self.temperature)), np.float64
        )
        self._class_offset = _frozen(artifact.get("class_offset", np.zeros(n_classes)), np.float64)
        if self.class_scale.shape != (n_classes,) or self._class_offset.shape != (n_classes,):
            raise ModelNotTrained("model artifact calibration does not match its classes")
        self._lexicon: Lexicon | None = None
        if artifact.get("lexicon") is not None:
            self._lexicon = Lexicon.from_dict(artifact["lexicon"])
            self._lexicon_weights = _frozen(artifact["lexicon"]["weights"], np.float64)
            if self._lexicon_weights.shape != (len(self.classes), LEXICON_FEATURES):
                raise ModelNotTrained("model artifact lexicon weights do not match its classes")
        if tag_extractor is None:
            from shared.classifier.tags import default_taxonomy

            # Compiled here rather than on the first batch, from the artifact's stored program
            # when it fits: the cold start pays once, before any request waits.
            tag_extractor = default_taxonomy(artifact.get("tag_matcher")).extract
        self._extract_tags = tag_extractor
        self.metadata = {key: artifact[key] for key in ("params", "trained_on") if key in artifact}

    @property
    def name(self) -> str:
        return MODEL_NAME

    @property
    def version(self) -> str:
        return self._version

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Uncalibrated linear scores, one row per text, columns in `classes` order."""
        n_texts = len(texts)
        if n_texts == 0:
            return np.empty((0, len(self.classes)), dtype=np.float64)
        sums = np.zeros((n_texts, self._table.shape[1]), dtype=np.float64)
        encoded = encode_batch(texts)
        for rows, cols in hash_blocks(encoded, self.ngrams):
            if rows.size == 0:
                continue
            # Rows never decrease within a block: sum each row's run of occurrences in place.
            starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
            sums[rows[starts]] += np.add.reduceat(self._table[cols], starts, axis=0)
        norm = np.sqrt(sums[:, -1])
        norm[norm == 0.0] = 1.0
        result = sums[:, :-1] / norm[:, None]
        result += self._intercept[None, :]
        if self._lexicon is not None:
            result += self._lexicon.features(encoded, n_texts) @ self._lexicon_weights.T
        return result

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Calibrated probability of each class (columns in `classes` order)."""
        scaled: npt.NDArray[np.float64] = self.scores(texts) * self.class_scale + self._class_offset
        scaled -= scaled.max(axis=1, keepdims=True)
        np.exp(scaled, out=scaled)
        scaled /= scaled.sum(axis=1, keepdims=True)
        return scaled

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        from shared.classifier.tags import tags_for

        if not texts:
            return []
        probabilities = self.predict_proba(texts)
        best = (probabilities + self._never).argmax(axis=1)
        if self._out_of_scope >= 0 and self._spam >= 0:
            doubtful = (best == self._spam) & (
                probabilities[:, self._spam]
                < self.spam_over_outro * probabilities[:, self._out_of_scope]
            )
            best[doubtful] = (probabilities[doubtful] + self._never_spam).argmax(axis=1)
        confidence = probabilities[np.arange(len(texts)), best]
        tags = self._extract_tags(texts)
        classes = self.classes
        version = self._version
        return [
            Classification(
                categoria=classes[label],
                tags_funcionalidades=tags_for(classes[label], text_tags),
                confianca=round(float(probability), 4),
                model_name=MODEL_NAME,
                model_version=version,
            )
            for label, probability, text_tags in zip(
                best.tolist(), confidence.tolist(), tags, strict=True
            )
        ]


def _frozen(values: Any, dtype: type[np.generic]) -> npt.NDArray[Any]:
    array = np.ascontiguousarray(values, dtype=dtype)
    array.flags.writeable = False
    return array


def artifact_path(settings: Settings | None = None) -> Path:
    """Where the model is read from: `MODEL_PATH` when set, else the package's artifacts folder."""
    if settings is not None and settings.model_path:
        return Path(settings.model_path)
    return DEFAULT_ARTIFACT


def load_artifact(path: Path) -> dict[str, Any]:
    import joblib

    if not path.is_file():
        raise ModelNotTrained(
            f"no embedded model at {path}; run `alumusic train` (or `make model`) first"
        )
    artifact = joblib.load(path)
    if not isinstance(artifact, dict):
        raise ModelNotTrained(f"{path} is not a model artifact; run `alumusic train`")
    return artifact


def load_local_classifier(settings: Settings | None = None) -> LocalClassifier:
    """The embedded classifier from the trained artifact (fails clearly when it is missing)."""
    path = artifact_path(settings)
    from shared.classifier.tags import default_taxonomy

    classifier = LocalClassifier(load_artifact(path))
    log.info(
        "embedded classifier loaded",
        extra={
            "model_version": classifier.version,
            "path": str(path),
            # False means the tag matcher was compiled here (slower cold start): the artifact was
            # trained by another interpreter, or before the taxonomy last changed.
            "tag_matcher_from_artifact": default_taxonomy().from_program,
        },
    )
    return classifier
