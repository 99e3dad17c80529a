"""The stack description, emulator bootstrap requests, dev secrets, the process supervisor."""

from __future__ import annotations

import json
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared import keys
from tooling.demo import CORPUS_DIR, demo_comments, load_corpus
from tooling.devstack.bootstrap import desired_subscription
from tooling.devstack.runner import LocalStack, StackConfig
from tooling.devstack.services import split_host_port
from tooling.devstack.stack import load_stack, parse_duration, parse_stack, port_env_name
from tooling.devstack.state import load_secrets
from tooling.devstack.supervisor import Supervisor, group_alive, process_running
from tooling.devstack.waiting import wait_until


def test_the_repository_stack_description_is_consistent() -> None:
    # Given infra/stack.json
    spec = load_stack(env={})

    # Then every push subscription reaches a function with the topic in the endpoint path
    pushes = [s for s in spec.subscriptions if s.push_to]
    assert {p.push_to for p in pushes} >= {
        "classify-consumer",
        "charts-refresh",
        "digest-send",
        "maintenance-run",
        "themes-run",
    }
    for push in pushes:
        assert spec.push_endpoint(push) == (
            f"http://127.0.0.1:{spec.function(push.push_to or '').port}"
            f"/projects/{spec.project_id}/topics/{push.topic}"
        )
        assert push.dead_letter_topic in spec.topics
    # And every function declares the settings groups it reads
    assert all(f.settings for f in spec.functions)


def test_the_stack_names_the_database_server_settings_it_is_sized_for() -> None:
    # Given infra/stack.json
    spec = load_stack(env={})
    # Then it asks for shared buffers that hold a list's table pages during a bulk ingest
    assert spec.database_settings["shared_buffers"].endswith("GB")


def test_server_settings_become_quoted_server_options() -> None:
    from tooling.devstack.postgres import server_options

    options = server_options({"shared_buffers": "2GB", "application_name": "a b;rm -rf /"})
    assert options == "-c shared_buffers=2GB -c 'application_name=a b;rm -rf /'"


@pytest.mark.parametrize(
    ("database", "message"),
    [
        ([], "database must be a JSON object"),
        ({"server_settings": ["shared_buffers"]}, "server_settings must be a JSON object"),
        ({"server_settings": {"Shared Buffers": "2GB"}}, "not a PostgreSQL setting name"),
        ({"server_settings": {"shared_buffers": ""}}, "give the value as text"),
        ({"server_settings": {"fsync": True}}, "give the value as text"),
    ],
)
def test_bad_database_settings_are_refused(database: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_stack({"database": database})


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
                    {"name": "f", "source": "s", "target": "t", "port": 1, "routes": ["/x"]}
                ]
            },
            "'routes' is gone",
        ),
        (
            {
                "functions": [
                    {"name": "f", "source": "s", "target": "t", "port": 1, "settings": ["jwt"]}
                ]
            },
            "unknown settings group",
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
    assert len(first["cursor_secret"]) >= 48
    made = keys.key_sets_from(first["jwt_private_keys"], first["jwt_public_keys"])
    assert list(made.public) == [made.signing_kid]
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
            "MAIL_SINK_PORT": "18025",
        },
    )
    assert config.gateway_url == "http://127.0.0.1:18080"
    assert config.mail_sink_url == "http://127.0.0.1:18025"
    assert config.pubsub_emulator_host == "127.0.0.1:18085"
    assert config.s3_endpoint_url == "http://127.0.0.1:15000"
    assert config.admin_password == "a long dev password 1"
    assert config.spec.function("classify-api").port == 18081
    assert config.jwt_public_keys == load_secrets(tmp_path)["jwt_public_keys"]
    assert config.jwt_private_keys == load_secrets(tmp_path)["jwt_private_keys"]


def test_only_the_functions_that_mail_are_sent_to_the_mail_sink(tmp_path: Path) -> None:
    # Given a local stack whose mail sink listens on a moved port
    config = StackConfig.from_environment(
        state_dir=str(tmp_path), env={"MAIL_SINK_PORT": "18025", "SENDGRID_API_KEY": "real-key"}
    )
    stack = LocalStack(config)
    stack.database_url = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    base = stack.service_env()
    # When each function's environment is made
    envs = {f.name: stack.function_env(f, base) for f in config.spec.functions}
    # Then the functions declaring the mail group send to the sink, the others know no mail at all
    mailing = {f.name for f in config.spec.functions if "mail" in f.settings}
    assert mailing == {"digest-send", "alerts-run"}
    for name, env in envs.items():
        if name in mailing:
            assert env["SENDGRID_API_HOST"] == "http://127.0.0.1:18025"
        else:
            assert "SENDGRID_API_HOST" not in env, name
            assert "SENDGRID_API_KEY" not in env, name
    # And the alerts post their webhooks to the sink (one Slack-shaped, one plain JSON), a
    # variable only the alerts check is given
    assert envs["alerts-run"]["ALERTS_WEBHOOK_URLS"] == (
        "slack:http://127.0.0.1:18025/webhooks/slack,http://127.0.0.1:18025/webhooks/json"
    )
    assert [n for n, env in envs.items() if "ALERTS_WEBHOOK_URLS" in env] == ["alerts-run"]
    # And the banner shows where the mail and the webhooks are read
    banner = stack.banner({"functions": {}})
    assert "http://127.0.0.1:18025/mails" in banner
    assert "http://127.0.0.1:18025/webhooks" in banner


def test_scheduled_job_functions_run_one_process_and_the_others_their_signature_default(
    tmp_path: Path,
) -> None:
    # Given the local stack of the stack description
    config = StackConfig.from_environment(state_dir=str(tmp_path), env={})
    stack = LocalStack(config)
    stack.database_url = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    base = stack.service_env()
    # When each function's environment is made
    workers = {f.name: stack.function_env(f, base)["WORKERS"] for f in config.spec.functions}
    # Then the functions the scheduled jobs push to run one process
    assert config.spec.scheduled_functions() == {
        "charts-refresh",
        "digest-send",
        "maintenance-run",
        "alerts-run",
        "themes-run",
    }
    assert {name for name, n in workers.items() if n == "1"} == {
        "charts-refresh",
        "digest-send",
        "maintenance-run",
        "alerts-run",
        "themes-run",
    }
    # and the consumer keeps two, for the emulator's two pushes at a time
    assert workers["classify-consumer"] == "2"


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_a_supervised_process_dies_with_a_supervisor_killed_outright(tmp_path: Path) -> None:
    import subprocess

    # Given a supervisor in a process of its own, supervising a long sleep
    code = (
        "import sys, time; from pathlib import Path;"
        "from tooling.devstack.supervisor import Supervisor;"
        "p = Supervisor(Path(sys.argv[1])).start('sleeper', ['sleep', '600'], echo=False);"
        "print(p.pid, flush=True); time.sleep(600)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    sleeper = int(holder.stdout.readline())
    assert process_running(sleeper)
    # setpriv asks for the death signal and then execs the command under the same pid: until the
    # pid runs `sleep`, the signal may not be asked for yet (killing the holder in that window left
    # the sleep running on a loaded machine).
    comm = Path(f"/proc/{sleeper}/comm")
    assert wait_until(lambda: comm.read_text().strip() == "sleep", timeout=10)
    # When the supervisor is killed with no chance to stop anything
    holder.kill()
    holder.wait(timeout=10)
    # Then the kernel ends what it supervised
    assert wait_until(lambda: not process_running(sleeper), timeout=10)


def test_supervised_commands_keep_their_arguments_behind_the_death_signal() -> None:
    import shutil

    from tooling.devstack.supervisor import dying_with_parent

    command = ["python", "-c", "print('a b')"]
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    # setpriv sets the signal, then execs the command as given (the pid stays the command's)
    expected = [setpriv, "--pdeathsig", "TERM", "--", *command] if setpriv else command
    assert dying_with_parent(command) == expected


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


DEMO_NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_demo_comments_are_corpus_texts_under_fresh_ids() -> None:
    corpus = {row.texto for row in load_corpus()}
    first = demo_comments(50, seed=3, now=DEMO_NOW)
    second = demo_comments(50, seed=3, now=DEMO_NOW)
    assert all(c["texto"] in corpus for c in first)
    assert len({c["id"] for c in first}) == 50
    assert {c["id"] for c in first}.isdisjoint({c["id"] for c in second})
    # The same seed and `now`: the same texts at the same times
    assert [(c["texto"], c["criado_em"]) for c in first] == [
        (c["texto"], c["criado_em"]) for c in second
    ]


def test_demo_comments_spread_over_eight_weeks_with_trends_and_a_daily_rhythm() -> None:
    from shared.validation import parse_comments
    from tooling.demo import _pools

    # Given a demo load of 20,000 comments
    comments = demo_comments(20_000, prefix="d", now=DEMO_NOW)
    pools = _pools(CORPUS_DIR)
    criticism, suggestion = set(pools.rising_criticism), set(pools.growing_suggestion)
    zone = ZoneInfo("America/Sao_Paulo")
    times = [datetime.fromisoformat(c["criado_em"]) for c in comments]

    # Then every time is an instant with an offset, within the last eight weeks, never ahead
    assert all(t.utcoffset() is not None for t in times)
    assert DEMO_NOW - timedelta(weeks=8) <= min(times)
    assert max(times) <= DEMO_NOW
    assert min(times) < DEMO_NOW - timedelta(weeks=7)
    # And the API accepts every one of them as sent
    body = json.dumps(comments[:1000]).encode()
    parsed = parse_comments(
        body,
        "application/json",
        max_items=1000,
        max_text_chars=5000,
        allow_ndjson=False,
        received_at=DEMO_NOW,
    )
    assert [c.criado_em for c in parsed.comments] == times[:1000]

    # And criticism of ads rises, collaboration suggestions grow, volume grows
    def share(texts: set[str], since: timedelta, until: timedelta) -> tuple[float, int]:
        window = [
            c
            for c, t in zip(comments, times, strict=True)
            if DEMO_NOW - since <= t < DEMO_NOW - until
        ]
        return sum(c["texto"] in texts for c in window) / len(window), len(window)

    early_criticism, early_volume = share(criticism, timedelta(weeks=8), timedelta(weeks=6))
    late_criticism, late_volume = share(criticism, timedelta(weeks=2), timedelta(0))
    assert late_criticism > 3 * early_criticism
    assert (
        share(suggestion, timedelta(weeks=2), timedelta(0))[0]
        > 1.5 * share(suggestion, timedelta(weeks=8), timedelta(weeks=6))[0]
    )
    assert late_volume > 1.2 * early_volume
    # And evenings in São Paulo are far busier than the hours before dawn
    hours = Counter(t.astimezone(zone).hour for t in times)
    assert hours[20] + hours[21] > 5 * (hours[3] + hours[4])


def test_commands_beside_a_running_stack_reach_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tooling.devstack.state import use_local_stack_database

    # Given a local stack that runs on a private server and wrote its state
    monkeypatch.setenv("ALUMUSIC_STATE_DIR", str(tmp_path))
    stack_url = "postgresql+psycopg://postgres@127.0.0.1:55432/alumusic"
    (tmp_path / "stack-state.json").write_text(json.dumps({"database_url": stack_url}))
    # When a command runs with DATABASE_URL unset, it uses the stack's database
    environ: dict[str, str] = {}
    assert use_local_stack_database(environ) == stack_url
    assert environ["DATABASE_URL"] == stack_url
    # And a DATABASE_URL given is never overridden
    given = {"DATABASE_URL": "postgresql+psycopg://elsewhere/db"}
    assert use_local_stack_database(given) is None
    assert given["DATABASE_URL"] == "postgresql+psycopg://elsewhere/db"
    # And with no stack running nothing is chosen
    (tmp_path / "stack-state.json").unlink()
    assert use_local_stack_database({}) is None


def test_the_local_stack_asks_for_a_server_with_the_stacks_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tooling.devstack.postgres as postgres

    class Asked(Exception):
        pass

    def ensure_postgres(state_dir: Path, server_settings: dict[str, str]) -> None:
        raise Asked(state_dir, dict(server_settings))

    # Given a local stack with no DATABASE_URL of its own
    monkeypatch.setattr(postgres, "ensure_postgres", ensure_postgres)
    stack = LocalStack(StackConfig.from_environment(state_dir=str(tmp_path), env={}))
    # When it starts its database
    with pytest.raises(Asked) as asked:
        stack.start_database()
    # Then it asks for a server in its state directory with infra/stack.json's settings
    assert asked.value.args == (tmp_path.resolve(), dict(load_stack(env={}).database_settings))


def test_an_error_raised_while_handling_a_stop_request_is_that_stop() -> None:
    import signal as signals

    from tooling.devstack.runner import StopRequested, stop_behind

    # Given a driver error raised while a stop request interrupted a database wait
    def interrupted_query() -> None:
        try:
            raise StopRequested(signals.SIGINT)
        except StopRequested:
            raise RuntimeError("can't change 'autocommit' now") from None

    with pytest.raises(RuntimeError) as caught:
        interrupted_query()
    # Then the stop request is found behind it; a plain failure has none
    assert isinstance(stop_behind(caught.value), StopRequested)
    assert stop_behind(RuntimeError("the gateway failed")) is None


# The swallowed error is what this test makes happen, and pytest reports it as unraisable.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_stop_signal_whose_raise_python_swallowed_still_stops_the_stack(tmp_path: Path) -> None:
    import threading

    from tooling.devstack.runner import StopRequested, _signals_raise_stop

    stack = LocalStack(StackConfig.from_environment(state_dir=str(tmp_path), env={}))

    class SignalledWhileCollected:
        # Errors raised in __del__ are printed and ignored, as in importlib's module-lock callback
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGINT)

    outcome: list[BaseException] = []
    with _signals_raise_stop(stack):
        # Given a SIGINT whose StopRequested is lost where Python ignores errors
        SignalledWhileCollected()
        # When the stack then waits as it does once it is up (a SIGTERM ends a wait that hangs)
        watchdog = threading.Timer(5.0, signal.raise_signal, args=(signal.SIGTERM,))
        watchdog.start()
        try:
            stack.supervise()
        except StopRequested as stop:
            outcome.append(stop)
        finally:
            watchdog.cancel()
    # Then the recorded signal stops it at once
    assert [str(stop) for stop in outcome] == ["SIGINT"]
