"""HTTP routing as a declared table: what a function serves is data, written once in its main.py.

A function's HTTP surface is a tuple of `Route(path, method, roles, handler)`:

    from shared.auth import ADMIN_ONLY, ANY_ROLE
    from shared.routing import Call, Route, Router

    def get_report(call: Call) -> Response:           # thin: decode, one library call, status
        return json_response(reports.latest(call.app.engine))

    ROUTES = (
        Route("/healthz", "GET", None, healthz, gateway=False),   # the platform's probe only
        Route("/api/relatorio/semana", "GET", ANY_ROLE, get_report),
        Route("/api/relatorio/{semana}", "GET", ADMIN_ONLY, get_week),
    )
    router = Router(ROUTES, function="charts-api")    # the function's name in infra/stack.json

    @functions_framework.http
    def handle_http(request: Request) -> Response:
        return router(request)

- `path` is the OpenAPI path template, exactly as infra/terraform/openapi.yaml.tftpl spells it:
  `{name}` is one path segment and reaches the handler as `call.params["name"]`. A last segment
  `{name=**}` (API Gateway's double wildcard) is the rest of the path, slashes included, and may
  be empty: `/painel/{asset=**}` serves `/painel/`, `/painel/app.js` and `/painel/js/app.js`.
- `method` is one HTTP method; the same path with another method is another Route.
- `roles` is the set of roles allowed (`shared.auth.ADMIN_ONLY`, `ANY_ROLE`), or None for a
  public operation (login, health). The router checks the caller's token before the handler
  runs; the handler finds the caller in `call.principal`.
- `handler(call: Call) -> Response` gets the request, the composition root (`call.app`), the
  path parameters and the principal.
- `per_user_limit` names an integer setting (e.g. "insights_requests_per_window"): each caller
  may make that many requests per RATE_LIMIT_WINDOW_SECONDS, counted in PostgreSQL across
  instances (shared.ratelimit); past it, 429 with Retry-After before the handler runs.
- `max_body` is the largest body the route takes: bytes, or the name of an integer setting
  ("max_body_bytes" for the comment batches); never more than MAX_BODY_BYTES. A body announced
  larger is refused with 413 before the token is checked or a byte is read, and `call.body()`
  stops reading past it (chunked bodies announce nothing). None: the route takes no body.
- `gateway=False` marks a route served to the platform only (the health probe): it is neither
  documented in the OpenAPI document nor reachable through the gateway.

The router answers an unknown path with a JSON 404 and a known path with another method with a
JSON 405 (and `Allow`), and runs every request inside `shared.http.serve` (request id, access
log, DomainError -> JSON error, security headers).

Every Route with `gateway=True` must be documented in the OpenAPI document with the same path
and method, routed there to this function (`x-google-backend` of `backends["<function>"]`); the
local gateway routes by that document, and tests/unit/test_routes.py checks both directions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, PathConverter, Rule
from werkzeug.wrappers import Request, Response

from shared.http import (
    json_response,
    read_body,
    refuse_announced_body,
    remember_client,
    require_principal,
    serve,
)

if TYPE_CHECKING:
    from shared.auth import Principal
    from shared.bootstrap import App
    from shared.config import Settings

# functions-framework sends every path to the function through Flask's `/<path:path>` rule, whose
# converter stops at a line break: a path holding an encoded newline (`/api/comentarios/%0A`)
# would get Flask's own HTML 404 before the router could answer it in JSON. The rule is built
# after this module is imported, so widening the converter here lets every path reach the router.
PathConverter.regex = r"[^/](?s:.)*?"

HTTP_METHODS: Final = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_PARAMETER_RE: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_WILDCARD_RE: Final = re.compile(r"/\{([A-Za-z_][A-Za-z0-9_]*)=\*\*\}$")
_PATH_RE: Final = re.compile(
    r"^(?!$)(/[A-Za-z0-9._~\-]*|/\{[A-Za-z_][A-Za-z0-9_]*\})*(/\{[A-Za-z_][A-Za-z0-9_]*=\*\*\})?$"
)


@dataclass(frozen=True, slots=True)
class Call:
    """One request as a handler sees it."""

    request: Request
    app: App
    params: Mapping[str, str]
    principal: Principal | None
    max_body_bytes: int | None = None

    @property
    def username(self) -> str:
        """The authenticated caller's name (routes with roles only)."""
        if self.principal is None:
            raise RuntimeError("username of a public route's caller: declare roles on the route")
        return self.principal.username

    def body(self, watch: Callable[[bytes], None] | None = None) -> bytes:
        """The raw body, read up to the route's limit (413 past it); `watch` sees each chunk
        as it arrives and may refuse the body before the rest is read."""
        if self.max_body_bytes is None:
            raise RuntimeError("body of a route that takes none: declare max_body on the route")
        return read_body(self.request, self.max_body_bytes, watch)


Handler = Callable[[Call], Response]


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    method: str
    roles: Collection[str] | None
    handler: Handler
    gateway: bool = True
    per_user_limit: str | None = None
    max_body: int | str | None = None

    def __post_init__(self) -> None:
        if not _PATH_RE.fullmatch(self.path):
            raise ValueError(f"route path {self.path!r} is not an OpenAPI path template")
        if self.method not in HTTP_METHODS:
            raise ValueError(f"route method {self.method!r} is not one of {sorted(HTTP_METHODS)}")
        if self.roles is not None and not self.roles:
            raise ValueError(f"{self.method} {self.path}: roles is empty; use None for public")
        if self.per_user_limit is not None and self.roles is None:
            raise ValueError(f"{self.method} {self.path}: a per-user limit needs roles (a user)")
        if isinstance(self.max_body, int) and self.max_body < 1:
            raise ValueError(f"{self.method} {self.path}: max_body must be positive")

    @property
    def rule(self) -> str:
        """The werkzeug rule: `{id}` -> `<id>` (one segment, like an OpenAPI parameter),
        `{rest=**}` -> `<path:rest>` (one segment or more; the empty rest is `empty_rule`)."""
        return _PARAMETER_RE.sub(r"<\1>", _WILDCARD_RE.sub(r"/<path:\1>", self.path))

    @property
    def empty_rule(self) -> tuple[str, str] | None:
        """For a `{rest=**}` route, the rule of the empty rest (`/painel/`) and the name."""
        wildcard = _WILDCARD_RE.search(self.path)
        if wildcard is None:
            return None
        prefix = _PARAMETER_RE.sub(r"<\1>", self.path[: wildcard.start()])
        return prefix + "/", wildcard.group(1)


@dataclass
class Router:
    """A function's route table turned into one functions-framework HTTP handler."""

    routes: Sequence[Route]
    function: str
    app: Callable[[], App] | None = None
    _map: Map = field(init=False, repr=False)
    _by_endpoint: dict[str, Route] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.routes = tuple(self.routes)
        seen: set[tuple[str, str]] = set()
        rules: list[Rule] = []
        self._by_endpoint = {}
        for index, route in enumerate(self.routes):
            key = (route.method, route.rule)
            if key in seen:
                raise ValueError(f"{route.method} {route.path} is declared twice")
            seen.add(key)
            endpoint = f"{index}:{route.method} {route.path}"
            self._by_endpoint[endpoint] = route
            rules.append(Rule(route.rule, endpoint=endpoint, methods=[route.method]))
            if route.empty_rule is not None:
                rule, name = route.empty_rule
                # Strict: the path without its slash is another route (or a 404), not this one.
                rules.append(
                    Rule(
                        rule,
                        endpoint=endpoint,
                        methods=[route.method],
                        defaults={name: ""},
                        strict_slashes=True,
                    )
                )
        self._map = Map(rules, strict_slashes=False)

    def __call__(self, request: Request) -> Response:
        return serve(request, self._dispatch, function=self.function)

    def _dispatch(self, request: Request) -> Response:
        adapter = self._map.bind_to_environ(request.environ)
        try:
            endpoint, params = adapter.match()
        except NotFound:
            raise NotFound(f"no such path: {request.path}") from None
        except MethodNotAllowed as error:
            raise MethodNotAllowed(
                valid_methods=error.valid_methods,
                description=f"{request.method} is not allowed on {request.path}",
            ) from None
        route = self._by_endpoint[str(endpoint)]
        app = self._app()
        # Functions without the auth settings group sit behind no configured proxy.
        remember_client(request, int(getattr(app.settings, "trusted_proxy_hops", 0)))
        body_limit = None
        if route.max_body is not None:
            body_limit = _body_limit(route.max_body, app.settings)
            # Before the token check and any read: a 16 MB login costs nothing but this.
            refuse_announced_body(request, body_limit)
        principal = (
            require_principal(request, app.settings, route.roles, app.user_statuses)
            if route.roles is not None
            else None
        )
        if route.per_user_limit is not None and principal is not None:
            from shared.ratelimit import charge_user

            charge_user(
                app.engine,
                f"{route.method} {route.path}",
                principal.username,
                limit=int(getattr(app.settings, route.per_user_limit)),
                window_seconds=app.settings.rate_limit_window_seconds,
            )
        return route.handler(
            Call(
                request=request,
                app=app,
                params={k: str(v) for k, v in params.items()},
                principal=principal,
                max_body_bytes=body_limit,
            )
        )

    def _app(self) -> App:
        if self.app is not None:
            return self.app()
        from shared.bootstrap import get_app

        return get_app()


def _body_limit(max_body: int | str, settings: Settings) -> int:
    """A route's largest body under `settings`: `max_body` in bytes or a setting's name."""
    declared = max_body if isinstance(max_body, int) else int(getattr(settings, max_body))
    return min(declared, settings.max_body_bytes)


def check_health(call: Call) -> Response:
    """`GET /healthz` of every HTTP function: 200 when its database answers, 503 JSON otherwise."""
    from shared.db import ping

    if ping(call.app.engine):
        return json_response({"status": "ok"})
    return json_response(
        {
            "status": "unavailable",
            "error": {"code": "unavailable", "message": "database unreachable"},
        },
        status=503,
    )


# The platform's health probe: every HTTP function puts it first in its table; never routed
# through the gateway (Cloud Run and the local stack call the function directly).
HEALTH_ROUTE: Final = Route("/healthz", "GET", None, check_health, gateway=False)
