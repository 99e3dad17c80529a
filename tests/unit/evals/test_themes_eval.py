"""`alumusic eval themes` on the labelled set: no near-duplicate split, clean groups, named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shared.cli import main
from tooling.evals.themes import CSV_PATH, evaluate
from tooling.evals.themes.generate import rows


def test_the_committed_set_is_what_the_generator_writes() -> None:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == rows()


def test_the_grouping_meets_its_bars_on_the_labelled_set() -> None:
    report = evaluate()
    assert report.comments >= 300
    assert report.near_duplicates >= 80
    assert report.near_duplicate_splits == 0
    assert report.purity >= 0.9
    assert report.found == report.subjects == 8
    assert report.named == 8


def test_a_threshold_that_splits_themes_lowers_coverage() -> None:
    # The figures move with the grouping: a strict threshold leaves comments out of their themes
    assert evaluate(threshold=0.5).coverage < evaluate().coverage


def test_the_command_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "themes"]) == 0
    out = capsys.readouterr().out
    assert "near-duplicates split 0 of" in out
    assert "purity" in out
    assert main(["eval", "themes", "--min-purity", "0.999"]) == 1


def test_the_command_scores_the_set_it_is_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Given the independent set, written without reading the grouping, and its expected words
    independent = CSV_PATH.parent / "independent.csv"

    # When it is scored with --data
    main(["eval", "themes", "--data", str(independent)])

    # Then the figures are that set's (309 comments over 9 subjects), not the product's own set's
    out = capsys.readouterr().out
    assert "309 comments over 9 subjects" in out

    # And a set whose expected words are missing is a clear error (exit 2), not another set's score
    lonely = tmp_path / "lonely.csv"
    lonely.write_text("id,texto,tema,variante_de\na,um texto,x,\n", encoding="utf-8")
    assert main(["eval", "themes", "--data", str(lonely)]) == 2
    assert "lonely.json" in capsys.readouterr().err
    assert main(["eval", "themes", "--data", str(tmp_path / "absent.csv")]) == 2
