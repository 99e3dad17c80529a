"""The consumer waits, within a bound, for a database that went away, and for nothing else."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from shared import consumer
from shared.db import is_unavailable


class Flaky:
    """A store that fails with `errors` in turn, then returns 7."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return 7


def _server_error(code: str) -> ProgrammingError:
    # The driver's own exception class for that SQLSTATE, as psycopg raises it.
    return ProgrammingError("INSERT", {}, psycopg.errors.lookup(code)("server says no"))


def _refused() -> OperationalError:
    return OperationalError("connect", {}, Exception("connection refused"))


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(consumer, "DATABASE_RETRY_INTERVAL_SECONDS", 0.01)


def test_a_store_during_a_restart_is_tried_again_until_the_database_answers() -> None:
    # Given a database that refuses twice, then reports it is shutting down, then answers
    store = Flaky(_refused(), _refused(), _server_error("57P01"))
    # When the consumer stores through it
    stored = consumer._while_database_returns(store, wait_seconds=30, request_id="r")
    # Then the fourth try's result is returned
    assert (stored, store.calls) == (7, 4)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate")),
        _server_error("42P01"),
        RuntimeError("classifier broke"),
    ],
)
def test_other_errors_fail_the_delivery_at_once(error: Exception) -> None:
    store = Flaky(error)
    with pytest.raises(type(error)):
        consumer._while_database_returns(store, wait_seconds=30, request_id="r")
    assert store.calls == 1


def test_the_wait_is_bounded() -> None:
    # Given a database that never comes back, and no time to wait
    store = Flaky(*[_refused() for _ in range(1000)])
    # Then the error propagates after the first try (the delivery fails, Pub/Sub redelivers)
    with pytest.raises(OperationalError):
        consumer._while_database_returns(store, wait_seconds=0, request_id="r")
    assert store.calls == 1


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (_refused(), True),
        (_server_error("57P03"), True),  # the database system is starting up
        (_server_error("08006"), True),  # connection failure
        (_server_error("42601"), False),  # syntax error
        (ValueError("not a database error"), False),
    ],
)
def test_what_counts_as_the_database_being_away(error: Exception, unavailable: bool) -> None:
    assert is_unavailable(error) is unavailable
