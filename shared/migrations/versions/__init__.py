"""Alembic revisions. Ids are unique and chained by `down_revision`, not consecutive: 0010 follows
0004 because databases migrated since carry that id, which renumbering would strand. Next: 0016.
"""
