"""The migrated schema, storage in one idempotent statement, and `alumusic db upgrade`."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from shared.classifier import Classification
from shared.comments.store import store_classified
from shared.comments.types import CommentIn
from shared.db import create_db_engine, current_revision, head_revision, upgrade
from shared.errors import TransientFailure
from shared.models import metadata
from tests.support.db_fixtures import make_settings

pytestmark = pytest.mark.integration


def answer(
    categoria: str = "ELOGIO", confianca: float = 0.9, tags: tuple[str, ...] = ()
) -> Classification:
    return Classification(categoria, tags, confianca, "m", "1")


def test_database_is_at_the_head_revision_and_upgrade_is_repeatable(database_url):
    # Given the session database, already migrated
    # When upgrade runs again
    upgrade(database_url)
    # Then it is still at head and nothing failed
    assert current_revision(database_url) == head_revision()


def test_models_mirror_the_migrated_tables(db_engine):
    inspector = sa.inspect(db_engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        modelled = {c.name: c.nullable for c in table.columns}
        assert migrated == modelled, table.name


def test_list_filters_have_their_indexes(db_engine):
    names = {index["name"] for index in sa.inspect(db_engine).get_indexes("comments")}
    assert {
        "ix_comments_created_at_id",
        "ix_comments_categoria_final_created_at_id",
        "ix_comments_tags_final_day",
        "ix_comments_texto_trgm_day",
        "ix_comments_confianca_id",
        "ix_comments_needs_review_created_at_id",
        "ix_comments_stored_at",
    } <= names


def test_unreachable_server_is_a_clear_error(pg_server):
    with pytest.raises(
        TransientFailure, match=r"cannot use PostgreSQL at .*nope_db.*does not exist"
    ):
        upgrade(pg_server.url("nope_db_that_does_not_exist"))
    with pytest.raises(TransientFailure, match=r"127\.0\.0\.1:1/"):
        upgrade("postgresql+psycopg://postgres@127.0.0.1:1/alumusic")


def test_a_pg8000_database_url_reaches_the_same_database(database_url):
    # Given the session database's URL as the first design wrote it, for the pg8000 driver
    scheme, rest = database_url.split("://", 1)
    assert scheme == "postgresql+psycopg"
    settings = make_settings(f"postgresql+pg8000://{rest}")
    # When a function's engine is built from it and queried
    engine = create_db_engine(settings)
    try:
        with engine.connect() as conn:
            name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    finally:
        engine.dispose()
    # Then it reached that database through the driver the functions ship
    assert engine.dialect.driver == "psycopg"
    assert name == make_url(database_url).database


def test_store_is_idempotent_and_computes_final_columns(clean_db):
    # Given a classified batch
    batch = [CommentIn("a", "Amei a letra"), CommentIn("b", "que tal um clipe?")]
    results = [
        answer("ELOGIO", 0.9, ("feat_letra",)),
        answer("SUGESTÃO", 0.3, ("feat_clipe", "ui_layout")),
    ]
    # When it is stored twice (a redelivered message)
    first = store_classified(clean_db, batch, results, source="ingest", review_threshold=0.6)
    second = store_classified(clean_db, batch, results, source="ingest", review_threshold=0.6)
    # Then the rows exist once, with review flags from the threshold and final = model answer
    assert (first.inserted, second.inserted) == (2, 0)
    with clean_db.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, tags_funcionalidades, tags_final, categoria_final, needs_review, source "
                "FROM comments ORDER BY id"
            )
        ).all()
    assert rows == [
        ("a", ["feat_letra"], ["feat_letra"], "ELOGIO", False, "ingest"),
        ("b", ["feat_clipe", "ui_layout"], ["feat_clipe", "ui_layout"], "SUGESTÃO", True, "ingest"),
    ]


def test_store_of_a_partly_known_batch_inserts_only_the_new_ids(clean_db):
    store_classified(
        clean_db, [CommentIn("a", "x")], [answer()], source="sync", review_threshold=0.6
    )
    inserted = store_classified(
        clean_db,
        [CommentIn("a", "x"), CommentIn("c", "y")],
        [answer(), answer()],
        source="ingest",
        review_threshold=0.6,
    )
    assert inserted.inserted == 1
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT id, source FROM comments ORDER BY id")).all() == [
            ("a", "sync"),
            ("c", "ingest"),
        ]


def test_store_refuses_answers_outside_the_contract(clean_db):
    with pytest.raises(ValueError, match="unknown category"):
        store_classified(
            clean_db, [CommentIn("a", "x")], [answer("BOM")], source="sync", review_threshold=0.6
        )
    with pytest.raises(ValueError, match="outside"):
        store_classified(
            clean_db,
            [CommentIn("a", "x")],
            [answer(confianca=1.5)],
            source="sync",
            review_threshold=0.6,
        )
    with pytest.raises(ValueError, match="2 comments but 1"):
        store_classified(
            clean_db,
            [CommentIn("a", "x"), CommentIn("b", "y")],
            [answer()],
            source="sync",
            review_threshold=0.6,
        )


def test_database_itself_refuses_an_unknown_category(clean_db):
    with pytest.raises(sa.exc.DBAPIError, match="ck_comments_categoria"), clean_db.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, "
                "needs_review, model_name, model_version, source) "
                "VALUES ('x', 't', 'BOM', '{}', 0.5, false, 'm', '1', 'sync')"
            )
        )


def test_store_of_an_empty_batch_does_nothing(clean_db):
    assert store_classified(clean_db, [], [], source="ingest", review_threshold=0.6).inserted == 0


def test_0002_keeps_the_insert_time_of_rows_stored_before_it(pg_server):
    # Given a database at 0001 holding a comment stored and later corrected
    name = f"alumusic_test_m_{secrets.token_hex(4)}"
    pg_server.create_database(name)
    url = pg_server.url(name)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        upgrade(url, "0001")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, "
                    "needs_review, model_name, model_version, source, created_at, classified_at, "
                    "corrected_at, categoria_corrigida, corrected_by) VALUES ('old', 't', "
                    "'ELOGIO', '{}', 0.9, false, 'm', '1', 'ingest', '2026-10-01T12:00:00Z', "
                    "'2026-10-01T12:00:01Z', '2026-10-05T09:00:00Z', 'SPAM', 'ana')"
                )
            )
        # When migrated to 0002
        upgrade(url, "head")
        # Then its insert time is the time it had, its last change the correction
        with engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT created_at, stored_at, updated_at FROM comments")
            ).one()
        assert row.created_at == row.stored_at
        assert row.updated_at.isoformat() == "2026-10-05T09:00:00+00:00"
        assert sa.inspect(engine).has_table("comment_id_conflicts")
    finally:
        engine.dispose()
        pg_server.drop_database(name)
