"""Training the embedded classifier, deterministically, from the corpus and human corrections.

The recipe (chosen by measurement, see docs/classifier.md):
1. Listener comments outside the held-out split, plus human corrections from the database.
2. Real YouTube comments: spam rows are SPAM; a not-spam row takes the category a person read
   in it (corpus/youtube/labels), or, where none was given, a pseudo-label from a first model
   trained on the listeners' four other categories. Those rows teach the final model what
   ordinary comments on a real music video look like, which is what keeps spam precision up on
   videos it has never seen.
3. Hashed character (inside words) and word n-grams with idf weights, a linear SVM.
4. Confidence: softmax of the SVM scores, each class's score scaled and shifted by its own
   factor and offset, fitted on out-of-fold scores of the training rows (5 folds), so
   calibration never looks at the held-out split either.

Same inputs, same code, same library versions: same weights and the same version string.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

import shared.classifier
from shared.classifier import CATEGORIES
from shared.classifier.features import NgramConfig, hash_texts
from shared.classifier.lexicon import Lexicon
from shared.classifier.local import ARTIFACT_FORMAT, DEFAULT_ARTIFACT, OUT_OF_SCOPE
from shared.classifier.tags import default_taxonomy
from shared.classifier.text import split_key
from tooling.classifier.dataset import (
    SPAM,
    LabelledComment,
    YoutubeComment,
    data_files,
    is_held_out,
    load_external_comments,
    load_listener_comments,
    load_youtube_comments,
    split_listener_comments,
)

log = logging.getLogger(__name__)

CORRECTIONS_SOURCE = "corrections"
# The code whose change changes the model (part of the version hash): inference in the runtime
# library, training here.
_RUNTIME_DIR = Path(shared.classifier.__file__).resolve().parent
_CODE_FILES = (
    _RUNTIME_DIR / "text.py",
    _RUNTIME_DIR / "features.py",
    Path(__file__).resolve().parent / "dataset.py",
    Path(__file__).resolve(),
    _RUNTIME_DIR / "local.py",
    _RUNTIME_DIR / "lexicon.py",
)
POLAR = ("ELOGIO", "CRÍTICA")
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
LEXICON_FILES = ("pt_leia.tsv", "en_vader.tsv")
_CALIBRATION_FOLDS = 5
_SEED = 0


@dataclass(frozen=True, slots=True)
class TrainingParams:
    """The knobs compared in model selection; the defaults are the chosen ones."""

    ngrams: NgramConfig = field(default_factory=lambda: NgramConfig(2, 5, 1, 2, 18))
    c: float = 1.0
    # "pseudo": YouTube not-spam rows get a pseudo-label; "unused": they are left out.
    youtube_not_spam: str = "pseudo"
    # Weight 2 lifts spam F1 on every unseen video a little and moves nothing else (docs/classifier.md).
    youtube_weight: float = 2.0
    model: str = "svm"  # "svm" (LinearSVC) or "logreg" (LogisticRegression, saga)
    use_idf: bool = True
    # Sentiment-lexicon features (shared/classifier/lexicon.py) at this scale; 0 leaves them out.
    lexicon_scale: float = 1.0
    # Within each external source, weigh ELOGIO and CRÍTICA rows so the two carry equal weight:
    # a source's own skew (product reviews are 80% praise, toxic tweets mostly complaints) would
    # otherwise teach that its topic words mean its majority polarity.
    balance_polarity: bool = True
    # Real public text (corpus/external); off reproduces the recipe trained on written comments only.
    use_external: bool = True
    # How much the real text counts in fitting the confidence (relative to its training weight).
    calibration_external_weight: float = 1.0
    # Whether a YouTube not-spam row may be pseudo-labelled OUTRO (else one of the four).
    pseudo_label_outro: bool = True
    # "class": a scale and an offset per class (vector scaling); "temperature": one temperature
    # for every class. Both are fitted on the out-of-fold scores; docs/classifier.md compares them.
    calibration: str = "class"
    # Whether a not-spam YouTube row a person labelled (corpus/youtube/labels) trains with that
    # label instead of its pseudo-label: the unseen videos' comments are read much better
    # (docs/classifier.md, "Ninth pass"), and with `spam_over_outro` spam holds ("Tenth pass").
    youtube_labels: bool = True
    # SPAM is answered only when its probability is at least this many times OUTRO's; 1.0 is the
    # earlier rule (only when OUTRO is not the most probable class). With a person's labels,
    # short praise is no longer OUTRO, and chatter needs this margin to stay out of SPAM.
    spam_over_outro: float = 1.5

    def as_dict(self) -> dict[str, Any]:
        return {
            "ngrams": self.ngrams.as_dict(),
            "c": self.c,
            "youtube_not_spam": self.youtube_not_spam,
            "youtube_weight": self.youtube_weight,
            "model": self.model,
            "use_idf": self.use_idf,
            "lexicon_scale": self.lexicon_scale,
            "balance_polarity": self.balance_polarity,
            "use_external": self.use_external,
            "calibration_external_weight": self.calibration_external_weight,
            "pseudo_label_outro": self.pseudo_label_outro,
            "calibration": self.calibration,
            "youtube_labels": self.youtube_labels,
            "spam_over_outro": self.spam_over_outro,
        }


@dataclass(frozen=True, slots=True)
class TrainingData:
    listeners: list[LabelledComment]
    youtube: list[YoutubeComment]
    corrections: list[LabelledComment]
    # Real public text mapped onto the categories (or OUTRO), each row with its source's weight.
    external: list[LabelledComment] = field(default_factory=list)


def load_training_data(corrections: Sequence[tuple[str, str]] = ()) -> TrainingData:
    """The corpus on disk plus corrections, minus the held-out split and corrections that leak it."""
    listeners = load_listener_comments()
    train, held_out = split_listener_comments(listeners)
    external_train, _ = split_listener_comments(load_external_comments())
    return TrainingData(
        listeners=train,
        youtube=load_youtube_comments(),
        corrections=usable_corrections(corrections, held_out),
        external=external_train,
    )


def usable_corrections(
    corrections: Sequence[tuple[str, str]], held_out: Sequence[LabelledComment]
) -> list[LabelledComment]:
    """Valid corrections, sorted, without any whose text is a held-out corpus row.

    A correction is product data, not corpus data, so it is not split by the corpus rule; but one
    that repeats a held-out row would leak that row into training.
    """
    held_out_keys = {split_key(row.texto) for row in held_out}
    usable = {
        (text.strip(), category)
        for text, category in corrections
        if text and text.strip() and category in CATEGORIES
    }
    return [
        LabelledComment(text, category, CORRECTIONS_SOURCE)
        for text, category in sorted(usable)
        if split_key(text) not in held_out_keys
    ]


def model_version(
    files: Sequence[Path], corrections: Sequence[LabelledComment], params: TrainingParams
) -> str:
    """`local-` and 12 hex digits of sha256 over data files, corrections, code and parameters."""
    import sklearn

    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(files):
        digest.update(str(path.resolve().relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for row in corrections:
        digest.update(f"{row.texto}\0{row.categoria}\0".encode())
    for code in (*_CODE_FILES, *(LEXICON_DIR / name for name in (*LEXICON_FILES, "negators.txt"))):
        digest.update(code.name.encode() + b"\0" + code.read_bytes() + b"\0")
    digest.update(repr(sorted(params.as_dict().items())).encode())
    digest.update(f"sklearn {sklearn.__version__} numpy {np.__version__}".encode())
    return f"local-{digest.hexdigest()[:12]}"


def train_model(
    data: TrainingData, params: TrainingParams | None = None, *, version: str = "local-untracked"
) -> dict[str, Any]:
    """Fit the model and return the artifact (a plain dict of arrays, see `LocalClassifier`)."""
    params = params or TrainingParams()
    started = time.perf_counter()
    external = data.external if params.use_external else []
    if params.balance_polarity:
        external = balance_polarity(external)
    labelled = [*data.listeners, *data.corrections, *external]
    n_own = len(data.listeners) + len(data.corrections)
    texts = [row.texto for row in labelled]
    labels = [row.categoria for row in labelled]
    weights = [row.weight for row in labelled]

    spam = [row.texto for row in data.youtube if row.is_spam]
    texts += spam
    labels += [SPAM] * len(spam)
    weights += [params.youtube_weight] * len(spam)
    not_spam_rows = [row for row in data.youtube if not row.is_spam]
    not_spam = [row.texto for row in not_spam_rows]
    if params.youtube_not_spam == "pseudo" and not_spam:
        texts += not_spam
        labels += not_spam_labels(labelled, not_spam_rows, params)
        weights += [params.youtube_weight] * len(not_spam)
    elif params.youtube_not_spam != "unused":
        raise ValueError(f"unknown youtube_not_spam {params.youtube_not_spam!r}")

    counts = _count_matrix(texts, params.ngrams)
    idf = _idf(counts) if params.use_idf else np.ones(counts.shape[1], dtype=np.float32)
    features = _weigh(counts, idf)
    lexicon = load_lexicon(params.ngrams.bits, params.lexicon_scale)
    if lexicon is not None:
        from scipy import sparse

        features = sparse.hstack([features, lexicon.text_features(texts)], format="csr")
    y = np.array(labels)
    sample_weight = np.array(weights)
    estimator, oof_scores = _fit_with_out_of_fold_scores(params, features, y, sample_weight)
    classes = [str(label) for label in estimator.classes_]
    # Weighted like the fit: a source trusted at half weight counts half in the calibration too,
    # so thousands of hard tweets do not make every listener comment look doubtful.
    calibration_weight = sample_weight.copy()
    calibration_weight[n_own : n_own + len(external)] *= params.calibration_external_weight
    truth = np.searchsorted(np.array(classes), y)
    temperature = fit_temperature(oof_scores, truth, calibration_weight)
    if params.calibration == "class":
        class_scale, class_offset = fit_class_scaling(
            oof_scores, truth, calibration_weight, temperature
        )
    elif params.calibration == "temperature":
        class_scale = np.full(len(classes), 1.0 / temperature)
        class_offset = np.zeros(len(classes))
    else:
        raise ValueError(f"unknown calibration {params.calibration!r}")

    coef = np.asarray(estimator.coef_, dtype=np.float64)
    lexicon_weights = coef[:, params.ngrams.n_features :]
    coef = coef[:, : params.ngrams.n_features]
    intercept = np.asarray(estimator.intercept_, dtype=np.float64)
    order = [classes.index(label) for label in (*CATEGORIES, OUT_OF_SCOPE) if label in classes]
    artifact = {
        "format": ARTIFACT_FORMAT,
        "version": version,
        "classes": [classes[i] for i in order],
        "ngrams": params.ngrams.as_dict(),
        # idf folded into the weights: a score is sum(weight[col]) / sqrt(sum(idf[col]**2)) + b.
        "weights": np.ascontiguousarray((coef[order] * idf[None, :]).astype(np.float32)),
        "idf_squared": (idf.astype(np.float64) ** 2).astype(np.float32),
        "intercept": intercept[order].astype(np.float32),
        "temperature": float(temperature),
        # Probabilities are softmax(score * class_scale + class_offset), per class.
        "class_scale": class_scale[order].astype(np.float64),
        "class_offset": class_offset[order].astype(np.float64),
        "spam_over_outro": float(params.spam_over_outro),
        "lexicon": None
        if lexicon is None
        else lexicon.as_dict() | {"weights": lexicon_weights[order].astype(np.float32)},
        "params": params.as_dict(),
        # The tag matcher compiled, so a cold start need not compile it (shared/classifier/tags.py).
        "tag_matcher": default_taxonomy().matcher_program(),
        "trained_on": {
            "listener_rows": len(data.listeners),
            "correction_rows": len(data.corrections),
            "external_rows": len(external),
            "youtube_spam_rows": len(spam),
            "youtube_not_spam_rows": len(not_spam) if params.youtube_not_spam == "pseudo" else 0,
        },
    }
    log.info(
        "embedded classifier trained",
        extra={"model_version": version, "seconds": round(time.perf_counter() - started, 2)},
    )
    return artifact


def train_and_save(
    path: Path = DEFAULT_ARTIFACT,
    corrections: Sequence[tuple[str, str]] = (),
    params: TrainingParams | None = None,
) -> dict[str, Any]:
    """Train from the corpus on disk (plus corrections) and write the artifact with joblib."""
    import joblib

    params = params or TrainingParams()
    data = load_training_data(corrections)
    version = model_version(data_files(), data.corrections, params)
    artifact = train_model(data, params, version=version)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    joblib.dump(artifact, partial, compress=3)
    partial.replace(path)  # readers never see a half-written model
    return artifact


def balance_polarity(rows: Sequence[LabelledComment]) -> list[LabelledComment]:
    """The rows with ELOGIO and CRÍTICA reweighted to equal total weight within each source."""
    from dataclasses import replace

    totals: dict[tuple[str, str], float] = {}
    for row in rows:
        if row.categoria in POLAR:
            totals[row.source, row.categoria] = (
                totals.get((row.source, row.categoria), 0.0) + row.weight
            )
    balanced: list[LabelledComment] = []
    for row in rows:
        if row.categoria in POLAR and all((row.source, c) in totals for c in POLAR):
            mean = sum(totals[row.source, c] for c in POLAR) / len(POLAR)
            row = replace(row, weight=row.weight * mean / totals[row.source, row.categoria])
        balanced.append(row)
    return balanced


def load_lexicon(bits: int, scale: float) -> Lexicon | None:
    """The vendored Portuguese and English valence lexicons, hashed for `bits` (None at scale 0)."""
    if scale <= 0:
        return None
    valences: dict[str, list[float]] = {}
    for name in LEXICON_FILES:
        for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            word, value = line.split("\t", 1)
            valences.setdefault(normalise_word(word), []).append(float(value))
    negators = [
        normalise_word(line)
        for line in (LEXICON_DIR / "negators.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    means = {word: float(np.mean(values)) for word, values in valences.items() if word}
    return Lexicon.build(means, negators, bits, scale)


def normalise_word(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fit_temperature(
    scores: npt.NDArray[np.float64],
    truth: npt.NDArray[np.intp],
    sample_weight: npt.NDArray[np.float64] | None = None,
) -> float:
    """The temperature T minimising the (weighted) log loss of softmax(scores / T)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(truth.shape[0])
    weights = np.ones(truth.shape[0]) if sample_weight is None else np.asarray(sample_weight)

    def log_loss(temperature: float) -> float:
        scaled = scores / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(np.average(log_norm - scaled[rows, truth], weights=weights))

    result = minimize_scalar(log_loss, bounds=(0.01, 20.0), method="bounded")
    return float(result.x)


def fit_class_scaling(
    scores: npt.NDArray[np.float64],
    truth: npt.NDArray[np.intp],
    sample_weight: npt.NDArray[np.float64],
    temperature: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A scale and an offset per class minimising the log loss of softmax(scores * a + b).

    Starts from the single temperature. Classes the SVM separates well (SPAM, SUGESTÃO) get a
    larger scale than the two it confuses (ELOGIO, CRÍTICA), which one temperature cannot give.
    """
    from scipy.optimize import minimize

    n_classes = scores.shape[1]
    rows = np.arange(truth.shape[0])
    weights = sample_weight / sample_weight.sum()

    def loss_and_gradient(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        scale, offset = np.exp(theta[:n_classes]), theta[n_classes:]
        logits = scores * scale + offset
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        loss = -float(weights @ np.log(probabilities[rows, truth] + 1e-300))
        residual = probabilities
        residual[rows, truth] -= 1.0
        residual *= weights[:, None]
        gradient_scale = (residual * scores).sum(axis=0) * scale
        return loss, np.concatenate([gradient_scale, residual.sum(axis=0)])

    start = np.concatenate([np.full(n_classes, -np.log(temperature)), np.zeros(n_classes)])
    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B")
    theta = np.asarray(result.x, dtype=np.float64)
    offset = theta[n_classes:] - theta[n_classes:].mean()  # softmax ignores a common shift
    return np.exp(theta[:n_classes]), offset


def not_spam_labels(
    labelled: Sequence[LabelledComment], rows: Sequence[YoutubeComment], params: TrainingParams
) -> list[str]:
    """The training label of each not-spam YouTube row: a person's category where one was given
    and `params.youtube_labels` is on, else the pseudo-label."""
    read = [row.categoria if params.youtube_labels else None for row in rows]
    unread = [row.texto for row, category in zip(rows, read, strict=True) if category is None]
    pseudo = iter(_pseudo_labels(labelled, unread, params) if unread else [])
    return [category if category is not None else next(pseudo) for category in read]


def _pseudo_labels(
    labelled: Sequence[LabelledComment], texts: Sequence[str], params: TrainingParams
) -> list[str]:
    # Trained on the labelled rows other than SPAM: a YouTube row labelled not spam is one of the
    # four categories (or none of the five), we only do not know which.
    excluded = {SPAM} if params.pseudo_label_outro else {SPAM, OUT_OF_SCOPE}
    rows = [row for row in labelled if row.categoria not in excluded]
    counts = _count_matrix([row.texto for row in rows], params.ngrams)
    idf = _idf(counts) if params.use_idf else np.ones(counts.shape[1], dtype=np.float32)
    model = _estimator(params).fit(
        _weigh(counts, idf),
        [row.categoria for row in rows],
        sample_weight=np.array([row.weight for row in rows]),
    )
    predicted = model.predict(_weigh(_count_matrix(texts, params.ngrams), idf))
    return [str(label) for label in predicted]


def _estimator(params: TrainingParams) -> Any:
    if params.model == "svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(C=params.c, random_state=_SEED, max_iter=5000)
    if params.model == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=params.c, solver="saga", max_iter=300, tol=1e-3, random_state=_SEED
        )
    raise ValueError(f"unknown model {params.model!r}")


def _fit_with_out_of_fold_scores(
    params: TrainingParams, features: Any, y: npt.NDArray[Any], sample_weight: npt.NDArray[Any]
) -> tuple[Any, npt.NDArray[np.float64]]:
    """The model fitted on every row, and each row's scores from a model that did not see it.

    The six fits (all rows, then each of the five folds) are independent and seeded, so run side
    by side on the machine's cores they give exactly what they give one after another, in about
    half the time on two cores.
    """
    from joblib import Parallel, delayed
    from sklearn.model_selection import StratifiedKFold

    folds = list(
        StratifiedKFold(_CALIBRATION_FOLDS, shuffle=True, random_state=_SEED).split(features, y)
    )
    # Each fold sends back only its scores: its model is not needed, and its weights would be
    # copied between processes for nothing.
    jobs = [
        delayed(_estimator(params).fit)(features, y, sample_weight=sample_weight),
        *(
            delayed(_held_out_scores)(params, features, y, sample_weight, train, test)
            for train, test in folds
        ),
    ]
    estimator, *parts = Parallel(n_jobs=min(len(jobs), os.cpu_count() or 1))(jobs)
    scores = np.zeros((y.shape[0], len(estimator.classes_)), dtype=np.float64)
    for (_, test), part in zip(folds, parts, strict=True):
        scores[test] = part
    return estimator, scores


def _held_out_scores(
    params: TrainingParams,
    features: Any,
    y: npt.NDArray[Any],
    sample_weight: npt.NDArray[Any],
    train: npt.NDArray[np.intp],
    test: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """The scores of the `test` rows from a model fitted on the `train` rows alone."""
    model = _estimator(params).fit(features[train], y[train], sample_weight=sample_weight[train])
    if params.model == "svm":
        return np.asarray(model.decision_function(features[test]), dtype=np.float64)
    return np.asarray(model.predict_log_proba(features[test]), dtype=np.float64)


def _count_matrix(texts: Sequence[str], ngrams: NgramConfig) -> Any:
    from scipy import sparse

    rows, cols = hash_texts(texts, ngrams)
    values = np.ones(cols.shape[0], dtype=np.float64)
    # Duplicate (row, col) pairs are summed: the matrix holds n-gram counts.
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), ngrams.n_features))


def _idf(counts: Any) -> npt.NDArray[np.float32]:
    document_frequency: npt.NDArray[np.int64] = np.bincount(
        counts.indices, minlength=counts.shape[1]
    )
    n_documents = int(counts.shape[0])
    idf = np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0
    return np.asarray(idf, dtype=np.float32)


def _weigh(counts: Any, idf: npt.NDArray[np.float32]) -> Any:
    # Exactly what inference computes: count * idf / sqrt(sum over occurrences of idf**2).
    from scipy import sparse

    idf64 = idf.astype(np.float64)
    weighted = counts.multiply(idf64[None, :]).tocsr()
    squared = np.asarray(counts.multiply((idf64**2)[None, :]).sum(axis=1)).ravel()
    scale = 1.0 / np.sqrt(np.maximum(squared, 1e-12))
    return sparse.diags(scale) @ weighted


def held_out_rows() -> list[LabelledComment]:
    """The corpus rows training never sees."""
    return [row for row in load_listener_comments() if is_held_out(row.texto)]
