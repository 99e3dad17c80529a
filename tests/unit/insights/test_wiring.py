"""The insights settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.config import Settings


def test_product_timezone_must_be_a_real_zone():
    with pytest.raises(ValidationError, match="PRODUCT_TIMEZONE"):
        Settings(product_timezone="Mars/Olympus")
    assert Settings().product_timezone == "America/Sao_Paulo"
