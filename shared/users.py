"""Users of the API: created by an admin command (there is no open registration), two roles.

Passwords are stored as argon2id hashes; a password change logs the user out everywhere (refresh
tokens issued before it are refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from shared.decoding import check_text
from shared.errors import Conflict, InvalidInput, NotFound
from shared.models import ROLES, users

USERNAME_RE: Final = re.compile(r"[A-Za-z0-9._@-]{1,64}")
MIN_PASSWORD_CHARS: Final = 12
MAX_PASSWORD_CHARS: Final = 1024
MIN_DISTINCT_CHARS: Final = 5
# The handful people type first; longer lists belong to a breach-corpus check at the edge.
_COMMON_PASSWORDS: Final = frozenset(
    """
    password1234 password12345 passwordpassword 123456789012 1234567890123 qwertyuiopas
    qwerty123456 administrator administrador alumusic1234 alumusicadmin changeme1234 letmein12345
    senha1234567 senhasenha12
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Parameters of RFC 9106's low-memory profile (argon2-cffi's default): ~50 ms per hash here.
password_hasher: Final = PasswordHasher()


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime
    password_changed_at: datetime


def validate_username(username: str) -> str:
    if not USERNAME_RE.fullmatch(username):
        raise InvalidInput(
            f"username {username!r} is not valid "
            "(1 to 64 characters among letters, digits and . _ @ -)"
        )
    return username


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role {role!r} is not a role; valid values: {', '.join(ROLES)}")
    return role


def validate_password(password: str, *, username: str) -> str:
    """Refuse passwords that are empty, short, repetitive, common or built from the username."""
    check_text(password, field="password")
    if not password.strip():
        raise InvalidInput("password is empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(f"password is too short: at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(f"password is too long: at most {MAX_PASSWORD_CHARS} characters")
    if len(set(password)) < MIN_DISTINCT_CHARS:
        raise InvalidInput(
            f"password is too repetitive: use at least {MIN_DISTINCT_CHARS} different characters"
        )
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS:
        raise InvalidInput("password is one of the most common passwords")
    if username and username.lower() in lowered:
        raise InvalidInput("password must not contain the username")
    return password


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return password_hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _user(row: sa.RowMapping) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        role=row["role"],
        active=row["active"],
        created_at=row["created_at"],
        password_changed_at=row["password_changed_at"],
    )


def create_user(engine: Engine, username: str, password: str, role: str) -> User:
    """A new user; Conflict when the username is taken. Inputs are validated first."""
    validate_username(username)
    validate_role(role)
    validate_password(password, username=username)
    statement = (
        sa.insert(users)
        .values(username=username, password_hash=hash_password(password), role=role)
        .returning(*users.c)
    )
    try:
        with engine.begin() as conn:
            row = conn.execute(statement).mappings().one()
    except IntegrityError:
        raise Conflict(f"user {username!r} already exists") from None
    return _user(row)


def set_password(engine: Engine, username: str, password: str) -> None:
    validate_password(password, username=username)
    statement = (
        sa.update(users)
        .where(users.c.username == username)
        .values(password_hash=hash_password(password), password_changed_at=sa.func.now())
    )
    with engine.begin() as conn:
        if conn.execute(statement).rowcount == 0:
            raise NotFound(f"no user {username!r}")


def set_active(engine: Engine, username: str, active: bool) -> None:
    statement = sa.update(users).where(users.c.username == username).values(active=active)
    with engine.begin() as conn:
        if conn.execute(statement).rowcount == 0:
            raise NotFound(f"no user {username!r}")


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.username)).mappings()
        return [_user(row) for row in rows]


def find_user(conn: Connection, username: str) -> tuple[User, str] | None:
    """The user and its password hash, or None."""
    row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        return None
    return _user(row), row["password_hash"]
