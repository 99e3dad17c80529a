"""Login, tokens and roles.

Tokens are JWTs signed with an asymmetric key named in the header (`kid`): the issuer (login,
refresh) signs with its private key, every other function verifies with public keys only, with
the algorithm of the key the `kid` names (never the token's own `alg`). Claims: issuer, issue
time, expiry and `typ`, so a refresh token is not an access token and the other way round.

Refresh tokens are single use: each is recorded by its `jti` (the token itself is never stored)
in a family, one per login. A refresh spends the token and answers with its successor in the same
family; a spent token presented again means two parties hold the chain (a stolen copy, or a
client retrying), so the whole family is deleted and both must log in again. Logout deletes the
family too. Table maintenance deletes expired rows (`shared.maintenance`).

A token alone is not enough: `authenticate` also asks the users table (through a per-instance
cache of at most USER_STATUS_CACHE_SECONDS <= 30 s) whether the user is still active and what
their role is now, so disabling or demoting a user takes effect within that time rather than when
the token expires. A signature check alone cannot do that; a cached lookup costs one indexed query
per user and instance every few seconds.

Failed logins slow down per (username, address) and per address, never per username alone, so a
stranger's wrong passwords cannot lock a user out: see `login`.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final, Literal

import jwt
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.config import Settings
from shared.decoding import check_text, decode_json_object
from shared.errors import Forbidden, InvalidInput, RateLimited, Unauthorized
from shared.keys import KeySetError, SigningKey, VerifyingKey, load_private_keys, load_public_keys
from shared.models import ROLES, login_attempts, refresh_tokens, users
from shared.users import find_user, hash_password, password_hasher, verify_password

log = logging.getLogger(__name__)

TokenType = Literal["access", "refresh"]
ISSUER: Final = "alumusic"
LEEWAY_SECONDS: Final = 5
MAX_USERNAME_CHARS: Final = 128
MAX_PASSWORD_CHARS: Final = 1024
# Attempts are kept at least a day (enough to see an attack after the fact), then deleted.
ATTEMPT_RETENTION_SECONDS: Final = 24 * 3600
# Advisory lock classes: one per kind of key, so a pair and an address never share a lock.
_LOCK_USER_ADDRESS: Final = 71_001
_LOCK_ADDRESS: Final = 71_002

ANY_ROLE: Final = frozenset(ROLES)
ADMIN_ONLY: Final = frozenset({"admin"})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, from a verified access token and the user's current state."""

    username: str
    role: str


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str


# --- keys ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _public_keys(text: str) -> dict[str, VerifyingKey]:
    return load_public_keys(text)


@lru_cache(maxsize=8)
def _signing_key(text: str) -> SigningKey:
    return load_private_keys(text)[-1]


def signing_key(settings: Settings) -> SigningKey:
    """The key new tokens are signed with (the issuer only)."""
    private = settings.jwt_private_keys
    if private is None:
        raise KeySetError("JWT_PRIVATE_KEYS is not set: this function cannot issue tokens")
    return _signing_key(private.get_secret_value())


def verifying_keys(settings: Settings) -> dict[str, VerifyingKey]:
    if not settings.jwt_public_keys:
        raise KeySetError("JWT_PUBLIC_KEYS is not set: this function cannot verify tokens")
    return _public_keys(settings.jwt_public_keys)


# --- tokens -------------------------------------------------------------------------------------


def issue_token(
    settings: Settings,
    *,
    username: str,
    role: str,
    typ: TokenType,
    now: datetime | None = None,
    jti: str | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    ttl = settings.jwt_access_ttl_seconds if typ == "access" else settings.jwt_refresh_ttl_seconds
    claims = {
        "iss": ISSUER,
        "sub": username,
        "role": role,
        "typ": typ,
        "iat": int(issued.timestamp()),
        "nbf": int(issued.timestamp()),
        "exp": int(issued.timestamp()) + ttl,
        "jti": jti or uuid.uuid4().hex,
    }
    key = signing_key(settings)
    return jwt.encode(claims, key.key, algorithm=key.algorithm, headers={"kid": key.kid})


def decode_token(settings: Settings, token: str, *, typ: TokenType) -> dict[str, Any]:
    """The verified claims of a token of type `typ`; Unauthorized for anything else."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise Unauthorized(f"{typ} token is not valid") from None
    kid = header.get("kid")
    key = verifying_keys(settings).get(kid) if isinstance(kid, str) else None
    if key is None:
        raise Unauthorized(f"{typ} token is signed with an unknown key; log in again")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=[key.algorithm],
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "typ", "iat", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized(f"{typ} token has expired") from None
    except jwt.InvalidTokenError:
        raise Unauthorized(f"{typ} token is not valid") from None
    if claims.get("typ") != typ:
        raise Unauthorized(f"a {claims.get('typ')!s} token is not a {typ} token")
    if not isinstance(claims.get("sub"), str) or claims.get("role") not in ROLES:
        raise Unauthorized(f"{typ} token is not valid")
    return claims


# --- the user's current state -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserStatus:
    active: bool
    role: str
    # Tokens issued before this instant (whole seconds, like `iat`) are refused.
    valid_since: int


def _load_status(engine: Engine, username: str) -> UserStatus | None:
    statement = sa.select(users.c.active, users.c.role, users.c.password_changed_at).where(
        users.c.username == username
    )
    with engine.connect() as conn:
        row = conn.execute(statement).first()
    if row is None:
        return None
    return UserStatus(
        active=bool(row.active),
        role=str(row.role),
        valid_since=math.floor(row.password_changed_at.timestamp()),
    )


@dataclass
class UserStatusCache:
    """Each user's active flag, role and password-change time, remembered per instance for at
    most `ttl_seconds` (a bounded staleness: the 30-second promise), so a busy instance asks the
    database once per user every few seconds, not on every request."""

    ttl_seconds: float
    load: Callable[[str], UserStatus | None]
    clock: Callable[[], float] = time.monotonic
    max_entries: int = 10_000
    _entries: dict[str, tuple[float, UserStatus | None]] = dataclass_field(
        default_factory=dict, repr=False
    )
    _lock: threading.Lock = dataclass_field(default_factory=threading.Lock, repr=False)

    def get(self, username: str) -> UserStatus | None:
        now = self.clock()
        with self._lock:
            cached = self._entries.get(username)
        if cached is not None and now - cached[0] < self.ttl_seconds:
            return cached[1]
        status = self.load(username)
        if self.ttl_seconds > 0:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[username] = (now, status)
        return status


def user_status_cache(
    settings: Settings, engine: Callable[[], Engine], clock: Callable[[], float] = time.monotonic
) -> UserStatusCache:
    return UserStatusCache(
        ttl_seconds=settings.user_status_cache_seconds,
        load=lambda username: _load_status(engine(), username),
        clock=clock,
    )


def token_response(settings: Settings, *, username: str, role: str, refresh: str) -> dict[str, Any]:
    """The body of a successful login or refresh: a new access token and `refresh`."""
    return {
        "access": issue_token(settings, username=username, role=role, typ="access"),
        "refresh": refresh,
        "token_type": "Bearer",
        "expires_in": settings.jwt_access_ttl_seconds,
    }


# --- refresh tokens -----------------------------------------------------------------------------


def _issue_refresh(
    conn: Connection, settings: Settings, *, username: str, role: str, family: str
) -> str:
    """A new refresh token of `family`, recorded by its id so that it is honoured once."""
    jti = uuid.uuid4().hex
    issued = datetime.now(UTC)
    token = issue_token(settings, username=username, role=role, typ="refresh", now=issued, jti=jti)
    # Kept as long as the token verifies (its expiry plus the leeway), so pruning never turns a
    # valid token into an unknown one.
    lifetime = timedelta(seconds=settings.jwt_refresh_ttl_seconds + LEEWAY_SECONDS)
    conn.execute(
        sa.insert(refresh_tokens).values(
            jti=jti, family=family, username=username, expires_at=issued + lifetime
        )
    )
    return token


def _token_id(claims: dict[str, Any]) -> str:
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise Unauthorized("refresh token is not valid")
    return jti


def _revoke_family(conn: Connection, jti: str) -> int:
    """Delete every token of the family `jti` belongs to; how many rows went."""
    family = sa.select(refresh_tokens.c.family).where(refresh_tokens.c.jti == jti)
    deleted = conn.execute(
        sa.delete(refresh_tokens).where(refresh_tokens.c.family == family.scalar_subquery())
    )
    return int(deleted.rowcount)


def rotate_refresh_token(engine: Engine, settings: Settings, refresh_token: str) -> dict[str, Any]:
    """A new access token and the next refresh token for an unused refresh token of a user who is
    still active; the token presented is spent. A spent, revoked or unknown one is Unauthorized,
    and a spent one revokes its family: the holder of its successor must log in again too."""
    claims = decode_token(settings, refresh_token, typ="refresh")
    jti = _token_id(claims)
    with engine.begin() as conn:
        found = find_user(conn, claims["sub"])
        if found is None or not found[0].active:
            raise Unauthorized(
                "refresh token is not valid: the user no longer exists or is disabled"
            )
        user = found[0]
        if int(claims["iat"]) < math.floor(user.password_changed_at.timestamp()):
            raise Unauthorized("refresh token predates a password change; log in again")
        # The conditional UPDATE takes the row lock: of two refreshes with the same token, the
        # second waits for the first to commit, then finds the token spent.
        family = conn.execute(
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.jti == jti, refresh_tokens.c.used_at.is_(None))
            .values(used_at=sa.func.now())
            .returning(refresh_tokens.c.family)
        ).scalar_one_or_none()
        if family is not None:
            successor = _issue_refresh(
                conn, settings, username=user.username, role=user.role, family=family
            )
        else:
            revoked = _revoke_family(conn, jti)
    # Outside the transaction: the revocation above is committed before we answer.
    if family is None:
        if revoked:
            log.warning(
                "spent refresh token presented again: its family is revoked",
                extra={"username": user.username, "revoked": revoked},
            )
            raise Unauthorized("refresh token was already used; this session is revoked")
        raise Unauthorized("refresh token is revoked or unknown; log in again")
    return token_response(settings, username=user.username, role=user.role, refresh=successor)


def logout(engine: Engine, settings: Settings, refresh_token: str) -> None:
    """Revoke the family of a refresh token: it and every token rotated from the same login.
    Logging out twice is not an error."""
    claims = decode_token(settings, refresh_token, typ="refresh")
    with engine.begin() as conn:
        revoked = _revoke_family(conn, _token_id(claims))
    log.info("logged out", extra={"username": claims["sub"], "revoked": revoked})


def authenticate(
    settings: Settings, authorization: str | None, statuses: UserStatusCache
) -> Principal:
    """The caller of a request from its `Authorization: Bearer <access token>` header, with the
    role the user has now (a demoted admin is an analyst within the cache's lifetime)."""
    if not authorization:
        raise Unauthorized("missing Authorization header; send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    claims = decode_token(settings, token.strip(), typ="access")
    status = statuses.get(claims["sub"])
    if status is None or not status.active:
        raise Unauthorized("access token is not valid: the user no longer exists or is disabled")
    if int(claims["iat"]) < status.valid_since:
        raise Unauthorized("access token predates a password change; log in again")
    return Principal(username=claims["sub"], role=status.role)


def require_role(principal: Principal, roles: Iterable[str]) -> None:
    allowed = frozenset(roles)
    if principal.role not in allowed:
        raise Forbidden(
            f"role {principal.role!r} may not do this; needs {' or '.join(sorted(allowed))}"
        )


# --- login --------------------------------------------------------------------------------------


def parse_credentials(body: bytes) -> Credentials:
    document = decode_json_object(body)
    values: dict[str, str] = {}
    for field, limit in (("username", MAX_USERNAME_CHARS), ("password", MAX_PASSWORD_CHARS)):
        value = document.get(field)
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"field {field!r} must be a non-empty string")
        if len(value) > limit:
            raise InvalidInput(f"field {field!r} is longer than {limit} characters")
        check_text(value, field=f"field {field!r}")
        values[field] = value
    return Credentials(username=values["username"], password=values["password"])


def parse_refresh(body: bytes) -> str:
    document = decode_json_object(body)
    token = document.get("refresh")
    if not isinstance(token, str) or not token:
        raise InvalidInput("field 'refresh' must be the refresh token (a non-empty string)")
    return token


def login_delay(failures: int, *, free: int, base_seconds: int, max_seconds: int) -> int:
    """Seconds a key waits after its last failure, given its consecutive failures: none for the
    first `free`, then base, 2 x base, 4 x base, ... up to `max_seconds`."""
    if failures < free:
        return 0
    # Capped before the power so a long attack cannot overflow anything.
    doublings = min(failures - free, 30)
    return int(min(max_seconds, base_seconds * 2**doublings))


def _failures(conn: Connection, settings: Settings, *conditions: Any, since_success: bool) -> Any:
    """(consecutive failures, seconds since the last one) for the attempts matching
    `conditions` within the login window; failures before a success of the same key don't
    count when `since_success`."""
    window = sa.func.make_interval(0, 0, 0, 0, 0, 0, settings.login_window_seconds)
    matching = [*conditions, login_attempts.c.at > sa.func.now() - window]
    where = [*matching, login_attempts.c.succeeded.is_(False)]
    if since_success:
        last_success = (
            sa.select(sa.func.max(login_attempts.c.at))
            .where(*matching, login_attempts.c.succeeded.is_(True))
            .scalar_subquery()
        )
        where.append(
            login_attempts.c.at
            > sa.func.coalesce(last_success, sa.literal("-infinity", sa.DateTime(timezone=True)))
        )
    statement = sa.select(
        sa.func.count(),
        sa.extract("epoch", sa.func.now() - sa.func.max(login_attempts.c.at)),
    ).where(*where)
    return conn.execute(statement).one()


def _wait_seconds(
    conn: Connection, settings: Settings, *conditions: Any, free: int, since_success: bool
) -> int:
    count, elapsed = _failures(conn, settings, *conditions, since_success=since_success)
    delay = login_delay(
        int(count),
        free=free,
        base_seconds=settings.login_base_delay_seconds,
        max_seconds=settings.login_max_delay_seconds,
    )
    if not delay or elapsed is None:
        return 0
    return max(0, math.ceil(delay - float(elapsed)))


def login_wait(conn: Connection, settings: Settings, username: str, client_ip: str) -> int:
    """Seconds before `username` may try again from `client_ip` (0: now).

    Two keys, each with growing delays after a few consecutive failures: the (username, address)
    pair (a success from that address resets it) and the address alone across every username
    (password spraying; never reset by a success, since an attacker may own an account). A
    username alone is never a key: failures from address B do not slow `admin` at address A.
    """
    pair = _wait_seconds(
        conn,
        settings,
        login_attempts.c.username == username,
        login_attempts.c.client_ip == client_ip,
        free=settings.login_free_failures,
        since_success=True,
    )
    address = _wait_seconds(
        conn,
        settings,
        login_attempts.c.client_ip == client_ip,
        free=settings.login_address_free_failures,
        since_success=False,
    )
    return max(pair, address)


def _record_attempt(conn: Connection, username: str, client_ip: str, succeeded: bool) -> None:
    conn.execute(
        sa.insert(login_attempts).values(
            username=username, client_ip=client_ip, succeeded=succeeded
        )
    )


def _lock(conn: Connection, kind: int, value: str) -> None:
    conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:v))"),
        {"k": kind, "v": value},
    )


def address_key(address: str) -> str:
    """What per-address login throttling counts an address under: an IPv4 address as it is, an
    IPv6 one as its /64 (one subscriber's network, whose billions of addresses one attacker
    holds), an IPv4-mapped IPv6 one as its IPv4 address; anything else as given."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(parsed), 64), strict=False))
    return str(parsed)


def login(
    engine: Engine, settings: Settings, credentials: Credentials, client_ip: str
) -> dict[str, Any]:
    """Tokens for valid credentials; Unauthorized otherwise; RateLimited (429 + Retry-After)
    while the caller must wait after failures (`login_wait`). A refused try is not an attempt:
    it neither checks the password nor makes the wait longer."""
    username = credentials.username
    client_ip = address_key(client_ip)
    with engine.begin() as conn:
        # Serialise attempts on the same pair and address across instances, so parallel guesses
        # cannot all slip in before the first failure is counted. Always in this order.
        _lock(conn, _LOCK_USER_ADDRESS, json.dumps([username, client_ip]))
        _lock(conn, _LOCK_ADDRESS, client_ip)
        retry_after = login_wait(conn, settings, username, client_ip)
        if retry_after:
            log.warning(
                "login refused: too many failures",
                extra={"username": username, "client_ip": client_ip, "retry_after": retry_after},
            )
            raise RateLimited(
                f"too many failed logins; try again in {retry_after} s", retry_after=retry_after
            )

        found = find_user(conn, username)
        if found is None:
            # Spend the same time as a real check, so response times do not reveal usernames.
            verify_password(_dummy_hash(), credentials.password)
            ok = False
        else:
            user, password_hash = found
            ok = verify_password(password_hash, credentials.password) and user.active
        _record_attempt(conn, username, client_ip, ok)
        if ok:
            assert found is not None
            user, password_hash = found
            if password_hasher.check_needs_rehash(password_hash):
                conn.execute(
                    sa.text("UPDATE users SET password_hash = :h WHERE id = :id"),
                    {"h": hash_password(credentials.password), "id": user.id},
                )
            refresh = _issue_refresh(
                conn, settings, username=username, role=user.role, family=uuid.uuid4().hex
            )
            retention = max(settings.login_window_seconds, ATTEMPT_RETENTION_SECONDS)
            conn.execute(
                sa.delete(login_attempts).where(
                    login_attempts.c.at
                    < sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0, retention)
                )
            )
    # Outside the transaction: the failed attempt above is committed before we answer.
    if not ok:
        log.info("login failed", extra={"username": username, "client_ip": client_ip})
        raise Unauthorized("wrong username or password")
    log.info("login succeeded", extra={"username": username, "client_ip": client_ip})
    return token_response(settings, username=username, role=user.role, refresh=refresh)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash no password matches, made once (on the first login of an unknown user)."""
    return hash_password(uuid.uuid4().hex)
