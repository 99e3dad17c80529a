"""`alumusic train --with-corrections` against a real PostgreSQL `comments` table."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.classifier.local import artifact_path, load_artifact
from shared.cli import main
from shared.config import Settings
from tooling.commands.classifier import read_corrections

pytestmark = pytest.mark.integration

_INSERT = sa.text(
    "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, needs_review, "
    "model_name, model_version, source, categoria_corrigida) VALUES "
    "(:id, :texto, :categoria, '{}', 0.5, true, 'local', 'local-x', 'sync', :corrigida)"
)


def _insert(engine: sa.Engine, rows: list[tuple[str, str, str, str | None]]) -> None:
    with engine.begin() as connection:
        for id_, texto, categoria, corrigida in rows:
            connection.execute(
                _INSERT, {"id": id_, "texto": texto, "categoria": categoria, "corrigida": corrigida}
            )


@pytest.mark.timeout(900)  # a whole training, slower on a busy machine
def test_train_adds_human_corrections(app: App, clean_db: sa.Engine, tmp_path: Path) -> None:
    # Given three corrected comments and one the analysts left alone
    _insert(
        clean_db,
        [
            ("c1", "o contador de plays zerou do nada na minha conta", "ELOGIO", "CRÍTICA"),
            ("c2", "bota um modo karaokê com a voz abaixada", "DÚVIDA", "SUGESTÃO"),
            ("c3", "rodízio de pizza só hoje, link na bio", "ELOGIO", "SPAM"),
            ("c4", "amei demais", "ELOGIO", None),
        ],
    )
    # When the corrections are read / Then only corrected rows, with the corrected category
    assert sorted(read_corrections(app.settings)) == [
        ("bota um modo karaokê com a voz abaixada", "SUGESTÃO"),
        ("o contador de plays zerou do nada na minha conta", "CRÍTICA"),
        ("rodízio de pizza só hoje, link na bio", "SPAM"),
    ]
    # When trained with them (the model `make model` trained from the same corpus is the one
    # without them: training the whole corpus again would only repeat it)
    with_corrections = tmp_path / "with.joblib"
    assert main(["train", "--with-corrections", "--output", str(with_corrections)]) == 0
    corrected = joblib.load(with_corrections)
    plain = load_artifact(artifact_path())
    # Then the corrections are in the training data and in the version
    assert corrected["trained_on"]["correction_rows"] == 3
    assert plain["trained_on"]["correction_rows"] == 0
    assert corrected["version"] != plain["version"]
    assert json.dumps(corrected["params"]) == json.dumps(plain["params"])


@pytest.mark.timeout(900)
def test_train_without_a_database_still_trains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a database URL nothing listens on
    unreachable = Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:9/none")
    set_app(App(settings=unreachable))
    try:
        # When trained with corrections asked / Then a note on stderr and a model without them
        output = tmp_path / "model.joblib"
        assert main(["train", "--with-corrections", "--output", str(output)]) == 0
    finally:
        set_app(None)
    assert "training without corrections" in capsys.readouterr().err
    assert joblib.load(output)["trained_on"]["correction_rows"] == 0
