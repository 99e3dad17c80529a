"""Analyst tags: a theme's words as expressions, matched beside the taxonomy's tags."""

from __future__ import annotations

from collections.abc import Sequence

from shared.classifier import Classification
from shared.themes.tagging import AnalystTags, WithAnalystTags, analyst_taxonomy, patterns_for


def test_a_phrase_matches_with_a_linking_word_between() -> None:
    taxonomy = analyst_taxonomy([("feat_camisa", "camisa de time", patterns_for(["camisa time"]))])
    assert taxonomy is not None
    found = taxonomy.extract(
        ["a CAMISA DO TIME no vídeo", "camisa time retrô", "a camisa azul", "o time jogou"]
    )
    assert found == [("feat_camisa",), ("feat_camisa",), (), ()]


def test_no_tags_no_matcher() -> None:
    assert analyst_taxonomy([]) is None


class FixedClassifier:
    name = "fixed"
    version = "1"

    def __init__(self, categoria: str) -> None:
        self.categoria = categoria

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        tags = () if self.categoria == "SPAM" else ("feat_letra",)
        return [Classification(self.categoria, tags, 0.9, "fixed", "1") for _ in texts]


class FakeTags(AnalystTags):
    def __init__(self) -> None:
        taxonomy = analyst_taxonomy([("feat_boato", "boatos", ["boato"])])
        assert taxonomy is not None
        self.taxonomy = taxonomy

    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        return self.taxonomy.extract(texts)


def test_the_classifier_adds_analyst_tags_but_never_to_spam() -> None:
    texts = ["esse boooato é real?", "nada a ver"]
    answers = WithAnalystTags(FixedClassifier("DÚVIDA"), FakeTags()).classify_batch(texts)
    assert [a.tags_funcionalidades for a in answers] == [
        ("feat_boato", "feat_letra"),
        ("feat_letra",),
    ]
    spam = WithAnalystTags(FixedClassifier("SPAM"), FakeTags()).classify_batch(texts)
    assert spam[0].tags_funcionalidades == ()


def test_a_failing_read_leaves_classification_untouched_and_is_retried_later() -> None:
    calls: list[int] = []
    now = [0.0]

    def engine() -> object:
        calls.append(1)
        raise ConnectionError("database down")

    tags = AnalystTags(engine, clock=lambda: now[0])  # type: ignore[arg-type]
    assert tags.extract(["boato"]) == [()]
    assert tags.extract(["boato"]) == [()]
    assert len(calls) == 1  # not read again within the refresh interval
    now[0] += 31.0
    assert tags.extract(["boato"]) == [()]
    assert len(calls) == 2
