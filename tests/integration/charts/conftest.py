"""Charts against the real test database: seeded comments with chosen times, labels, tags."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from shared.bootstrap import App, set_app
from shared.config import Settings
from shared.models import comments
from shared.rollups import rebuild
from shared.storage import InMemoryObjectStore
from tooling.devstack.services import free_port

pytestmark = pytest.mark.integration

Row = dict[str, Any]


@pytest.fixture
def seed(clean_db: sa.Engine) -> Callable[[Sequence[Row]], None]:
    """Insert comments as the consumer would have stored them, with explicit `created_at`."""

    def _seed(rows: Sequence[Row]) -> None:
        values = [
            {
                "id": row["id"],
                "texto": row.get("texto", f"texto {row['id']}"),
                "categoria": row["categoria"],
                "tags_funcionalidades": list(row.get("tags", ())),
                "confianca": row.get("confianca", 0.9),
                "needs_review": row.get("confianca", 0.9) < 0.6,
                "model_name": "seeded",
                "model_version": "1",
                "source": "ingest",
                "created_at": row["created_at"],
                "categoria_corrigida": row.get("categoria_corrigida"),
                "tags_corrigidas": row.get("tags_corrigidas"),
            }
            for row in rows
        ]
        if values:
            with clean_db.begin() as conn:
                conn.execute(sa.insert(comments), values)
            # Written past the store, as an operator's repair would be: counted by a rebuild.
            rebuild(clean_db)

    return _seed


@pytest.fixture
def store() -> InMemoryObjectStore:
    return InMemoryObjectStore()


@pytest.fixture
def charts_app(
    settings: Settings, clean_db: sa.Engine, store: InMemoryObjectStore
) -> Iterator[App]:
    """The product on the test database, with the in-memory bucket, as the process-wide App."""
    application = App(settings=settings, storage_factory=lambda _settings: store)
    set_app(application)
    try:
        yield application
    finally:
        set_app(None)
        application.close()


@pytest.fixture
def unreachable_database_url(settings: Settings) -> str:
    """A PostgreSQL URL where nothing listens (a database outage)."""
    url = sa.engine.make_url(settings.database_url).set(host="127.0.0.1", port=free_port())
    return url.render_as_string(hide_password=False)


def snapshot_rows(engine: sa.Engine) -> list[tuple[datetime, Any, datetime]]:
    with engine.connect() as conn:
        return [
            (row.scheduled_time, row.payload, row.generated_at)
            for row in conn.execute(
                sa.text(
                    "SELECT scheduled_time, payload, generated_at FROM chart_snapshots "
                    "ORDER BY scheduled_time"
                )
            )
        ]
