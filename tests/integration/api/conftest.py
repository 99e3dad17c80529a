"""The classify HTTP function under functions-framework, against the real test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from shared.bootstrap import App, set_app
from shared.classifier import Classification, Classifier
from shared.comments.store import store_classified
from shared.comments.types import CommentIn
from shared.config import Settings

MAIN = Path(__file__).resolve().parents[3] / "functions" / "classify" / "main.py"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def http_app() -> Any:
    return functions_framework.create_app("handle_http", str(MAIN), "http")


@pytest.fixture
def client(http_app: Any, app: App, clean_db: sa.Engine) -> FlaskClient:
    """A test client of handle_http, with the test App installed and an empty database."""
    return http_app.test_client()


@dataclass
class Caller:
    """A client with a token: `caller.get(path)` sends the Authorization header."""

    client: FlaskClient
    token: str
    headers: dict[str, str] = field(default_factory=dict)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **self.headers, **(extra or {})}

    def get(self, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self._headers(headers), **kwargs)

    def post(self, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.post(path, headers=self._headers(headers), **kwargs)

    def patch(self, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.patch(path, headers=self._headers(headers), **kwargs)


@pytest.fixture
def analyst(client: FlaskClient, token_for: Callable[..., str]) -> Caller:
    return Caller(client, token_for("ana", "analyst"))


@pytest.fixture
def admin(client: FlaskClient, token_for: Callable[..., str]) -> Caller:
    return Caller(client, token_for("root", "admin"))


def table_snapshot(engine: sa.Engine, table: str = "comments") -> list[tuple[Any, ...]]:
    """Every row of `table`, in a stable order, to prove a refused request changed nothing."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]


@pytest.fixture
def seed(clean_db: sa.Engine, settings: Settings) -> Callable[..., None]:
    """Store comments directly, with given classifications and creation times."""

    def _seed(rows: Sequence[dict[str, Any]]) -> None:
        comments = [
            CommentIn(id=row["id"], texto=row.get("texto", f"texto {row['id']}")) for row in rows
        ]
        results = [
            Classification(
                categoria=row.get("categoria", "ELOGIO"),
                tags_funcionalidades=tuple(row.get("tags", ())),
                confianca=row.get("confianca", 0.9),
                model_name=row.get("model_name", "seeded"),
                model_version=row.get("model_version", "1"),
                fallback_reason=row.get("fallback_reason"),
            )
            for row in rows
        ]
        store_classified(
            clean_db, comments, results, source="ingest", review_threshold=settings.review_threshold
        )
        with clean_db.begin() as conn:
            for row in rows:
                for column in ("created_at", "classified_at", "updated_at"):
                    if column in row:
                        conn.execute(
                            sa.text(f"UPDATE comments SET {column} = :at WHERE id = :id"),
                            {"at": row[column], "id": row["id"]},
                        )

    return _seed


@pytest.fixture
def app_with(settings: Settings) -> Iterator[Callable[..., App]]:
    """Install an App with some parts or settings replaced (e.g. a tighter limit)."""
    created: list[App] = []

    def _install(**overrides: Any) -> App:
        factories = {k: overrides.pop(k) for k in list(overrides) if k.endswith("_factory")}
        application = App(settings=settings.model_copy(update=overrides), **factories)
        set_app(application)
        created.append(application)
        return application

    yield _install
    set_app(None)
    for application in created:
        application.close()


class CountingClassifier:
    """Wraps a classifier and counts the texts it was asked about (to prove retries reuse rows)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def name(self) -> str:
        return str(self.inner.name)

    @property
    def version(self) -> str:
        return str(self.inner.version)

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        self.texts.extend(texts)
        return list(self.inner.classify_batch(texts))


@pytest.fixture(scope="session")
def real_classifier(settings: Settings) -> Classifier:
    """The product's classifier, as the settings build it (the embedded model by default)."""
    from shared.classifier.factory import build_classifier

    return build_classifier(settings)


@pytest.fixture
def classifier(app_with: Callable[..., App], real_classifier: Classifier) -> CountingClassifier:
    """The real classifier, counted, installed in the App the endpoints use."""
    counting = CountingClassifier(real_classifier)
    app_with(classifier_factory=lambda _settings: counting)
    return counting
