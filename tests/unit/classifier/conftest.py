"""One trained embedded model per test session: the shipped recipe on the corpus training split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import pytest

from shared.classifier.local import LocalClassifier
from tooling.classifier.training import load_training_data, train_model


@pytest.fixture(scope="session")
def trained_artifact() -> dict[str, Any]:
    return train_model(load_training_data(), version="local-test")


@pytest.fixture(scope="session")
def local_classifier(trained_artifact: dict[str, Any]) -> LocalClassifier:
    return LocalClassifier(trained_artifact)


@pytest.fixture(scope="session")
def artifact_file(
    trained_artifact: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("model") / "local-model.joblib"
    joblib.dump(trained_artifact, path)
    return path
