"""The local stack: PostgreSQL, emulators, functions and the gateway on one laptop."""
