"""Real public text in the corpus: what ships, how its labels map, and what training sees."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from shared.classifier import CATEGORIES
from shared.classifier.local import OUT_OF_SCOPE
from tooling.classifier.dataset import (
    EXTERNAL_DIR,
    CorpusError,
    data_files,
    external_sources,
    is_held_out,
    load_external_comments,
    load_listener_comments,
)
from tooling.classifier.training import load_training_data


def test_every_shipped_source_is_described_mapped_and_licensed() -> None:
    # Given the sources the corpus ships
    sources = external_sources()
    assert sources, "the corpus ships real public text"
    for source in sources:
        path = EXTERNAL_DIR / source.file
        # Then each file exists, names its origin and a licence that allows commercial use
        assert path.is_file(), source.file
        assert source.origin
        assert source.licence
        assert not re.search(r"\bNC\b|non-?commercial", source.licence, re.IGNORECASE)
        # and every label in it is mapped (to a category, OUTRO, or deliberately nothing)
        with path.open(encoding="utf-8", newline="") as handle:
            labels = {row["rotulo"] for row in csv.DictReader(handle)}
        assert labels <= set(source.labels), (source.file, labels - set(source.labels))
        assert set(source.labels.values()) <= {*CATEGORIES, OUT_OF_SCOPE, None}
    # and every file is part of the model version
    assert {EXTERNAL_DIR / s.file for s in sources} <= set(data_files())


def _write_source(
    directory: Path, labels: dict[str, str | None], rows: list[tuple[str, str]]
) -> None:
    (directory / "sources.json").write_text(
        json.dumps(
            {
                "sources": [
                    {
                        "file": "posts.csv",
                        "origin": "test",
                        "licence": "CC BY 4.0",
                        "labels": labels,
                        "weight": 0.5,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    with (directory / "posts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["texto", "rotulo"])
        writer.writerows(rows)


def test_labels_map_relabels_win_and_unmapped_rows_are_left_out(tmp_path: Path) -> None:
    # Given a polarity source, one of whose rows a person relabelled
    _write_source(
        tmp_path,
        {"1": "ELOGIO", "-1": "CRÍTICA", "0": None},
        [("adorei o produto", "1"), ("podiam vender em azul", "-1"), ("tanto faz", "0")],
    )
    (tmp_path / "relabel.csv").write_text(
        "texto,categoria\nPodiam vender em AZUL!,SUGESTÃO\n", encoding="utf-8"
    )
    # When loaded
    rows = load_external_comments(directory=tmp_path)
    # Then the mapping applies, the correction wins (same split key), neutral rows are not used
    assert [(r.texto, r.categoria, r.weight) for r in rows] == [
        ("adorei o produto", "ELOGIO", 0.5),
        ("podiam vender em azul", "SUGESTÃO", 0.5),
    ]


def test_a_label_missing_from_the_mapping_names_its_line(tmp_path: Path) -> None:
    _write_source(tmp_path, {"1": "ELOGIO"}, [("bom", "1"), ("ruim", "-1")])
    with pytest.raises(CorpusError, match=r"posts.csv:3: label '-1'"):
        load_external_comments(directory=tmp_path)


def test_a_mapping_to_an_unknown_category_is_refused(tmp_path: Path) -> None:
    _write_source(tmp_path, {"1": "POSITIVO"}, [("bom", "1")])
    with pytest.raises(CorpusError, match="bad labels or weight"):
        load_external_comments(directory=tmp_path)


def test_training_never_sees_the_held_out_external_rows() -> None:
    # Given the training data and the shipped external rows
    data = load_training_data()
    trained = {row.texto for row in data.external}
    shipped = load_external_comments()
    held_out = [row for row in shipped if is_held_out(row.texto)]
    # Then about a fifth are held out, and none of them is trained on
    assert 0.1 < len(held_out) / len(shipped) < 0.3
    assert not trained & {row.texto for row in held_out}
    assert len(trained) > 1000


def test_a_listener_file_may_hold_outro_rows_but_no_other_label(tmp_path: Path) -> None:
    # Given a listener file with a row that is none of the five
    path = tmp_path / "listeners_x.csv"
    path.write_text(
        "texto,categoria\nque app bom,ELOGIO\nsegunda de novo,OUTRO\n", encoding="utf-8"
    )
    # When loaded / Then OUTRO is kept as a label the model learns
    assert [row.categoria for row in load_listener_comments([path])] == ["ELOGIO", "OUTRO"]
    # And any other label still stops the load at its line
    path.write_text("texto,categoria\noi,OUTRA\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"listeners_x.csv:2: unknown categoria 'OUTRA'"):
        load_listener_comments([path])
