"""Settings per function: groups composed per function, validated at cold start for it only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.config import (
    SETTINGS_GROUPS,
    SETTINGS_GROUPS_ENV,
    CoreSettings,
    Settings,
    SettingsGroupMissing,
    get_function_settings,
    get_settings,
    group_fields,
    load_settings,
    parse_groups,
)
from tooling.devstack.stack import function_settings_env, load_stack

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k" * 40
CONSUMER_GROUPS = ("database", "pubsub", "limits", "classifier")


def test_every_setting_belongs_to_exactly_one_group_and_settings_has_them_all():
    owners: dict[str, list[str]] = {}
    for group in SETTINGS_GROUPS:
        for name in group_fields(group):
            owners.setdefault(name, []).append(group)
    assert {name: groups for name, groups in owners.items() if len(groups) > 1} == {}
    assert set(Settings.model_fields) == set(owners) | set(CoreSettings.model_fields)


def test_a_function_without_auth_starts_in_production_without_a_jwt_key():
    # Given production and no JWT_SECRET at all
    # When the consumer's groups are loaded
    settings = load_settings(CONSUMER_GROUPS, environment="production")
    # Then they validate, and the key is simply not there, with a message that says why
    assert settings.environment == "production"
    assert settings.comments_topic == "comments-submitted"
    with pytest.raises(SettingsGroupMissing, match=r"group 'auth'.*infra/stack.json"):
        _ = settings.jwt_secret
    # While a function that declares auth is refused the placeholder key, as before
    with pytest.raises(ValidationError, match="JWT_SECRET is a placeholder"):
        load_settings(("auth",), environment="production")
    assert load_settings(("auth",), environment="production", jwt_secret=REAL_SECRET)


def test_each_group_validates_only_its_own_settings():
    # A bad value of a group the function does not declare is not its concern
    settings = load_settings(("database",), environment="production", classifier="llm")
    assert settings.database_url
    with pytest.raises(ValidationError, match="CLASSIFIER=llm needs"):
        load_settings(("classifier",), classifier="llm")
    with pytest.raises(ValidationError, match="PUBSUB_EMULATOR_HOST"):
        load_settings(("pubsub",), environment="production", pubsub_emulator_host="127.0.0.1:8085")


def test_unknown_groups_are_refused():
    with pytest.raises(ValueError, match=r"unknown settings group.*'jwt'"):
        parse_groups("database,jwt")
    assert parse_groups(" classifier , database ,") == ("database", "classifier")


def test_get_function_settings_reads_the_groups_named_in_the_environment(monkeypatch):
    monkeypatch.setenv(SETTINGS_GROUPS_ENV, ",".join(CONSUMER_GROUPS))
    get_function_settings.cache_clear()
    try:
        settings = get_function_settings()
        assert type(settings).__name__ == "Settings[database,pubsub,limits,classifier]"
        assert not hasattr(settings, "jwt_secret")
        monkeypatch.delenv(SETTINGS_GROUPS_ENV)
        get_function_settings.cache_clear()
        # Without it (a tool, a function started by hand) it is every group
        assert get_function_settings() is get_settings()
    finally:
        get_function_settings.cache_clear()


def test_the_local_stack_gives_each_function_only_its_groups():
    # Given an environment holding every setting
    spec = load_stack(env={})
    env = {"JWT_SECRET": "x", "DATABASE_URL": "postgresql://", "S3_BUCKET": "b", "HOME": "/h"}
    # When each function's environment is made
    consumer = function_settings_env(spec.function("classify-consumer"), env)
    api = function_settings_env(spec.function("classify-api"), env)
    # Then only its groups' settings pass (other variables too), and it knows its groups
    assert consumer == {
        "DATABASE_URL": "postgresql://",
        "HOME": "/h",
        SETTINGS_GROUPS_ENV: ",".join(CONSUMER_GROUPS),
    }
    assert api["JWT_SECRET"] == "x"
    assert "S3_BUCKET" not in api
    assert api[SETTINGS_GROUPS_ENV] == "database,pubsub,auth,limits,classifier"


def _cold_start(target: str, signature: str, groups: str) -> subprocess.CompletedProcess[str]:
    """Import the classify function as functions-framework does, in production, no JWT key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"JWT_SECRET", "PUBSUB_EMULATOR_HOST", SETTINGS_GROUPS_ENV}
    }
    env.update({"ENVIRONMENT": "production", SETTINGS_GROUPS_ENV: groups, "PYTHONPATH": str(ROOT)})
    code = (
        "import functions_framework; functions_framework.create_app("
        f"{target!r}, 'functions/classify/main.py', {signature!r}); print('started')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_consumer_cold_starts_without_the_jwt_key_and_the_api_does_not():
    stack = load_stack(env={})
    consumer = ",".join(stack.function("classify-consumer").settings)
    api = ",".join(stack.function("classify-api").settings)
    started = _cold_start("consume_comments", "cloudevent", consumer)
    assert started.returncode == 0, started.stderr[-2000:]
    assert started.stdout.strip().endswith("started")
    refused = _cold_start("handle_http", "http", api)
    assert refused.returncode != 0
    assert "JWT_SECRET is a placeholder" in refused.stderr
