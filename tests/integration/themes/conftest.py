"""The themes function under functions-framework, against the real test database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.classifier import Classification
from shared.comments.store import store_classified
from shared.comments.types import CommentIn
from shared.config import Settings

MAIN = str(Path(__file__).resolve().parents[3] / "functions" / "themes" / "main.py")

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def http_app() -> Any:
    return functions_framework.create_app("handle_http", MAIN, "http")


@pytest.fixture(scope="session")
def tick_app() -> Any:
    return functions_framework.create_app("run_themes", MAIN, "cloudevent")


@pytest.fixture
def client(http_app: Any, app: App, clean_db: sa.Engine) -> Any:
    return http_app.test_client()


@pytest.fixture
def analyst_headers(token_for: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for('ana', 'analyst')}"}


Seeder = Callable[[Sequence[str], datetime], list[str]]


@pytest.fixture
def seed(clean_db: sa.Engine, settings: Settings) -> Seeder:
    """Store texts as classified comments written at `at` (category and tags as given; DÚVIDA
    without tags by default). Returns their ids."""
    counter = iter(range(1_000_000))

    def _seed(
        texts: Sequence[str],
        at: datetime,
        categoria: str = "DÚVIDA",
        tags: Sequence[Sequence[str]] | None = None,
    ) -> list[str]:
        ids = [f"t-{next(counter)}" for _ in texts]
        store_classified(
            clean_db,
            [CommentIn(id=i, texto=t, criado_em=at) for i, t in zip(ids, texts, strict=True)],
            [
                Classification(
                    categoria=categoria,
                    tags_funcionalidades=tuple(tags[n]) if tags else (),
                    confianca=0.9,
                    model_name="seeded",
                    model_version="1",
                )
                for n in range(len(texts))
            ],
            source="ingest",
            review_threshold=settings.review_threshold,
        )
        return ids

    return _seed
