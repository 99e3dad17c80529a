"""Loading millions of generated comments into a benchmark's own database, fast.

Inserting rows one batch at a time into a table that keeps its indexes makes PostgreSQL update
every index (the trigram GIN above all) row by row: 10,000,000 comments took well over half an
hour on a shared 2-core machine. Dropping the secondary indexes for the load and building them
once afterwards (a sort per index) is several times faster and gives the same indexes as the
migrations made, from their own definitions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

# Memory for each index build after the load (the server default is 64MB): a sort that fits
# is several times faster than one spilled to disk.
BUILD_MEMORY = "1GB"

_SECONDARY_INDEXES = sa.text(
    """
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index AS x
    JOIN pg_class AS i ON i.oid = x.indexrelid
    WHERE x.indrelid = CAST(:table AS regclass)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)
    ORDER BY i.relname
    """
)


def secondary_indexes(engine: sa.Engine, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index of `table` that backs no constraint."""
    with engine.connect() as conn:
        return [
            (row.name, row.definition) for row in conn.execute(_SECONDARY_INDEXES, {"table": table})
        ]


@contextmanager
def indexes_dropped(engine: sa.Engine, table: str) -> Iterator[list[str]]:
    """Drop `table`'s secondary indexes for the block, then build each again from its own
    definition; yields their names. The primary key stays (ids must stay unique)."""
    indexes = secondary_indexes(engine, table)
    with engine.begin() as conn:
        for name, _definition in indexes:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
    try:
        yield [name for name, _definition in indexes]
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
            for _name, definition in indexes:
                conn.execute(sa.text(definition))
