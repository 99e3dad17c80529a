"""`alumusic eval` and `alumusic classify` end to end through the CLI, on the session's model."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from shared.cli import main
from shared.config import get_settings

ROWS = [
    ("que música maravilhosa, to ouvindo sem parar", "ELOGIO"),
    ("a mixagem tá horrível, o vocal some no refrão", "CRÍTICA"),
    ("please add lyrics to the app", "SUGESTÃO"),
    ("alguém sabe em qual álbum está essa música?", "DÚVIDA"),
    ("check out my channel for free gift cards http://bit.ly/xyz", "SPAM"),
    ("this is boring and way too long", "CRÍTICA"),
]


@pytest.fixture(autouse=True)
def model_setting(artifact_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MODEL_PATH", str(artifact_file))
    monkeypatch.setenv("CLASSIFIER", "local")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _write_csv(path: Path, header: list[str], rows: Sequence[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_eval_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a small labelled CSV
    data = _write_csv(tmp_path / "data.csv", ["texto", "categoria"], ROWS)
    png = tmp_path / "confusion.png"
    # When evaluated with --json and --confusion
    code = main(
        ["eval", "--data", str(data), "--json", "--confusion", str(png), "--min-macro-f1", "0.5"]
    )
    # Then it passes and the last line is the report
    assert code == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["n"] == len(ROWS)
    assert report["model_version"] == "local-test"
    assert report["macro_f1"] == pytest.approx(1.0)
    assert 0.0 <= report["ece"] <= 1.0
    assert report["per_category"]["CRÍTICA"]["support"] == 2
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_eval_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write_csv(tmp_path / "data.csv", ["texto", "categoria"], ROWS)
    assert main(["eval", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out
    assert "confusion matrix" in out
    assert "local-test" in out


def test_eval_fails_when_a_threshold_is_missed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given data whose labels are wrong on purpose, so the model disagrees
    wrong = [(text, "ELOGIO" if category != "ELOGIO" else "SPAM") for text, category in ROWS]
    wrong_csv = _write_csv(tmp_path / "wrong.csv", ["texto", "categoria"], wrong)
    # When thresholds are asked / Then a non-zero exit naming what was missed
    assert main(["eval", "--data", str(wrong_csv), "--min-macro-f1", "0.85", "--json"]) == 1
    assert "macro-F1" in capsys.readouterr().err
    good = _write_csv(tmp_path / "good.csv", ["texto", "categoria"], ROWS)
    assert (
        main(["eval", "--data", str(good), "--min-f1", "SPAM=0.9", "--min-f1", "CRÍTICA=0.9"]) == 0
    )
    assert main(["eval", "--data", str(wrong_csv), "--min-f1", "SPAM=0.9"]) == 1


def test_eval_youtube_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given a CSV in the YouTube Spam Collection's columns
    rows = [
        ("z1", "a", "2014", "Check out my channel, free iPhone giveaway http://bit.ly/x", "1"),
        ("z2", "b", "2014", "subscribe to my channel please!! www.mychannel.com", "1"),
        ("z3", "c", "2014", "I love this song so much", "0"),
        ("z4", "d", "2014", "who is watching in 2015?", "0"),
    ]
    data = _write_csv(
        tmp_path / "yt.csv", ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"], rows
    )
    # When evaluated / Then spam versus not spam, with spam precision, recall and F1 under "spam"
    assert main(["eval", "--data", str(data), "--json", "--min-f1", "SPAM=0.9"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["spam"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert set(report["per_category"]) == {"SPAM", "NOT_SPAM"}
    assert report["n"] == 4


def test_eval_refuses_bad_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unknown = _write_csv(tmp_path / "u.csv", ["texto", "categoria"], [("oi", "OUTRA")])
    assert main(["eval", "--data", str(unknown)]) == 2
    assert "unknown categoria" in capsys.readouterr().err
    columns = _write_csv(tmp_path / "c.csv", ["text", "label"], [("oi", "ELOGIO")])
    assert main(["eval", "--data", str(columns)]) == 2
    good = _write_csv(tmp_path / "g.csv", ["texto", "categoria"], ROWS)
    assert main(["eval", "--data", str(good), "--min-f1", "NOPE=0.5"]) == 2
    assert main(["eval", "--data", str(good), "--min-macro-f1", "1.5"]) == 2


POSTS = [
    ("que música maravilhosa, to ouvindo sem parar", "1", "music"),
    ("a mixagem tá horrível, o vocal some no refrão", "-1", "music"),
    ("check out my channel for free gift cards http://bit.ly/xyz", "1", "music"),
    ("this is boring and way too long", "-1", "tv"),
    ("que episódio lindo, chorei demais", "1", "tv"),
    ("hoje é terça", "0", "tv"),
    ("sem tema nenhum", "1", ""),
]


def test_eval_polarity_by_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Given polarity posts with a topic column (one neutral row, one row with no topic)
    data = _write_csv(tmp_path / "posts.csv", ["texto", "polaridade", "topico"], POSTS)
    # When evaluated by topic, as JSON
    assert main(["eval", "--data", str(data), "--by", "topico", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # Then the whole set and each topic are measured, the neutral row in neither
    assert report["by"] == "topico"
    assert report["n"] == 6
    assert report["neutral_skipped"] == 1
    groups = report["groups"]
    assert list(groups) == ["", "music", "tv"]
    assert [groups[name]["n"] for name in groups] == [1, 3, 2]
    assert [groups[name]["positives"] for name in groups] == [1, 2, 1]
    assert sum(g["polarity_errors"] for g in groups.values()) == report["polarity_errors"]
    # the spam post is music's only post not answered ELOGIO or CRÍTICA
    assert groups["music"]["called_spam"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["called_spam"] == pytest.approx(1 / 6, abs=1e-4)
    # And the text report lists one line per topic
    assert main(["eval", "--data", str(data), "--by", "topico"]) == 0
    out = capsys.readouterr().out
    assert "by topico:" in out
    lines = [line for line in out.splitlines() if "posts   negatives called ELOGIO" in line]
    assert [line.split()[0] for line in lines] == ["(empty)", "music", "tv"]


def test_eval_categories_by_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = ["a", "b", "a", "b", "a", "b"]
    rows = [
        (text, category, source) for (text, category), source in zip(ROWS, sources, strict=True)
    ]
    data = _write_csv(tmp_path / "data.csv", ["texto", "categoria", "fonte"], rows)
    assert main(["eval", "--data", str(data), "--by", "fonte", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {name: group["n"] for name, group in report["groups"].items()} == {"a": 3, "b": 3}
    assert report["groups"]["a"]["per_category"]["SUGESTÃO"]["support"] == 1
    assert report["groups"]["b"]["per_category"]["SUGESTÃO"]["support"] == 0


def test_eval_by_an_unknown_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_csv(tmp_path / "posts.csv", ["texto", "polaridade", "topico"], POSTS)
    assert main(["eval", "--data", str(data), "--by", "tema"]) == 2
    err = capsys.readouterr().err
    assert "no column 'tema' to group by" in err
    assert "topico" in err


def test_classify_csv_round_trip(tmp_path: Path) -> None:
    # Given a CSV with an id and a texto column
    source = _write_csv(
        tmp_path / "in.csv", ["id", "texto"], [(str(i), text) for i, (text, _) in enumerate(ROWS)]
    )
    output = tmp_path / "out.csv"
    # When classified in small chunks
    assert main(["classify", str(source), "-o", str(output)]) == 0
    # Then the same rows, in order, with the classification columns added
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [str(i) for i in range(len(ROWS))]
    assert [row["categoria"] for row in rows] == [category for _, category in ROWS]
    assert all(0.0 <= float(row["confianca"]) <= 1.0 for row in rows)
    assert {row["model_version"] for row in rows} == {"local-test"}
    assert list(rows[0]) == [
        "id",
        "texto",
        "categoria",
        "tags_funcionalidades",
        "confianca",
        "model_version",
    ]


def test_classify_jsonl_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": i, "texto": text}, ensure_ascii=False) + "\n"
            for i, (text, _) in enumerate(ROWS)
        ),
        encoding="utf-8",
    )
    output = tmp_path / "out.jsonl"
    assert main(["classify", str(source), "-o", str(output)]) == 0
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == list(range(len(ROWS)))
    assert [r["categoria"] for r in records] == [category for _, category in ROWS]
    assert all(isinstance(r["tags_funcionalidades"], list) for r in records)
    assert "feat_letra" in records[2]["tags_funcionalidades"]
    assert {r["model_version"] for r in records} == {"local-test"}


def test_classify_streams_in_chunks(tmp_path: Path) -> None:
    # Given more rows than one chunk / When streamed with a small chunk / Then every row, in order
    from shared.classifier.local import load_local_classifier
    from tooling.commands.classifier import classify_stream

    source = tmp_path / "in.jsonl"
    texts = [text for text, _ in ROWS] * 7
    source.write_text("".join(json.dumps({"texto": t}) + "\n" for t in texts), encoding="utf-8")
    sink = tmp_path / "out.jsonl"
    with source.open(encoding="utf-8") as src, sink.open("w", encoding="utf-8") as dst:
        count = classify_stream(
            load_local_classifier(get_settings()), src, dst, "jsonl", chunk_size=4
        )
    assert count == len(texts)
    records = [json.loads(line) for line in sink.read_text(encoding="utf-8").splitlines()]
    assert [r["texto"] for r in records] == texts


def test_classify_bad_input_leaves_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a CSV whose third row has an empty texto
    source = _write_csv(tmp_path / "in.csv", ["texto"], [("amei",), ("odiei",), ("",)])
    output = tmp_path / "out.csv"
    # When classified / Then a clear error, and no output file
    assert main(["classify", str(source), "-o", str(output)]) == 2
    assert "in.csv:4" in capsys.readouterr().err
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [source]
    no_column = _write_csv(tmp_path / "x.csv", ["text"], [("amei",)])
    assert main(["classify", str(no_column)]) == 2
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"texto": "ok"}\nnot json\n', encoding="utf-8")
    assert main(["classify", str(bad_json), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert main(["classify", str(tmp_path / "in.txt")]) == 2
