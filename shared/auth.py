"""Login, tokens and roles.

Tokens are JWTs signed with the one configured HMAC algorithm (never taken from the token), with
issuer, issue time, expiry and a `typ` claim, so a refresh token is not an access token and the
other way round. Failed logins are rate limited per username and per client address through the
`login_attempts` table, so every instance of the function enforces the same limit.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

import jwt
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.config import Settings
from shared.errors import Forbidden, InvalidInput, RateLimited, Unauthorized
from shared.models import ROLES, login_attempts
from shared.users import find_user, hash_password, password_hasher, verify_password
from shared.validation import check_text, decode_json_object

log = logging.getLogger(__name__)

TokenType = Literal["access", "refresh"]
ISSUER: Final = "alumusic"
LEEWAY_SECONDS: Final = 5
MAX_USERNAME_CHARS: Final = 128
MAX_PASSWORD_CHARS: Final = 1024
# Attempts are kept at least a day (enough to see an attack after the fact), then deleted.
ATTEMPT_RETENTION_SECONDS: Final = 24 * 3600
# Advisory lock classes: one per kind of key, so a username and an address never share a lock.
_LOCK_USERNAME: Final = 71_001
_LOCK_CLIENT: Final = 71_002

ANY_ROLE: Final = frozenset(ROLES)
ADMIN_ONLY: Final = frozenset({"admin"})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, from a verified access token."""

    username: str
    role: str


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str


# --- tokens -------------------------------------------------------------------------------------


def issue_token(
    settings: Settings,
    *,
    username: str,
    role: str,
    typ: TokenType,
    now: datetime | None = None,
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
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(
        claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm
    )


def decode_token(settings: Settings, token: str, *, typ: TokenType) -> dict[str, Any]:
    """The verified claims of a token of type `typ`; Unauthorized for anything else."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
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


def token_response(settings: Settings, *, username: str, role: str) -> dict[str, Any]:
    """The body of a successful login: an access and a refresh token."""
    return {
        "access": issue_token(settings, username=username, role=role, typ="access"),
        "refresh": issue_token(settings, username=username, role=role, typ="refresh"),
        "token_type": "Bearer",
        "expires_in": settings.jwt_access_ttl_seconds,
    }


def authenticate(settings: Settings, authorization: str | None) -> Principal:
    """The caller of a request from its `Authorization: Bearer <access token>` header."""
    if not authorization:
        raise Unauthorized("missing Authorization header; send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    claims = decode_token(settings, token.strip(), typ="access")
    return Principal(username=claims["sub"], role=claims["role"])


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


def _blocked_for(
    conn: Connection,
    column: sa.ColumnElement[str],
    value: str,
    settings: Settings,
    *,
    since_last_success: bool,
) -> int | None:
    """Seconds until `value` may try again, or None when it is not over the limit."""
    window = sa.func.make_interval(0, 0, 0, 0, 0, 0, settings.login_window_seconds)
    conditions = [
        column == value,
        login_attempts.c.succeeded.is_(False),
        login_attempts.c.at > sa.func.now() - window,
    ]
    if since_last_success:
        last_success = (
            sa.select(sa.func.max(login_attempts.c.at))
            .where(column == value, login_attempts.c.succeeded.is_(True))
            .scalar_subquery()
        )
        conditions.append(
            login_attempts.c.at
            > sa.func.coalesce(last_success, sa.literal("-infinity", sa.DateTime(timezone=True)))
        )
    # The limit-th most recent failure: when it leaves the window, the count drops below the limit.
    statement = (
        sa.select(sa.extract("epoch", login_attempts.c.at + window - sa.func.now()))
        .where(*conditions)
        .order_by(login_attempts.c.at.desc())
        .offset(settings.login_max_failures - 1)
        .limit(1)
    )
    seconds = conn.execute(statement).scalar()
    if seconds is None:
        return None
    return max(1, math.ceil(float(seconds)))


def _record_attempt(conn: Connection, username: str, client_ip: str, succeeded: bool) -> None:
    conn.execute(
        sa.insert(login_attempts).values(
            username=username, client_ip=client_ip, succeeded=succeeded
        )
    )


def login(
    engine: Engine, settings: Settings, credentials: Credentials, client_ip: str
) -> dict[str, Any]:
    """Tokens for valid credentials; Unauthorized otherwise; RateLimited after too many failures."""
    username = credentials.username
    with engine.begin() as conn:
        # Serialise attempts on the same username and address across instances, so parallel
        # guesses cannot all slip in before the first failure is counted.
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:v))"),
            {"k": _LOCK_USERNAME, "v": username},
        )
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:v))"),
            {"k": _LOCK_CLIENT, "v": client_ip},
        )
        retry_after = max(
            _blocked_for(
                conn, login_attempts.c.username, username, settings, since_last_success=True
            )
            or 0,
            _blocked_for(
                conn, login_attempts.c.client_ip, client_ip, settings, since_last_success=False
            )
            or 0,
        )
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
            conn.execute(
                sa.delete(login_attempts).where(
                    login_attempts.c.at
                    < sa.func.now()
                    - sa.func.make_interval(
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        max(settings.login_window_seconds, ATTEMPT_RETENTION_SECONDS),
                    )
                )
            )
    # Outside the transaction: the failed attempt above is committed before we answer.
    if not ok:
        log.info("login failed", extra={"username": username, "client_ip": client_ip})
        raise Unauthorized("wrong username or password")
    log.info("login succeeded", extra={"username": username, "client_ip": client_ip})
    return token_response(settings, username=username, role=user.role)


def refresh_access(engine: Engine, settings: Settings, refresh_token: str) -> dict[str, Any]:
    """A new access token for a valid refresh token of a user who is still active."""
    claims = decode_token(settings, refresh_token, typ="refresh")
    with engine.connect() as conn:
        found = find_user(conn, claims["sub"])
    if found is None or not found[0].active:
        raise Unauthorized("refresh token is not valid: the user no longer exists or is disabled")
    user = found[0]
    if int(claims["iat"]) < math.floor(user.password_changed_at.timestamp()):
        raise Unauthorized("refresh token predates a password change; log in again")
    return {
        "access": issue_token(settings, username=user.username, role=user.role, typ="access"),
        "token_type": "Bearer",
        "expires_in": settings.jwt_access_ttl_seconds,
    }


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(uuid.uuid4().hex)
    return _DUMMY_HASH
