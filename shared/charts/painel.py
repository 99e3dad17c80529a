"""The dashboard's static files (functions/charts/painel/), served by the charts function.

Only files inside the folder, with a known type, are served: no directory listing, no dot files,
no way out of the folder. The page runs under a strict Content-Security-Policy (no inline script
or style, everything from the same origin), so a comment text can never become code.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Final

from shared.errors import NotFound

INDEX: Final = "index.html"

CONTENT_TYPES: Final[dict[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Headers of every dashboard response; they replace the API's `default-src 'none'` policy.
PAGE_HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def default_root() -> Path:
    """functions/charts/painel/ of a checkout (an editable install). In an image the library is
    installed elsewhere, so the charts function passes the folder beside its main.py."""
    return Path(__file__).resolve().parents[2] / "functions" / "charts" / "painel"


def serve_asset(path: str, root: Path | None = None) -> tuple[bytes, str]:
    """The bytes and content type of dashboard file `path` ("" is the page itself).

    Raises NotFound for anything that is not a servable file inside the folder.
    """
    root = (root or default_root()).resolve()
    relative = PurePosixPath(path.strip("/") or INDEX)
    parts = relative.parts
    if (
        "\\" in path
        or "\x00" in path
        or relative.is_absolute()
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise NotFound(f"no such dashboard file: {path}")
    content_type = CONTENT_TYPES.get(relative.suffix.lower())
    target = root.joinpath(*parts).resolve()
    if content_type is None or not target.is_relative_to(root) or not target.is_file():
        raise NotFound(f"no such dashboard file: {path}")
    return target.read_bytes(), content_type
