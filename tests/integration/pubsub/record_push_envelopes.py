"""Record real Pub/Sub push envelopes from the emulator into tests/fixtures/events/*.json.

Run with `python -m tests.integration.pubsub.record_push_envelopes [NAME ...]` (starts its own
emulator; names limit the recording to those fixtures). The entry-point tests replay these bodies
to functions-framework exactly as the emulator sent them.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
TOPIC = "comments-submitted"

# name -> (data, attributes) published once each.
MESSAGES: dict[str, tuple[bytes, dict[str, str]]] = {
    "comments_submitted_push": (
        json.dumps(
            {
                "comments": [
                    {"id": "evt-1", "texto": "essa música é perfeita, ouço todo dia"},
                    {"id": "evt-2", "texto": "please add synced lyrics to this track"},
                    {"id": "evt-3", "texto": "alguém sabe em qual álbum saiu essa?"},
                ],
                "submitted_at": "2024-05-31T12:00:00+00:00",
                "request_id": "recorded-request-1",
            },
            ensure_ascii=False,
        ).encode(),
        {
            "event_type": "CommentsSubmitted",
            "schema_version": "1",
            "request_id": "recorded-request-1",
        },
    ),
    "invalid_comment_push": (
        json.dumps(
            {
                "comments": [
                    {"id": "evt-ok", "texto": "ótima faixa"},
                    {"id": "evt-empty", "texto": "   "},
                ],
                "submitted_at": "2024-05-31T12:00:00+00:00",
                "request_id": "recorded-request-2",
            }
        ).encode(),
        {
            "event_type": "CommentsSubmitted",
            "schema_version": "1",
            "request_id": "recorded-request-2",
        },
    ),
    # As ingest publishes since comment times travel per comment: one time sent by the client
    # (written late on 20 Nov in São Paulo, already the 21st in UTC), one stamped with the
    # request's arrival.
    "comments_with_time_push": (
        json.dumps(
            {
                "comments": [
                    {
                        "id": "evt-t1",
                        "texto": "o som ficou muito baixo nessa versão",
                        "criado_em": "2026-11-21T01:30:00+00:00",
                    },
                    {
                        "id": "evt-t2",
                        "texto": "que tal lançar a versão acústica?",
                        "criado_em": "2026-11-30T10:00:00.250000+00:00",
                    },
                ],
                "submitted_at": "2026-11-30T10:00:00.250000+00:00",
                "request_id": "recorded-request-4",
            },
            ensure_ascii=False,
        ).encode(),
        {
            "event_type": "CommentsSubmitted",
            "schema_version": "1",
            "request_id": "recorded-request-4",
        },
    ),
    # evt-1 again, with another text than comments_submitted_push stored under it.
    "conflicting_id_push": (
        json.dumps(
            {
                "comments": [
                    {
                        "id": "evt-1",
                        "texto": "outro texto reutilizando o mesmo id",
                        "criado_em": "2026-11-30T10:10:00+00:00",
                    },
                    {
                        "id": "evt-4",
                        "texto": "faixa nova muito boa",
                        "criado_em": "2026-11-30T10:10:00+00:00",
                    },
                ],
                "submitted_at": "2026-11-30T10:10:00+00:00",
                "request_id": "recorded-request-5",
            },
            ensure_ascii=False,
        ).encode(),
        {
            "event_type": "CommentsSubmitted",
            "schema_version": "1",
            "request_id": "recorded-request-5",
        },
    ),
    "not_json_push": (b"\x00\xffnot json at all", {"event_type": "CommentsSubmitted"}),
    "unknown_event_type_push": (b"{}", {"event_type": "SomethingElse", "schema_version": "1"}),
}


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(MESSAGES))
    if unknown:
        print(f"unknown fixture(s): {', '.join(unknown)}; known: {', '.join(MESSAGES)}")
        return 2
    selected = {name: MESSAGES[name] for name in names} if names else MESSAGES
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
    state = repo_root() / ".dev" / "record-events"
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
                "topics": [{"name": TOPIC}, {"name": f"{TOPIC}-dead-letter"}],
                "subscriptions": [
                    {
                        "name": f"{TOPIC}-push",
                        "topic": TOPIC,
                        "push_to": "capture",
                        "dead_letter_topic": f"{TOPIC}-dead-letter",
                        "max_delivery_attempts": 5,
                        "min_retry_backoff": "1s",
                        "max_retry_backoff": "60s",
                    }
                ],
            }
        )
        bootstrap_pubsub(spec, host)
        from shared.config import Settings
        from shared.events import PubSubPublisher

        publisher = PubSubPublisher(Settings(pubsub_emulator_host=host, pubsub_project_id=PROJECT))
        FIXTURES.mkdir(parents=True, exist_ok=True)
        for name, (data, attributes) in selected.items():
            publisher.publish(TOPIC, data, attributes).result(timeout=10)
            body = bodies.get(timeout=30)
            document = json.loads(body)
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
    sys.exit(main(sys.argv[1:]))
