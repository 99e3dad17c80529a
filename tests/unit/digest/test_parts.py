"""The digest's parts of the composition root and its settings."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from shared.bootstrap import App
from shared.config import Settings
from shared.mail import MailNotConfigured, SendGridMailer
from tests.support.db_fixtures import key_settings


def test_the_mailer_is_the_real_sendgrid_client_pointed_at_the_configured_host() -> None:
    settings = Settings(sendgrid_api_host="http://127.0.0.1:9/", sendgrid_timeout_seconds=3)
    mailer = App(settings=settings).mailer
    assert isinstance(mailer, SendGridMailer)
    assert mailer._client.client.host == "http://127.0.0.1:9"
    assert mailer._client.client.timeout == 3


def test_without_a_key_only_a_loopback_sink_is_used() -> None:
    with pytest.raises(MailNotConfigured, match="SENDGRID_API_KEY is unset"):
        SendGridMailer.from_settings(Settings())
    assert SendGridMailer.from_settings(Settings(sendgrid_api_host="http://127.0.0.1:8025"))


def test_production_refuses_to_mail_without_a_key() -> None:
    settings = Settings(
        environment="production",
        **key_settings(),
        cursor_secret=SecretStr("x" * 40),
        sendgrid_api_key=None,
    )
    with pytest.raises(MailNotConfigured, match="SENDGRID_API_KEY"):
        SendGridMailer.from_settings(settings)


def test_every_taxonomy_tag_has_portuguese_words_for_the_digest():
    # Given the taxonomy the classifier tags with
    from shared.classifier.tags import default_taxonomy
    from shared.digest.vocabulary import TAG_WORDS, tag_action, tag_topic

    # Then each tag has its own topic and action (none falls back to the tag's ASCII subject,
    # "colaboracao"), written as words
    tags = set(default_taxonomy().tags)
    assert tags - set(TAG_WORDS) == set()
    for tag in tags:
        assert "_" not in tag_topic(tag) + tag_action(tag), tag


def test_sample_headings_name_the_topic_without_its_article():
    from shared.digest.vocabulary import tag_label, tag_topic

    # Given topics written with and without an article ("o layout", "lentidão")
    # Then a heading drops the article and keeps everything else
    assert tag_topic("ui_layout") == "o layout"
    assert tag_label("ui_layout") == "layout"
    assert tag_label("ui_tema") == "tema visual"
    assert tag_label("perf_lentidao") == tag_topic("perf_lentidao") == "lentidão"
    # and a tag outside the table gets its scope's words, article dropped too
    assert tag_label("ui_novatela") == "interface de novatela"


def test_every_taxonomy_tag_has_english_words_and_unknown_tags_read_as_words():
    from shared.classifier.tags import default_taxonomy
    from shared.digest.vocabulary import TAG_WORDS_EN, tag_name

    # Given the taxonomy the classifier tags with
    tags = set(default_taxonomy().tags)

    # Then each tag has English words of its own, and both languages name it without its id
    assert tags - set(TAG_WORDS_EN) == set()
    for tag in tags:
        assert "_" not in tag_name(tag, "en") + tag_name(tag, "pt"), tag
    assert tag_name("fix_travamento", "en") == "crashes and freezes"
    assert tag_name("ui_layout", "pt") == "layout"

    # And a tag an analyst added later is named from its subject, never shown as a bare id
    assert tag_name("fix_ingresso", "en") == "ingresso problems"
    assert tag_name("feat_ingresso", "pt") == "ingresso"
