"""`alumusic dev up`: the whole stack on one laptop, in the foreground, stopped by Ctrl-C.

Order: PostgreSQL (reused or started) and its migrations, the Pub/Sub emulator and moto's S3
server, the bootstrap of topics, subscriptions and buckets, the SendGrid-compatible mail sink
(what the functions that mail send to), every function of infra/stack.json under
functions-framework, the gateway, the scheduler, the first admin, then a wait until the gateway's
/healthz says every part is ready. SIGINT or SIGTERM stops every process it started (each one's
whole process group) and a PostgreSQL it started itself.

State lives in the state directory (`.dev/` by default): logs, the JWT secret and admin password
made for development (secrets.json) and where everything listens (stack-state.json).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, Final

from tooling.devstack.services import (
    DEFAULT_MAIL_SINK_PORT,
    DEFAULT_PUBSUB_PORT,
    DEFAULT_S3_PORT,
    LOOPBACK,
    mail_sink_command,
    mail_sink_ready,
    moto_server_command,
    port_open,
    pubsub_emulator_command,
    pubsub_emulator_env,
    pubsub_ready,
    s3_ready,
    split_host_port,
    wait_for,
)
from tooling.devstack.stack import (
    FunctionSpec,
    StackSpec,
    function_settings_env,
    load_stack,
    port_env_name,
    repo_root,
)
from tooling.devstack.state import (
    SCHEDULER_STATE_FILE,
    STATE_FILE,
    load_secrets,
    state_dir_from,
)
from tooling.devstack.supervisor import Echo, Supervisor
from tooling.devstack.waiting import wait_until

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "alumusic"
STARTUP_TIMEOUT_SECONDS = 120.0
LOCAL_COMMENTS_PER_MESSAGE = 2000
# glibc maps each buffer from 512 KiB up on its own and unmaps it when freed. By default that
# threshold rises after the first such free, and the MiB-sized buffers of reading large request
# bodies then stay in the heap of every thread that handled one (`alumusic bench hostile`).
MALLOC_ENV: Final = {"MALLOC_MMAP_THRESHOLD_": str(512 * 1024)}
# `--demo`: the closed weeks given a digest, and who receives the weekly e-mail.
DEMO_DIGEST_WEEKS = 8
DEMO_RECIPIENT = "demo@alumusic.local"
DEMO_RECIPIENT_NAME = "Demo"
WEEKLY_DIGEST_JOB = "weekly-digest"

# functions-framework runs gunicorn: WORKERS processes of THREADS threads. The consumer gets two
# processes because the emulator pushes two messages at a time and classification is CPU-bound.
# THREADS must stay above 1: with one thread gunicorn falls back to its sync worker, which closes
# the emulator's keep-alive push connections and makes pushes fail (measured: 1.5k comments/s
# instead of 10k). `<NAME>_WORKERS` / `<NAME>_THREADS` override per function.
DEFAULT_CONCURRENCY: Mapping[str, tuple[int, int]] = {
    "http": (2, 4),
    "cloudevent": (2, 2),
    "event": (1, 2),
}
# A scheduled job's function handles one tick a minute at most: one process does it. A second one
# only doubles its memory, and grows late, the first time a large job lands on it (seen in the
# soak: charts-refresh's second worker went from 55 to 98 MB at its first refresh over millions of
# comments, minutes into the run).
SCHEDULED_JOB_WORKERS = 1


Say = Callable[[str], None]


class StopRequested(BaseException):
    """SIGINT or SIGTERM arrived.

    A BaseException, like KeyboardInterrupt: a signal landing while a wait polls (wait_until
    counts an Exception from its predicate as "not yet") must still stop the stack.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class StackConfig:
    state_dir: Path
    spec: StackSpec
    root: Path
    gateway_port: int
    pubsub_host: str
    pubsub_port: int
    s3_host: str
    s3_port: int
    mail_sink_port: int
    database_url: str | None
    admin_username: str
    admin_password: str
    jwt_private_keys: str
    jwt_public_keys: str
    cursor_secret: str
    demo: int = 0
    gateway_server: str = "gunicorn"
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    @property
    def gateway_url(self) -> str:
        return f"http://{LOOPBACK}:{self.gateway_port}"

    @property
    def pubsub_emulator_host(self) -> str:
        return f"{self.pubsub_host}:{self.pubsub_port}"

    @property
    def s3_endpoint_url(self) -> str:
        return f"http://{self.s3_host}:{self.s3_port}"

    @property
    def mail_sink_url(self) -> str:
        return f"http://{LOOPBACK}:{self.mail_sink_port}"

    @classmethod
    def from_environment(
        cls,
        *,
        state_dir: str | None = None,
        demo: int = 0,
        env: Mapping[str, str] | None = None,
    ) -> StackConfig:
        environ = dict(os.environ if env is None else env)
        directory = state_dir_from(state_dir)
        stored = load_secrets(directory)
        pubsub_host, pubsub_port = split_host_port(
            environ.get("PUBSUB_EMULATOR_HOST") or f"{LOOPBACK}:{DEFAULT_PUBSUB_PORT}",
            DEFAULT_PUBSUB_PORT,
        )
        s3_host, s3_port = split_host_port(
            environ.get("AWS_ENDPOINT_URL") or f"http://{LOOPBACK}:{DEFAULT_S3_PORT}",
            DEFAULT_S3_PORT,
        )
        spec = load_stack(env=environ, project_id=environ.get("PUBSUB_PROJECT_ID"))
        return cls(
            state_dir=directory,
            spec=spec,
            root=repo_root(),
            gateway_port=int(environ.get("GATEWAY_PORT") or 8080),
            pubsub_host=pubsub_host,
            pubsub_port=pubsub_port,
            s3_host=s3_host,
            s3_port=s3_port,
            mail_sink_port=int(environ.get("MAIL_SINK_PORT") or DEFAULT_MAIL_SINK_PORT),
            database_url=environ.get("DATABASE_URL") or None,
            admin_username=environ.get("ADMIN_USERNAME") or stored["admin_username"],
            admin_password=environ.get("ADMIN_PASSWORD") or stored["admin_password"],
            jwt_private_keys=environ.get("JWT_PRIVATE_KEYS") or stored["jwt_private_keys"],
            jwt_public_keys=environ.get("JWT_PUBLIC_KEYS") or stored["jwt_public_keys"],
            cursor_secret=environ.get("CURSOR_SECRET") or stored["cursor_secret"],
            demo=demo,
            gateway_server=environ.get("GATEWAY_SERVER", "gunicorn"),
            env=environ,
        )


class LocalStack:
    """Starts the parts in order and stops them all; `run()` is the foreground command."""

    def __init__(
        self,
        config: StackConfig,
        *,
        say: Say = log.info,
        echo: Echo | None = None,
    ) -> None:
        self.config = config
        self.say = say
        self.supervisor = Supervisor(config.state_dir / "logs", echo=echo)
        self.postgres: Any = None
        self.database_url: str | None = None
        self._stopping = threading.Event()
        # The signal a stop was requested by, kept beside the raise: see `raise_if_stop_requested`.
        self.stop_requested: int | None = None

    # --- the parts ------------------------------------------------------------------------------

    def check_ports(self) -> None:
        config = self.config
        wanted = [
            ("gateway", "GATEWAY_PORT", config.gateway_port),
            ("Pub/Sub emulator", "PUBSUB_EMULATOR_HOST", config.pubsub_port),
            ("S3 emulator", "AWS_ENDPOINT_URL", config.s3_port),
            ("mail sink", "MAIL_SINK_PORT", config.mail_sink_port),
            *[(f.name, port_env_name(f.name), f.port) for f in config.spec.functions],
        ]
        ports = [port for _, _, port in wanted]
        if len(set(ports)) != len(ports):
            raise RuntimeError(f"two parts of the stack are given the same port: {ports}")
        busy = [(name, var, port) for name, var, port in wanted if port_open(LOOPBACK, port)]
        if busy:
            listed = ", ".join(f"{name} {port} (set {var})" for name, var, port in busy)
            raise RuntimeError(
                f"ports already in use: {listed}. Is another stack running? Stop it, or move "
                "this one with the variables named."
            )

    def start_database(self) -> str:
        """PostgreSQL reachable, database present and migrated; returns its URL."""
        from shared.db import upgrade
        from tooling.devstack.postgres import PostgresServer, ensure_postgres

        if self.config.database_url:
            url = self.config.database_url
        else:
            self.postgres = ensure_postgres(
                self.config.state_dir, self.config.spec.database_settings
            )
            assert isinstance(self.postgres, PostgresServer)
            if self.postgres.chosen_because:
                self.say(
                    f"PostgreSQL: a private server on port {self.postgres.port}: "
                    f"{self.postgres.chosen_because} (infra/stack.json, database.server_settings)"
                )
            url = self.postgres.url(DEFAULT_DATABASE)
        create_database_if_missing(url)
        upgrade(url)
        self.database_url = url
        return url

    def start_emulators(self) -> None:
        config = self.config
        self.supervisor.start(
            "pubsub",
            pubsub_emulator_command(
                config.pubsub_host, config.pubsub_port, config.state_dir / "pubsub"
            ),
            env=pubsub_emulator_env(config.state_dir, config.env),
            echo=False,
        )
        self.supervisor.start(
            "s3", moto_server_command(config.s3_host, config.s3_port), env=config.env, echo=False
        )
        wait_for(
            f"the Pub/Sub emulator on {config.pubsub_emulator_host}",
            lambda: self._alive_or_raise("pubsub") and pubsub_ready(config.pubsub_emulator_host),
            timeout=STARTUP_TIMEOUT_SECONDS,
        )
        wait_for(
            f"the S3 emulator on {config.s3_endpoint_url}",
            lambda: self._alive_or_raise("s3") and s3_ready(config.s3_endpoint_url),
            timeout=STARTUP_TIMEOUT_SECONDS,
        )

    def start_mail_sink(self) -> None:
        """The loopback SendGrid-compatible sink: a laptop stack never mails anyone."""
        config = self.config
        self.supervisor.start(
            "mail-sink",
            mail_sink_command(LOOPBACK, config.mail_sink_port),
            env=config.env,
            cwd=config.root,
            echo=False,
        )
        wait_for(
            f"the mail sink on {config.mail_sink_url}",
            lambda: self._alive_or_raise("mail-sink") and mail_sink_ready(config.mail_sink_url),
            timeout=STARTUP_TIMEOUT_SECONDS,
        )

    def bootstrap(self) -> None:
        from tooling.devstack.bootstrap import bootstrap

        bootstrap(
            self.config.spec,
            emulator_host=self.config.pubsub_emulator_host,
            s3_endpoint_url=self.config.s3_endpoint_url,
            region=self.config.env.get("AWS_REGION", "us-east-1"),
        )

    def service_env(self) -> dict[str, str]:
        """What every function and the gateway read through Settings."""
        config = self.config
        assert self.database_url is not None
        env = dict(config.env)
        env.update(
            {
                "ENVIRONMENT": "development",
                "DATABASE_URL": self.database_url,
                "PUBSUB_EMULATOR_HOST": config.pubsub_emulator_host,
                "PUBSUB_PROJECT_ID": config.spec.project_id,
                "AWS_ENDPOINT_URL": config.s3_endpoint_url,
                "AWS_ACCESS_KEY_ID": config.env.get("AWS_ACCESS_KEY_ID", "test"),
                "AWS_SECRET_ACCESS_KEY": config.env.get("AWS_SECRET_ACCESS_KEY", "test"),
                "JWT_PRIVATE_KEYS": config.jwt_private_keys,
                "JWT_PUBLIC_KEYS": config.jwt_public_keys,
                "CURSOR_SECRET": config.cursor_secret,
                # Functions are reached through the local gateway, which appends the caller's
                # address to X-Forwarded-For (a direct call has no such entry: its own address).
                "TRUSTED_PROXY_HOPS": "1",
                # Only functions declaring the `mail` settings group are given it (and a key).
                "SENDGRID_API_HOST": config.mail_sink_url,
                # Alerts post to the sink too, one Slack-shaped and one plain JSON webhook;
                # received at <mail sink>/webhooks.
                "ALERTS_WEBHOOK_URLS": config.env.get("ALERTS_WEBHOOK_URLS")
                or f"slack:{config.mail_sink_url}/webhooks/slack,{config.mail_sink_url}/webhooks/json",
                "GATEWAY_PORT": str(config.gateway_port),
                "PYTHONUNBUFFERED": "1",
                **MALLOC_ENV,
            }
        )
        if config.spec.buckets:
            env.setdefault("S3_BUCKET", config.spec.buckets[0])
        # The emulator pushes through two loops per subscription, one message at a time each, so
        # larger messages spend less per comment on push round trips (production pushes in
        # parallel and keeps the settings' default). Measured on 100,000 comments: 500 per
        # message ~10.4k/s, 2,000 per message ~11k/s.
        env.setdefault("COMMENTS_PER_MESSAGE", str(LOCAL_COMMENTS_PER_MESSAGE))
        # The local stack carries the benchmarks (the soak asks a question a second, fuzzing sends
        # hundreds of requests per operation): per-user limits well above their load. Deployed
        # functions keep the defaults; the limits themselves are tested against PostgreSQL.
        env.setdefault("INSIGHTS_REQUESTS_PER_WINDOW", "600")
        env.setdefault("CLASSIFY_REQUESTS_PER_WINDOW", "6000")
        for function in config.spec.functions:
            env[port_env_name(function.name)] = str(function.port)
        return env

    def function_command(self, function: FunctionSpec) -> list[str]:
        script = Path(sys.executable).with_name("functions-framework")
        prefix = [str(script)] if script.exists() else [sys.executable, "-m", "functions_framework"]
        return [
            *prefix,
            "--source",
            str(function.source_file(self.config.root)),
            "--target",
            function.target,
            "--signature-type",
            function.signature,
            "--host",
            function.host,
            "--port",
            str(function.port),
        ]

    def function_env(self, function: FunctionSpec, base: Mapping[str, str]) -> dict[str, str]:
        workers, threads = DEFAULT_CONCURRENCY[function.signature]
        if function.name in self.config.spec.scheduled_functions():
            workers = SCHEDULED_JOB_WORKERS
        prefix = port_env_name(function.name).removesuffix("_PORT")
        env = function_settings_env(function, base)
        env["WORKERS"] = self.config.env.get(f"{prefix}_WORKERS", str(workers))
        env["THREADS"] = self.config.env.get(f"{prefix}_THREADS", str(threads))
        return env

    def start_functions(self) -> None:
        base = self.service_env()
        self.supervisor.align(
            [f.name for f in self.config.spec.functions] + ["gateway", "scheduler"]
        )
        for function in self.config.spec.functions:
            self.supervisor.start(
                function.name,
                self.function_command(function),
                env=self.function_env(function, base),
                cwd=self.config.root,
            )
        self.supervisor.start(
            "gateway",
            [
                sys.executable,
                "-m",
                "tooling.devstack.gateway",
                "--host",
                LOOPBACK,
                "--port",
                str(self.config.gateway_port),
                "--server",
                self.config.gateway_server,
            ],
            # Not the functions' MALLOC_ENV: the gateway holds no large body (it refuses or
            # streams them), and with that threshold each MiB-sized read-ahead buffer the server
            # copies while it drains a refused body's first 64 KiB is a fresh mapping: 30 ms of
            # CPU per refused NDJSON flood instead of 3.
            env={name: value for name, value in base.items() if name not in MALLOC_ENV},
            cwd=self.config.root,
        )

    def start_scheduler(self) -> None:
        """The local Cloud Scheduler: publishes each job's tick to the emulator on time."""
        if not self.config.spec.jobs:
            return
        self.supervisor.start(
            "scheduler",
            [
                sys.executable,
                "-m",
                "shared.cli",
                "schedule",
                "serve",
                "--state-file",
                str(self.config.state_dir / SCHEDULER_STATE_FILE),
            ],
            env=self.service_env(),
            cwd=self.config.root,
        )

    def ensure_admin(self) -> str:
        """User `admin` (role admin) with the configured password; returns the password."""
        import sqlalchemy as sa

        from shared import users
        from shared.errors import Conflict

        assert self.database_url is not None
        engine = sa.create_engine(self.database_url, poolclass=sa.NullPool)
        username, password = self.config.admin_username, self.config.admin_password
        try:
            try:
                users.create_user(engine, username, password, "admin")
            except Conflict:
                with engine.connect() as conn:
                    found = users.find_user(conn, username)
                if found is None or not users.verify_password(found[1], password):
                    users.set_password(engine, username, password)
        finally:
            engine.dispose()
        return password

    def wait_healthy(self) -> None:
        from tooling.devstack.client import GatewayClient

        client = GatewayClient(self.config.gateway_url)

        def healthy() -> bool:
            self._all_alive_or_raise()
            status, _ = client.healthz()
            return status == 200

        if not wait_until(healthy, timeout=STARTUP_TIMEOUT_SECONDS, interval=0.25):
            self._all_alive_or_raise()
            status, detail = client.healthz()
            raise RuntimeError(
                f"the stack did not become healthy within {STARTUP_TIMEOUT_SECONDS:g} s: "
                f"HTTP {status} {json.dumps(detail)}"
            )

    def write_state(self) -> dict[str, Any]:
        config = self.config
        state = {
            "started_at": datetime.now(UTC).isoformat(),
            "runner_pid": os.getpid(),
            "gateway_url": config.gateway_url,
            "database_url": self.database_url,
            "pubsub_emulator_host": config.pubsub_emulator_host,
            "pubsub_project_id": config.spec.project_id,
            "aws_endpoint_url": config.s3_endpoint_url,
            "mail_sink_url": config.mail_sink_url,
            "functions": {f.name: f.base_url for f in config.spec.functions},
            "pids": self.supervisor.pids(),
            "admin_username": config.admin_username,
        }
        path = config.state_dir / STATE_FILE
        path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        return state

    def load_demo(self, count: int) -> None:
        from tooling.demo import iter_demo_comments, run_prefix
        from tooling.devstack.client import GatewayClient

        client = GatewayClient(self.config.gateway_url)
        client.login(self.config.admin_username, self.config.admin_password)
        prefix = run_prefix("demo")
        batch: list[dict[str, str]] = []
        sent = 0
        for comment in iter_demo_comments(count, prefix=prefix):
            batch.append(comment)
            if len(batch) == 1000:
                sent += len(client.ingest(batch))
                batch = []
        if batch:
            sent += len(client.ingest(batch))
        stored = self._wait_stored(prefix, sent, timeout=120.0)
        self.say(
            f"demo: {sent} comments ingested through the gateway, {stored} classified and stored"
        )
        self.raise_if_stop_requested()
        self.load_demo_digests()

    def load_demo_digests(self) -> None:
        """Digests of the last closed weeks (what `alumusic digest backfill` builds), one
        recipient, and one weekly-digest tick, so the mail view shows the scheduled send."""
        from shared.bootstrap import App
        from shared.config import Settings
        from shared.digest import service
        from shared.events import PubSubPublisher
        from shared.schedule import floor_to_minute
        from tooling.devstack.scheduler import publish_tick, utc_now

        config = self.config
        assert self.database_url is not None
        settings = Settings(
            database_url=self.database_url,
            pubsub_emulator_host=config.pubsub_emulator_host,
            pubsub_project_id=config.spec.project_id,
        )
        app = App(settings=settings)
        try:
            built = service.backfill(app, DEMO_DIGEST_WEEKS)
            service.add_recipient(app.engine, DEMO_RECIPIENT, DEMO_RECIPIENT_NAME)
        finally:
            app.close()
        weeks = f"{built[0][0]}..{built[-1][0]}" if built else "none"
        self.say(f"demo: {len(built)} weekly digests ({weeks}), recipient {DEMO_RECIPIENT}")
        self.raise_if_stop_requested()
        try:
            job = config.spec.job(WEEKLY_DIGEST_JOB)
        except KeyError:
            return
        publisher = PubSubPublisher(settings)
        try:
            publish_tick(publisher, job, floor_to_minute(utc_now()))
        finally:
            publisher.close()
        self.say(
            f"demo: {job.name} tick published; the e-mail shows at {config.mail_sink_url}/mails"
        )

    def _wait_stored(self, prefix: str, expected: int, *, timeout: float) -> int:
        import sqlalchemy as sa

        assert self.database_url is not None
        engine = sa.create_engine(self.database_url, poolclass=sa.NullPool)
        seen = 0

        def all_stored() -> bool:
            nonlocal seen
            self.raise_if_stop_requested()
            with engine.connect() as conn:
                seen = int(
                    conn.execute(
                        sa.text("SELECT count(*) FROM comments WHERE id LIKE :p"),
                        {"p": prefix + "-%"},
                    ).scalar_one()
                )
            return seen >= expected

        try:
            wait_until(all_stored, timeout=timeout, interval=0.25)
        finally:
            engine.dispose()
        return seen

    # --- lifecycle ------------------------------------------------------------------------------

    def _alive_or_raise(self, name: str) -> bool:
        for process in self.supervisor.processes:
            if process.name == name and process.exit_code() is not None:
                raise ChildExited(process.name, process.exit_code(), process.log_path)
        return True

    def _all_alive_or_raise(self) -> None:
        process = self.supervisor.exited()
        if process is not None:
            raise ChildExited(process.name, process.exit_code(), process.log_path)

    def start(self) -> dict[str, Any]:
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        self.check_ports()
        self.say("starting PostgreSQL and applying migrations")
        self.start_database()
        self.say("starting the Pub/Sub emulator and the S3 emulator")
        self.start_emulators()
        self.bootstrap()
        self.say("starting the mail sink, functions and the gateway")
        self.start_mail_sink()
        self.start_functions()
        self.start_scheduler()
        self.ensure_admin()
        self.wait_healthy()
        return self.write_state()

    def stop(self) -> None:
        self._stopping.set()
        self.supervisor.stop_all()
        if self.postgres is not None and getattr(self.postgres, "started_here", False):
            self.postgres.stop()
        with contextlib.suppress(FileNotFoundError):
            (self.config.state_dir / STATE_FILE).unlink()

    def supervise(self) -> None:
        """Block until a signal arrives (StopRequested) or a process dies (ChildExited)."""
        while True:
            self.raise_if_stop_requested()
            self._all_alive_or_raise()
            self._stopping.wait(0.5)

    def raise_if_stop_requested(self) -> None:
        """Raise the stop a signal asked for, even when its own raise was lost.

        A handler runs between any two bytecodes; when that is inside a callback whose errors
        Python prints and ignores (importlib's module-lock callback, a weakref callback,
        `__del__`), its StopRequested never reaches `run`. The recorded signal still stops the
        stack at the next step that checks it."""
        if self.stop_requested is not None:
            raise StopRequested(self.stop_requested)

    def banner(self, state: Mapping[str, Any]) -> str:
        config = self.config
        functions = "\n".join(
            f"    {name:<20} {url}" for name, url in state.get("functions", {}).items()
        )
        jobs = ", ".join(f"{job.name} ({job.schedule})" for job in config.spec.jobs)
        return (
            "\nAluMusic Feedback is running.\n"
            f"  gateway     {config.gateway_url}   (health: {config.gateway_url}/healthz)\n"
            f"  login       POST {config.gateway_url}/api/auth/login\n"
            f"  user        {config.admin_username}\n"
            f"  password    {config.admin_password}\n"
            f"  database    {_hide_password(self.database_url or '')}\n"
            f"  Pub/Sub     {config.pubsub_emulator_host} (emulator, project {config.spec.project_id})\n"
            f"  S3          {config.s3_endpoint_url} (moto)\n"
            f"  mail        {config.mail_sink_url}/mails (what the digest sent; no real mail)\n"
            f"  webhooks    {config.mail_sink_url}/webhooks (what the alerts posted)\n"
            f"  functions\n{functions}\n"
            f"  scheduler   {jobs or 'no jobs'} (alumusic schedule list)\n"
            f"  logs        {config.state_dir / 'logs'}\n"
            "Press Ctrl-C to stop everything.\n"
        )


class ChildExited(RuntimeError):
    def __init__(self, name: str, code: int | None, log_path: Path) -> None:
        tail = _tail(log_path)
        super().__init__(f"{name} exited with code {code}; last lines of {log_path}:\n{tail}")


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _hide_password(url: str) -> str:
    if not url:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def create_database_if_missing(database_url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    conn = psycopg.connect(
        user=url.username or "postgres",
        host=url.host or LOOPBACK,
        port=url.port or 5432,
        dbname="postgres",
        password=url.password,
        connect_timeout=10,
        autocommit=True,
    )
    try:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{url.database}"')
    finally:
        conn.close()


def stop_behind(error: BaseException) -> StopRequested | None:
    """The stop request an error was raised while handling, if any.

    A signal can arrive while the driver waits on the database (the demo builds digests after
    its comments are stored); the driver's own cleanup then fails on the interrupted connection
    and raises an error of its own, with the stop request as its context. That is a requested
    stop, not a failure of the stack."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, StopRequested):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


@contextlib.contextmanager
def _signals_raise_stop(stack: LocalStack) -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stack.stop_requested = signum
        raise StopRequested(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run(config: StackConfig, *, say: Say = log.info, echo: Echo | None = None) -> int:
    """The foreground `alumusic dev up`: 0 after a requested stop, 1 when a part failed.

    `say` receives progress and the banner, `echo` the output lines of functions and gateway.
    """
    stack = LocalStack(config, say=say, echo=echo)
    started = time.monotonic()
    code = 0
    try:
        with _signals_raise_stop(stack):
            try:
                state = stack.start()
                say(f"ready in {time.monotonic() - started:.1f} s")
                say(stack.banner(state))
                if config.demo:
                    stack.load_demo(config.demo)
                stack.supervise()
            except StopRequested as stop:
                say(f"{stop} received, stopping everything")
            except ChildExited as error:
                say(str(error))
                code = 1
            except Exception as error:
                if (requested := stop_behind(error)) is not None:
                    say(f"{requested} received, stopping everything")
                else:
                    log.exception("the local stack failed")
                    say(f"failed: {error}")
                    code = 1
            finally:
                with _signals_ignored():
                    stack.stop()
    except StopRequested:
        # A second signal while stopping is ignored above; this covers one between the blocks.
        with _signals_ignored():
            stack.stop()
    say("stopped")
    return code
