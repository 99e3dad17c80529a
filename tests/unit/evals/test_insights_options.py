"""`alumusic eval insights --digests --questions --today`: another set, loaded and scored the same
way as the fixed one (the blind set of tooling/evals/insights/blind/ is the one it exists for)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.cli import build_parser, main
from tooling.evals import insights
from tooling.evals.insights import contains, load_digests, load_questions, states
from tooling.evals.insights.blind import build as blind

BLIND = Path(blind.__file__).parent


def test_the_set_options_parse_to_paths_and_a_date() -> None:
    # Given the blind set's files, when the command line is parsed
    args = build_parser("eval").parse_args(
        [
            "eval",
            "insights",
            "--digests",
            str(BLIND / "digests.json"),
            "--questions",
            str(BLIND / "questions.json"),
            "--today",
            "2026-12-09",
            "--split",
            "heldout",
        ]
    )
    # Then they are typed, and the classifier's --data is not asked for
    assert args.target == "insights"
    assert args.digests == BLIND / "digests.json"
    assert args.questions == BLIND / "questions.json"
    assert args.today == date(2026, 12, 9)
    assert args.data is None


def test_without_the_options_the_fixed_set_is_used() -> None:
    args = build_parser("eval").parse_args(["eval", "insights"])
    assert (args.digests, args.questions, args.today) == (None, None, None)


@pytest.mark.parametrize(
    "option", [["--digests", "no-such.json"], ["--questions", "no-such.json"], ["--today", "W48"]]
)
def test_a_missing_file_or_a_bad_date_is_a_usage_error(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser("eval").parse_args(["eval", "insights", *option])
    assert stopped.value.code == 2
    assert option[1] in capsys.readouterr().err


def test_the_command_scores_the_named_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a run that records what it was asked to score
    seen: dict[str, Any] = {}

    def fake_run(splits: tuple[str, ...], **kwargs: Any) -> list[insights.SplitReport]:
        seen.update(kwargs, splits=splits)
        return [
            insights.SplitReport(
                "heldout",
                questions=1,
                accuracy=1.0,
                citation_precision=1.0,
                refusal_precision=1.0,
                refusal_recall=1.0,
            )
        ]

    monkeypatch.setattr(insights, "run", fake_run)
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps({"today": "2026-12-02", "questions": []}), encoding="utf-8")
    # When the command runs on the blind digests and that questions file, today overridden
    code = main(
        [
            "eval",
            "insights",
            "--digests",
            str(BLIND / "digests.json"),
            "--questions",
            str(questions),
            "--today",
            "2026-12-03",
            "--split",
            "heldout",
            "--json",
        ]
    )
    # Then exactly those are scored
    assert code == 0
    assert seen == {
        "splits": ("heldout",),
        "digests_path": BLIND / "digests.json",
        "questions_path": questions,
        "today": date(2026, 12, 3),
    }
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["split"] == "heldout"


def test_the_blind_set_loads_held_out_with_its_own_today() -> None:
    digests = load_digests(BLIND / "digests.json")
    today, questions = load_questions(BLIND / "questions.json")
    covered = {d.semana for d in digests}
    assert today == date(2026, 12, 2)
    assert len(digests) == 12
    assert max(d.fim for d in digests) < today
    assert len(questions) >= 130
    assert {q["split"] for q in questions} == {"heldout"}
    assert sum(not q["answerable"] for q in questions) * 3 >= len(questions)
    for question in questions:
        assert question["kind"]
        assert set(question["weeks"]) <= covered
        assert bool(question["weeks"]) == question["answerable"]


def test_a_fact_given_as_wordings_is_stated_by_any_one() -> None:
    text = "As reclamações sobre anúncios voltaram: 12 menções."
    assert states(text, ["ads", "anúncios"])
    assert not states(text, ["preço", "price"])
    # A plain string is read exactly as before.
    for fact in ("12", "anúncios", "anuncio", "13"):
        assert states(text, fact) == contains(text, fact)
