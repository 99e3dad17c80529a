"""The local mail sink as a webhook receiver: what `make dev` points ALERTS_WEBHOOK_URLS at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with MailSink() as running:
        yield running


def test_posts_are_kept_listed_as_json_and_shown_escaped(sink: MailSink) -> None:
    # Given a JSON webhook whose text holds markup
    body = {"text": "<script>alert(1)</script> travamentos", "blocks": []}
    # When it is posted
    posted = requests.post(sink.webhook_url("slack"), json=body, timeout=10)
    # Then it is kept as received, listed by the JSON API, and shown as text on the page
    assert posted.status_code == 200
    listed = requests.get(f"{sink.url}/api/webhooks", timeout=10).json()
    assert [(hook["name"], hook["body"]) for hook in listed] == [("slack", body)]
    page = requests.get(f"{sink.url}/webhooks", timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Webhooks recebidos (1)" in page.text
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text
    # And DELETE forgets them
    assert requests.delete(f"{sink.url}/api/webhooks", timeout=10).status_code == 204
    assert requests.get(f"{sink.url}/api/webhooks", timeout=10).json() == []


def test_a_failure_plan_refuses_the_next_posts_of_one_webhook(sink: MailSink) -> None:
    plan = {"name": "json", "times": 1, "status": 502}
    assert (
        requests.post(f"{sink.url}/api/webhook-failures", json=plan, timeout=10).status_code == 204
    )
    assert requests.post(sink.webhook_url("json"), json={}, timeout=10).status_code == 502
    assert requests.post(sink.webhook_url("slack"), json={}, timeout=10).status_code == 200
    assert requests.post(sink.webhook_url("json"), json={}, timeout=10).status_code == 200
    assert [hook.name for hook in sink.received_webhooks()] == ["slack", "json"]


def test_a_body_that_is_not_json_is_refused(sink: MailSink) -> None:
    response = requests.post(sink.webhook_url("json"), data=b"\xff not json", timeout=10)
    assert response.status_code == 400
    assert sink.received_webhooks() == []
    bad_plan = requests.post(f"{sink.url}/api/webhook-failures", json=["x"], timeout=10)
    assert bad_plan.status_code == 400
