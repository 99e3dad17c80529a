"""A person's categories for the YouTube rows the collection calls not spam: what ships, what the
loader refuses, and how training uses them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from shared.classifier.local import OUT_OF_SCOPE
from tooling.classifier.dataset import (
    YOUTUBE_LABELS_FILE,
    CorpusError,
    LabelledComment,
    YoutubeComment,
    data_files,
    load_youtube_comments,
    load_youtube_labels,
)
from tooling.classifier.training import TrainingParams, not_spam_labels

HEADER = "COMMENT_ID,CONTENT,CLASS\n"


def test_every_not_spam_row_shipped_is_labelled_and_no_spam_row_is() -> None:
    # Given the shipped YouTube rows and the person's labels
    rows = load_youtube_comments()
    labels = load_youtube_labels()
    # Then every not-spam row has a category (or OUTRO), every spam row has none
    assert all(row.categoria is not None for row in rows if not row.is_spam)
    assert all(row.categoria is None for row in rows if row.is_spam)
    assert len(labels) == sum(not row.is_spam for row in rows)
    # and all the labels a not-spam row can take are used, OUTRO included, SPAM never
    assert {"ELOGIO", "CRÍTICA", "DÚVIDA", OUT_OF_SCOPE} <= set(labels.values())
    assert "SPAM" not in labels.values()
    # and the file is part of the model version
    assert YOUTUBE_LABELS_FILE in data_files()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("COMMENT_ID,categoria\nz1,SPAM\n", "other than SPAM"),
        ("COMMENT_ID,categoria\nz1,PRAISE\n", "other than SPAM"),
        ("COMMENT_ID,categoria\n,ELOGIO\n", "needs a COMMENT_ID"),
        ("COMMENT_ID,categoria\nz1,ELOGIO\nz1,OUTRO\n", "appears twice"),
    ],
)
def test_a_bad_label_row_is_refused_with_its_line(
    tmp_path: Path, content: str, message: str
) -> None:
    labels = _write(tmp_path / "labels.csv", content)
    with pytest.raises(CorpusError, match=message) as refused:
        load_youtube_labels(labels)
    assert "labels.csv:" in str(refused.value)


def test_labels_attach_to_their_rows_and_a_spam_row_may_not_have_one(tmp_path: Path) -> None:
    # Given a video file with a spam row and two not-spam rows, one of them labelled
    video = _write(
        tmp_path / "Youtube09-Test.csv",
        HEADER + "s1,check my channel,1\nh1,love this song,0\nh2,views!,0\n",
    )
    labels = _write(tmp_path / "labels.csv", "COMMENT_ID,categoria\nh1,ELOGIO\n")
    # When loaded, the label sits on its row only
    rows = load_youtube_comments([video], labels)
    assert [row.categoria for row in rows] == [None, "ELOGIO", None]
    # Given a label on the spam row instead / Then the load stops
    _write(labels, "COMMENT_ID,categoria\ns1,OUTRO\n")
    with pytest.raises(CorpusError, match="spam row has a category"):
        load_youtube_comments([video], labels)


def test_a_label_no_video_holds_is_refused_when_every_video_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the videos folder holding one video and a labels file with a mistyped id
    video = _write(tmp_path / "Youtube09-Test.csv", HEADER + "h1,love this song,0\n")
    labels = _write(tmp_path / "labels.csv", "COMMENT_ID,categoria\nh1,ELOGIO\nhl,OUTRO\n")
    monkeypatch.setattr("tooling.classifier.dataset.youtube_files", lambda: [video])
    # When every video is read / Then the stray id stops the load
    with pytest.raises(CorpusError, match=re.escape("1 COMMENT_ID(s) no video holds, e.g. 'hl'")):
        load_youtube_comments(labels_file=labels)
    # and reading one video on purpose leaves the labels of the others alone
    rows = load_youtube_comments([video], labels)
    assert [row.categoria for row in rows] == ["ELOGIO"]


def test_training_uses_a_persons_label_unless_told_not_to() -> None:
    # Given labelled listener rows to pseudo-label from and two not-spam rows, one read by a person
    listeners = [
        LabelledComment(text, category, "test")
        for text, category in [
            ("amei essa música linda demais", "ELOGIO"),
            ("que som incrível, perfeito", "ELOGIO"),
            ("música horrível, que lixo", "CRÍTICA"),
            ("o app trava toda hora, péssimo", "CRÍTICA"),
            ("quando sai o álbum novo?", "DÚVIDA"),
            ("alguém sabe o nome dessa música?", "DÚVIDA"),
        ]
    ]
    rows = [
        YoutubeComment("música horrível demais", False, "v", categoria=OUT_OF_SCOPE),
        YoutubeComment("amei, linda demais", False, "v"),
    ]
    # When labelled for training with the person's labels / Then the read row keeps its label
    with_labels = not_spam_labels(listeners, rows, TrainingParams())
    assert with_labels == [OUT_OF_SCOPE, "ELOGIO"]
    # When labelled without them / Then both get the pseudo-label
    pseudo = not_spam_labels(listeners, rows, TrainingParams(youtube_labels=False))
    assert pseudo == ["CRÍTICA", "ELOGIO"]


def test_the_shipped_labels_file_reads_as_written() -> None:
    with YOUTUBE_LABELS_FILE.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert records
    assert set(records[0]) == {"COMMENT_ID", "categoria"}
    assert load_youtube_labels() == {r["COMMENT_ID"]: r["categoria"] for r in records}
