"""A real OpenAI-compatible HTTP server on 127.0.0.1, for tests that drive the `openai` client.

It serves `POST /v1/chat/completions` from a script: each request takes the next scripted reply
(a fixed `Reply`, or a responder called with the request body), and once the script is used up the
`default` responder answers (a 500 if there is none). Every request is recorded (path, headers,
JSON body), so tests can count retries and inspect exactly what was sent.

    with OpenAILoopback() as server:
        server.script(Reply(status=500), answer_all(categoria="ELOGIO"))
        ... OPENAI_BASE_URL=server.url ...
        assert len(server.requests) == 2

Replies can be delayed (to trigger client timeouts) and carry headers (`Retry-After`). The
server runs in a daemon thread; `close()` stops it and wakes any delayed reply. The
`openai_loopback` fixture yields a started server per test (list this module in `pytest_plugins`
to use it anywhere).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

COMPLETIONS_PATH = "/v1/chat/completions"
DEFAULT_MODEL = "loopback-model-2025-01-01"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: a dict body is sent as JSON, a str or bytes body as is."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def comments(self) -> list[dict[str, Any]]:
        """The `{i, texto}` items of a classification request's user message."""
        return comments_of(self.body)


Responder = Callable[[Any], Reply]
Scripted = Reply | Responder


def chat_completion(
    content: str | dict[str, Any] | None,
    *,
    model: str = DEFAULT_MODEL,
    total_tokens: int | None = 120,
    finish_reason: str = "stop",
    refusal: str | None = None,
) -> dict[str, Any]:
    """A chat completion body whose message content is `content` (a dict is dumped as JSON)."""
    text = json.dumps(content, ensure_ascii=False) if isinstance(content, dict) else content
    body: dict[str, Any] = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
    }
    if total_tokens is not None:
        body["usage"] = {
            "prompt_tokens": total_tokens // 2,
            "completion_tokens": total_tokens - total_tokens // 2,
            "total_tokens": total_tokens,
        }
    return body


def comments_of(body: Any) -> list[dict[str, Any]]:
    user = [message for message in body["messages"] if message["role"] == "user"]
    items: list[dict[str, Any]] = json.loads(user[-1]["content"])
    return items


def answer_all(
    categoria: str | Callable[[str], str] = "ELOGIO",
    *,
    tags: Sequence[str] | Callable[[str], Sequence[str]] = (),
    confianca: float = 0.9,
    total_tokens: int | None = 120,
    model: str = DEFAULT_MODEL,
) -> Responder:
    """A well-behaved model: one contract-valid result per comment received."""

    def respond(body: Any) -> Reply:
        results = []
        for item in comments_of(body):
            text = item["texto"]
            results.append(
                {
                    "i": item["i"],
                    "categoria": categoria(text) if callable(categoria) else categoria,
                    "tags": list(tags(text) if callable(tags) else tags),
                    "confianca": confianca,
                }
            )
        content = {"resultados": results}
        return Reply(body=chat_completion(content, total_tokens=total_tokens, model=model))

    return respond


class OpenAILoopback:
    """The server. Use as a context manager, or call `start()` and `close()`."""

    def __init__(self, default: Responder | None = None) -> None:
        self.default = default
        self.requests: list[RecordedRequest] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL the `openai` client expects (OPENAI_BASE_URL)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Scripted) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._script.extend(replies)

    def completion_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == COMPLETIONS_PATH]

    def start(self) -> OpenAILoopback:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OpenAILoopback:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _next_reply(self, body: Any) -> Reply:
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        if scripted is None:
            scripted = self.default
        if scripted is None:
            return Reply(status=500, body={"error": {"message": "no scripted reply left"}})
        return scripted if isinstance(scripted, Reply) else scripted(body)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                record = RecordedRequest(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with server._lock:
                    server.requests.append(record)
                if self.path != COMPLETIONS_PATH:
                    self._send(Reply(status=404, body={"error": {"message": "not found"}}))
                    return
                reply = server._next_reply(body)
                if reply.delay_seconds and server._closing.wait(reply.delay_seconds):
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if isinstance(reply.body, bytes):
                    payload, kind = reply.body, "application/octet-stream"
                elif isinstance(reply.body, str):
                    payload, kind = reply.body.encode("utf-8"), "text/plain; charset=utf-8"
                else:
                    payload, kind = json.dumps(reply.body).encode("utf-8"), "application/json"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); nothing to answer

        return Handler


@pytest.fixture
def openai_loopback() -> Iterator[OpenAILoopback]:
    """A started loopback server for one test; stopped afterwards."""
    with OpenAILoopback() as server:
        yield server
