"""Fixtures every test layer can use: a private database per run, the emulators, the app."""

pytest_plugins = ["tests.support.db_fixtures", "tests.support.service_fixtures"]
