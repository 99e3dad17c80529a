"""`alumusic bench coldstart`: each function's cold start, process start to first answered request.

Every function in infra/stack.json is started the way its image starts it (the functions-framework
command line, one process, given only its settings groups), on a free port, and asked once: `GET /healthz` for an HTTP function, a
`POST /` with an empty body for a CloudEvent one (a 4xx counts: the point is the first answer).
`--python` runs them with another interpreter, for example a fresh venv with the runtime
dependencies alone, which is what a function image carries. Prints one JSON line: the median and
every run per function, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from shared.config import get_settings
from tooling.devstack.services import LOOPBACK, free_port
from tooling.devstack.stack import FunctionSpec, function_settings_env, load_stack, repo_root

ANSWER_DEADLINE_SECONDS = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="cold starts per function")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter to run functions-framework with"
    )


def _first_answer(function: FunctionSpec, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + ANSWER_DEADLINE_SECONDS
    url = f"http://{LOOPBACK}:{port}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{function.name} exited with {process.returncode} before answering")
        try:
            if function.signature == "http":
                requests.get(f"{url}/healthz", timeout=2)
            else:
                requests.post(url, data=b"", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.002)  # the port is not open yet; poll tightly, this is what is measured
    raise RuntimeError(f"{function.name} did not answer within {ANSWER_DEADLINE_SECONDS} s")


def cold_start_ms(function: FunctionSpec, python: str, root: Path, env: dict[str, str]) -> float:
    port = free_port()
    command = [
        python,
        "-m",
        "functions_framework",
        "--source",
        str(function.source_file(root)),
        "--target",
        function.target,
        "--signature-type",
        function.signature,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=root,
        env=function_settings_env(function, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _first_answer(function, port, process)
        return (time.perf_counter() - started) * 1000
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(args: argparse.Namespace) -> int:
    root = repo_root()
    stack = load_stack()
    settings = get_settings()
    env = {
        **os.environ,
        "ENVIRONMENT": os.environ.get("ENVIRONMENT", "development"),
        "DATABASE_URL": settings.database_url,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    results: dict[str, Any] = {}
    for function in stack.functions:
        runs = [cold_start_ms(function, args.python, root, env) for _ in range(args.runs)]
        results[function.name] = {
            "median_ms": round(statistics.median(runs), 1),
            "runs_ms": [round(value, 1) for value in runs],
        }
    print(json.dumps({"benchmark": "coldstart", "python": args.python, "functions": results}))
    return 0
