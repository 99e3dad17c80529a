"""A SendGrid-compatible mail sink on loopback: keeps what it receives and shows it at /mails.

It answers `POST /v3/mail/send` like SendGrid's v3 API (202 and an `X-Message-Id`; 401 without a
bearer key; 400 for a body that is not a mail), so the product's real `sendgrid` client talks to it
when `SENDGRID_API_HOST` is its URL. Tests and `make dev` use it:

- `GET /mails`: the received mails as an HTML page, newest first; `GET /mails/<n>` one mail's HTML.
- `GET /api/mails`: the same as JSON; `DELETE /api/mails` forgets them.
- `POST /api/failures` `{"email": ..., "times": 2, "status": 503}`: the next `times` sends to
  `email` are refused with `status` (a provider outage for one recipient).

It also receives webhook POSTs (the alerts' channels, `ALERTS_WEBHOOK_URLS` in `make dev`):

- `POST /webhooks/<name>`: any JSON body, kept as received (200);
- `GET /webhooks`: the received webhooks as an HTML page, newest first; `GET /api/webhooks` the
  same as JSON; `DELETE /api/webhooks` forgets them;
- `POST /api/webhook-failures` `{"name": ..., "times": 1, "status": 503}`: the next `times` POSTs
  to `/webhooks/<name>` are refused with `status`.

    python -m tooling.devstack.mail_sink --port 8025
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEND_PATH = "/v3/mail/send"
WEBHOOK_PREFIX = "/webhooks/"


@dataclass(frozen=True)
class ReceivedWebhook:
    number: int
    received_at: str
    name: str
    content_type: str
    body: Any


@dataclass(frozen=True)
class ReceivedMail:
    number: int
    message_id: str
    received_at: str
    to: list[str]
    from_email: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    api_key: str


@dataclass
class _Failure:
    times: int
    status: int


@dataclass
class MailSink:
    host: str = "127.0.0.1"
    port: int = 0
    mails: list[ReceivedMail] = field(default_factory=list)
    webhooks: list[ReceivedWebhook] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, _Failure] = {}
        self._webhook_failures: dict[str, _Failure] = {}
        self._numbers = itertools.count(1)
        self._webhook_numbers = itertools.count(1)
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL for SENDGRID_API_HOST."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, email: str, times: int = 1, status: int = 503) -> None:
        with self._lock:
            self._failures[email.lower()] = _Failure(times, status)

    def received(self, to: str | None = None) -> list[ReceivedMail]:
        with self._lock:
            return [m for m in self.mails if to is None or to.lower() in m.to]

    def clear(self) -> None:
        with self._lock:
            self.mails.clear()

    def webhook_url(self, name: str) -> str:
        """The URL of webhook `name` on this sink."""
        return f"{self.url}{WEBHOOK_PREFIX}{name}"

    def fail_next_webhook(self, name: str, times: int = 1, status: int = 503) -> None:
        with self._lock:
            self._webhook_failures[name] = _Failure(times, status)

    def received_webhooks(self, name: str | None = None) -> list[ReceivedWebhook]:
        with self._lock:
            return [w for w in self.webhooks if name is None or w.name == name]

    def clear_webhooks(self) -> None:
        with self._lock:
            self.webhooks.clear()

    def _accept_webhook(self, name: str, content_type: str, raw: bytes) -> int:
        try:
            body: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 400
        with self._lock:
            failure = self._webhook_failures.get(name)
            if failure is not None and failure.times > 0:
                failure.times -= 1
                return failure.status
            self.webhooks.append(
                ReceivedWebhook(
                    number=next(self._webhook_numbers),
                    received_at=datetime.now(UTC).isoformat(),
                    name=name,
                    content_type=content_type,
                    body=body,
                )
            )
        return 200

    def _webhooks_page(self) -> str:
        with self._lock:
            hooks = list(reversed(self.webhooks))
        rows = "".join(
            "<li style='margin-bottom:12px'>"
            f"<strong>{escape(w.name)}</strong> <small>{escape(w.received_at)}</small>"
            f"<pre style='white-space:pre-wrap;background:#f7f7f7;padding:8px'>"
            f"{escape(json.dumps(w.body, ensure_ascii=False, indent=2))}</pre></li>"
            for w in hooks
        )
        empty = "<p>Nenhum webhook recebido ainda.</p>" if not hooks else ""
        return (
            "<!DOCTYPE html><html lang='pt-BR'><head><meta charset='utf-8'>"
            "<title>Webhooks recebidos</title></head><body style='font-family:sans-serif'>"
            f"<h1>Webhooks recebidos ({len(hooks)})</h1>{empty}<ol reversed>{rows}</ol></body></html>"
        )

    def start(self) -> MailSink:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- handling ---------------------------------------------------------------------------

    def _accept(self, body: Any, api_key: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        try:
            recipients = [
                str(to["email"]).lower()
                for personalization in body["personalizations"]
                for to in personalization["to"]
            ]
            contents = {part["type"]: str(part["value"]) for part in body["content"]}
            from_email = str(body["from"]["email"])
            subject = str(body["subject"])
        except (KeyError, TypeError):
            return 400, {"errors": [{"message": "not a v3 mail/send body"}]}, {}
        if not recipients:
            return 400, {"errors": [{"message": "no recipients"}]}, {}
        with self._lock:
            for email in recipients:
                failure = self._failures.get(email)
                if failure is not None and failure.times > 0:
                    failure.times -= 1
                    message = f"sink told to fail for {email}"
                    return failure.status, {"errors": [{"message": message}]}, {}
            message_id = uuid.uuid4().hex
            self.mails.append(
                ReceivedMail(
                    number=next(self._numbers),
                    message_id=message_id,
                    received_at=datetime.now(UTC).isoformat(),
                    to=recipients,
                    from_email=from_email,
                    subject=subject,
                    text=contents.get("text/plain", ""),
                    html=contents.get("text/html", ""),
                    headers={str(k): str(v) for k, v in (body.get("headers") or {}).items()},
                    api_key=api_key,
                )
            )
        return 202, {}, {"X-Message-Id": message_id}

    def _page(self) -> str:
        with self._lock:
            mails = list(reversed(self.mails))
        rows = "".join(
            "<li style='margin-bottom:12px'>"
            f"<a href='/mails/{m.number}'>{escape(m.subject)}</a> "
            f"<small>para {escape(', '.join(m.to))} · {escape(m.received_at)}</small>"
            f"<pre style='white-space:pre-wrap;background:#f7f7f7;padding:8px'>{escape(m.text)}</pre>"
            "</li>"
            for m in mails
        )
        empty = "<p>Nenhum e-mail recebido ainda.</p>" if not mails else ""
        return (
            "<!DOCTYPE html><html lang='pt-BR'><head><meta charset='utf-8'>"
            "<title>E-mails recebidos</title></head><body style='font-family:sans-serif'>"
            f"<h1>E-mails recebidos ({len(mails)})</h1>{empty}<ol reversed>{rows}</ol></body></html>"
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(
                self,
                status: int,
                body: Any,
                kind: str = "application/json",
                headers: dict[str, str] | None = None,
            ) -> None:
                payload = (
                    body.encode("utf-8")
                    if isinstance(body, str)
                    else json.dumps(body, ensure_ascii=False).encode("utf-8")
                )
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def _json_body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    return json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    return None

            def do_POST(self) -> None:
                if self.path.startswith(WEBHOOK_PREFIX) and len(self.path) > len(WEBHOOK_PREFIX):
                    length = int(self.headers.get("Content-Length") or 0)
                    status = sink._accept_webhook(
                        self.path.removeprefix(WEBHOOK_PREFIX),
                        self.headers.get("Content-Type", ""),
                        self.rfile.read(length),
                    )
                    self._send(status, {"ok": status == 200})
                elif self.path == "/api/webhook-failures":
                    plan = self._json_body()
                    if not isinstance(plan, dict) or "name" not in plan:
                        self._send(400, {"error": "expected {name, times, status}"})
                        return
                    sink.fail_next_webhook(
                        str(plan["name"]), int(plan.get("times", 1)), int(plan.get("status", 503))
                    )
                    self._send(204, "")
                elif self.path == SEND_PATH:
                    with sink._lock:
                        sink.requests += 1
                    auth = self.headers.get("Authorization", "")
                    if not auth.startswith("Bearer ") or len(auth) <= len("Bearer "):
                        self._send(401, {"errors": [{"message": "missing API key"}]})
                        return
                    status, body, headers = sink._accept(self._json_body(), auth[7:])
                    self._send(status, body if body else "", headers=headers)
                elif self.path == "/api/failures":
                    plan = self._json_body()
                    if not isinstance(plan, dict) or "email" not in plan:
                        self._send(400, {"error": "expected {email, times, status}"})
                        return
                    sink.fail_next(
                        str(plan["email"]), int(plan.get("times", 1)), int(plan.get("status", 503))
                    )
                    self._send(204, "")
                else:
                    self._send(404, {"error": "not found"})

            def do_DELETE(self) -> None:
                if self.path == "/api/mails":
                    sink.clear()
                    self._send(204, "")
                elif self.path == "/api/webhooks":
                    sink.clear_webhooks()
                    self._send(204, "")
                else:
                    self._send(404, {"error": "not found"})

            def do_GET(self) -> None:
                if self.path in ("/healthz", "/"):
                    self._send(200, {"status": "ok", "mails": len(sink.mails)})
                elif self.path == "/api/mails":
                    self._send(200, [asdict(m) for m in sink.received()])
                elif self.path == "/api/webhooks":
                    self._send(200, [asdict(w) for w in sink.received_webhooks()])
                elif self.path.rstrip("/") == "/webhooks":
                    self._send(200, sink._webhooks_page(), "text/html; charset=utf-8")
                elif self.path.rstrip("/") == "/mails":
                    self._send(200, sink._page(), "text/html; charset=utf-8")
                elif self.path.startswith("/mails/"):
                    number = self.path.removeprefix("/mails/")
                    found = [m for m in sink.received() if str(m.number) == number]
                    if found:
                        self._send(200, found[0].html, "text/html; charset=utf-8")
                    else:
                        self._send(404, {"error": "no such mail"})
                else:
                    self._send(404, {"error": "not found"})

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    sink = MailSink(host=args.host, port=args.port)
    with contextlib.suppress(KeyboardInterrupt):
        sink.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
