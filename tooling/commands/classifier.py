"""`alumusic train`, `alumusic eval`, `alumusic classify`: the embedded model's life cycle."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO, cast

from shared.classifier import CATEGORIES, Classification, Classifier
from shared.config import Settings, get_settings
from shared.errors import InvalidInput
from tooling.progress import progress_bar

CLASSIFY_CHUNK = 10_000
OUTPUT_FIELDS = ("categoria", "tags_funcionalidades", "confianca", "model_version")


# --- train -------------------------------------------------------------------------------------


def read_corrections(settings: Settings) -> list[tuple[str, str]]:
    """(texto, categoria_corrigida) of every human-corrected comment in the database."""
    import sqlalchemy as sa

    from shared.bootstrap import get_app

    query = sa.text(
        "SELECT texto, categoria_corrigida FROM comments "
        "WHERE categoria_corrigida IS NOT NULL ORDER BY id"
    )
    with get_app().engine.connect() as connection:
        return [(str(texto), str(categoria)) for texto, categoria in connection.execute(query)]


def _train(args: argparse.Namespace) -> int:
    from shared.classifier.local import artifact_path
    from tooling.classifier.training import held_out_rows, train_and_save

    settings = get_settings()
    corrections: list[tuple[str, str]] = []
    if args.with_corrections:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            corrections = read_corrections(settings)
        except (SQLAlchemyError, OSError) as error:
            print(
                f"alumusic train: database not reachable ({type(error).__name__}); "
                "training without corrections",
                file=sys.stderr,
            )
    output = Path(args.output) if args.output else artifact_path(settings)
    started = time.perf_counter()
    artifact = train_and_save(output, corrections)
    trained_on = artifact["trained_on"]
    print(
        f"trained {artifact['version']} in {time.perf_counter() - started:.1f} s -> {output}\n"
        f"  listener rows {trained_on['listener_rows']}, corrections {trained_on['correction_rows']}"
        f" (of {len(corrections)} read), YouTube spam {trained_on['youtube_spam_rows']}, "
        f"YouTube not spam {trained_on['youtube_not_spam_rows']}, "
        f"real public text {trained_on.get('external_rows', 0)}, "
        f"calibration scale {_span(artifact['class_scale'])}, "
        f"offset {_span(artifact['class_offset'])} (one temperature: {artifact['temperature']:.3f})"
    )
    if args.held_out_csv:
        rows = held_out_rows()
        with _atomic_output(Path(args.held_out_csv)) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["texto", "categoria"])
            writer.writerows([row.texto, row.categoria] for row in rows)
        print(f"  held-out split: {len(rows)} rows -> {args.held_out_csv}")
    return 0


def _span(values: Any) -> str:
    """The smallest and largest of an array, for one line of output."""
    return f"{float(min(values)):.2f} to {float(max(values)):.2f}"


# --- eval --------------------------------------------------------------------------------------


def build_backend(settings: Settings, backend: str | None) -> Classifier:
    """The embedded model for `local` (or no backend given and CLASSIFIER=local), else the factory's."""
    chosen = backend or settings.classifier
    if chosen == "local":
        from shared.classifier.local import load_local_classifier

        return load_local_classifier(settings)
    from shared.classifier.factory import build_classifier

    return build_classifier(settings.model_copy(update={"classifier": chosen}))


def _parse_min_f1(values: Sequence[str], allowed: Sequence[str]) -> dict[str, float]:
    thresholds: dict[str, float] = {}
    for value in values:
        category, sep, number = value.partition("=")
        category = category.strip()
        if not sep or category not in allowed:
            raise InvalidInput(
                f"--min-f1 expects CATEGORY=X with CATEGORY one of {', '.join(allowed)}; got {value!r}"
            )
        thresholds[category] = _fraction(number, f"--min-f1 {category}")
    return thresholds


def _fraction(value: str | float, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{what}: {value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise InvalidInput(f"{what}: {number} is not between 0 and 1")
    return number


def _eval(args: argparse.Namespace) -> int:
    from tooling.evals.metrics import EvalReport, render_text, save_confusion_png
    from tooling.evals.runner import NOT_SPAM, SPAM, read_eval_csv, render_groups, run_grouped

    data = read_eval_csv(Path(args.data), args.by)
    settings = get_settings()
    if data.kind == "polarity":
        return _eval_polarity(args, data, build_backend(settings, args.backend), settings)
    labels = CATEGORIES if data.kind == "categories" else (SPAM, NOT_SPAM)
    min_f1 = _parse_min_f1(args.min_f1 or [], labels)
    min_macro = _fraction(args.min_macro_f1, "--min-macro-f1") if args.min_macro_f1 else None
    classifier = build_backend(settings, args.backend)
    whole, groups = run_grouped(classifier, data, settings.review_threshold)
    report = cast(EvalReport, whole)  # categories and spam data give an EvalReport

    failures: list[str] = []
    if min_macro is not None and report.macro_f1 < min_macro:
        failures.append(f"macro-F1 {report.macro_f1:.3f} < {min_macro}")
    for category, threshold in min_f1.items():
        f1 = report.per_category[category].f1
        if f1 < threshold:
            failures.append(f"{category} F1 {f1:.3f} < {threshold}")

    if args.confusion:
        save_confusion_png(report, Path(args.confusion))
    out = sys.stdout
    if not args.json:
        print(render_text(report), file=out)
        if args.by:
            print("\n" + render_groups(args.by, groups), file=out)
        if args.confusion:
            print(f"\nconfusion matrix PNG -> {args.confusion}", file=out)
    for failure in failures:
        print(f"alumusic eval: threshold missed: {failure}", file=sys.stderr)
    if args.json:
        result = report.as_dict() | _grouped_json(args.by, groups)
        print(json.dumps(result, ensure_ascii=False), file=out)
    return 1 if failures else 0


def _grouped_json(column: str | None, groups: dict[str, Any]) -> dict[str, Any]:
    if column is None:
        return {}
    return {"by": column, "groups": {name: report.as_dict() for name, report in groups.items()}}


def _eval_polarity(
    args: argparse.Namespace, data: Any, classifier: Classifier, settings: Settings
) -> int:
    from tooling.evals.polarity import PolarityReport, render_polarity
    from tooling.evals.runner import render_groups, run_grouped

    if args.min_f1 or args.min_macro_f1 or args.confusion:
        raise InvalidInput(
            "--min-f1, --min-macro-f1 and --confusion need texto,categoria data; a polarity set "
            "takes --min-polarity-accuracy and --max-spam-share"
        )
    whole, groups = run_grouped(classifier, data, settings.review_threshold)
    report = cast(PolarityReport, whole)  # polarity data gives a PolarityReport
    failures: list[str] = []
    if args.min_polarity_accuracy is not None:
        floor = _fraction(args.min_polarity_accuracy, "--min-polarity-accuracy")
        if report.polarity_accuracy < floor:
            failures.append(f"polarity accuracy {report.polarity_accuracy:.3f} < {floor}")
    if args.max_spam_share is not None:
        ceiling = _fraction(args.max_spam_share, "--max-spam-share")
        if report.called_spam > ceiling:
            failures.append(f"share called SPAM {report.called_spam:.3f} > {ceiling}")
    result = (
        report.as_dict()
        | {"neutral_skipped": data.neutral_skipped}
        | _grouped_json(args.by, groups)
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(render_polarity(report))
        if args.by:
            print("\n" + render_groups(args.by, groups))
        if data.neutral_skipped:
            print(f"\n{data.neutral_skipped} neutral rows (label 0) left out")
    for failure in failures:
        print(f"alumusic eval: threshold missed: {failure}", file=sys.stderr)
    return 1 if failures else 0


# --- classify ----------------------------------------------------------------------------------


def _input_format(path: Path, forced: str | None) -> str:
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    raise InvalidInput(f"{path}: cannot tell the format from the name; use --format csv|jsonl")


@contextmanager
def _atomic_output(path: Path | None) -> Iterator[TextIO]:
    """Stdout, or a file that appears only once it is complete (a failed run leaves nothing)."""
    if path is None:
        yield sys.stdout
        return
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _chunks(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _csv_records(handle: IO[str], source: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    reader = csv.DictReader(handle)
    fields = list(reader.fieldnames or ())
    if "texto" not in fields:
        raise InvalidInput(f"{source}: no 'texto' column (columns: {', '.join(fields) or 'none'})")

    def records() -> Iterator[dict[str, Any]]:
        for line, record in enumerate(reader, start=2):
            if None in record:
                raise InvalidInput(f"{source}:{line}: more fields than the header")
            yield _checked(record, f"{source}:{line}")

    return fields, records()


def _jsonl_records(handle: IO[str], source: str) -> Iterator[dict[str, Any]]:
    for line, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{source}:{line}: not JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise InvalidInput(f"{source}:{line}: expected a JSON object")
        yield _checked(record, f"{source}:{line}")


def _checked(record: dict[str, Any], where: str) -> dict[str, Any]:
    text = record.get("texto")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{where}: 'texto' is missing or empty")
    return record


def classify_stream(
    classifier: Classifier,
    source: IO[str],
    sink: TextIO,
    fmt: str,
    *,
    name: str = "input",
    chunk_size: int = CLASSIFY_CHUNK,
    progress: bool = False,
) -> int:
    """Classify every record of `source` into `sink`, chunk by chunk; returns the count."""
    count = 0
    with progress_bar(unit=" comments", enabled=progress) as bar:
        if fmt == "csv":
            fields, records = _csv_records(source, name)
            extra = [field for field in OUTPUT_FIELDS if field not in fields]
            writer = csv.DictWriter(sink, fieldnames=[*fields, *extra], lineterminator="\n")
            writer.writeheader()
            for chunk in _chunks(records, chunk_size):
                answers = classifier.classify_batch([record["texto"] for record in chunk])
                writer.writerows(
                    _with_answer(r, a, csv_tags=True) for r, a in zip(chunk, answers, strict=True)
                )
                count += len(chunk)
                bar.update(len(chunk))
        else:
            for chunk in _chunks(_jsonl_records(source, name), chunk_size):
                answers = classifier.classify_batch([record["texto"] for record in chunk])
                buffer = io.StringIO()
                for record, answer in zip(chunk, answers, strict=True):
                    buffer.write(
                        json.dumps(_with_answer(record, answer, csv_tags=False), ensure_ascii=False)
                    )
                    buffer.write("\n")
                sink.write(buffer.getvalue())
                count += len(chunk)
                bar.update(len(chunk))
    return count


def _with_answer(
    record: dict[str, Any], answer: Classification, *, csv_tags: bool
) -> dict[str, Any]:
    tags: Any = (
        ";".join(answer.tags_funcionalidades) if csv_tags else list(answer.tags_funcionalidades)
    )
    return {
        **record,
        "categoria": answer.categoria,
        "tags_funcionalidades": tags,
        "confianca": answer.confianca,
        "model_version": answer.model_version,
    }


def _classify(args: argparse.Namespace) -> int:
    path = Path(args.input)
    fmt = _input_format(path, args.format)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    classifier = build_backend(get_settings(), args.backend)
    output = Path(args.output) if args.output else None
    started = time.perf_counter()
    with (
        path.open(encoding="utf-8-sig", newline="" if fmt == "csv" else None) as source,
        _atomic_output(output) as sink,
    ):
        count = classify_stream(
            classifier, source, sink, fmt, name=str(path), progress=sys.stderr.isatty()
        )
    elapsed = time.perf_counter() - started
    print(
        f"classified {count} comments with {classifier.name} {classifier.version} "
        f"in {elapsed:.1f} s" + (f" -> {output}" if output else ""),
        file=sys.stderr,
    )
    return 0


# --- registration ------------------------------------------------------------------------------


def register(subparsers: Any) -> None:
    train = subparsers.add_parser(
        "train", help="train the embedded classifier from the corpus (and human corrections)"
    )
    train.add_argument(
        "--with-corrections",
        action="store_true",
        help="add the human corrections stored in the database (skipped if it is not reachable)",
    )
    train.add_argument("--output", help="artifact path (default: MODEL_PATH or the package's)")
    train.add_argument(
        "--held-out-csv", metavar="FILE", help="also write the held-out split as texto,categoria"
    )
    train.set_defaults(handler=_train)

    evaluate = subparsers.add_parser(
        "eval",
        help="measure a classifier on a labelled CSV "
        "(texto,categoria; CONTENT,CLASS; texto,polaridade or text,label)",
    )
    evaluate.add_argument("--data", required=True, metavar="FILE.csv", help="labelled CSV")
    evaluate.add_argument(
        "--backend", choices=("local", "llm", "cascade"), help="default: the CLASSIFIER setting"
    )
    evaluate.add_argument(
        "--json", action="store_true", help="print the report as one JSON object (last line)"
    )
    evaluate.add_argument("--min-macro-f1", metavar="X", help="fail (exit 1) below this macro-F1")
    evaluate.add_argument(
        "--min-f1",
        action="append",
        metavar="CATEGORY=X",
        help="fail (exit 1) when CATEGORY's F1 is below X; repeatable",
    )
    evaluate.add_argument("--confusion", metavar="PNG", help="write the confusion matrix as a PNG")
    evaluate.add_argument(
        "--by",
        metavar="COLUMN",
        help="also report each group of rows sharing a value in COLUMN (a topic, a source); "
        "thresholds apply to the whole set",
    )
    evaluate.add_argument(
        "--min-polarity-accuracy",
        metavar="X",
        help="polarity data: fail (exit 1) when accuracy over ELOGIO/CRÍTICA answers is below X",
    )
    evaluate.add_argument(
        "--max-spam-share",
        metavar="X",
        help="polarity data: fail (exit 1) when more than this share of posts is called SPAM",
    )
    evaluate.set_defaults(handler=_eval)

    classify = subparsers.add_parser(
        "classify", help="classify a CSV (texto column) or JSONL file, streaming"
    )
    classify.add_argument("input", metavar="INPUT", help="a .csv with a texto column or a .jsonl")
    classify.add_argument("-o", "--output", help="output file (same format); default stdout")
    classify.add_argument("--format", choices=("csv", "jsonl"), help="default: from the file name")
    classify.add_argument(
        "--backend", choices=("local", "llm", "cascade"), help="default: the CLASSIFIER setting"
    )
    classify.set_defaults(handler=_classify)
