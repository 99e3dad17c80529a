"""The emulators of the local stack: the Google Pub/Sub emulator and moto's S3 server.

Both the `alumusic dev up` runner and the test fixtures start them through these functions, so
the tests exercise the very commands a developer runs.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import requests

from tooling.devstack.waiting import wait_until

LOOPBACK = "127.0.0.1"
DEFAULT_PUBSUB_PORT = 8085
DEFAULT_S3_PORT = 5000
DEFAULT_MAIL_SINK_PORT = 8025

# The emulator logs every HTTP request at INFO through java.util.logging; at thousands of
# requests that is CPU the pipeline needs.
_JAVA_LOGGING = ".level=WARNING\nhandlers=java.util.logging.ConsoleHandler\n"

_SDK_ROOTS = (
    "/usr/lib/google-cloud-sdk",
    "/usr/share/google-cloud-sdk",
    "/opt/google-cloud-sdk",
    "~/google-cloud-sdk",
)
_EMULATOR_RELATIVE = Path("platform/pubsub-emulator/bin/cloud-pubsub-emulator")


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts connections on host:port."""
    with socket.socket() as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def split_host_port(value: str, default_port: int) -> tuple[str, int]:
    """`host:port` (as in PUBSUB_EMULATOR_HOST) or a URL -> (host, port)."""
    parts = urlsplit(value if "://" in value else f"//{value}")
    return parts.hostname or LOOPBACK, parts.port or default_port


def find_pubsub_emulator() -> list[str]:
    """The command prefix that runs the Pub/Sub emulator on this machine.

    The SDK's emulator launcher is preferred (one JVM, no gcloud wrapper process); `gcloud beta
    emulators pubsub start` is the fallback. PUBSUB_EMULATOR_BIN overrides both.
    """
    override = os.environ.get("PUBSUB_EMULATOR_BIN")
    if override:
        return [override]
    roots: list[Path] = []
    gcloud = shutil.which("gcloud")
    if gcloud:
        roots.append(Path(os.path.realpath(gcloud)).parent.parent)
    roots.extend(Path(root).expanduser() for root in _SDK_ROOTS)
    for root in roots:
        candidate = root / _EMULATOR_RELATIVE
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    if gcloud:
        return [gcloud, "beta", "emulators", "pubsub", "start"]
    raise RuntimeError(
        "the Google Pub/Sub emulator is not installed: install the Google Cloud SDK with "
        "`gcloud components install pubsub-emulator beta` (needs Java 11+), or set "
        "PUBSUB_EMULATOR_BIN"
    )


def pubsub_emulator_command(host: str, port: int, data_dir: Path) -> list[str]:
    prefix = find_pubsub_emulator()
    if prefix[-1] == "start":  # the gcloud wrapper
        return [*prefix, f"--host-port={host}:{port}", f"--data-dir={data_dir}"]
    return [*prefix, f"--host={host}", f"--port={port}"]


def pubsub_emulator_env(state_dir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the emulator's JVM: quiet logging, a bounded heap."""
    env = dict(os.environ if base is None else base)
    config = state_dir / "pubsub-logging.properties"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(_JAVA_LOGGING, encoding="utf-8")
    extra = f"-Djava.util.logging.config.file={config} -Xms256m -Xmx1g"
    env["JAVA_OPTS"] = f"{env.get('JAVA_OPTS', '')} {extra}".strip()
    return env


def pubsub_ready(emulator_host: str, timeout: float = 1.0) -> bool:
    """The emulator answers "Ok" on its HTTP root once it serves requests."""
    try:
        response = requests.get(f"http://{emulator_host}/", timeout=timeout)
    except requests.RequestException:
        return False
    return response.status_code == 200


def moto_server_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)]


def s3_ready(endpoint_url: str, timeout: float = 1.0) -> bool:
    """moto (and LocalStack) answer the S3 ListBuckets call on the root path."""
    try:
        response = requests.get(endpoint_url.rstrip("/") + "/", timeout=timeout)
    except requests.RequestException:
        return False
    return response.status_code == 200


def mail_sink_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "tooling.devstack.mail_sink", "--host", host, "--port", str(port)]


def mail_sink_ready(url: str, timeout: float = 1.0) -> bool:
    try:
        response = requests.get(url.rstrip("/") + "/healthz", timeout=timeout)
    except requests.RequestException:
        return False
    return response.status_code == 200


def wait_for(what: str, predicate: Callable[[], bool], *, timeout: float) -> None:
    """Wait until `predicate()` is true or raise RuntimeError naming `what`."""
    if not wait_until(predicate, timeout=timeout, interval=0.1):
        raise RuntimeError(f"{what} did not become ready within {timeout:g} s")
