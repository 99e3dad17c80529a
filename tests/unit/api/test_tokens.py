"""Tokens: asymmetric keys named by kid, the algorithm of the key (never the token's), expiry,
typ; the user's current state from a cache with a bounded lifetime; anything forged, expired or
misused is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared import keys
from shared.auth import (
    ADMIN_ONLY,
    ANY_ROLE,
    Principal,
    UserStatus,
    UserStatusCache,
    authenticate,
    decode_token,
    issue_token,
    parse_credentials,
    parse_refresh,
    require_role,
    token_response,
)
from shared.config import Settings, load_settings
from shared.errors import Forbidden, InvalidInput, Unauthorized

KEYS = keys.generate()
OTHER_KEYS = keys.generate()


def issuer_settings(key_sets: keys.KeySets = KEYS, **values: object) -> Settings:
    """Every group, as the issuing function (classify-api) holds them."""
    return Settings(
        environment="test",
        jwt_private_keys=key_sets.private_json,
        jwt_public_keys=key_sets.public_json,
        cursor_secret="c" * 40,
        jwt_access_ttl_seconds=60,
        **values,  # type: ignore[arg-type]
    )


def verifier_settings(key_sets: keys.KeySets = KEYS) -> Settings:
    """Only the groups a verifying function declares: public keys, no private key at all."""
    return load_settings(
        ("database", "auth", "limits"),
        environment="test",
        jwt_public_keys=key_sets.public_json,
        cursor_secret="c" * 40,
    )


@dataclass
class Directory:
    """The users table as the status cache sees it, with a count of lookups."""

    users: dict[str, UserStatus]
    lookups: int = 0

    def load(self, username: str) -> UserStatus | None:
        self.lookups += 1
        return self.users.get(username)


def statuses(**roles: str) -> UserStatusCache:
    directory = Directory({name: UserStatus(True, role, 0) for name, role in roles.items()})
    return UserStatusCache(ttl_seconds=0, load=directory.load)


@pytest.fixture
def settings() -> Settings:
    return issuer_settings()


@pytest.fixture
def users() -> UserStatusCache:
    return statuses(ana="analyst", root="admin")


def claims_of(**overrides: object) -> dict[str, object]:
    now = int(datetime.now(UTC).timestamp())
    return {
        "iss": "alumusic",
        "sub": "ana",
        "role": "admin",
        "typ": "access",
        "iat": now,
        "exp": now + 60,
        **overrides,
    }


def test_access_token_names_the_caller(settings, users):
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    assert authenticate(settings, f"Bearer {token}", users) == Principal("ana", "analyst")


def test_token_header_names_the_signing_key_and_eddsa(settings):
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    header = jwt.get_unverified_header(token)
    assert header["kid"] == KEYS.signing_kid
    assert header["alg"] == "EdDSA"


def test_token_from_the_issuer_verifies_where_only_public_keys_are(settings, users):
    # Given a verifier whose settings hold the public keys only
    verifier = verifier_settings()
    with pytest.raises(AttributeError):
        _ = verifier.jwt_private_keys
    # When the issuer's token reaches it
    token = issue_token(settings, username="root", role="admin", typ="access")
    # Then it is accepted
    assert authenticate(verifier, f"Bearer {token}", users) == Principal("root", "admin")


def test_login_and_refresh_response_shape(settings):
    # Given a refresh token issued under a known id
    refresh = issue_token(settings, username="ana", role="admin", typ="refresh", jti="j1")
    # When the response carrying it is built
    body = token_response(settings, username="ana", role="admin", refresh=refresh)
    # Then it has the earlier system's fields, a fresh access token and that refresh token
    assert set(body) == {"access", "refresh", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 60
    assert body["refresh"] == refresh
    assert decode_token(settings, body["access"], typ="access")["sub"] == "ana"
    assert decode_token(settings, body["refresh"], typ="refresh")["jti"] == "j1"


def test_every_token_gets_its_own_id_unless_one_is_given(settings):
    ids = {
        decode_token(
            settings,
            issue_token(settings, username="ana", role="admin", typ="refresh"),
            typ="refresh",
        )["jti"]
        for _ in range(3)
    }
    assert len(ids) == 3


def test_expired_token_is_refused_as_expired(settings, users):
    past = datetime.now(UTC) - timedelta(seconds=61 + 5)
    token = issue_token(settings, username="ana", role="analyst", typ="access", now=past)
    with pytest.raises(Unauthorized, match="expired"):
        authenticate(settings, f"Bearer {token}", users)


def test_token_within_its_lifetime_is_accepted(settings, users):
    recent = datetime.now(UTC) - timedelta(seconds=50)
    token = issue_token(settings, username="ana", role="analyst", typ="access", now=recent)
    assert authenticate(settings, f"Bearer {token}", users).username == "ana"


def test_token_signed_with_another_key_under_a_known_kid_is_refused(settings, users):
    # Given a key pair of someone else's, naming our kid in the header
    (other_private,) = keys.load_private_keys(OTHER_KEYS.private_json)
    token = jwt.encode(
        claims_of(), other_private.key, algorithm="EdDSA", headers={"kid": KEYS.signing_kid}
    )
    with pytest.raises(Unauthorized, match="not valid"):
        authenticate(settings, f"Bearer {token}", users)


def test_token_with_an_unknown_kid_is_refused(settings, users):
    token = issue_token(issuer_settings(OTHER_KEYS), username="ana", role="admin", typ="access")
    with pytest.raises(Unauthorized, match="unknown key"):
        authenticate(settings, f"Bearer {token}", users)


def test_token_without_a_kid_is_refused(settings, users):
    (private,) = keys.load_private_keys(KEYS.private_json)
    token = jwt.encode(claims_of(), private.key, algorithm="EdDSA")
    with pytest.raises(Unauthorized, match="unknown key"):
        authenticate(settings, f"Bearer {token}", users)


def _b64(document: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def test_unsigned_token_is_refused(settings, users):
    # Given a token with algorithm "none" (no signature at all) naming a valid kid
    header = {"alg": "none", "typ": "JWT", "kid": KEYS.signing_kid}
    unsigned = f"{_b64(header)}.{_b64(claims_of())}."
    # Then it is refused
    with pytest.raises(Unauthorized, match="not valid"):
        authenticate(settings, f"Bearer {unsigned}", users)


def test_hmac_token_keyed_with_the_public_key_is_refused(settings, users):
    # Given the classic confusion attack: HS256 "signed" with the (public) verifying key's PEM
    public_pem = KEYS.public[KEYS.signing_kid].encode()
    header = {"alg": "HS256", "typ": "JWT", "kid": KEYS.signing_kid}
    signing_input = f"{_b64(header)}.{_b64(claims_of())}".encode()
    signature = base64.urlsafe_b64encode(
        hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    ).rstrip(b"=")
    forged = f"{signing_input.decode()}.{signature.decode()}"
    # Then it is refused: the key's algorithm (EdDSA) is the only one accepted
    with pytest.raises(Unauthorized, match="not valid"):
        authenticate(settings, f"Bearer {forged}", users)


def test_rsa_keys_sign_rs256_and_verify(users):
    # Given an RSA key set (RS256 is accepted besides the EdDSA keys the tools make)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_keys = keys.KeySets(
        private={"rsa-1": keys.private_pem(key)}, public={"rsa-1": keys.public_pem(key)}
    )
    settings = issuer_settings(rsa_keys)
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    assert authenticate(settings, f"Bearer {token}", users).username == "ana"


def test_public_keys_as_a_jwks_verify(settings, users):
    # Given the verifier's public keys written as a JWKS instead of kid -> PEM
    (public,) = keys.load_public_keys(KEYS.public_json).values()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(public.key))
    jwks = json.dumps({"keys": [{**jwk, "kid": public.kid}]})
    verifier = load_settings(
        ("auth",), environment="test", jwt_public_keys=jwks, cursor_secret="c" * 40
    )
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    assert authenticate(verifier, f"Bearer {token}", users).username == "ana"


def test_rotation_keeps_old_tokens_valid_and_signs_new_ones_with_the_new_kid(users):
    # Given a token issued before a rotation
    before = issuer_settings(KEYS)
    old_token = issue_token(before, username="ana", role="analyst", typ="access")
    # When the keys are rotated
    rotated = keys.rotate(KEYS)
    after = issuer_settings(rotated)
    new_token = issue_token(after, username="ana", role="analyst", typ="access")
    # Then a verifier with the new public keys accepts both, and new tokens carry the new kid
    verifier = verifier_settings(rotated)
    assert authenticate(verifier, f"Bearer {old_token}", users).username == "ana"
    assert authenticate(verifier, f"Bearer {new_token}", users).username == "ana"
    assert jwt.get_unverified_header(new_token)["kid"] == rotated.signing_kid != KEYS.signing_kid
    assert set(rotated.public) == {KEYS.signing_kid, rotated.signing_kid}
    assert list(rotated.private) == [rotated.signing_kid]
    # And a second rotation drops the first key: at most two are valid at once
    twice = keys.rotate(rotated)
    assert set(twice.public) == {rotated.signing_kid, twice.signing_kid}
    with pytest.raises(Unauthorized, match="unknown key"):
        authenticate(verifier_settings(twice), f"Bearer {old_token}", users)


def test_refresh_token_is_not_an_access_token_and_back(settings, users):
    refresh = issue_token(settings, username="ana", role="analyst", typ="refresh")
    with pytest.raises(Unauthorized, match="a refresh token is not a access token"):
        authenticate(settings, f"Bearer {refresh}", users)
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
    (private,) = keys.load_private_keys(KEYS.private_json)
    token = jwt.encode(claims, private.key, algorithm="EdDSA", headers={"kid": private.kid})
    with pytest.raises(Unauthorized):
        decode_token(settings, token, typ="access")


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Token abc", "Bearer not.a.jwt"],
)
def test_missing_or_malformed_authorization_is_refused(settings, users, header):
    with pytest.raises(Unauthorized):
        authenticate(settings, header, users)


# --- the user's current state ----------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_disabled_user_is_refused_once_the_cache_entry_is_older_than_its_ttl(settings):
    # Given an active user whose status an instance caches for 30 s
    directory = Directory({"ana": UserStatus(True, "analyst", 0)})
    clock = Clock()
    cache = UserStatusCache(ttl_seconds=30, load=directory.load, clock=clock)
    token = issue_token(settings, username="ana", role="analyst", typ="access")
    assert authenticate(settings, f"Bearer {token}", cache).username == "ana"
    # When an admin disables her
    directory.users["ana"] = UserStatus(False, "analyst", 0)
    # Then within the TTL the instance may still remember her as active, without asking again
    clock.now += 29.9
    assert authenticate(settings, f"Bearer {token}", cache).username == "ana"
    assert directory.lookups == 1
    # And at 30 s her token is refused, long before it expires
    clock.now += 0.1
    with pytest.raises(Unauthorized, match="disabled"):
        authenticate(settings, f"Bearer {token}", cache)


def test_a_demoted_admin_is_an_analyst_after_the_ttl():
    settings = issuer_settings()
    directory = Directory({"root": UserStatus(True, "admin", 0)})
    clock = Clock()
    cache = UserStatusCache(ttl_seconds=10, load=directory.load, clock=clock)
    token = issue_token(settings, username="root", role="admin", typ="access")
    assert authenticate(settings, f"Bearer {token}", cache).role == "admin"
    directory.users["root"] = UserStatus(True, "analyst", 0)
    clock.now += 10
    principal = authenticate(settings, f"Bearer {token}", cache)
    with pytest.raises(Forbidden):
        require_role(principal, ADMIN_ONLY)


def test_an_unknown_user_is_refused(settings):
    token = issue_token(settings, username="ghost", role="admin", typ="access")
    with pytest.raises(Unauthorized, match="no longer exists"):
        authenticate(settings, f"Bearer {token}", statuses(ana="analyst"))


def test_a_token_issued_before_a_password_change_is_refused(settings):
    issued = datetime.now(UTC) - timedelta(seconds=20)
    token = issue_token(settings, username="ana", role="analyst", typ="access", now=issued)
    changed = int(issued.timestamp()) + 10
    cache = UserStatusCache(ttl_seconds=0, load=lambda _name: UserStatus(True, "analyst", changed))
    with pytest.raises(Unauthorized, match="password change"):
        authenticate(settings, f"Bearer {token}", cache)


def test_the_status_cache_is_bounded_in_size():
    directory = Directory({f"u{i}": UserStatus(True, "analyst", 0) for i in range(5)})
    cache = UserStatusCache(ttl_seconds=30, load=directory.load, clock=Clock(), max_entries=3)
    for i in range(5):
        cache.get(f"u{i}")
    assert len(cache._entries) <= 3


def test_the_cache_ttl_setting_cannot_exceed_30_seconds():
    with pytest.raises(ValueError, match="less than or equal to 30"):
        load_settings(("auth",), environment="development", user_status_cache_seconds=31)


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
