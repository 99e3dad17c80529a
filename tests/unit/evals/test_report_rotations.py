"""The figures report's table of an unseen video's labelled comments."""

from __future__ import annotations

from typing import Any

from tooling.evals.quality import ROTATION_COMMENTS
from tooling.evals.report import render_rotation_comments


def _scores(f1: float, support: int) -> dict[str, Any]:
    return {"precision": f1, "recall": f1, "f1": f1, "support": support}


def test_each_rotation_with_labelled_comments_gets_a_row() -> None:
    # Given two rotations, one of which has labelled comments
    comments = {
        "n": 54,
        "accuracy": 0.6111,
        "errors_at_review_threshold": 0.1905,
        "per_category": {"ELOGIO": _scores(0.678, 24), "CRÍTICA": _scores(0.4571, 23)},
        "out_of_scope": {"n": 121, "below_review_threshold": 0.876},
    }
    rotations = {"Youtube01-Psy": {ROTATION_COMMENTS: comments}, "Youtube09-Other": {}}
    # When rendered
    lines = render_rotation_comments(rotations)
    # Then the labelled one has its row, counting the OUTRO rows among its comments
    rows = [line for line in lines if line.startswith("| Youtube")]
    assert rows == ["| Youtube01-Psy | 175 | 0.678 (24) | 0.457 (23) | 0.611 | 19% | 88% of 121 |"]


def test_no_labelled_comments_no_table() -> None:
    assert render_rotation_comments({"Youtube01-Psy": {}}) == []
