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

from shared.cli import build_parser
from shared.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
STACK_FILE = ROOT / "infra" / "stack.json"
DOCKERIGNORE = ROOT / ".dockerignore"

REQUIRED_SECRETS = ("JWT_SECRET", "POSTGRES_PASSWORD", "ADMIN_PASSWORD")
# Environment a container reads besides the product's settings.
RUNTIME_ENV = {
    "FUNCTION_TARGET",
    "FUNCTION_SIGNATURE_TYPE",
    "PORT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
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


def test_every_function_has_a_service_built_from_its_dockerfile(compose, stack):
    services = compose["services"]
    for function in stack["functions"]:
        name = function["name"]
        assert name in services, f"no compose service for function {name}"
        service = services[name]
        assert service["build"]["context"] == "."
        dockerfile_path = f"{function['source']}/Dockerfile"
        assert service["build"]["dockerfile"] == dockerfile_path
        assert (ROOT / dockerfile_path).is_file()
        environment = service["environment"]
        assert environment["FUNCTION_TARGET"] == function["target"]
        # The port the stack description gives is the one the gateway and push endpoints use
        assert str(environment["PORT"]) == str(function["port"])


def test_required_secrets_use_the_required_form():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for name in REQUIRED_SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, f"{name} is not used"
        for modifier in uses:
            assert modifier.startswith(":?"), f"${{{name}{modifier}}} must be ${{{name}:?...}}"
    # No secret is ever spelled out or given a default
    assert not re.search(r"\$\{(JWT_SECRET|POSTGRES_PASSWORD|ADMIN_PASSWORD):?-", text)


def test_app_environment_names_real_settings(compose):
    known = {name.upper() for name in Settings.model_fields} | RUNTIME_ENV
    for name, service in compose["services"].items():
        if service.get("image") != "alumusic/classify:local":
            continue
        unknown = set(service["environment"]) - known
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
    assert command.startswith("gcloud beta emulators pubsub start --host-port=0.0.0.0:8085")
    assert "localstack/localstack" in services["localstack"]["image"]
    assert services["localstack"]["environment"]["SERVICES"] == "s3"
    # Only what exists: no scheduler until a function needs one
    assert "scheduler" not in services


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
    for name in [f["name"] for f in stack["functions"]] + ["gateway", "bootstrap"]:
        assert services[name]["network_mode"] == "service:pubsub", name
        assert services[name]["environment"]["PUBSUB_EMULATOR_HOST"] == "127.0.0.1:8085"
    published = {port.split(":")[-1] for port in services["pubsub"]["ports"]}
    assert {"8080", "8085"} <= published


# --- the function image -------------------------------------------------------------------------


def _dockerfiles(stack: dict[str, Any]) -> dict[str, Path]:
    return {f["source"]: ROOT / f["source"] / "Dockerfile" for f in stack["functions"]}


def test_function_dockerfiles_build_from_the_repo_root(stack):
    for source, path in _dockerfiles(stack).items():
        commands = dockerfile.parse_file(str(path))
        froms = [c.value[0] for c in commands if c.cmd.upper() == "FROM"]
        assert froms, path
        assert all(image == "python:3.11-slim" for image in froms), froms
        # Every COPY from the build context names something in the repository
        for command in commands:
            if command.cmd.upper() != "COPY" or any(f.startswith("--from") for f in command.flags):
                continue
            for copied in command.value[:-1]:
                assert (ROOT / copied).exists(), f"{path}: COPY {copied} is not in the repository"
        runs = " && ".join(" ".join(c.value) for c in commands if c.cmd.upper() == "RUN")
        assert "pip install" in runs
        # Only the image that classifies carries the embedded model
        if source == "functions/classify":
            assert "alumusic train" in runs
        user = [c.value[0] for c in commands if c.cmd.upper() == "USER"]
        assert user, f"{path} runs as root"
        assert user[-1].split(":")[0] not in ("root", "0")
        cmd = next(c for c in reversed(commands) if c.cmd.upper() == "CMD")
        line = " ".join(cmd.value)
        assert "functions-framework" in line
        assert '--target="${FUNCTION_TARGET}"' in line
        assert f"--source={source}/main.py" in line
        assert '--port="${PORT}"' in line
        assert (ROOT / source / "main.py").is_file()


def test_dockerignore_keeps_local_state_out_and_sources_in():
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # Allow-list: nothing goes in unless named
    assert lines[0] == "*"
    included = {line[1:] for line in lines if line.startswith("!")}
    assert {"pyproject.toml", "shared/", "functions/", "infra/stack.json"} <= included
    for kept_out in ("**/.venv", "**/.git", "**/.dev", "**/__pycache__", "**/.mypy_cache"):
        assert kept_out in lines
