"""The tags in words the dashboard reads (GET /api/tags), from the one vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.charts.tag_words import tag_words, taxonomy_tag_ids
from shared.classifier.tags import SCOPES
from shared.digest.vocabulary import SUBJECT_SLOT, TAG_WORDS, scope_pattern, tag_name


def test_every_tag_is_named_in_both_languages_and_never_by_its_id() -> None:
    # When the dashboard's vocabulary is built
    body = tag_words()
    # Then each taxonomy tag, sorted by id, carries the vocabulary's words
    ids = [item["tag"] for item in body["tags"]]
    assert ids == sorted(ids) == list(taxonomy_tag_ids())
    assert set(ids) <= set(TAG_WORDS)
    for item in body["tags"]:
        assert item["nome"] == tag_name(item["tag"], "pt")
        assert item["name_en"] == tag_name(item["tag"], "en")
        assert item["tag"] not in (item["nome"], item["name_en"])
        assert "_" not in item["nome"] + item["name_en"], item
    # And every scope has a pattern for the tags the taxonomy lacks
    assert [item["escopo"] for item in body["escopos"]] == list(SCOPES)
    assert body["assunto"] == SUBJECT_SLOT


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("language", ["pt", "en"])
def test_a_scope_pattern_names_an_unknown_tag_as_tag_name_does(scope: str, language: str) -> None:
    # Given a tag no vocabulary entry covers (an analyst's correction added it)
    tag = f"{scope}_ingresso"
    assert tag not in TAG_WORDS
    # When a client fills the scope's pattern with the subject
    named = scope_pattern(scope, language).replace(SUBJECT_SLOT, "ingresso")
    # Then it reads exactly as the server names that tag
    assert named == tag_name(tag, language)


def test_the_scope_patterns_read_as_words() -> None:
    assert scope_pattern("fix") == "problemas de {s}"
    assert scope_pattern("ui") == "interface de {s}"  # the heading's form: no article
    assert scope_pattern("perf", "en") == "{s} performance"
    assert scope_pattern("feat", "en") == "{s}"


def test_tag_ids_come_from_the_taxonomy_file(tmp_path: Path) -> None:
    # Given a taxonomy file with its tags in any order
    path = tmp_path / "taxonomy.json"
    path.write_text(
        json.dumps({"versao": "1", "tags": {"fix_volume": {}, "feat_aovivo": {}}}),
        encoding="utf-8",
    )
    # Then its ids are read sorted, without compiling its matcher
    assert taxonomy_tag_ids(path) == ("feat_aovivo", "fix_volume")
