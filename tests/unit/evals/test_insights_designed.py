"""The designed-set builder (tooling/evals/insights/designed.py) both blind sets are made with."""

from __future__ import annotations

import json

import pytest

from tooling.evals.insights.blind import build as first_set
from tooling.evals.insights.blind import questions as first_questions
from tooling.evals.insights.designed import Q, check, p_value, share


def test_the_first_blind_sets_stored_stats_and_questions_are_what_its_tables_give() -> None:
    # Given the first blind set's committed files (its texts predate the writer's quotation
    # paragraphs, so the stats are compared), when its tables are built again
    stored = json.loads((first_set.DIGESTS_PATH).read_text(encoding="utf-8"))
    built = first_set.build()
    # Then every week's stats and the whole questions file are as committed
    assert [d["stats"] for d in built] == [d["stats"] for d in stored]
    asked = json.loads(first_questions.QUESTIONS_PATH.read_text(encoding="utf-8"))
    assert first_questions.build() == asked


def test_shares_round_half_up_and_the_test_is_undefined_without_comments() -> None:
    assert share(1, 8) == 12.5
    assert share(1, 3) == 33.3
    assert share(2, 3) == 66.7
    assert share(5, 0) == 0.0
    assert p_value(10, 100, 10, 100) == 1.0
    assert p_value(0, 100, 0, 100) is None


def test_a_mistyped_figure_is_caught_when_the_questions_are_written() -> None:
    digests = {d["semana"]: d for d in first_set.build()}
    right = Q("en", "share", "How many comments in week 38?", ["1012"], ["2026-W38"])
    check(right, digests)
    wrong = Q("en", "share", "How many comments in week 38?", ["1021"], ["2026-W38"])
    with pytest.raises(ValueError, match="1021"):
        check(wrong, digests)
    uncovered = Q("en", "share", "How many comments in week 20?", [], ["2026-W20"])
    with pytest.raises(ValueError, match="no digest"):
        check(uncovered, digests)
