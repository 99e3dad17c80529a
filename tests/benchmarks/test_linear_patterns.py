"""Every pattern over listener text takes time linear in it, checked on the worst inputs built
for each (long runs of the characters it starts with, repeats and separators), and an evaluation
set grouped by a column with a value per row.

Times are compared, never asserted: each input is timed at n and 8n characters (CPU time, best of
several runs) and the ratio must stay far below what a quadratic pattern gives (64): 8 when
linear, with room for a busy machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest

from shared.classifier import Classification
from shared.classifier.text import encode_batch
from shared.digest.samples import mask_pii
from shared.insights.digests import _GREETING, split_sentences
from shared.insights.periods import parse_period
from shared.insights.service import ask
from shared.insights.understanding import understand
from shared.numbers import numbers_in_text
from tooling.evals.insights import load_digests, load_questions
from tooling.evals.runner import read_eval_csv, run_grouped

pytestmark = pytest.mark.benchmark

SHORT = 2_000
GROWTH = 8
MAX_RATIO = 24  # linear gives 8, quadratic 64
RUNS = 5
# Whole questions answered through `ask`: 600 and 4,800 characters, where splitting a question at
# each of its connectors took seconds.
QUESTION_SHORT = 600
TODAY = date(2026, 12, 7)
# Rows of an evaluation set with one group per row, where grouping compared every row with every
# group.
EVAL_ROWS = 1_500


def period_of(question: str) -> object:
    return parse_period(question, TODAY)


# (what runs over the text, the unit repeated to build the worst input for its patterns)
WORST_CASES: list[tuple[str, Callable[[str], object], str]] = [
    # e-mail mask: local parts with no @, or no domain after it
    ("mask_pii", mask_pii, "a."),
    ("mask_pii", mask_pii, "a@"),
    ("mask_pii", mask_pii, "+"),
    # link mask: dotted labels with no known ending, hyphens, schemes without a host
    ("mask_pii", mask_pii, "1."),
    ("mask_pii", mask_pii, "a-"),
    ("mask_pii", mask_pii, "-."),
    ("mask_pii", mask_pii, "www"),
    ("mask_pii", mask_pii, "http:/"),
    # bare-domain mask: one run of labels with hyphens, digits and letters, never ending a domain
    ("mask_pii", mask_pii, "a-1."),
    ("mask_pii", mask_pii, "ab.1"),
    # phone mask: digits and separators that never reach seven digits in a row
    ("mask_pii", mask_pii, "1 "),
    ("mask_pii", mask_pii, "1-.("),
    ("mask_pii", mask_pii, " "),
    # digest sentences: the greeting line, sentence ends, spaces before an unexpected mark
    ("split_sentences", split_sentences, "olá "),
    ("split_sentences", split_sentences, ". "),
    ("split_sentences", split_sentences, "\n"),
    # the greeting pattern alone, over spaces that split_sentences would have collapsed
    ("greeting", lambda spaces: _GREETING.match(f"olá{spaces}?"), " "),
    # the classifier's link and e-mail masks (each comment of a batch goes through them)
    # (a link elsewhere in the comment sends it through the link mask)
    ("encode_batch", lambda text: encode_batch([f"{text} x.com"]), "ab."),
    ("encode_batch", lambda text: encode_batch([f"{text} x.com"]), "a-b."),
    ("encode_batch", lambda text: encode_batch([f"{text}@"]), "a."),
    ("encode_batch", lambda text: encode_batch([f"{text}@"]), "a"),
    # numbers quoted in the digest text
    ("numbers_in_text", numbers_in_text, "1.000"),
    ("numbers_in_text", numbers_in_text, "1,"),
    ("numbers_in_text", numbers_in_text, "1"),
    # the period of a question: holidays and seasons (the words before and after each, the year
    # after a long run of spaces), dates after "since" or "the week of", "between" before a week
    # list, "the last fortnight", a month's year after a long run of spaces
    ("parse_period", period_of, "natal "),
    ("parse_period", lambda spaces: period_of(f"natal{spaces}x"), " "),
    ("parse_period", lambda spaces: period_of(f"janeiro{spaces}x"), " "),
    ("parse_period", period_of, "holy week after easter "),
    ("parse_period", period_of, "verao "),
    ("parse_period", period_of, "01/02 "),
    ("parse_period", period_of, "entre semana 1 "),
    ("parse_period", period_of, "a a "),
    # what a question asks: arithmetic over long numbers, a closing tag after a run of spaces,
    # "quem" then the listeners, names, a role then its verb
    ("understand", understand, "1"),
    ("understand", understand, " "),
    ("understand", understand, ", quem "),
    ("understand", understand, "Ana x "),
    ("understand", understand, "que o ceo "),
]
# Questions naming a period at every connector ("semana 1 e semana 1 e ..."), which the answer
# splits to find two periods compared.
QUESTION_CASES: list[str] = ["semana 1 e ", "na 1 ou ", "em maio e "]


def cpu_seconds(run: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return max(best, 1e-6)


@pytest.mark.parametrize(
    ("name", "run", "unit"), WORST_CASES, ids=[f"{n}-{u!r}" for n, _, u in WORST_CASES]
)
def test_time_grows_linearly_with_the_worst_input(name, run, unit):
    # Given the worst input built from `unit`, at n and 8n characters
    short = unit * (SHORT // len(unit))
    long = unit * (GROWTH * SHORT // len(unit))
    # When each is processed
    ratio = cpu_seconds(run, long) / cpu_seconds(run, short)
    # Then 8 times the text takes about 8 times as long, nowhere near 64
    assert ratio < MAX_RATIO, f"{name} over {unit!r}: x{ratio:.1f} for x{GROWTH} the text"


@pytest.mark.parametrize("unit", QUESTION_CASES, ids=[repr(u) for u in QUESTION_CASES])
def test_answering_time_grows_linearly_with_the_worst_question(unit):
    # Given the evaluation's digests, and the worst question built from `unit` at n and 8n
    # characters
    today, _ = load_questions()
    digests = load_digests()

    def answer(question: str) -> object:
        return ask(question, digests, today=today)

    short = unit * (QUESTION_SHORT // len(unit))
    long = unit * (GROWTH * QUESTION_SHORT // len(unit))
    # When each is answered
    ratio = cpu_seconds(answer, long) / cpu_seconds(answer, short)
    # Then 8 times the question takes about 8 times as long, nowhere near 64
    assert ratio < MAX_RATIO, f"ask over {unit!r}: x{ratio:.1f} for x{GROWTH} the question"


class _AlwaysPraise:
    """A classifier that costs nothing, so the time measured is the evaluation's own."""

    name = "always-praise"
    version = "always-praise-1"

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        return [Classification("ELOGIO", (), 0.9, self.name, self.version) for _ in texts]


def test_evaluating_by_group_grows_linearly_with_the_groups(tmp_path: Path) -> None:
    # Given a polarity set grouped by a column with a value per row (`alumusic eval --by id`),
    # at n and 8n rows
    path = tmp_path / "posts.csv"

    def evaluate_by_row(csv_text: str) -> object:
        path.write_text(csv_text, encoding="utf-8")
        return run_grouped(_AlwaysPraise(), read_eval_csv(path, group_by="id"))

    def rows(n: int) -> str:
        return "texto,polaridade,id\n" + "".join(f"post {i},1,{i}\n" for i in range(n))

    # When each is measured
    ratio = cpu_seconds(evaluate_by_row, rows(GROWTH * EVAL_ROWS)) / cpu_seconds(
        evaluate_by_row, rows(EVAL_ROWS)
    )
    # Then 8 times the groups take about 8 times as long, nowhere near 64
    assert ratio < MAX_RATIO, f"eval by group: x{ratio:.1f} for x{GROWTH} the rows"
