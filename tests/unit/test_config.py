"""Settings per function: groups composed per function, validated at cold start for it only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared import keys
from shared.config import (
    LLM_DEADLINE_MAX_SECONDS,
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
KEYS = keys.generate()
CONSUMER_GROUPS = ("database", "pubsub", "limits", "llm", "classifier")


def test_every_setting_belongs_to_exactly_one_group_and_settings_has_them_all():
    owners: dict[str, list[str]] = {}
    for group in SETTINGS_GROUPS:
        for name in group_fields(group):
            owners.setdefault(name, []).append(group)
    assert {name: groups for name, groups in owners.items() if len(groups) > 1} == {}
    assert set(Settings.model_fields) == set(owners) | set(CoreSettings.model_fields)


def test_a_function_without_auth_starts_in_production_without_any_key():
    # Given production and no token key at all
    # When the consumer's groups are loaded
    settings = load_settings(CONSUMER_GROUPS, environment="production")
    # Then they validate, and the keys are simply not there, with a message that says why
    assert settings.environment == "production"
    assert settings.comments_topic == "comments-submitted"
    with pytest.raises(SettingsGroupMissing, match=r"group 'auth'.*infra/stack.json"):
        _ = settings.jwt_public_keys
    with pytest.raises(SettingsGroupMissing, match=r"group 'issuer'"):
        _ = settings.jwt_private_keys


def test_outside_development_verifiers_need_public_keys_and_a_real_cursor_secret():
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEYS is not set"):
        load_settings(("auth",), environment="production", cursor_secret=REAL_SECRET)
    with pytest.raises(ValidationError, match="CURSOR_SECRET is a placeholder"):
        load_settings(("auth",), environment="test", jwt_public_keys=KEYS.public_json)
    assert load_settings(
        ("auth",),
        environment="production",
        jwt_public_keys=KEYS.public_json,
        cursor_secret=REAL_SECRET,
    )


def test_outside_development_the_issuer_needs_its_private_keys():
    with pytest.raises(ValidationError, match="JWT_PRIVATE_KEYS is not set"):
        load_settings(("issuer",), environment="production")
    assert load_settings(("issuer",), environment="production", jwt_private_keys=KEYS.private_json)
    # In development the keys may be absent (a tool that never issues a token)
    assert load_settings(("issuer",), environment="development").jwt_private_keys is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("jwt_public_keys", "not json", "not JSON"),
        ("jwt_public_keys", '{"k1": "not a pem"}', "not a PEM public key"),
        ("jwt_public_keys", "{}", "non-empty JSON object"),
        ("jwt_private_keys", '{"k1": "-----BEGIN PRIVATE KEY-----"}', "not a PEM private key"),
        ("jwt_private_keys", '["k1"]', "non-empty JSON object"),
    ],
)
def test_unreadable_keys_are_refused_even_in_development(field, value, message):
    with pytest.raises(ValidationError, match=message):
        load_settings(("auth", "issuer"), environment="development", **{field: value})


def test_a_public_key_in_place_of_a_private_one_is_refused():
    with pytest.raises(ValidationError, match="not a PEM private key"):
        load_settings(("issuer",), environment="development", jwt_private_keys=KEYS.public_json)


def test_environment_unset_means_production(monkeypatch):
    # Given no ENVIRONMENT variable at all
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    # Then production rules apply: a function that checks tokens without keys fails closed
    assert load_settings(CONSUMER_GROUPS).environment == "production"
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEYS is not set"):
        load_settings(("auth",))


def test_each_group_validates_only_its_own_settings():
    # A bad value of a group the function does not declare is not its concern
    settings = load_settings(("database",), environment="production", classifier="llm")
    assert settings.database_url
    with pytest.raises(ValidationError, match="CLASSIFIER=llm needs"):
        load_settings(("classifier",), classifier="llm")
    with pytest.raises(ValidationError, match="PUBSUB_EMULATOR_HOST"):
        load_settings(("pubsub",), environment="production", pubsub_emulator_host="127.0.0.1:8085")


@pytest.mark.parametrize(
    ("group", "choice", "named"),
    [
        ("classifier", {"classifier": "cascade"}, "CLASSIFIER=cascade"),
        ("digest", {"digest_writer": "llm"}, "DIGEST_WRITER=llm"),
        ("insights", {"insights_answerer": "llm"}, "INSIGHTS_ANSWERER=llm"),
    ],
)
def test_a_setting_that_asks_for_the_model_needs_the_llm_group_and_an_endpoint(
    group, choice, named
):
    # Given a function that declares the group but not `llm` / Then it is told which to declare
    with pytest.raises(ValidationError, match=f"{named} needs the 'llm' settings group"):
        load_settings((group,), **choice)
    # Given both groups but no endpoint / Then it is told which settings to give
    with pytest.raises(ValidationError, match=f"{named} needs OPENAI_BASE_URL or OPENAI_API_KEY"):
        load_settings(("llm", group), **choice)
    # Given both groups and an endpoint / Then it starts with the model's settings
    settings = load_settings(("llm", group), openai_base_url="http://127.0.0.1:9/v1", **choice)
    assert settings.openai_base_url == "http://127.0.0.1:9/v1"
    assert settings.llm_model == "gpt-4o-mini"


def test_unknown_groups_are_refused():
    with pytest.raises(ValueError, match=r"unknown settings group.*'jwt'"):
        parse_groups("database,jwt")
    assert parse_groups(" classifier , database ,") == ("database", "classifier")


def test_get_function_settings_reads_the_groups_named_in_the_environment(monkeypatch):
    monkeypatch.setenv(SETTINGS_GROUPS_ENV, ",".join(CONSUMER_GROUPS))
    get_function_settings.cache_clear()
    try:
        settings = get_function_settings()
        assert type(settings).__name__ == "Settings[database,pubsub,limits,llm,classifier]"
        assert not hasattr(settings, "jwt_public_keys")
        monkeypatch.delenv(SETTINGS_GROUPS_ENV)
        get_function_settings.cache_clear()
        # Without it (a tool, a function started by hand) it is every group
        assert get_function_settings() is get_settings()
    finally:
        get_function_settings.cache_clear()


def test_the_local_stack_gives_each_function_only_its_groups():
    # Given an environment holding every setting
    spec = load_stack(env={})
    env = {
        "JWT_PRIVATE_KEYS": "private",
        "JWT_PUBLIC_KEYS": "public",
        "DATABASE_URL": "postgresql://",
        "S3_BUCKET": "b",
        "HOME": "/h",
    }
    # When each function's environment is made
    consumer = function_settings_env(spec.function("classify-consumer"), env)
    api = function_settings_env(spec.function("classify-api"), env)
    # Then only its groups' settings pass (other variables too), and it knows its groups
    assert consumer == {
        "DATABASE_URL": "postgresql://",
        "HOME": "/h",
        SETTINGS_GROUPS_ENV: ",".join(CONSUMER_GROUPS),
    }
    assert api["JWT_PRIVATE_KEYS"] == "private"
    assert api["JWT_PUBLIC_KEYS"] == "public"
    assert "S3_BUCKET" not in api
    assert (
        api[SETTINGS_GROUPS_ENV] == "database,pubsub,auth,issuer,ratelimits,limits,llm,classifier"
    )
    # And a verifier gets the public keys and never the private ones
    insights = function_settings_env(spec.function("insights-api"), env)
    assert insights["JWT_PUBLIC_KEYS"] == "public"
    assert "JWT_PRIVATE_KEYS" not in insights


def _cold_start(target: str, signature: str, groups: str) -> subprocess.CompletedProcess[str]:
    """Import the classify function as functions-framework does, in production, no token key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"JWT_PRIVATE_KEYS", "JWT_PUBLIC_KEYS", "PUBSUB_EMULATOR_HOST", SETTINGS_GROUPS_ENV}
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


def test_the_consumer_cold_starts_without_the_keys_and_the_api_does_not():
    stack = load_stack(env={})
    consumer = ",".join(stack.function("classify-consumer").settings)
    api = ",".join(stack.function("classify-api").settings)
    started = _cold_start("consume_comments", "cloudevent", consumer)
    assert started.returncode == 0, started.stderr[-2000:]
    assert started.stdout.strip().endswith("started")
    refused = _cold_start("handle_http", "http", api)
    assert refused.returncode != 0
    assert re.search(r"JWT_(PUBLIC|PRIVATE)_KEYS is not set", refused.stderr)


def test_the_language_model_deadline_fits_every_ack_deadline_of_a_function_that_classifies():
    # Given the stack's push subscriptions to functions that hold the classifier settings
    stack = load_stack(env={})
    deadlines = {
        subscription.name: subscription.ack_deadline_seconds
        for subscription in stack.subscriptions
        if subscription.push_to and "classifier" in stack.function(subscription.push_to).settings
    }
    # Then the longest deadline the settings accept, plus room for the fallback and the write,
    # ends before the delivery would be handed out again
    assert deadlines, "no function that classifies is pushed to"
    for name, ack_deadline in deadlines.items():
        assert ack_deadline >= LLM_DEADLINE_MAX_SECONDS + 10, name


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"llm_deadline_seconds": "51"}, "less than or equal to 50"),
        ({"llm_deadline_seconds": "10", "llm_timeout_seconds": "20"}, "must not exceed"),
    ],
)
def test_a_language_model_deadline_that_cannot_hold_is_refused(env, message):
    with pytest.raises(ValidationError, match=message):
        load_settings(("llm", "classifier"), environment="development", **env)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u@db:5432/x", "postgresql+psycopg://u@db:5432/x"),
        ("postgres://u@db/x?sslmode=require", "postgresql+psycopg://u@db/x?sslmode=require"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
    ],
)
def test_a_plain_database_url_means_the_driver_the_functions_ship(given, used):
    settings = load_settings(("database",), environment="development", database_url=given)
    assert settings.database_url == used


def test_a_pg8000_url_of_the_first_design_is_read_as_psycopg_with_a_notice(caplog):
    # Given a DATABASE_URL written for the pg8000 driver the first design named
    given = "postgresql+pg8000://u:s3cret-pw@db:5433/x"
    # When a function's settings are read
    with caplog.at_level("WARNING", logger="shared.config"):
        settings = load_settings(("database",), environment="development", database_url=given)
    # Then the same server and database are reached through psycopg, and the log says so
    assert settings.database_url == "postgresql+psycopg://u:s3cret-pw@db:5433/x"
    (notice,) = [r for r in caplog.records if "pg8000" in r.getMessage()]
    assert "read as postgresql+psycopg://" in notice.getMessage()
    # And the password is not written to the log
    assert "s3cret-pw" not in notice.getMessage()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("postgresql+asyncpg://u@db/x", "'postgresql\\+asyncpg' is not supported"),
        ("mysql://u@db/x", "'mysql' is not supported"),
        ("db:5432/x", "must look like postgresql://"),
    ],
)
def test_another_driver_or_no_url_is_refused_at_start(given, message):
    with pytest.raises(ValidationError, match=message):
        load_settings(("database",), environment="development", database_url=given)
