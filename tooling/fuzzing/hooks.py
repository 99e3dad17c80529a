"""Schemathesis hooks for `alumusic fuzz` (loaded through SCHEMATHESIS_HOOKS).

Two documented leniencies of the query string make some schema-violating values valid input:
- a blank value is the same as leaving the parameter out (an HTML form sends `categoria=` for
  "any category"), so the request is answered unfiltered;
- a boolean filter also takes 1/0, yes/no, sim/nao/não in any case (`needs_review`).
A "schema-violating request accepted" finding whose only invalid query values are of these kinds
is dropped; every other finding stands.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any, Final

import schemathesis

from shared.errors import InvalidInput
from shared.validation import parse_list_query

_INVALID_QUERY_PARAMETER: Final = re.compile(r"parameter `([^`]+)` in query")
NEGATIVE_DATA_ACCEPTED: Final = "ST201"
BOOLEAN_QUERY_PARAMETERS: Final = frozenset({"needs_review"})


def _documented_leniency(name: str, value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        return False
    if all(not v.strip() for v in values):
        return True
    if name in BOOLEAN_QUERY_PARAMETERS and len(values) == 1:
        try:
            parse_list_query({name: values}, max_page_size=1, zone=UTC)
        except InvalidInput:
            return False
        return True
    return False


def accepted_by_documented_leniency(failure: Any, query: Any) -> bool:
    """Whether `failure` is "schema-violating request accepted" only for lenient query values."""
    if getattr(failure, "code", None) != NEGATIVE_DATA_ACCEPTED or not isinstance(query, dict):
        return False
    named = _INVALID_QUERY_PARAMETER.findall(str(getattr(failure, "message", "")))
    if not named:
        return False
    return all(name in query and _documented_leniency(name, query[name]) for name in named)


@schemathesis.hook
def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
    return not accepted_by_documented_leniency(failure, getattr(case, "query", None))
