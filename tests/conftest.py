"""Fixtures every test layer can use: a private database per run, the emulators, the app."""

import os

# ENVIRONMENT unset means production rules; the tests say which rules they run under. Settings
# built by the fixtures say "test" (real keys and secrets, made per session).
os.environ.setdefault("ENVIRONMENT", "development")

pytest_plugins = ["tests.support.db_fixtures", "tests.support.service_fixtures"]
