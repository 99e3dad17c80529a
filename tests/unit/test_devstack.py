"""The stack description, emulator bootstrap requests, dev secrets, the process supervisor."""

from __future__ import annotations

import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from shared.demo import demo_comments, load_corpus
from shared.devstack.bootstrap import desired_subscription
from shared.devstack.runner import StackConfig, load_secrets
from shared.devstack.services import split_host_port
from shared.devstack.stack import load_stack, parse_duration, parse_stack, port_env_name
from shared.devstack.supervisor import Supervisor, group_alive, process_running
from shared.devstack.waiting import wait_until


def test_the_repository_stack_description_is_consistent() -> None:
    # Given infra/stack.json
    spec = load_stack(env={})

    # Then every push subscription reaches a function with the topic in the endpoint path
    pushes = [s for s in spec.subscriptions if s.push_to]
    assert {p.push_to for p in pushes} >= {"classify-consumer", "charts-refresh"}
    for push in pushes:
        assert spec.push_endpoint(push) == (
            f"http://127.0.0.1:{spec.function(push.push_to or '').port}"
            f"/projects/{spec.project_id}/topics/{push.topic}"
        )
        assert push.dead_letter_topic in spec.topics
    # Routes are API paths, or the dashboard page
    assert all(
        route.startswith("/api/") or route == "/painel"
        for f in spec.functions
        for route in f.routes
    )


def test_function_ports_move_with_environment_variables() -> None:
    spec = load_stack(env={"CLASSIFY_API_PORT": "18081", "CLASSIFY_CONSUMER_PORT": "18082"})
    assert spec.function("classify-api").port == 18081
    assert spec.function("classify-consumer").base_url == "http://127.0.0.1:18082"
    assert port_env_name("classify-consumer") == "CLASSIFY_CONSUMER_PORT"
    with pytest.raises(ValueError, match="not a port"):
        load_stack(env={"CLASSIFY_API_PORT": "eighty"})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"topics": [], "subscriptions": [{"name": "s", "topic": "t"}]}, "unknown topic"),
        (
            {
                "topics": [{"name": "t"}],
                "subscriptions": [{"name": "s", "topic": "t", "push_to": "nobody"}],
            },
            "unknown function",
        ),
        (
            {
                "topics": [{"name": "t"}],
                "subscriptions": [{"name": "s", "topic": "t", "dead_letter_topic": "dl"}],
            },
            "dead-letters to unknown topic",
        ),
        (
            {
                "functions": [
                    {"name": "f", "source": "s", "target": "t", "port": 1, "routes": ["x"]}
                ]
            },
            "must start with '/'",
        ),
    ],
)
def test_inconsistent_descriptions_are_refused(document: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stack(document)


def test_subscription_request_carries_retry_and_dead_letter_policies() -> None:
    # Given the repository's comments push subscription
    spec = load_stack(env={})
    push = next(s for s in spec.subscriptions if s.push_to == "classify-consumer")

    # When turned into a Pub/Sub request
    wanted = desired_subscription(spec, push)

    # Then push endpoint, backoff, dead-letter topic and attempts are all set
    assert wanted.push_config.push_endpoint == spec.push_endpoint(push)
    assert wanted.retry_policy.minimum_backoff == timedelta(seconds=parse_duration("1s"))
    assert wanted.retry_policy.maximum_backoff == timedelta(seconds=60)
    assert wanted.dead_letter_policy.dead_letter_topic.endswith(
        "/topics/" + (push.dead_letter_topic or "")
    )
    assert wanted.dead_letter_policy.max_delivery_attempts == push.max_delivery_attempts
    assert wanted.ack_deadline_seconds == push.ack_deadline_seconds


def test_dev_secrets_are_made_once_and_kept(tmp_path: Path) -> None:
    first = load_secrets(tmp_path)
    second = load_secrets(tmp_path)
    assert first == second
    assert len(first["jwt_secret"]) >= 48
    assert len(first["admin_password"]) >= 16
    assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0


def test_stack_config_reads_ports_and_credentials_from_the_environment(tmp_path: Path) -> None:
    config = StackConfig.from_environment(
        state_dir=str(tmp_path),
        env={
            "GATEWAY_PORT": "18080",
            "PUBSUB_EMULATOR_HOST": "127.0.0.1:18085",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:15000",
            "ADMIN_PASSWORD": "a long dev password 1",
            "CLASSIFY_API_PORT": "18081",
        },
    )
    assert config.gateway_url == "http://127.0.0.1:18080"
    assert config.pubsub_emulator_host == "127.0.0.1:18085"
    assert config.s3_endpoint_url == "http://127.0.0.1:15000"
    assert config.admin_password == "a long dev password 1"
    assert config.spec.function("classify-api").port == 18081
    assert config.jwt_secret == load_secrets(tmp_path)["jwt_secret"]


def test_host_port_values_are_split() -> None:
    assert split_host_port("localhost:8085", 1) == ("localhost", 8085)
    assert split_host_port("http://127.0.0.1:4566", 1) == ("127.0.0.1", 4566)
    assert split_host_port("http://s3.local", 5000) == ("s3.local", 5000)


def test_stopping_kills_the_whole_process_group(tmp_path: Path) -> None:
    # Given a supervised process that has a child of its own, both ignoring nothing
    supervisor = Supervisor(tmp_path)
    code = (
        "import subprocess, sys, time;"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
        "print(child.pid, flush=True); time.sleep(600)"
    )
    process = supervisor.start("parent", [sys.executable, "-c", code], echo=False)
    assert wait_until(lambda: process.log_path.read_text().strip() != "", timeout=10)
    grandchild = int(process.log_path.read_text().split()[0])

    # When the supervisor stops
    supervisor.stop_all(grace_seconds=5)

    # Then neither the process nor its child is left
    assert process.exit_code() is not None
    assert not group_alive(process.pgid)
    assert not process_running(grandchild)


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path)
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "print('ready', flush=True); time.sleep(600)"
    )
    process = supervisor.start("stubborn", [sys.executable, "-c", code], echo=False)
    assert wait_until(lambda: "ready" in process.log_path.read_text(), timeout=10)
    supervisor.stop_all(grace_seconds=0.5)
    assert process.exit_code() == -signal.SIGKILL
    assert not group_alive(process.pgid)


def test_echoed_output_is_prefixed_with_the_process_name(tmp_path: Path) -> None:
    lines: list[str] = []
    supervisor = Supervisor(tmp_path, echo=lines.append)
    process = supervisor.start("hello", [sys.executable, "-c", "print('hi there')"])
    assert wait_until(lambda: process.exit_code() is not None and bool(lines), timeout=10)
    supervisor.stop_all()
    assert lines == [f"{'hello':<12} | hi there\n"]
    assert process.log_path.read_text() == "hi there\n"


def test_demo_comments_are_corpus_texts_under_fresh_ids() -> None:
    corpus = {row.texto for row in load_corpus()}
    first = demo_comments(50, seed=3)
    second = demo_comments(50, seed=3)
    assert all(c["texto"] in corpus for c in first)
    assert len({c["id"] for c in first}) == 50
    assert {c["id"] for c in first}.isdisjoint({c["id"] for c in second})
    assert [c["texto"] for c in first] == [c["texto"] for c in second]
