"""Subcommands of the `alumusic` CLI, one module per area, each exposing `register(subparsers)`."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.errors import InvalidInput


def instant_option(raw: str, option: str, example: str = "2026-11-30T14:00:00-03:00") -> datetime:
    """The instant an option names (ISO 8601 with an offset, `Z` included), in UTC; InvalidInput
    naming the option otherwise."""
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{option} {raw!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{option} {raw!r} needs an offset, e.g. {example}")
    return moment.astimezone(UTC)
