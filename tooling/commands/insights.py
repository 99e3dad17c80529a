"""`alumusic eval insights`: the insights answerer's figures on an evaluation set.

The classifier's `alumusic eval --data FILE.csv` already owns `eval`; this module adds `insights`
as an optional target of that command, so `alumusic eval insights` runs this evaluation and every
other form of `eval` keeps working unchanged. `--digests`, `--questions` and `--today` score another
set the same way (the blind set: tooling/evals/insights/blind/README.md).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any


def _eval_insights(args: argparse.Namespace) -> int:
    from tooling.evals.insights import DIGESTS_PATH, QUESTIONS_PATH, Thresholds, as_dict, run

    bars = Thresholds(
        accuracy=args.min_accuracy,
        refusal_precision=args.min_refusal_precision,
        refusal_recall=args.min_refusal_recall,
        citation_precision=args.min_citation_precision,
        p50_ms=args.max_p50_ms,
    )
    splits = ("tuning", "heldout") if args.split == "both" else (args.split,)
    reports = run(
        splits,
        digests_path=args.digests or DIGESTS_PATH,
        questions_path=args.questions or QUESTIONS_PATH,
        today=args.today,
    )
    failed = False
    for report in reports:
        print(
            f"{report.split:8s} questions {report.questions} (answerable {report.answerable}, "
            f"unanswerable {report.unanswerable})\n"
            f"  accuracy {report.accuracy:.3f}  week accuracy {report.week_accuracy:.3f}  "
            f"citation precision {report.citation_precision:.3f}\n"
            f"  refusal precision {report.refusal_precision:.3f}  "
            f"refusal recall {report.refusal_recall:.3f}  p50 {report.p50_ms:.1f} ms"
        )
        if args.verbose:
            for failure in report.failures:
                print("  MISS " + json.dumps(failure, ensure_ascii=False))
        missed = report.misses(bars)
        if missed:
            failed = True
            print(f"  FAIL: {'; '.join(missed)}")
    if args.json:
        print(json.dumps([as_dict(r) for r in reports], ensure_ascii=False))
    return 1 if failed else 0


def _existing_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {value}")
    return path


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


def register(subparsers: Any) -> None:
    evaluate = subparsers.choices.get("eval")
    if evaluate is None:
        evaluate = subparsers.add_parser("eval", help="evaluate the product's models")
        evaluate.set_defaults(handler=lambda args: _eval_insights(args))
    # `--data` stays required for the classifier's evaluation; with `insights` it is not used.
    for action in evaluate._actions:
        if action.dest == "data":
            action.required = False
    evaluate.add_argument(
        "target",
        nargs="?",
        choices=("insights",),
        help="`insights`: evaluate the insights answerer",
    )
    group = evaluate.add_argument_group("insights (alumusic eval insights)")
    group.add_argument("--split", choices=("tuning", "heldout", "both"), default="both")
    group.add_argument("--min-accuracy", type=float, default=0.90)
    group.add_argument("--min-refusal-precision", type=float, default=0.90)
    group.add_argument("--min-refusal-recall", type=float, default=0.90)
    group.add_argument("--min-citation-precision", type=float, default=0.95)
    group.add_argument("--max-p50-ms", type=float, default=50.0)
    group.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    # Another set (the blind one in tooling/evals/insights/blind/) scored the same way.
    group.add_argument(
        "--digests",
        type=_existing_file,
        metavar="PATH",
        help="digests JSON (semana, inicio, fim, stats, texto); default: the fixed set's",
    )
    group.add_argument(
        "--questions",
        type=_existing_file,
        metavar="PATH",
        help='questions JSON ({"today", "questions": [...]}); default: the fixed set\'s',
    )
    group.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help='the day questions are asked on (what "last week" means); default: the '
        "questions file's `today`",
    )
    classifier_handler = evaluate.get_default("handler")

    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "target", None) == "insights":
            return _eval_insights(args)
        if getattr(args, "data", None) is None:
            evaluate.error("the following arguments are required: --data (or the target insights)")
        return int(classifier_handler(args) or 0)

    evaluate.set_defaults(handler=handler)
