"""Progress bars for long CLI jobs: shown on a terminal, silent when output is piped or logged."""

from __future__ import annotations

import sys
from typing import Any


def progress_bar(
    *, total: int | None = None, unit: str, desc: str | None = None, enabled: bool | None = None
) -> Any:
    """A tqdm bar on stderr; `enabled` defaults to "stderr is a terminal". A disabled bar is a no-op."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, unit=unit, desc=desc, disable=not show, file=sys.stderr)
