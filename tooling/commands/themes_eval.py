"""`alumusic eval themes [--data FILE.csv]`: the themes grouping's figures on a labelled set
(default: the product's own, `tooling/evals/themes/themes.csv`).

Adds `themes` to the targets of `eval` (after the insights module has made `eval` take a target),
so every other form of `eval` keeps working unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _eval_themes(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tooling.evals.themes import CSV_PATH, as_dict, evaluate

    path = Path(args.data) if args.data else CSV_PATH
    try:
        report = evaluate(path, threshold=args.threshold) if args.threshold else evaluate(path)
    except (OSError, ValueError, KeyError) as error:
        print(f"alumusic eval themes: {error}", file=sys.stderr)
        return 2
    print(
        f"themes: {report.comments} comments over {report.subjects} subjects and noise "
        f"(cosine threshold {report.threshold})\n"
        f"  themes {report.themes}, subjects found {report.found}/{report.subjects}, "
        f"named by an expected word {report.named}/{report.subjects}\n"
        f"  purity {report.purity:.3f}  coverage {report.coverage:.3f}\n"
        f"  near-duplicates split {report.near_duplicate_splits} of {report.near_duplicates}  "
        f"({report.milliseconds:.0f} ms)"
    )
    for subject, name in report.names.items():
        print(f"  {subject:24s} {name}")
    if args.json:
        print(json.dumps(as_dict(report), ensure_ascii=False))
    failed = []
    if report.near_duplicate_splits:
        failed.append(f"{report.near_duplicate_splits} near-duplicates split (bar 0)")
    if report.purity < args.min_purity:
        failed.append(f"purity {report.purity:.3f} < {args.min_purity}")
    if failed:
        print(f"  FAIL: {'; '.join(failed)}")
        return 1
    return 0


def register(subparsers: Any) -> None:
    evaluate = subparsers.choices["eval"]
    for action in evaluate._actions:
        if action.dest == "target" and action.choices is not None:
            action.choices = (*action.choices, "themes")
            action.help = f"{action.help}; `themes`: evaluate the themes grouping"
    group = evaluate.add_argument_group("themes (alumusic eval themes)")
    group.add_argument("--min-purity", type=float, default=0.9)
    group.add_argument(
        "--threshold", type=float, default=None, help="cosine threshold (default: the product's)"
    )
    previous = evaluate.get_default("handler")

    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "target", None) == "themes":
            return _eval_themes(args)
        return int(previous(args) or 0)

    evaluate.set_defaults(handler=handler)
