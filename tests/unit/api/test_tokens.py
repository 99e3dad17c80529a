"""Tokens: explicit algorithm, expiry, typ; anything forged, expired or misused is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.auth import (
    ADMIN_ONLY,
    ANY_ROLE,
    Principal,
    authenticate,
    decode_token,
    issue_token,
    parse_credentials,
    parse_refresh,
    require_role,
    token_response,
)
from shared.config import Settings
from shared.errors import Forbidden, InvalidInput, Unauthorized

SECRET = "unit-test-secret-0123456789-abcdefghijklmnop"


@pytest.fixture
def settings() -> Settings:
    return Settings(environment="test", jwt_secret=SECRET, jwt_access_ttl_seconds=60)


def test_access_token_names_the_caller(settings):
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    assert authenticate(settings, f"Bearer {token}") == Principal("ana", "analyst")


def test_login_response_shape(settings):
    body = token_response(settings, username="ana", role="admin")
    assert set(body) == {"access", "refresh", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 60
    assert decode_token(settings, body["refresh"], typ="refresh")["sub"] == "ana"


def test_expired_token_is_refused_as_expired(settings):
    past = datetime.now(UTC) - timedelta(seconds=61 + 5)
    token = issue_token(settings, username="ana", role="analyst", typ="access", now=past)
    with pytest.raises(Unauthorized, match="expired"):
        authenticate(settings, f"Bearer {token}")


def test_token_within_its_lifetime_is_accepted(settings):
    recent = datetime.now(UTC) - timedelta(seconds=50)
    token = issue_token(settings, username="ana", role="analyst", typ="access", now=recent)
    assert authenticate(settings, f"Bearer {token}").username == "ana"


def test_token_signed_with_another_key_is_refused(settings):
    other = Settings(environment="test", jwt_secret="another-secret-0123456789-abcdefghijklmnop")
    token = issue_token(other, username="ana", role="admin", typ="access")
    with pytest.raises(Unauthorized, match="not valid"):
        authenticate(settings, f"Bearer {token}")


def test_unsigned_token_is_refused(settings):
    # Given a token with algorithm "none" (no signature at all)
    claims = jwt.decode(
        issue_token(settings, username="ana", role="admin", typ="access"),
        options={"verify_signature": False},
    )
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(
        b"="
    )
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    unsigned = f"{header.decode()}.{body.decode()}."
    # Then it is refused
    with pytest.raises(Unauthorized):
        authenticate(settings, f"Bearer {unsigned}")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_algorithm_comes_from_settings_not_from_the_token(settings):
    # Same key, other HMAC algorithm: still refused, the server only accepts its own.
    claims = {
        "iss": "alumusic",
        "sub": "ana",
        "role": "admin",
        "typ": "access",
        "iat": int(datetime.now(UTC).timestamp()),
        "exp": int(datetime.now(UTC).timestamp()) + 60,
    }
    token = jwt.encode(claims, SECRET, algorithm="HS512")
    with pytest.raises(Unauthorized):
        authenticate(settings, f"Bearer {token}")


def test_refresh_token_is_not_an_access_token_and_back(settings):
    refresh = issue_token(settings, username="ana", role="analyst", typ="refresh")
    with pytest.raises(Unauthorized, match="a refresh token is not a access token"):
        authenticate(settings, f"Bearer {refresh}")
    access = issue_token(settings, username="ana", role="analyst", typ="access")
    with pytest.raises(Unauthorized, match="not a refresh token"):
        decode_token(settings, access, typ="refresh")


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "alumusic", "sub": "ana", "role": "admin", "typ": "access"},  # no exp / iat
        {
            "iss": "elsewhere",
            "sub": "ana",
            "role": "admin",
            "typ": "access",
            "iat": 0,
            "exp": 2**40,
        },
        {"iss": "alumusic", "sub": "ana", "role": "root", "typ": "access", "iat": 0, "exp": 2**40},
        {"iss": "alumusic", "sub": 7, "role": "admin", "typ": "access", "iat": 0, "exp": 2**40},
        {"iss": "alumusic", "sub": "ana", "role": "admin", "iat": 0, "exp": 2**40},  # no typ
    ],
)
def test_tokens_missing_or_bending_claims_are_refused(settings, claims):
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        decode_token(settings, token, typ="access")


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Token abc", "Bearer not.a.jwt"],
)
def test_missing_or_malformed_authorization_is_refused(settings, header):
    with pytest.raises(Unauthorized):
        authenticate(settings, header)


def test_roles():
    require_role(Principal("ana", "analyst"), ANY_ROLE)
    require_role(Principal("root", "admin"), ADMIN_ONLY)
    with pytest.raises(Forbidden, match="role 'analyst' may not do this; needs admin"):
        require_role(Principal("ana", "analyst"), ADMIN_ONLY)


def test_credentials_are_validated():
    assert parse_credentials(b'{"username": "ana", "password": "x"}').username == "ana"
    for body in (
        b'{"username": "ana"}',
        b'{"username": "", "password": "x"}',
        b'{"username": 1, "password": "x"}',
        b'{"username": "ana", "password": "a\\u0000b"}',
        b'["ana", "x"]',
        b"not json",
    ):
        with pytest.raises(InvalidInput):
            parse_credentials(body)
    with pytest.raises(InvalidInput, match="longer than 1024"):
        parse_credentials(json.dumps({"username": "ana", "password": "x" * 1025}).encode())


def test_refresh_body_is_validated():
    assert parse_refresh(b'{"refresh": "abc"}') == "abc"
    for body in (b"{}", b'{"refresh": ""}', b'{"refresh": 5}'):
        with pytest.raises(InvalidInput):
            parse_refresh(body)
