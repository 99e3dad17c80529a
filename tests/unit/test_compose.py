"""docker-compose.yml and the function images, checked offline (no Docker engine here).

The compose file is validated against the Compose specification with check-jsonschema's vendored
schema, then against infra/stack.json and the `alumusic` CLI it calls; the Dockerfile is parsed
with the official parser and its instructions checked against the repository.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import dockerfile
import pytest
import yaml

from shared.cli import build_parser, main
from shared.config import SETTINGS_GROUPS_ENV, CoreSettings, Settings, group_fields

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
STACK_FILE = ROOT / "infra" / "stack.json"
DOCKERIGNORE = ROOT / ".dockerignore"

REQUIRED_SECRETS = (
    "JWT_PRIVATE_KEYS",
    "JWT_PUBLIC_KEYS",
    "CURSOR_SECRET",
    "POSTGRES_PASSWORD",
    "ADMIN_PASSWORD",
)
# Environment a container reads besides the product's settings.
RUNTIME_ENV = {
    "FUNCTION_TARGET",
    "FUNCTION_SIGNATURE_TYPE",
    "PORT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    SETTINGS_GROUPS_ENV,
}
PUBSUB_EMULATOR_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    return document


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(executable), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_compose_file_follows_the_compose_spec():
    result = _check_jsonschema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_spec_check_catches_a_broken_file(tmp_path):
    # Given the same file with a misspelt depends_on condition
    broken = COMPOSE_FILE.read_text(encoding="utf-8").replace(
        "condition: service_healthy", "condition: service_ready", 1
    )
    path = tmp_path / "docker-compose.yml"
    path.write_text(broken, encoding="utf-8")
    # Then the schema check refuses it
    result = _check_jsonschema(path)
    assert result.returncode != 0


def test_compose_is_written_from_the_stack_and_a_stale_file_is_caught(tmp_path, stack):
    # Given a stack description with one more function than the repository's
    digest_api = next(f for f in stack["functions"] if f["name"] == "digest-api")
    added = {**digest_api, "name": "reports-api", "source": "functions/reports", "port": 8091}
    grown = tmp_path / "stack.json"
    grown.write_text(json.dumps({**stack, "functions": [*stack["functions"], added]}))
    written = tmp_path / "docker-compose.yml"
    # When the compose file is written from it
    assert main(["dev", "compose", "--stack", str(grown), "--output", str(written), "--write"]) == 0
    # Then the new function is a service of its own, and the gateway waits for it
    services = yaml.safe_load(written.read_text(encoding="utf-8"))["services"]
    service = services["reports-api"]
    assert service["build"]["args"]["FUNCTION"] == "reports"
    assert service["environment"]["PORT"] == "8091"
    assert service["environment"][SETTINGS_GROUPS_ENV] == "database,auth"
    assert services["gateway"]["depends_on"]["reports-api"]["condition"] == "service_healthy"
    # And the check passes on that file, and fails on the repository's, which lacks the function
    assert main(["dev", "compose", "--stack", str(grown), "--output", str(written), "--check"]) == 0
    check = ["dev", "compose", "--stack", str(grown), "--output", str(COMPOSE_FILE), "--check"]
    assert main(check) == 1


def test_every_function_has_a_service_built_from_its_dockerfile(compose, stack):
    services = compose["services"]
    for function in stack["functions"]:
        name = function["name"]
        assert name in services, f"no compose service for function {name}"
        service = services[name]
        assert service["build"]["context"] == "."
        # One recipe for every function; the folder is a build argument
        assert service["build"]["dockerfile"] == "functions/Dockerfile"
        assert service["build"]["args"]["FUNCTION"] == function["source"].removeprefix("functions/")
        assert "target" not in service["build"], "a function image is the runtime stage"
        environment = service["environment"]
        assert environment["FUNCTION_TARGET"] == function["target"]
        # The port the stack description gives is the one the gateway and push endpoints use
        assert str(environment["PORT"]) == str(function["port"])


def test_each_function_gets_only_the_settings_of_its_groups(compose, stack):
    # Given the settings groups each function declares in stack.json
    for function in stack["functions"]:
        environment = compose["services"][function["name"]]["environment"]
        groups = function["settings"]
        # Then compose names them, and gives no setting of another group
        assert environment[SETTINGS_GROUPS_ENV] == ",".join(groups)
        allowed = {name.upper() for name in CoreSettings.model_fields}
        allowed |= {name.upper() for group in groups for name in group_fields(group)}
        # Storage credentials are the AWS client's, not settings; they go with the storage group
        runtime = {"FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "PORT", SETTINGS_GROUPS_ENV}
        if "storage" in groups:
            runtime |= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
        extra = set(environment) - allowed - runtime
        assert not extra, f"{function['name']}: {sorted(extra)} belong to undeclared groups"
    # The consumer verifies no token: it has no key; only the issuer has the private key
    services = compose["services"]
    assert not {"JWT_PRIVATE_KEYS", "JWT_PUBLIC_KEYS"} & set(
        services["classify-consumer"]["environment"]
    )
    holders = {
        name
        for name, service in services.items()
        if "JWT_PRIVATE_KEYS" in service.get("environment", {})
    }
    assert holders == {"classify-api"}
    assert "JWT_PUBLIC_KEYS" in services["insights-api"]["environment"]


def test_required_secrets_use_the_required_form():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for name in REQUIRED_SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, f"{name} is not used"
        for modifier in uses:
            assert modifier.startswith(":?"), f"${{{name}{modifier}}} must be ${{{name}:?...}}"
    # No secret is ever spelled out or given a default
    assert not re.search(r"\$\{(" + "|".join(REQUIRED_SECRETS) + r"):?-", text)


def test_app_environment_names_real_settings(compose, stack):
    known = {name.upper() for name in Settings.model_fields} | RUNTIME_ENV
    for name in [f["name"] for f in stack["functions"]] + ["bootstrap", "gateway", "scheduler"]:
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"{name}: {sorted(unknown)} are not settings"


def test_depends_on_waits_for_health_or_completion(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            condition = spec["condition"]
            assert condition in ("service_healthy", "service_completed_successfully"), name
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
    # Functions start after the bootstrap job finished; the gateway after healthy functions
    assert services["bootstrap"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["bootstrap"]["depends_on"]["pubsub"]["condition"] == "service_healthy"
    assert services["bootstrap"]["depends_on"]["localstack"]["condition"] == "service_healthy"
    assert services["gateway"]["depends_on"]


def test_infrastructure_services(compose):
    services = compose["services"]
    postgres_check = services["postgres"]["healthcheck"]["test"]
    assert "pg_isready" in postgres_check
    pubsub = services["pubsub"]
    assert pubsub["image"] == PUBSUB_EMULATOR_IMAGE
    command = " ".join(pubsub["command"])
    assert command.startswith("gcloud beta emulators pubsub start --host-port=127.0.0.1:8085")
    assert "localstack/localstack" in services["localstack"]["image"]
    assert services["localstack"]["environment"]["SERVICES"] == "s3"


def test_postgres_runs_with_the_stacks_server_settings(compose, stack):
    # Given the server settings the stack is sized for
    wanted = stack["database"]["server_settings"]
    assert wanted, "infra/stack.json names no server settings"
    # When compose's PostgreSQL starts
    command = compose["services"]["postgres"]["command"]
    assert command[0] == "postgres"
    given = dict(
        option.split("=", 1)
        for flag, option in zip(command[1::2], command[2::2], strict=True)
        if flag == "-c"
    )
    # Then it is given each of them, as the local stack's private server is
    assert given == {name: str(value) for name, value in wanted.items()}


def test_scheduler_publishes_stack_jobs_to_the_emulator(compose, stack):
    # Given the scheduler service
    scheduler = compose["services"]["scheduler"]
    # Then it runs the same command as `make dev`, against the emulator in the shared namespace
    (argv,) = _alumusic_invocations(scheduler["command"])
    assert argv[:2] == ["schedule", "serve"]
    parsed = build_parser().parse_args(argv)
    assert callable(parsed.handler)
    assert parsed.state_file is not None
    assert scheduler["network_mode"] == "service:pubsub"
    assert scheduler["environment"]["PUBSUB_EMULATOR_HOST"] == "127.0.0.1:8085"
    assert scheduler["environment"]["PUBSUB_PROJECT_ID"] == stack["project_id"]
    # And it starts once the bootstrap job created the topics it publishes to
    assert scheduler["depends_on"]["bootstrap"]["condition"] == "service_completed_successfully"
    assert stack["jobs"], "the stack declares no job for the scheduler to run"


def _alumusic_invocations(command: Any) -> list[list[str]]:
    """Every `alumusic ...` argv in a service command (exec form or `sh -c` chain)."""
    if isinstance(command, list) and command[:2] == ["sh", "-c"]:
        script = command[2]
    elif isinstance(command, list):
        script = shlex.join(command)
    else:
        script = str(command)
    invocations = []
    for step in re.split(r"&&|\|", script):
        words = shlex.split(step)
        if words and words[0] == "alumusic":
            invocations.append(words[1:])
    return invocations


def test_service_commands_are_real_cli_commands(compose):
    # Given the commands the bootstrap job and the gateway run
    bootstrap = _alumusic_invocations(compose["services"]["bootstrap"]["command"])
    gateway = _alumusic_invocations(compose["services"]["gateway"]["command"])
    assert [argv[:2] for argv in bootstrap] == [
        ["db", "upgrade"],
        ["dev", "bootstrap"],
        ["user", "create"],
    ]
    assert [argv[:2] for argv in gateway] == [["dev", "gateway"]]
    # Then the CLI accepts each of them as written
    parser = build_parser()
    for argv in bootstrap + gateway:
        parsed = parser.parse_args(argv)
        assert callable(parsed.handler), argv
    gateway_args = parser.parse_args(gateway[0])
    # Published through another container's namespace: it must listen on every interface
    assert gateway_args.host == "0.0.0.0"
    assert gateway_args.port == 8080


def test_functions_share_the_emulator_namespace_so_stack_addresses_hold(compose, stack):
    # infra/stack.json addresses functions as 127.0.0.1:<port> for push endpoints and routes
    services = compose["services"]
    tools = ["gateway", "bootstrap", "scheduler"]
    for name in [f["name"] for f in stack["functions"]] + tools + ["mail-sink"]:
        assert services[name]["network_mode"] == "service:pubsub", name
    # Those that talk to Pub/Sub reach the emulator in that namespace
    uses_pubsub = [f["name"] for f in stack["functions"] if "pubsub" in f["settings"]] + tools
    for name in uses_pubsub:
        assert services[name]["environment"]["PUBSUB_EMULATOR_HOST"] == "127.0.0.1:8085", name
    # Functions that mail reach the sink in that namespace too
    for function in stack["functions"]:
        if "mail" in function["settings"]:
            host = services[function["name"]]["environment"]["SENDGRID_API_HOST"]
            assert host == "http://127.0.0.1:8025", function["name"]


def test_only_the_gateway_and_the_mail_view_are_published_and_on_loopback_only(compose):
    # Given the compose file
    services = compose["services"]
    published = [
        (service, port) for service, spec in services.items() for port in spec.get("ports", [])
    ]
    # Then the gateway and the mail view are published, the Pub/Sub emulator is not
    assert sorted(port.split(":")[-1] for _, port in published) == ["8025", "8080"]
    # And each only on the host's loopback
    assert all(port.startswith("127.0.0.1:") for _, port in published), published


# --- the function image -------------------------------------------------------------------------


FUNCTION_DOCKERFILE = ROOT / "functions" / "Dockerfile"


def _stages(commands: Any) -> list[list[Any]]:
    stages: list[list[Any]] = []
    for command in commands:
        if command.cmd.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(command)
    return stages


def test_one_dockerfile_builds_every_function_from_the_repo_root(stack):
    commands = dockerfile.parse_file(str(FUNCTION_DOCKERFILE))
    args = {c.value[0].split("=")[0]: c.value[0] for c in commands if c.cmd.upper() == "ARG"}
    assert args["PYTHON_IMAGE"] == "PYTHON_IMAGE=python:3.11-slim"
    # Every COPY from the build context names something in the repository (for each function)
    for function in stack["functions"]:
        folder = function["source"].removeprefix("functions/")
        for command in commands:
            if command.cmd.upper() != "COPY" or any(f.startswith("--from") for f in command.flags):
                continue
            for copied in command.value[:-1]:
                path = ROOT / copied.replace("${FUNCTION}", folder)
                assert path.exists(), f"COPY {copied} is not in the repository"
        assert (ROOT / function["source"] / "main.py").is_file()
    final = _stages(commands)[-1]
    # The image that runs is the runtime venv plus the model: no tooling, no training packages
    final_copies = [" ".join(c.flags + c.value) for c in final if c.cmd.upper() == "COPY"]
    assert "--from=runtime /opt/venv /opt/venv" in final_copies
    runtime = next(stage for stage in _stages(commands) if stage[0].value[-1] == "runtime")
    assert "pip uninstall --yes pip setuptools" in " ".join(
        " ".join(c.value) for c in runtime if c.cmd.upper() == "RUN"
    )
    assert "--from=model /model /app/model" in final_copies
    assert not any("tooling" in line for line in final_copies)
    assert not any(c.cmd.upper() == "RUN" and "pip install" in " ".join(c.value) for c in final)
    runs = " && ".join(" ".join(c.value) for c in commands if c.cmd.upper() == "RUN")
    assert "'train', '--output', '/model/local-model.joblib'" in runs
    user = [c.value[0] for c in final if c.cmd.upper() == "USER"]
    assert user, "the function image runs as root"
    assert user[-1].split(":")[0] not in ("root", "0")
    line = " ".join(next(c for c in reversed(final) if c.cmd.upper() == "CMD").value)
    assert "functions-framework" in line
    assert '--target="${FUNCTION_TARGET}"' in line
    assert '--source="${FUNCTION_SOURCE}"' in line
    assert '--port="${PORT}"' in line


def test_dockerignore_keeps_local_state_out_and_sources_in():
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # Allow-list: nothing goes in unless named
    assert lines[0] == "*"
    included = {line[1:] for line in lines if line.startswith("!")}
    assert {"pyproject.toml", "shared/", "tooling/", "functions/", "infra/stack.json"} <= included
    for kept_out in ("**/.venv", "**/.git", "**/.dev", "**/__pycache__", "**/.mypy_cache"):
        assert kept_out in lines
