"""Record real Pub/Sub push envelopes of charts ticks from the emulator into tests/fixtures/events.

Run with `python -m tests.integration.charts.record_tick_envelopes` (starts its own emulator). The
entry-point tests replay these bodies to functions-framework exactly as the emulator sent them.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from shared.schedule import Tick, encode_tick
from tooling.devstack.bootstrap import bootstrap_pubsub
from tooling.devstack.services import (
    LOOPBACK,
    free_port,
    pubsub_emulator_command,
    pubsub_emulator_env,
    pubsub_ready,
    wait_for,
)
from tooling.devstack.stack import parse_stack, repo_root
from tooling.devstack.supervisor import Supervisor

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "events"
PROJECT = "alumusic-local"
TOPIC = "charts-tick"

# name -> (data, attributes) published once each.
MESSAGES: dict[str, tuple[bytes, dict[str, str]]] = {
    "charts_tick_push": encode_tick(
        Tick("charts-refresh", datetime(2026, 11, 30, 11, 32, tzinfo=UTC), {})
    ),
    # A publisher that only names the job: the consumer falls back to the publish time.
    "charts_tick_without_time_push": (b'{"job": "charts-refresh"}', {"job": "charts-refresh"}),
    "charts_tick_garbage_push": (b"\x00\xffnot a tick", {"job": "charts-refresh"}),
}


def main() -> int:
    bodies: queue.Queue[bytes] = queue.Queue()

    class Capture(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            bodies.put(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer((LOOPBACK, free_port()), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = free_port()
    state = repo_root() / ".dev" / "record-tick-events"
    supervisor = Supervisor(state / "logs")
    host = f"{LOOPBACK}:{port}"
    supervisor.start(
        "pubsub",
        pubsub_emulator_command(LOOPBACK, port, state),
        env=pubsub_emulator_env(state),
        echo=False,
    )
    try:
        wait_for("emulator", lambda: pubsub_ready(host), timeout=60)
        spec = parse_stack(
            {
                "project_id": PROJECT,
                "functions": [
                    {
                        "name": "capture",
                        "source": "-",
                        "target": "-",
                        "signature": "cloudevent",
                        "port": server.server_address[1],
                    }
                ],
                "topics": [{"name": TOPIC}],
                "subscriptions": [{"name": f"{TOPIC}-push", "topic": TOPIC, "push_to": "capture"}],
            }
        )
        bootstrap_pubsub(spec, host)
        from shared.config import Settings
        from shared.events import PubSubPublisher

        publisher = PubSubPublisher(Settings(pubsub_emulator_host=host, pubsub_project_id=PROJECT))
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for name, (data, attributes) in MESSAGES.items():
            publisher.publish(TOPIC, data, attributes).result(timeout=10)
            document = json.loads(bodies.get(timeout=30))
            (FIXTURES / f"{name}.json").write_text(
                json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            print(f"recorded {name}.json")
        publisher.close()
    finally:
        supervisor.stop_all()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
