"""The earlier system's clients keep working (DESIGN section 6).

Written as those clients call: log in with a username and password, send `Authorization: Bearer`
with the `access` token, post comments and read the list, knowing only the earlier fields
(`id, texto, categoria, tags_funcionalidades, confianca, created_at, updated_at`), the status
codes and the paging headers. Nothing here knows the newer fields, orders or parameters.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from tests.support.db_fixtures import TEST_PASSWORD

pytestmark = pytest.mark.integration

EARLIER_FIELDS = {
    "id",
    "texto",
    "categoria",
    "tags_funcionalidades",
    "confianca",
    "created_at",
    "updated_at",
}
CATEGORIES = {"ELOGIO", "CRÍTICA", "SUGESTÃO", "DÚVIDA", "SPAM"}
LINK_NEXT = re.compile(r'^<([^>]+)>;\s*rel="next"$')


class EarlierClient:
    """What the earlier system's clients do: log in once, then call with the access token."""

    def __init__(self, client: Any, username: str) -> None:
        self.client = client
        response = client.post(
            "/api/auth/login", json={"username": username, "password": TEST_PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['access']}"}

    def post(self, path: str, payload: Any) -> Any:
        return self.client.post(path, json=payload, headers=self.headers)

    def get(self, url: str) -> Any:
        return self.client.get(url, headers=self.headers)

    def patch(self, path: str, payload: Any) -> Any:
        return self.client.patch(path, json=payload, headers=self.headers)


@pytest.fixture
def earlier(client, make_user, classifier) -> EarlierClient:
    make_user("legado", "admin")
    return EarlierClient(client, "legado")


def _instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert instant.tzinfo is not None, text
    return instant


# --- POST /api/comentarios ------------------------------------------------------------------------


def test_posting_a_new_comment_answers_201_with_its_classification(earlier, clean_db):
    # When an earlier client posts one comment
    response = earlier.post(
        "/api/comentarios", {"id": "l-1", "texto": "Que música linda, ouço todo dia!"}
    )
    # Then it is stored: 201, with the fields it reads
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == "l-1"
    assert body["texto"] == "Que música linda, ouço todo dia!"
    assert body["categoria"] in CATEGORIES
    assert isinstance(body["tags_funcionalidades"], list)
    assert 0.0 <= body["confianca"] <= 1.0
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM comments")).scalars().all() == ["l-1"]


def test_posting_a_batch_answers_201_with_one_item_per_comment(earlier):
    batch = [{"id": f"l-{i}", "texto": f"comentário {i}, adorei"} for i in range(3)]
    response = earlier.post("/api/comentarios", batch)
    assert response.status_code == 201
    assert [item["id"] for item in response.get_json()] == ["l-0", "l-1", "l-2"]


def test_an_exact_replay_answers_200_with_the_same_body_and_stores_nothing(earlier, clean_db):
    # Given a batch already posted
    batch = [{"id": "r-1", "texto": "amei o clipe"}, {"id": "r-2", "texto": "vai ter turnê?"}]
    first = earlier.post("/api/comentarios", batch)
    assert first.status_code == 201
    # When the client retries it as is (a timeout on its side, say)
    again = earlier.post("/api/comentarios", batch)
    # Then 200, the same answer, and still one row per id
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM comments")).scalar_one() == 2


def test_a_replay_with_one_new_comment_stores_it_and_answers_201(earlier):
    earlier.post("/api/comentarios", {"id": "m-1", "texto": "ótima faixa"})
    response = earlier.post(
        "/api/comentarios",
        [{"id": "m-1", "texto": "ótima faixa"}, {"id": "m-2", "texto": "coloca a letra"}],
    )
    assert response.status_code == 201
    assert [item["id"] for item in response.get_json()] == ["m-1", "m-2"]


# --- GET /api/comentarios -------------------------------------------------------------------------


def test_the_list_is_a_plain_array_of_comments_with_the_earlier_fields(earlier):
    # Given two posted comments
    earlier.post(
        "/api/comentarios",
        [{"id": "a-1", "texto": "amei demais"}, {"id": "a-2", "texto": "som muito baixo"}],
    )
    # When the list is read
    response = earlier.get("/api/comentarios")
    # Then the body is a JSON array, each comment with every field the client reads
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body, list)
    assert {item["id"] for item in body} == {"a-1", "a-2"}
    for item in body:
        assert set(item) >= EARLIER_FIELDS
        assert item["categoria"] in CATEGORIES
        assert _instant(item["updated_at"]) >= _instant(item["created_at"]) - timedelta(seconds=5)
    assert response.headers["X-Total-Count"] == "2"


def test_updated_at_moves_to_the_correction_and_created_at_stays(earlier):
    # Given a posted comment
    earlier.post("/api/comentarios", {"id": "u-1", "texto": "o app trava toda hora"})
    [before] = earlier.get("/api/comentarios").get_json()
    # When someone corrects its category
    assert earlier.patch("/api/comentarios/u-1", {"categoria": "CRÍTICA"}).status_code == 200
    [after] = earlier.get("/api/comentarios").get_json()
    # Then updated_at is the correction's time, later than before; created_at did not move
    assert after["categoria"] == "CRÍTICA"
    assert after["created_at"] == before["created_at"]
    assert _instant(after["updated_at"]) > _instant(before["updated_at"])


def test_paging_follows_the_link_header_to_the_end_keeping_the_filters(earlier, seed):
    # Given 7 comments, 5 of them SPAM
    seed(
        [
            {"id": f"p-{i}", "categoria": "SPAM" if i < 5 else "ELOGIO", "confianca": 0.5 + i / 20}
            for i in range(7)
        ]
    )
    # When the client reads SPAM two at a time, following rel="next" as given
    url: str | None = "/api/comentarios?categoria=SPAM&limit=2"
    seen: list[str] = []
    pages = 0
    while url is not None:
        response = earlier.get(url)
        assert response.status_code == 200
        seen += [item["id"] for item in response.get_json()]
        pages += 1
        assert response.headers["X-Total-Count"] == "5"
        link = response.headers.get("Link")
        cursor = response.headers.get("X-Next-Cursor")
        if link is None:
            assert cursor is None
            url = None
            continue
        # Then each next link is the full relative URL: same path, same filters, the cursor
        match = LINK_NEXT.match(link)
        assert match, link
        url = match.group(1)
        parts = urlsplit(url)
        assert parts.path == "/api/comentarios"
        assert parse_qs(parts.query) == {"categoria": ["SPAM"], "limit": ["2"], "cursor": [cursor]}
    # And every SPAM comment came once, over three pages
    assert sorted(seen) == [f"p-{i}" for i in range(5)]
    assert len(seen) == 5
    assert pages == 3


@pytest.mark.parametrize(("ordem", "reverse"), [("asc", False), ("desc", True)])
def test_ordem_asc_and_desc_sort_by_confidence(earlier, seed, ordem, reverse):
    # Given comments whose confidence and creation time disagree
    start = datetime(2024, 5, 1, tzinfo=UTC)
    confidences = [0.9, 0.2, 0.7, 0.4, 0.55]
    seed(
        [
            {"id": f"o-{i}", "confianca": c, "created_at": start + timedelta(hours=i)}
            for i, c in enumerate(confidences)
        ]
    )
    # When the client asks for ordem=asc or ordem=desc, one page at a time through Link
    url: str | None = f"/api/comentarios?ordem={ordem}&limit=2"
    got: list[float] = []
    while url is not None:
        response = earlier.get(url)
        assert response.status_code == 200
        got += [item["confianca"] for item in response.get_json()]
        link = response.headers.get("Link")
        url = LINK_NEXT.match(link).group(1) if link else None  # type: ignore[union-attr]
    # Then the comments come by confidence, as the earlier system sorted them
    assert got == pytest.approx(sorted(confidences, reverse=reverse))
