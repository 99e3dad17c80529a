"""Waiting for something to become true, with tenacity (a deadline and a polling interval)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from tenacity import Retrying, retry_if_result, stop_after_delay, wait_fixed

log = logging.getLogger(__name__)


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    """Poll `predicate` until it returns True (-> True) or `timeout` seconds pass (-> False).

    An exception from the predicate counts as "not yet" (a server still starting refuses); the
    last one is logged when the deadline passes, so a broken check does not look like a slow one.
    """
    last_error: list[BaseException] = []

    def attempt() -> bool:
        try:
            return predicate() is True
        except Exception as error:
            last_error[:] = [error]
            return False

    def on_deadline(_state: object) -> bool:
        if last_error:
            log.warning("gave up waiting after %.1f s; last error: %r", timeout, last_error[0])
        return False

    retrying = Retrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(interval),
        retry=retry_if_result(lambda ok: not ok),
        retry_error_callback=on_deadline,
    )
    return bool(retrying(attempt))
