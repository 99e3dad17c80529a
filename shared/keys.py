"""Token signing keys: asymmetric, named by a key id (`kid`), kept as small JSON key sets.

Only the function that issues tokens (classify-api: login and refresh) holds private keys
(`JWT_PRIVATE_KEYS`); every function that checks tokens holds public keys only
(`JWT_PUBLIC_KEYS`), so a verifier that leaks its settings cannot mint a token.

Formats (both are JSON, one line, so they fit an environment variable or a Secret Manager entry):
- private: `{"<kid>": "<PEM private key>", ...}`; the last entry signs new tokens.
- public: `{"<kid>": "<PEM public key>", ...}`, or a JWKS (`{"keys": [{"kid": ..., "kty": ...}]}`).

Keys are Ed25519 (JWT algorithm EdDSA) as generated here; RSA keys (RS256) are accepted too. The
algorithm a token is checked with comes from the key its `kid` names, never from the token, so
`alg: none` and an HMAC token "signed" with a public key are refused.

Rotation keeps two keys valid at once: a new key pair signs new tokens while the previous public
key still verifies the tokens already out there (see `rotate`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt import PyJWK

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey


class KeySetError(ValueError):
    """A key set that cannot be read; the message says which entry and why."""


class _KeyAlgorithm:
    """What a key gives the JWT library besides itself: its algorithm (EdDSA, or RS256 for RSA)."""

    __slots__ = ()
    key: PrivateKey | PublicKey

    @property
    def algorithm(self) -> str:
        ed25519_key = isinstance(self.key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey)
        return "EdDSA" if ed25519_key else "RS256"


@dataclass(frozen=True, slots=True)
class SigningKey(_KeyAlgorithm):
    kid: str
    key: PrivateKey


@dataclass(frozen=True, slots=True)
class VerifyingKey(_KeyAlgorithm):
    kid: str
    key: PublicKey


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise KeySetError(f"{what} is not JSON: {error}") from None
    if not isinstance(document, dict) or not document:
        raise KeySetError(f"{what} must be a non-empty JSON object")
    return document


def _check_kid(kid: object, what: str) -> str:
    if not isinstance(kid, str) or not kid or len(kid) > 64:
        raise KeySetError(f"{what}: a key id must be a string of 1 to 64 characters")
    return kid


def load_private_keys(text: str) -> list[SigningKey]:
    """Private keys from `JWT_PRIVATE_KEYS`; the last one signs."""
    keys: list[SigningKey] = []
    for kid, pem in _json_object(text, "JWT_PRIVATE_KEYS").items():
        _check_kid(kid, "JWT_PRIVATE_KEYS")
        if not isinstance(pem, str):
            raise KeySetError(f"JWT_PRIVATE_KEYS[{kid!r}] must be a PEM string")
        try:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise KeySetError(
                f"JWT_PRIVATE_KEYS[{kid!r}] is not a PEM private key: {error}"
            ) from None
        if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
            raise KeySetError(f"JWT_PRIVATE_KEYS[{kid!r}] must be an Ed25519 or RSA key")
        if isinstance(key, rsa.RSAPrivateKey) and key.key_size < 2048:
            raise KeySetError(f"JWT_PRIVATE_KEYS[{kid!r}]: RSA keys need 2048 bits or more")
        keys.append(SigningKey(kid, key))
    return keys


def load_public_keys(text: str) -> dict[str, VerifyingKey]:
    """Public keys from `JWT_PUBLIC_KEYS` (kid -> PEM, or a JWKS), by kid."""
    document = _json_object(text, "JWT_PUBLIC_KEYS")
    keys: dict[str, VerifyingKey] = {}
    if isinstance(document.get("keys"), list):
        for entry in document["keys"]:
            kid = _check_kid(entry.get("kid") if isinstance(entry, dict) else None, "JWKS")
            try:
                key = PyJWK(entry).key
            except Exception as error:
                raise KeySetError(f"JWKS key {kid!r} is not usable: {error}") from None
            keys[kid] = _verifying(kid, key)
        return keys
    for kid, pem in document.items():
        _check_kid(kid, "JWT_PUBLIC_KEYS")
        if not isinstance(pem, str):
            raise KeySetError(f"JWT_PUBLIC_KEYS[{kid!r}] must be a PEM string")
        try:
            key = serialization.load_pem_public_key(pem.encode())
        except (ValueError, TypeError) as error:
            raise KeySetError(
                f"JWT_PUBLIC_KEYS[{kid!r}] is not a PEM public key: {error}"
            ) from None
        keys[kid] = _verifying(kid, key)
    return keys


def _verifying(kid: str, key: object) -> VerifyingKey:
    if not isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey):
        raise KeySetError(f"public key {kid!r} must be an Ed25519 or RSA public key")
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < 2048:
        raise KeySetError(f"public key {kid!r}: RSA keys need 2048 bits or more")
    return VerifyingKey(kid, key)


# --- making keys (tools: `make dev`, `alumusic keys`) --------------------------------------------


def new_kid(now: datetime | None = None) -> str:
    """A key id that says when the key was made and cannot collide with another one."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def private_pem(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key: PrivateKey | PublicKey) -> str:
    public = (
        key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey) else key
    )
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True, slots=True)
class KeySets:
    """The two settings' values: what the issuer holds and what every verifier holds."""

    private: dict[str, str]
    public: dict[str, str]

    @property
    def private_json(self) -> str:
        return json.dumps(self.private)

    @property
    def public_json(self) -> str:
        return json.dumps(self.public)

    @property
    def signing_kid(self) -> str:
        return next(reversed(self.private))


def generate(now: datetime | None = None) -> KeySets:
    """A first Ed25519 key pair."""
    kid = new_kid(now)
    key = ed25519.Ed25519PrivateKey.generate()
    return KeySets(private={kid: private_pem(key)}, public={kid: public_pem(key)})


def rotate(current: KeySets, now: datetime | None = None) -> KeySets:
    """A new key pair signs from now on; the previous public key stays valid so tokens already
    issued keep working until they expire. Older public keys are dropped: by the time a second
    rotation happens (at least a refresh-token lifetime later) nothing they signed is still valid.
    """
    kid = new_kid(now)
    while kid in current.public:
        kid = new_kid(now)
    key = ed25519.Ed25519PrivateKey.generate()
    previous = current.signing_kid
    previous_public = current.public.get(previous) or public_pem(
        load_private_keys(current.private_json)[-1].key
    )
    public = {previous: previous_public, kid: public_pem(key)}
    return KeySets(private={kid: private_pem(key)}, public=public)


def key_sets_from(private_text: str, public_text: str) -> KeySets:
    """Key sets read back from the two settings' JSON values (checked)."""
    load_private_keys(private_text)
    load_public_keys(public_text)
    private = _json_object(private_text, "JWT_PRIVATE_KEYS")
    public = _json_object(public_text, "JWT_PUBLIC_KEYS")
    return KeySets(private={str(k): str(v) for k, v in private.items()}, public=_pem_map(public))


def _pem_map(public: Mapping[str, Any]) -> dict[str, str]:
    if isinstance(public.get("keys"), list):
        return {kid: public_pem(v.key) for kid, v in load_public_keys(json.dumps(public)).items()}
    return {str(k): str(v) for k, v in public.items()}
