"""Password rules and hashing."""

from __future__ import annotations

import pytest

from shared.errors import InvalidInput
from shared.users import hash_password, validate_password, validate_username, verify_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "empty"),
        ("            ", "empty"),
        ("short-1", "too short"),
        ("aaaaaaaaaaaaaaaa", "too repetitive"),
        ("abababababab", "too repetitive"),
        ("Password1234", "most common"),
        ("my-name-is-maria!", "must not contain the username"),
        ("x" * 1025, "too long"),
        ("with\x00nul-char", "NUL"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    with pytest.raises(InvalidInput, match=reason):
        validate_password(password, username="maria")


def test_strong_password_is_accepted():
    assert validate_password("correct horse battery staple", username="maria")


def test_hash_is_argon2id_and_verifies_only_the_same_password():
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "correct horse battery stapl")
    assert not verify_password("not a hash", "anything")


@pytest.mark.parametrize("username", ["", "a b", "x" * 65, "ana;drop", "ção"])
def test_bad_usernames_are_refused(username):
    with pytest.raises(InvalidInput):
        validate_username(username)
