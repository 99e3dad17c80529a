"""The schema's Alembic revisions, applied in `down_revision` order.

A revision's id is its file name's prefix. Ids must be unique and chained, not consecutive:
0010 follows 0004 because every database migrated since 0010 was written carries that id in
`alembic_version`, and renumbering it would leave those databases at a revision Alembic no longer
knows. The next revision is 0011, revising 0010.
"""
