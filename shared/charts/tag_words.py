"""Tags in words for the dashboard (GET /api/tags): one answer the page reads once per login.

Every tag of the product's taxonomy with its words in Portuguese (`nome`) and English
(`name_en`), both from shared/digest/vocabulary.py, and per scope how to name a tag the taxonomy
lacks (an analyst's correction may add one), so the page never shows a bare id where a person
expects words. The ids stay what filters, corrections and the CSV export use.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from shared.classifier.tags import SCOPES, TAXONOMY_PATH
from shared.digest.vocabulary import SUBJECT_SLOT, scope_pattern, tag_name


def taxonomy_tag_ids(path: Path = TAXONOMY_PATH) -> tuple[str, ...]:
    """The taxonomy's tag ids, sorted. Read from the file's keys rather than through
    default_taxonomy(): compiling its matcher takes seconds, and only the names are needed here
    (the classifier validates the file wherever it loads it)."""
    document = json.loads(path.read_bytes())
    return tuple(sorted(document["tags"]))


@cache
def tag_words() -> dict[str, Any]:
    """The body of GET /api/tags (the same for every caller; built once per process)."""
    return {
        "tags": [
            {"tag": tag, "nome": tag_name(tag, "pt"), "name_en": tag_name(tag, "en")}
            for tag in taxonomy_tag_ids()
        ],
        "escopos": [
            {
                "escopo": scope,
                "nome": scope_pattern(scope, "pt"),
                "name_en": scope_pattern(scope, "en"),
            }
            for scope in SCOPES
        ],
        "assunto": SUBJECT_SLOT,
    }
