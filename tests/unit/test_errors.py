"""Domain errors carry the code and status their declaration states, else their parent's."""

from __future__ import annotations

from shared.comments.store import IdConflict
from shared.errors import Conflict, DomainError, NotFound, PoisonMessage
from shared.schedule import UnreadableTick


def test_an_error_carries_the_code_and_status_it_declares() -> None:
    # Given an error declared with a code and a status
    error = NotFound("no such comment")
    # Then both reach every instance, beside the message
    assert (error.code, error.status, error.message) == ("not_found", 404, "no such comment")


def test_an_error_that_states_only_a_code_keeps_its_parents_status() -> None:
    # Given errors that declare a code of their own and no status
    # Then each answers with its parent's status, and the base keeps its own code
    assert (IdConflict.code, IdConflict.status) == ("id_conflict", Conflict.status)
    assert (UnreadableTick.code, UnreadableTick.status) == ("unreadable_tick", PoisonMessage.status)
    assert (DomainError.code, DomainError.status) == ("error", 400)
