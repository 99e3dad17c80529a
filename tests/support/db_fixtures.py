"""Database fixtures: a fresh PostgreSQL database per test session, migrated, dropped after."""
