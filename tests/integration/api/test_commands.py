"""`alumusic user ...` and `alumusic db ...` against the test database."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest

from shared.cli import main
from shared.config import get_settings
from shared.db import head_revision
from shared.users import list_users, verify_password
from tests.integration.api.conftest import table_snapshot

pytestmark = pytest.mark.integration

STRONG = "uma frase longa e forte 2024"


@pytest.fixture
def cli_env(monkeypatch, settings, clean_db) -> Iterator[None]:
    """The CLI reads DATABASE_URL like any process would."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def stdin(monkeypatch, text: str, *, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", stream)


def typed(monkeypatch, *answers: str) -> None:
    """A terminal where the user types `answers` at successive password prompts."""
    stdin(monkeypatch, "", tty=True)
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_create_with_password_on_stdin(cli_env, clean_db, monkeypatch, capsys):
    stdin(monkeypatch, STRONG + "\n")
    assert main(["user", "create", "maria", "--role", "analyst", "--password-stdin"]) == 0
    assert "created user 'maria' with role analyst" in capsys.readouterr().out
    (user,) = list_users(clean_db)
    assert (user.username, user.role, user.active) == ("maria", "analyst", True)
    with clean_db.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert verify_password(stored, STRONG)
    assert STRONG not in stored


def test_create_prompts_twice_at_a_terminal(cli_env, clean_db, monkeypatch):
    typed(monkeypatch, STRONG, STRONG)
    assert main(["user", "create", "root", "--role", "admin"]) == 0
    assert [u.role for u in list_users(clean_db)] == ["admin"]


def test_two_different_passwords_create_nothing(cli_env, clean_db, monkeypatch, capsys):
    typed(monkeypatch, STRONG, STRONG + "!")
    assert main(["user", "create", "root", "--role", "admin"]) == 2
    assert "the two passwords differ" in capsys.readouterr().err
    assert list_users(clean_db) == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "empty"),
        ("curta", "too short"),
        ("aaaaaaaaaaaaaaaa", "repetitive"),
        ("maria-maria-123", "username"),
    ],
)
def test_weak_passwords_are_refused(cli_env, clean_db, monkeypatch, capsys, password, reason):
    stdin(monkeypatch, password + "\n")
    assert main(["user", "create", "maria", "--role", "analyst", "--password-stdin"]) == 2
    assert reason in capsys.readouterr().err
    assert table_snapshot(clean_db, "users") == []


def test_no_terminal_and_no_stdin_flag_is_a_clear_error(cli_env, monkeypatch, capsys):
    stdin(monkeypatch, STRONG + "\n", tty=False)
    assert main(["user", "create", "maria", "--role", "analyst"]) == 2
    assert "use --password-stdin" in capsys.readouterr().err


def test_existing_user_is_an_error_unless_exist_ok(cli_env, clean_db, monkeypatch, capsys):
    stdin(monkeypatch, STRONG + "\n")
    assert main(["user", "create", "maria", "--role", "analyst", "--password-stdin"]) == 0
    before = table_snapshot(clean_db, "users")
    stdin(monkeypatch, "outra senha bem forte 99\n")
    assert main(["user", "create", "maria", "--role", "admin", "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    stdin(monkeypatch, "outra senha bem forte 99\n")
    assert (
        main(["user", "create", "maria", "--role", "admin", "--password-stdin", "--exist-ok"]) == 0
    )
    assert table_snapshot(clean_db, "users") == before


def test_unknown_role_is_refused_by_the_parser(cli_env, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["user", "create", "maria", "--role", "owner", "--password-stdin"])
    assert exited.value.code == 2
    assert "invalid choice: 'owner'" in capsys.readouterr().err


def test_list_set_password_disable_enable(cli_env, clean_db, monkeypatch, capsys):
    for name, role in (("bia", "admin"), ("ana", "analyst")):
        stdin(monkeypatch, STRONG + "\n")
        main(["user", "create", name, "--role", role, "--password-stdin"])
    capsys.readouterr()

    assert main(["user", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["username", "role", "active", "created_at"]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["ana", "analyst", "yes"],
        ["bia", "admin", "yes"],
    ]

    stdin(monkeypatch, "nova senha muito forte 7\n")
    assert main(["user", "set-password", "ana", "--password-stdin"]) == 0
    with clean_db.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT password_hash FROM users WHERE username = 'ana'"
        ).scalar_one()
    assert verify_password(stored, "nova senha muito forte 7")

    assert main(["user", "disable", "ana"]) == 0
    assert [u.active for u in list_users(clean_db) if u.username == "ana"] == [False]
    assert main(["user", "enable", "ana"]) == 0
    assert [u.active for u in list_users(clean_db) if u.username == "ana"] == [True]

    capsys.readouterr()
    assert main(["user", "disable", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def test_db_upgrade_and_current(cli_env, settings, capsys):
    assert main(["db", "upgrade"]) == 0
    assert f"at revision {head_revision()}" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_db_upgrade_of_an_unreachable_server_is_a_clear_error(cli_env, capsys):
    url = "postgresql+psycopg://postgres@127.0.0.1:1/alumusic"
    assert main(["db", "upgrade", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "alumusic: error: cannot use PostgreSQL at postgresql+psycopg://postgres@127.0.0.1:1/alumusic"
    )
    assert "Traceback" not in err
