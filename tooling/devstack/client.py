"""A small client of the API through the gateway: log in, ingest. Used by the demo loader and the
pipeline benchmark (and handy in a Python shell against `make dev`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

import requests


class ApiError(RuntimeError):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


class GatewayClient:
    """Thread-safe: each thread gets its own keep-alive session."""

    def __init__(self, base_url: str, *, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.access_token: str | None = None
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
        return session

    def _headers(self, content_type: str | None = "application/json") -> dict[str, str]:
        headers: dict[str, str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.base_url + path, **kwargs)

    def login(self, username: str, password: str) -> str:
        response = self.request(
            "POST",
            "/api/auth/login",
            data=json.dumps({"username": username, "password": password}),
            headers=self._headers(),
        )
        if response.status_code != 200:
            raise ApiError(response.status_code, response.text)
        token = response.json()["access"]
        self.access_token = str(token)
        return self.access_token

    def ingest(self, comments: Sequence[dict[str, str]]) -> list[str]:
        """POST /api/comentarios/ingest as NDJSON; the ids the API accepted."""
        body = "\n".join(json.dumps(c, ensure_ascii=False) for c in comments).encode()
        response = self.request(
            "POST",
            "/api/comentarios/ingest",
            data=body,
            headers=self._headers("application/x-ndjson"),
        )
        if response.status_code != 202:
            raise ApiError(response.status_code, response.text)
        return [str(i) for i in response.json()["ids"]]

    def healthz(self) -> tuple[int, dict[str, Any]]:
        response = self.request("GET", "/healthz", timeout=10)
        try:
            payload = response.json()
        except ValueError:
            payload = {"body": response.text}
        return response.status_code, payload
