"""The embedded classifier: answers, calibration output, determinism, threads, loading."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shared.classifier import CATEGORIES, Classifier
from shared.classifier.features import NgramConfig
from shared.classifier.local import (
    OUT_OF_SCOPE,
    LocalClassifier,
    ModelNotTrained,
    load_local_classifier,
)
from shared.config import Settings
from tooling.classifier.dataset import LabelledComment, data_files
from tooling.classifier.training import (
    TrainingData,
    TrainingParams,
    load_training_data,
    model_version,
    train_model,
    usable_corrections,
)

CLEAR_EXAMPLES = {
    "ELOGIO": [
        "que música maravilhosa, to ouvindo sem parar",
        "this song is a masterpiece, her voice gives me chills",
        "melhor álbum do ano, produção impecável",
    ],
    "CRÍTICA": [
        "a mixagem tá horrível, o vocal some no refrão",
        "the app keeps crashing every time I open a playlist",
        "this is boring and way too long",
    ],
    "SUGESTÃO": [
        "vocês podiam lançar uma versão acústica dessa",
        "please add lyrics to the app",
        "you should release the instrumental version",
    ],
    "DÚVIDA": [
        "alguém sabe em qual álbum está essa música?",
        "when is the tour coming to Brazil?",
        "does anyone know who produced this track?",
    ],
    "SPAM": [
        "inscrevam-se no meu canal, posto covers toda semana",
        "check out my channel for free gift cards http://bit.ly/xyz",
        "ganhe dinheiro em casa, chama no whatsapp",
    ],
}

EDGE_RULES = [
    # a question that proposes something is SUGESTÃO
    ("que tal lançar uma versão ao vivo?", "SUGESTÃO"),
    # praise plus a reported problem is CRÍTICA
    ("amo essa música mas o áudio tá muito baixo no app", "CRÍTICA"),
    ("love the song but the video keeps buffering", "CRÍTICA"),
    # praise plus a concrete proposal is SUGESTÃO
    ("música linda, podiam fazer uma versão acústica", "SUGESTÃO"),
    ("amazing track, you should do a live version", "SUGESTÃO"),
    # a polite channel plug is SPAM
    ("que linda! se puderem, conheçam meu canal de covers, obrigada 🙏", "SPAM"),
    ("great song! please check out my channel, it would mean a lot", "SPAM"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, category) for category, texts in CLEAR_EXAMPLES.items() for text in texts],
)
def test_clear_examples(local_classifier: LocalClassifier, text: str, expected: str) -> None:
    # Given a clear PT or EN comment / When classified / Then its category
    assert local_classifier.classify_batch([text])[0].categoria == expected


@pytest.mark.parametrize(("text", "expected"), EDGE_RULES)
def test_edge_rules(local_classifier: LocalClassifier, text: str, expected: str) -> None:
    assert local_classifier.classify_batch([text])[0].categoria == expected


def test_batch_answers_in_order_with_provenance_and_tags(local_classifier: LocalClassifier) -> None:
    # Given a batch mixing categories
    texts = [
        "the app keeps crashing every time I open a playlist",
        "alguém sabe em qual álbum está essa música?",
        "check out my channel for free gift cards http://bit.ly/xyz",
    ]
    # When classified together
    answers = local_classifier.classify_batch(texts)
    # Then one answer per text, in order, each naming the model, with tags from the taxonomy
    assert [a.categoria for a in answers] == ["CRÍTICA", "DÚVIDA", "SPAM"]
    assert all(a.model_name == "local" and a.model_version == "local-test" for a in answers)
    assert "feat_playlist" in answers[0].tags_funcionalidades
    assert answers[2].tags_funcionalidades == ()  # SPAM carries no tags
    assert isinstance(local_classifier, Classifier)
    assert local_classifier.classify_batch([]) == []


def test_batch_and_single_answers_agree(local_classifier: LocalClassifier) -> None:
    texts = [text for examples in CLEAR_EXAMPLES.values() for text in examples]
    together = local_classifier.classify_batch(texts)
    alone = [local_classifier.classify_batch([text])[0] for text in texts]
    assert together == alone


def test_probabilities_are_calibrated_outputs(local_classifier: LocalClassifier) -> None:
    # Given odd inputs as well as normal ones
    texts = ["", "   ", "?", "🔥", "a" * 5000, "amei", "<b>&amp;</b>", "x\x00y"]
    # When scored / Then each row is a probability distribution and confianca is its maximum
    probabilities = local_classifier.predict_proba(texts)
    assert probabilities.shape == (len(texts), len(local_classifier.classes))
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    # The five categories come first; a class never answered (OUTRO) only after them
    answerable = [c for c in local_classifier.classes if c in CATEGORIES]
    assert tuple(answerable) == tuple(local_classifier.classes[: len(answerable)])
    assert set(local_classifier.classes) - set(CATEGORIES) <= {OUT_OF_SCOPE}
    answers = local_classifier.classify_batch(texts)
    spam = answerable.index("SPAM")
    for row, answer in zip(probabilities, answers, strict=True):
        # confianca is the probability of the best of the five, never of OUTRO; SPAM only when
        # it is the model's ratio times likelier than OUTRO
        five = row[: len(answerable)].copy()
        outro = row[len(answerable)] if len(row) > len(answerable) else 0.0
        if row[spam] < local_classifier.spam_over_outro * outro:
            five[spam] = -1.0
        best = int(five.argmax())
        assert 0.0 <= answer.confianca <= 1.0
        assert answer.categoria == answerable[best]
        assert answer.confianca == pytest.approx(row[best], abs=1e-4)
    assert local_classifier.temperature > 0
    # The shipped recipe calibrates each class on its own: the classes it tells apart easily
    # (SPAM, SUGESTÃO) are sharper than the two it confuses (ELOGIO, CRÍTICA)
    scale = dict(zip(local_classifier.classes, local_classifier.class_scale, strict=True))
    assert min(scale["SPAM"], scale["SUGESTÃO"]) > max(scale["ELOGIO"], scale["CRÍTICA"])


def _toy_classifier(weight_of: dict[str, float], spam_over_outro: float = 1.0) -> LocalClassifier:
    """A model whose every n-gram adds the given weight to its class (no tags)."""
    config = NgramConfig(1, 1, 1, 1, 4)
    weights = np.array(
        [[weight] * config.n_features for weight in weight_of.values()], dtype=np.float32
    )
    artifact = {
        "format": 1,
        "version": "local-toy",
        "classes": list(weight_of),
        "ngrams": config.as_dict(),
        "weights": weights,
        "idf_squared": np.ones(config.n_features, dtype=np.float32),
        "intercept": np.zeros(len(weight_of), dtype=np.float32),
        "temperature": 1.0,
        "spam_over_outro": spam_over_outro,
    }
    return LocalClassifier(artifact, tag_extractor=lambda texts: [() for _ in texts])


def test_a_class_never_answered_only_lowers_the_confidence() -> None:
    # Given a model whose scores favour OUTRO for a word, and ELOGIO a little less
    classifier = _toy_classifier({"ELOGIO": 1.0, "CRÍTICA": 0.0, OUT_OF_SCOPE: 3.0})
    # When a text is classified
    [answer] = classifier.classify_batch(["abc"])
    probabilities = classifier.predict_proba(["abc"])[0]
    # Then the answer is the best of the five, with its own (low) probability as confidence
    assert answer.categoria == "ELOGIO"
    assert answer.confianca == pytest.approx(probabilities[0], abs=1e-4)
    assert answer.confianca < 0.5 < probabilities[2]


def test_chatter_that_is_none_of_the_five_is_not_called_spam() -> None:
    # Given a model for which a text is most likely OUTRO, then SPAM, then ELOGIO
    classifier = _toy_classifier({"ELOGIO": 1.0, "SPAM": 2.0, OUT_OF_SCOPE: 3.0})
    # When classified / Then the answer is not SPAM but the likeliest other category
    [answer] = classifier.classify_batch(["abc"])
    assert answer.categoria == "ELOGIO"
    assert answer.confianca == pytest.approx(classifier.predict_proba(["abc"])[0][0], abs=1e-4)


@pytest.mark.parametrize(
    ("share_of_lead", "expected"), [(0.0, "SPAM"), (0.9, "SPAM"), (1.1, "ELOGIO")]
)
def test_spam_must_be_clearly_likelier_than_chatter(share_of_lead: float, expected: str) -> None:
    # Given a model for which a text is most likely SPAM, OUTRO close behind, ELOGIO far behind
    weights = {"ELOGIO": 0.0, "SPAM": 3.0, OUT_OF_SCOPE: 2.5}
    probabilities = _toy_classifier(weights).predict_proba(["abc"])[0]
    lead = probabilities[1] / probabilities[2]
    assert lead > 1.0
    # When classified with a ratio of SPAM to OUTRO below, just under or just over SPAM's lead
    classifier = _toy_classifier(weights, max(1.0, share_of_lead * lead))
    [answer] = classifier.classify_batch(["abc"])
    # Then SPAM only when it is at least that many times likelier; else the best of the others,
    # with its own low probability
    assert answer.categoria == expected
    expected_probability = probabilities[1] if expected == "SPAM" else probabilities[0]
    assert answer.confianca == pytest.approx(expected_probability, abs=1e-4)


@pytest.mark.parametrize("ratio", [0.5, float("nan"), float("inf")])
def test_an_artifact_with_a_spam_ratio_below_one_is_refused(ratio: float) -> None:
    with pytest.raises(ModelNotTrained, match="spam_over_outro"):
        _toy_classifier({"ELOGIO": 1.0, "SPAM": 2.0, OUT_OF_SCOPE: 3.0}, ratio)


def test_an_artifact_with_an_unknown_class_is_refused(trained_artifact: dict[str, Any]) -> None:
    artifact = dict(trained_artifact, classes=[*trained_artifact["classes"][:-1], "NEUTRO"])
    with pytest.raises(ModelNotTrained, match="unknown categories"):
        LocalClassifier(artifact)


def test_thread_safety(local_classifier: LocalClassifier) -> None:
    # Given the same batches classified sequentially
    texts = [text for examples in CLEAR_EXAMPLES.values() for text in examples] * 40
    batches = [texts[i:] + texts[:i] for i in range(16)]
    expected = [local_classifier.classify_batch(batch) for batch in batches]
    # When classified from 8 threads at once / Then exactly the same answers
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(local_classifier.classify_batch, batches))
    assert results == expected


def test_training_is_deterministic(trained_artifact: dict[str, Any]) -> None:
    # Given the same data / When trained again / Then the same weights, temperature and version
    again = train_model(load_training_data(), version="local-test")
    assert np.array_equal(again["weights"], trained_artifact["weights"])
    assert again["temperature"] == trained_artifact["temperature"]
    assert np.array_equal(again["class_scale"], trained_artifact["class_scale"])
    assert np.array_equal(again["class_offset"], trained_artifact["class_offset"])
    first = model_version(data_files(), [], TrainingParams())
    assert model_version(data_files(), [], TrainingParams()) == first
    assert first.startswith("local-")
    assert len(first) == len("local-") + 12


def test_version_changes_with_corrections() -> None:
    params = TrainingParams()
    correction = [LabelledComment("o botão de download sumiu", "CRÍTICA", "corrections")]
    assert model_version(data_files(), correction, params) != model_version(
        data_files(), [], params
    )


def test_corrections_are_validated_and_never_leak_the_held_out_split() -> None:
    held_out = [LabelledComment("HINOOOO", "ELOGIO", "listeners_x")]
    usable = usable_corrections(
        [
            ("hino!", "ELOGIO"),  # same split key as a held-out row: left out
            ("o app fecha sozinho", "CRÍTICA"),
            ("o app fecha sozinho", "CRÍTICA"),  # duplicate
            ("qualquer", "NOT_A_CATEGORY"),
            ("  ", "ELOGIO"),
        ],
        held_out,
    )
    assert [(row.texto, row.categoria) for row in usable] == [("o app fecha sozinho", "CRÍTICA")]


def test_corrections_teach_the_model(local_classifier: LocalClassifier) -> None:
    # Given made-up words the corpus cannot know, and the category the corpus model (the
    # session's, trained on the same data without corrections) gives them
    text = "zorblax quanquerino vuvuzela"
    data = load_training_data()
    base = local_classifier.classify_batch([text])[0]
    target = "DÚVIDA" if base.categoria != "DÚVIDA" else "SUGESTÃO"
    corrected = TrainingData(
        data.listeners,
        data.youtube,
        [LabelledComment(text, target, "corrections")] * 3,
    )
    # When trained with a human correction for it / Then the model follows the correction
    assert (
        LocalClassifier(train_model(corrected, version="b")).classify_batch([text])[0].categoria
        == target
    )


def test_loading_from_a_file(artifact_file: Path) -> None:
    classifier = load_local_classifier(Settings(model_path=str(artifact_file)))
    assert classifier.version == "local-test"
    assert classifier.classify_batch(["please add lyrics to the app"])[0].categoria == "SUGESTÃO"


def test_missing_artifact_says_to_train(tmp_path: Path) -> None:
    with pytest.raises(ModelNotTrained, match="alumusic train"):
        load_local_classifier(Settings(model_path=str(tmp_path / "absent.joblib")))


def test_foreign_artifact_is_refused(trained_artifact: dict[str, Any]) -> None:
    with pytest.raises(ModelNotTrained):
        LocalClassifier({**trained_artifact, "format": 99})
    with pytest.raises(ModelNotTrained):
        LocalClassifier({**trained_artifact, "classes": ["ELOGIO", "OTHER", "A", "B", "C"]})


def test_a_cold_process_uses_the_stored_tag_matcher_and_no_database_layer(
    artifact_file: Path,
) -> None:
    # Given a trained artifact on disk (training stores the compiled tag matcher in it)
    script = (
        "import json, sys\n"
        "from shared.classifier.local import load_local_classifier\n"
        "from shared.classifier.tags import default_taxonomy\n"
        "from shared.config import Settings\n"
        "classifier = load_local_classifier(Settings(model_path=sys.argv[1]))\n"
        "answer = classifier.classify_batch(['a letra não aparece no app'])[0]\n"
        "print(json.dumps({'from_program': default_taxonomy().from_program,\n"
        "                  'tags': answer.tags_funcionalidades,\n"
        "                  'sqlalchemy': 'sqlalchemy' in sys.modules}))\n"
    )
    # When a fresh interpreter loads the classifier from it and classifies one comment
    done = subprocess.run(
        [sys.executable, "-c", script, str(artifact_file)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Then the matcher came from the artifact (nothing compiled), tags are right, and the
    # database layer, which a cold start that only classifies does not need, was never imported
    assert result == {"from_program": True, "tags": ["feat_letra"], "sqlalchemy": False}
