"""docker-compose.yml, derived from infra/stack.json: `alumusic dev compose --write`.

Each function of the stack description becomes a service built from functions/Dockerfile with its
folder, target, port and settings groups; PostgreSQL gets the stack's server settings and the
Pub/Sub emulator its project. What compose adds on its own (the emulator and LocalStack images,
the bootstrap job, the gateway, the scheduler, the mail sink, each settings group's values here)
is written below once. `alumusic dev compose --check` (run by `make check-infra`) fails when the
file is not what this module writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import yaml

from tooling.devstack.services import DEFAULT_MAIL_SINK_PORT, DEFAULT_PUBSUB_PORT, LOOPBACK
from tooling.devstack.stack import FunctionSpec, StackSpec, repo_root

GATEWAY_PORT: Final = 8080
LOCALSTACK_PORT: Final = 4566
DOCKERFILE: Final = "functions/Dockerfile"
PUBSUB_EMULATOR_IMAGE: Final = "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators"
# Published through the emulator's namespace: tools listen on every interface of it.
ALL_INTERFACES: Final = "0.0.0.0"  # noqa: S104
# In the scheduler's container: a restart of the container keeps it, a new container starts over.
SCHEDULER_STATE_FILE: Final = "/tmp/scheduler-state.json"  # noqa: S108
# Tools read every group but issue no token: no issuer group, so no private key.
TOOL_GROUPS: Final = ("database", "pubsub", "auth", "classifier", "storage")

HEADER: Final = """\
# Written by `alumusic dev compose --write` from infra/stack.json (and
# tooling/devstack/compose.py): edit those, not this file; `make check-infra` fails when it is
# not current.
#
# The whole stack as containers, for people with Docker:
#   eval "$(alumusic keys generate --env)"   # JWT_PRIVATE_KEYS, JWT_PUBLIC_KEYS, CURSOR_SECRET
#   POSTGRES_PASSWORD=... ADMIN_PASSWORD=... docker compose up --build
# then the API is at http://localhost:8080 (log in as `admin` with ADMIN_PASSWORD). Keep
# POSTGRES_PASSWORD URL-safe (letters, digits, - and _): it is part of DATABASE_URL.
#
# Functions, the gateway and the bootstrap job share the Pub/Sub emulator's network namespace
# (like containers of one pod): infra/stack.json addresses every function as 127.0.0.1:<port>,
# so push subscriptions and gateway routes are the same here as on a laptop. PostgreSQL and
# LocalStack keep their own names on the network. A function gets the core settings, the settings
# of the groups it declares in infra/stack.json and SETTINGS_GROUPS naming them, nothing else:
# only classify-api (group "issuer") holds the token signing key.
"""


def _required(name: str, hint: str) -> str:
    """A variable compose refuses to start without (never given a default)."""
    return f"${{{name}:?{hint}}}"


def _group_environment(stack: StackSpec) -> dict[str, dict[str, str]]:
    """Each settings group's variables as compose gives them (shared/config.py's groups)."""
    return {
        "database": {
            "DATABASE_URL": "postgresql+psycopg://alumusic:"
            + _required("POSTGRES_PASSWORD", "set POSTGRES_PASSWORD")
            + "@postgres:5432/alumusic"
        },
        "pubsub": {
            "PUBSUB_EMULATOR_HOST": f"{LOOPBACK}:{DEFAULT_PUBSUB_PORT}",
            "PUBSUB_PROJECT_ID": stack.project_id,
        },
        "auth": {
            "JWT_PUBLIC_KEYS": _required(
                "JWT_PUBLIC_KEYS", 'set JWT_PUBLIC_KEYS (eval "$(alumusic keys generate --env)")'
            ),
            "CURSOR_SECRET": _required(
                "CURSOR_SECRET", "set CURSOR_SECRET (32 or more random characters)"
            ),
            # The gateway appends the caller's address to X-Forwarded-For.
            "TRUSTED_PROXY_HOPS": "1",
        },
        "issuer": {
            "JWT_PRIVATE_KEYS": _required(
                "JWT_PRIVATE_KEYS", 'set JWT_PRIVATE_KEYS (eval "$(alumusic keys generate --env)")'
            )
        },
        "classifier": {"CLASSIFIER": "${CLASSIFIER:-local}"},
        "storage": {
            "AWS_ENDPOINT_URL": f"http://localstack:{LOCALSTACK_PORT}",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "S3_BUCKET": stack.buckets[0],
        },
        "digest": {"DIGEST_WRITER": "${DIGEST_WRITER:-template}"},
        # The mail sink below, in the same namespace; received mail at http://localhost:8025/mails
        "mail": {"SENDGRID_API_HOST": f"http://{LOOPBACK}:{DEFAULT_MAIL_SINK_PORT}"},
        "insights": {"INSIGHTS_ANSWERER": "${INSIGHTS_ANSWERER:-offline}"},
        # Alerts post to the mail sink's webhook view: http://localhost:8025/webhooks
        "alerts": {
            "ALERTS_WEBHOOK_URLS": (
                f"slack:http://{LOOPBACK}:{DEFAULT_MAIL_SINK_PORT}/webhooks/slack,"
                f"http://{LOOPBACK}:{DEFAULT_MAIL_SINK_PORT}/webhooks/json"
            )
        },
        "maintenance": {
            "MAINTENANCE_MIN_CHANGED_ROWS": "${MAINTENANCE_MIN_CHANGED_ROWS:-1000}",
            "MAINTENANCE_CHANGED_FRACTION": "${MAINTENANCE_CHANGED_FRACTION:-0.05}",
        },
    }


def _environment(stack: StackSpec, groups: tuple[str, ...]) -> dict[str, str]:
    # Said explicitly: unset, ENVIRONMENT means production rules.
    environment = {
        "ENVIRONMENT": "${ENVIRONMENT:-development}",
        "LOG_LEVEL": "${LOG_LEVEL:-INFO}",
        "PRODUCT_TIMEZONE": "${PRODUCT_TIMEZONE:-America/Sao_Paulo}",
    }
    by_group = _group_environment(stack)
    for group in groups:
        environment.update(by_group.get(group, {}))
    return environment


def _healthcheck(
    test: list[str], *, interval: int = 2, retries: int = 60, start_period: str | None = "5s"
) -> dict[str, Any]:
    check: dict[str, Any] = {
        "test": test,
        "interval": f"{interval}s",
        "timeout": f"{interval + 1}s",
        "retries": retries,
    }
    if start_period:
        check["start_period"] = start_period
    return check


def _http_check(port: int, timeout: int = 2) -> list[str]:
    probe = (
        "import urllib.request; "
        f"urllib.request.urlopen('http://{LOOPBACK}:{port}/healthz', timeout={timeout})"
    )
    return ["CMD", "python", "-c", probe]


def _function_service(stack: StackSpec, function: FunctionSpec) -> dict[str, Any]:
    folder = function.source.removeprefix("functions/")
    environment = _environment(stack, function.settings)
    environment.update(
        {
            "SETTINGS_GROUPS": ",".join(function.settings),
            "FUNCTION_TARGET": function.target,
            "PORT": str(function.port),
        }
    )
    if function.signature == "http":
        check = _http_check(function.port)
    else:
        # A CloudEvent function answers POST only: the check is that it accepts connections.
        probe = (
            f"import socket; socket.create_connection(('{LOOPBACK}', {function.port}), 2).close()"
        )
        check = ["CMD", "python", "-c", probe]
    depends_on: dict[str, Any] = {"bootstrap": {"condition": "service_completed_successfully"}}
    if "mail" in function.settings:
        depends_on["mail-sink"] = {"condition": "service_healthy"}
    return {
        "build": {"context": ".", "dockerfile": DOCKERFILE, "args": {"FUNCTION": folder}},
        "image": f"alumusic/{folder}:local",
        "network_mode": "service:pubsub",
        "environment": environment,
        "healthcheck": _healthcheck(check),
        "depends_on": depends_on,
        "restart": "unless-stopped",
    }


def _tool(command: list[str], environment: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A service of the Dockerfile's tooling stage (never deployed)."""
    service: dict[str, Any] = {
        "build": {"context": ".", "dockerfile": DOCKERFILE, "target": "tooling"},
        "image": "alumusic/tooling:local",
        "network_mode": "service:pubsub",
    }
    if environment is not None:
        service["environment"] = dict(environment)
    service["command"] = command
    return service


def compose_document(stack: StackSpec) -> dict[str, Any]:
    """The compose project of `stack`, as data."""
    tools = _environment(stack, TOOL_GROUPS)
    server_settings = [
        word
        for name, value in stack.database_settings.items()
        for word in ("-c", f"{name}={value}")
    ]
    services: dict[str, Any] = {
        "postgres": {
            "image": "postgres:16-alpine",
            "command": ["postgres", *server_settings],
            "environment": {
                "POSTGRES_USER": "alumusic",
                "POSTGRES_DB": "alumusic",
                "POSTGRES_PASSWORD": _required("POSTGRES_PASSWORD", "set POSTGRES_PASSWORD"),
            },
            "volumes": ["postgres-data:/var/lib/postgresql/data"],
            "healthcheck": _healthcheck(
                ["CMD", "pg_isready", "-U", "alumusic", "-d", "alumusic", "-h", LOOPBACK],
                retries=30,
                start_period=None,
            ),
            "restart": "unless-stopped",
        },
        "pubsub": {
            "image": PUBSUB_EMULATOR_IMAGE,
            "command": [
                "gcloud",
                "beta",
                "emulators",
                "pubsub",
                "start",
                f"--host-port={LOOPBACK}:{DEFAULT_PUBSUB_PORT}",
                f"--project={stack.project_id}",
            ],
            # The namespace's published ports: the gateway (the one base URL) and the mail view,
            # on the host's loopback only. The emulator is not published: anyone who reached it
            # could publish comments or ticks, and every tool that needs it runs in this namespace.
            "ports": [
                f"{LOOPBACK}:${{GATEWAY_PORT:-{GATEWAY_PORT}}}:{GATEWAY_PORT}",
                f"{LOOPBACK}:${{MAIL_SINK_PORT:-{DEFAULT_MAIL_SINK_PORT}}}:{DEFAULT_MAIL_SINK_PORT}",
            ],
            "healthcheck": _healthcheck(
                ["CMD", "curl", "-fsS", f"http://{LOOPBACK}:{DEFAULT_PUBSUB_PORT}/"]
            ),
            "restart": "unless-stopped",
        },
        "localstack": {
            "image": "localstack/localstack:3.8",
            "environment": {"SERVICES": "s3"},
            "healthcheck": _healthcheck(
                ["CMD", "curl", "-fsS", f"http://{LOOPBACK}:{LOCALSTACK_PORT}/_localstack/health"]
            ),
            "restart": "unless-stopped",
        },
        # One-shot: migrations, topics, subscriptions and bucket of the stack, the first admin.
        "bootstrap": {
            **_tool(
                [
                    "sh",
                    "-c",
                    "alumusic db upgrade && alumusic dev bootstrap && printf '%s\\n' "
                    '"$$ADMIN_PASSWORD" | alumusic user create admin --role admin '
                    "--password-stdin --exist-ok",
                ],
                {
                    **tools,
                    "ADMIN_PASSWORD": _required(
                        "ADMIN_PASSWORD",
                        "set ADMIN_PASSWORD (password of user admin, 12+ characters, "
                        "not containing admin)",
                    ),
                },
            ),
            "depends_on": {
                name: {"condition": "service_healthy"}
                for name in ("postgres", "pubsub", "localstack")
            },
            "restart": "no",
        },
    }
    for function in stack.functions:
        services[function.name] = _function_service(stack, function)
    services["mail-sink"] = {
        **_tool(
            [
                "python",
                "-m",
                "tooling.devstack.mail_sink",
                "--host",
                ALL_INTERFACES,
                "--port",
                str(DEFAULT_MAIL_SINK_PORT),
            ]
        ),
        "healthcheck": _healthcheck(
            _http_check(DEFAULT_MAIL_SINK_PORT), retries=30, start_period="2s"
        ),
        "restart": "unless-stopped",
    }
    # The one base URL: routes each operation of the OpenAPI document to the function it names,
    # as API Gateway does in production.
    services["gateway"] = {
        **_tool(
            ["alumusic", "dev", "gateway", "--host", ALL_INTERFACES, "--port", str(GATEWAY_PORT)],
            tools,
        ),
        "healthcheck": _healthcheck(_http_check(GATEWAY_PORT, timeout=5), interval=5, retries=30),
        "depends_on": {
            function.name: {"condition": "service_healthy"} for function in stack.functions
        },
        "restart": "unless-stopped",
    }
    # The local Cloud Scheduler: publishes each job of the stack to its topic on time. Its state
    # (each job's last run) stays in the container, so a restart catches up one missed run.
    services["scheduler"] = {
        **_tool(
            ["alumusic", "schedule", "serve", "--state-file", SCHEDULER_STATE_FILE],
            tools,
        ),
        "depends_on": {"bootstrap": {"condition": "service_completed_successfully"}},
        "restart": "unless-stopped",
    }
    return {"name": "alumusic", "services": services, "volumes": {"postgres-data": None}}


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
    """Mappings as blocks, lists of words on one line (commands, checks, ports), as people write
    compose files."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flat = all(isinstance(item, str | int) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def render_compose(stack: StackSpec) -> str:
    """docker-compose.yml's text for `stack`: one blank line between services."""
    body: str = yaml.dump(compose_document(stack), Dumper=_Dumper, sort_keys=False, width=1_000)
    return HEADER + re.sub(r"(?<!services:)\n(?=  [a-z][a-z-]*:\n)", "\n\n", body)


def compose_file() -> Path:
    return repo_root() / "docker-compose.yml"
