"""The insights settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.config import Settings, load_settings


def test_llm_answerer_needs_an_endpoint():
    with pytest.raises(ValidationError, match="INSIGHTS_ANSWERER=llm"):
        Settings(insights_answerer="llm")


def test_product_timezone_must_be_a_real_zone():
    with pytest.raises(ValidationError, match="PRODUCT_TIMEZONE"):
        Settings(product_timezone="Mars/Olympus")
    assert Settings().product_timezone == "America/Sao_Paulo"


def test_llm_answerer_without_the_classifier_group_names_the_group_to_declare():
    # Given a function that declares insights but not the group holding the model's endpoint
    with pytest.raises(ValidationError, match="'classifier' settings group"):
        load_settings(["insights"], insights_answerer="llm")
    # And with both groups and an endpoint, the llm answerer is accepted
    settings = load_settings(
        ["classifier", "insights"], insights_answerer="llm", openai_base_url="http://127.0.0.1:9/v1"
    )
    assert settings.insights_answerer == "llm"
