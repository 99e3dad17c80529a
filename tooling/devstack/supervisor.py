"""A small process supervisor: each child in its own process group, all stopped together.

A function under functions-framework is a gunicorn master with workers, the Pub/Sub emulator a JVM
started by a shell script: signalling only the child we spawned could leave its own children
behind. Every child therefore starts a new session (its own process group) and is stopped by
signalling the whole group, SIGTERM first and SIGKILL for what is still there after a grace period.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tooling.devstack.waiting import wait_until

log = logging.getLogger(__name__)


def dying_with_parent(command: Sequence[str]) -> list[str]:
    """`command`, run so that the kernel sends it SIGTERM if the supervisor dies outright
    (SIGKILL): no stack is left running without its supervisor.

    util-linux's `setpriv --pdeathsig` sets it and execs the command (same pid). Not a
    `preexec_fn` calling prctl: that makes Python fork() instead of vfork(), and fork() runs the
    atfork handlers of the libraries loaded; gRPC's (the Pub/Sub client) can wait forever for its
    own threads (seen: a test stuck inside fork() in cygrpc while starting a function)."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "TERM", "--", *command] if setpriv else list(command)


def _live_group_members(pgid: int, proc: Path) -> list[int]:
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state, ppid, pgrp, ...
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def process_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def group_alive(pgid: int) -> bool:
    """True while any process of the group is still running.

    Zombies do not count: a killed worker whose parent died first is reparented to PID 1, and
    where PID 1 does not reap (some container and microVM inits) it stays a zombie for good.
    """
    proc = Path("/proc")
    if proc.is_dir():
        return bool(_live_group_members(pgid, proc))
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    popen: subprocess.Popen[bytes]
    log_path: Path
    _pump: threading.Thread | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def pgid(self) -> int:
        # start_new_session makes the child the leader of a group whose id is its pid.
        return self.popen.pid

    def exit_code(self) -> int | None:
        return self.popen.poll()

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pgid, signum)


Echo = Callable[[str], None]


class Supervisor:
    """Starts named processes, notices when one dies, stops them all (process groups)."""

    def __init__(self, log_dir: Path, *, echo: Echo | None = None) -> None:
        self.log_dir = log_dir
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        self.processes: list[ManagedProcess] = []
        self._lock = threading.Lock()
        self._width = 12

    def align(self, names: list[str]) -> None:
        """Pad every echoed prefix to the longest of `names`, so columns line up."""
        self._width = max([self._width, *map(len, names)])

    def start(
        self,
        name: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        echo: bool = True,
    ) -> ManagedProcess:
        """Start `command` in a new process group; output goes to `<log_dir>/<name>.log` and,
        with `echo`, to the console prefixed with the name."""
        log_path = self.log_dir / f"{name}.log"
        log_file = log_path.open("ab")
        self._width = max(self._width, len(name))
        piped = echo and self.echo is not None
        try:
            popen = subprocess.Popen(
                dying_with_parent(command),
                env=dict(env) if env is not None else None,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if piped else log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError:
            log_file.close()
            raise
        process = ManagedProcess(name=name, command=list(command), popen=popen, log_path=log_path)
        if piped:
            assert popen.stdout is not None
            process._pump = threading.Thread(
                target=self._pump_output,
                args=(name, popen.stdout, log_file),
                name=f"output-{name}",
                daemon=True,
            )
            process._pump.start()
        else:
            log_file.close()
        with self._lock:
            self.processes.append(process)
        log.info("started", extra={"child": name, "pid": popen.pid})
        return process

    def _pump_output(self, name: str, stream: IO[bytes], log_file: IO[bytes]) -> None:
        prefix = f"{name:<{self._width}} | "
        with stream, log_file:
            for raw in iter(stream.readline, b""):
                log_file.write(raw)
                log_file.flush()
                if self.echo is not None:
                    self.echo(prefix + raw.decode("utf-8", errors="replace").rstrip("\n") + "\n")

    def exited(self) -> ManagedProcess | None:
        """The first process that has exited on its own, if any."""
        with self._lock:
            processes = list(self.processes)
        for process in processes:
            if process.exit_code() is not None:
                return process
        return None

    def pids(self) -> dict[str, int]:
        with self._lock:
            return {p.name: p.pid for p in self.processes}

    def stop_all(self, *, grace_seconds: float = 10.0) -> None:
        """SIGTERM every group (last started first), SIGKILL what outlives the grace period."""
        with self._lock:
            processes = list(reversed(self.processes))
        for process in processes:
            process.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for process in processes:
            self._wait_group(process, deadline)
        for process in processes:
            if process.exit_code() is None or group_alive(process.pgid):
                log.warning(
                    "process group outlived SIGTERM, killing", extra={"child": process.name}
                )
                process.signal_group(signal.SIGKILL)
        kill_deadline = time.monotonic() + 5.0
        for process in processes:
            self._wait_group(process, kill_deadline)
        # The output pumps end when their pipes close; one short wait for them all, so a pipe a
        # stray grandchild still holds cannot add seconds per process to the stop.
        pump_deadline = time.monotonic() + 2.0
        for process in processes:
            if process._pump is not None:
                process._pump.join(timeout=max(0.0, pump_deadline - time.monotonic()))
        with self._lock:
            self.processes = [p for p in self.processes if p not in processes]

    @staticmethod
    def _wait_group(process: ManagedProcess, deadline: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=max(0.0, deadline - time.monotonic()))
        # The leader may be gone while its children (gunicorn workers) still shut down.
        wait_until(
            lambda: not group_alive(process.pgid),
            timeout=max(0.0, deadline - time.monotonic()),
            interval=0.05,
        )
