"""JSON-lines logging on stdout, in the shape Cloud Logging reads (`severity`, `message`).

Every record carries the function name and, when known, the request or message id, set through
`log_context` so handlers do not have to pass them around.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "log_context", default=None
)
_RESERVED = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname if record.levelname != "WARN" else "WARNING",
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            "function": self.function,
        }
        entry.update(_context.get() or {})
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(function: str, level: str = "INFO") -> None:
    """Route the root logger to one JSON line per record on stdout. Idempotent."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(function))
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Chatty libraries log every retry at INFO; their warnings still come through.
    for noisy in ("google", "urllib3", "botocore", "httpx", "openai", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach fields (request_id, message_id, ...) to every record logged inside the block."""
    merged = {**(_context.get() or {}), **fields}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)
