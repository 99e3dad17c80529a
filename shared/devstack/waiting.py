"""Waiting for something to become true, with tenacity (a deadline and a polling interval)."""

from __future__ import annotations

from collections.abc import Callable

from tenacity import Retrying, retry_if_result, stop_after_delay, wait_fixed


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    """Poll `predicate` until it returns True (-> True) or `timeout` seconds pass (-> False).

    An exception from the predicate counts as "not yet" (a server still starting refuses).
    """

    def attempt() -> bool:
        try:
            return predicate() is True
        except Exception:
            return False

    retrying = Retrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(interval),
        retry=retry_if_result(lambda ok: not ok),
        retry_error_callback=lambda _state: False,
    )
    return bool(retrying(attempt))
