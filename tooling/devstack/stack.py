"""The one description of the stack (infra/stack.json), read into typed objects.

Functions, topics, subscriptions, buckets and scheduled jobs are listed there once; the local
runner, the emulator bootstrap, the gateway and the local scheduler all read it, and
docker-compose.yml is written from it (tooling/devstack/compose.py), so adding a function is one
entry in that file.
A function entry: `name`, `source` (its folder), `target`, `signature` (http or cloudevent),
`port` (local), `public` (reachable through the gateway: its operations are in the OpenAPI
document, which names the function serving each) and `settings` (the settings groups of
shared.config it reads; it is given and validates only those).
`database.server_settings` are the PostgreSQL server settings the stack is sized for: the local
stack starts its private server with them and compose's server gets them as `-c` options.
Ports in the file are defaults: `<NAME>_PORT` in the environment (e.g. CLASSIFY_API_PORT) moves
a function, so a second stack can run beside a developer's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import shared
from shared.config import SETTINGS_GROUPS, SETTINGS_GROUPS_ENV, group_fields, parse_groups

Signature = Literal["http", "cloudevent", "event"]

_DURATION_RE = re.compile(r"^(\d+(?:\.\d+)?)s$")
# Cloud Scheduler's job id rule, so a job that runs locally also deploys.
_JOB_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
_SERVER_SETTING_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def repo_root() -> Path:
    """The checkout the package is installed from (editable install: the working tree)."""
    return Path(shared.__file__).resolve().parent.parent


def default_stack_file() -> Path:
    override = os.environ.get("ALUMUSIC_STACK_FILE")
    return Path(override) if override else repo_root() / "infra" / "stack.json"


def port_env_name(function_name: str) -> str:
    """`classify-api` -> `CLASSIFY_API_PORT`."""
    return re.sub(r"[^A-Z0-9]", "_", function_name.upper()) + "_PORT"


def parse_duration(value: str) -> float:
    """A Pub/Sub duration like "1s" or "0.5s" in seconds."""
    match = _DURATION_RE.match(value.strip())
    if not match:
        raise ValueError(f"duration {value!r} is not like '10s'")
    return float(match.group(1))


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    source: str
    target: str
    signature: Signature
    port: int
    public: bool = False
    settings: tuple[str, ...] = ()
    host: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def source_file(self, root: Path) -> Path:
        return root / self.source / "main.py"


def function_settings_env(function: FunctionSpec, env: Mapping[str, str]) -> dict[str, str]:
    """`env` as `function` is given it: the settings of groups it does not declare left out,
    and SETTINGS_GROUPS naming the ones it does (what Terraform and compose do too)."""
    undeclared = {
        name.upper()
        for group in SETTINGS_GROUPS
        if group not in function.settings
        for name in group_fields(group)
    }
    given = {name: value for name, value in env.items() if name not in undeclared}
    given[SETTINGS_GROUPS_ENV] = ",".join(function.settings)
    return given


@dataclass(frozen=True)
class SubscriptionSpec:
    name: str
    topic: str
    ack_deadline_seconds: int = 60
    push_to: str | None = None
    min_retry_backoff: str | None = None
    max_retry_backoff: str | None = None
    dead_letter_topic: str | None = None
    max_delivery_attempts: int | None = None


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: publish `body` (plus job name and scheduled time) to `topic` on `schedule`."""

    name: str
    schedule: str
    time_zone: str
    topic: str
    body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StackSpec:
    project_id: str
    functions: tuple[FunctionSpec, ...]
    topics: tuple[str, ...]
    subscriptions: tuple[SubscriptionSpec, ...]
    buckets: tuple[str, ...]
    jobs: tuple[JobSpec, ...] = ()
    database_settings: Mapping[str, str] = field(default_factory=dict)
    source_path: Path | None = field(default=None, compare=False)

    def function(self, name: str) -> FunctionSpec:
        for function in self.functions:
            if function.name == name:
                return function
        raise KeyError(f"no function named {name!r} in the stack description")

    def job(self, name: str) -> JobSpec:
        for job in self.jobs:
            if job.name == name:
                return job
        known = ", ".join(j.name for j in self.jobs) or "none"
        raise KeyError(f"no job named {name!r} in the stack description (jobs: {known})")

    def scheduled_functions(self) -> frozenset[str]:
        """The functions that a scheduled job's ticks are pushed to."""
        job_topics = {job.topic for job in self.jobs}
        return frozenset(
            s.push_to for s in self.subscriptions if s.push_to and s.topic in job_topics
        )

    def push_endpoint(self, subscription: SubscriptionSpec) -> str | None:
        """Where a push subscription delivers: the topic path in the URL gives the CloudEvent
        functions-framework builds a full `source`."""
        if subscription.push_to is None:
            return None
        function = self.function(subscription.push_to)
        return f"{function.base_url}/projects/{self.project_id}/topics/{subscription.topic}"

    def with_ports(self, env: Mapping[str, str]) -> StackSpec:
        """The same stack with each function's port taken from `<NAME>_PORT` when set."""
        functions = []
        for function in self.functions:
            raw = env.get(port_env_name(function.name))
            if raw:
                try:
                    port = int(raw)
                except ValueError:
                    raise ValueError(
                        f"{port_env_name(function.name)}={raw!r} is not a port number"
                    ) from None
                function = replace(function, port=port)
            functions.append(function)
        return replace(self, functions=tuple(functions))

    def with_project(self, project_id: str | None) -> StackSpec:
        return self if not project_id else replace(self, project_id=project_id)


def _function(raw: Mapping[str, Any]) -> FunctionSpec:
    signature = raw.get("signature", "http")
    if signature not in ("http", "cloudevent", "event"):
        raise ValueError(f"function {raw.get('name')!r}: unknown signature {signature!r}")
    if "routes" in raw:
        raise ValueError(
            f"function {raw.get('name')!r}: 'routes' is gone; the OpenAPI document names the "
            'function serving each operation (x-google-backend of backends["<function>"])'
        )
    try:
        settings = parse_groups(raw.get("settings") or ())
    except ValueError as error:
        raise ValueError(f"function {raw.get('name')!r}: {error}") from None
    return FunctionSpec(
        name=str(raw["name"]),
        source=str(raw["source"]),
        target=str(raw["target"]),
        signature=signature,
        port=int(raw["port"]),
        public=bool(raw.get("public", False)),
        settings=settings,
    )


def _subscription(raw: Mapping[str, Any]) -> SubscriptionSpec:
    attempts = raw.get("max_delivery_attempts")
    return SubscriptionSpec(
        name=str(raw["name"]),
        topic=str(raw["topic"]),
        ack_deadline_seconds=int(raw.get("ack_deadline_seconds", 60)),
        push_to=raw.get("push_to"),
        min_retry_backoff=raw.get("min_retry_backoff"),
        max_retry_backoff=raw.get("max_retry_backoff"),
        dead_letter_topic=raw.get("dead_letter_topic"),
        max_delivery_attempts=int(attempts) if attempts is not None else None,
    )


def _job(raw: Mapping[str, Any], topics: tuple[str, ...]) -> JobSpec:
    # Imported here: cron evaluation needs croniter, which only the tooling installs.
    from shared.schedule import RESERVED_KEYS
    from tooling.devstack.cron import load_zone, validate_cron

    name = raw.get("name")
    if not isinstance(name, str) or not _JOB_NAME_RE.match(name):
        raise ValueError(
            f"job name {name!r} must be 1-500 letters, digits, '-' or '_' (Cloud Scheduler's rule)"
        )
    missing = [key for key in ("schedule", "time_zone", "topic") if not raw.get(key)]
    if missing:
        raise ValueError(f"job {name!r} needs {', '.join(missing)}")
    topic = str(raw["topic"])
    if topic not in topics:
        raise ValueError(f"job {name!r} publishes to unknown topic {topic!r}")
    try:
        schedule = validate_cron(str(raw["schedule"]))
        load_zone(str(raw["time_zone"]))
    except ValueError as error:
        raise ValueError(f"job {name!r}: {error}") from None
    body = raw.get("body", {})
    if not isinstance(body, Mapping):
        raise ValueError(f"job {name!r}: body must be a JSON object")
    reserved = RESERVED_KEYS.intersection(body)
    if reserved:
        raise ValueError(
            f"job {name!r}: body must not set {', '.join(sorted(reserved))} (every tick carries them)"
        )
    return JobSpec(
        name=name, schedule=schedule, time_zone=str(raw["time_zone"]), topic=topic, body=dict(body)
    )


def _database_settings(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ValueError("database must be a JSON object")
    settings = raw.get("server_settings", {})
    if not isinstance(settings, Mapping):
        raise ValueError("database.server_settings must be a JSON object")
    parsed: dict[str, str] = {}
    for name, value in settings.items():
        if not _SERVER_SETTING_RE.match(str(name)):
            raise ValueError(f"database.server_settings: {name!r} is not a PostgreSQL setting name")
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
            raise ValueError(f"database.server_settings.{name}: give the value as text, like '2GB'")
        parsed[str(name)] = str(value)
    return parsed


def parse_stack(document: Mapping[str, Any], *, source_path: Path | None = None) -> StackSpec:
    functions = tuple(_function(f) for f in document.get("functions", ()))
    topics = tuple(str(t["name"]) for t in document.get("topics", ()))
    subscriptions = tuple(_subscription(s) for s in document.get("subscriptions", ()))
    names = [f.name for f in functions]
    if len(set(names)) != len(names):
        raise ValueError("function names in the stack description must be unique")
    for subscription in subscriptions:
        if subscription.topic not in topics:
            raise ValueError(
                f"subscription {subscription.name!r} reads unknown topic {subscription.topic!r}"
            )
        if subscription.dead_letter_topic and subscription.dead_letter_topic not in topics:
            raise ValueError(
                f"subscription {subscription.name!r} dead-letters to unknown topic "
                f"{subscription.dead_letter_topic!r}"
            )
        if subscription.push_to and subscription.push_to not in names:
            raise ValueError(
                f"subscription {subscription.name!r} pushes to unknown function "
                f"{subscription.push_to!r}"
            )
    jobs = tuple(_job(j, topics) for j in document.get("jobs", ()))
    job_names = [j.name for j in jobs]
    if len(set(job_names)) != len(job_names):
        raise ValueError("job names in the stack description must be unique")
    return StackSpec(
        project_id=str(document.get("project_id", "alumusic-local")),
        functions=functions,
        topics=topics,
        subscriptions=subscriptions,
        buckets=tuple(str(b) for b in document.get("buckets", ())),
        jobs=jobs,
        database_settings=_database_settings(document.get("database", {})),
        source_path=source_path,
    )


def load_stack(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    project_id: str | None = None,
) -> StackSpec:
    """The stack description with ports from `env` (default: this process's environment)."""
    path = path or default_stack_file()
    document = json.loads(path.read_text(encoding="utf-8"))
    spec = parse_stack(document, source_path=path)
    return spec.with_ports(os.environ if env is None else env).with_project(project_id)
