"""PATCH /api/comentarios/<id>: a human correction beside the model's answer."""

from __future__ import annotations

import pytest

from tests.integration.api.conftest import table_snapshot
from tests.support.openapi_schema import assert_conforms

pytestmark = pytest.mark.integration


def test_correction_keeps_the_model_answer_and_records_who_and_when(analyst, seed):
    # Given a stored comment the model called ELOGIO
    seed(
        [{"id": "a", "texto": "vai ter show em BH?", "categoria": "ELOGIO", "tags": ["feat_letra"]}]
    )
    # When an analyst corrects category and tags
    response = analyst.patch(
        "/api/comentarios/a", json={"categoria": "DÚVIDA", "tags_funcionalidades": ["feat_turne"]}
    )
    # Then the product shows the correction, keeps the model's answer, and records the analyst
    assert response.status_code == 200
    assert_conforms(response, "PATCH /api/comentarios/{id}")
    item = response.get_json()
    assert (item["categoria"], item["tags_funcionalidades"]) == ("DÚVIDA", ["feat_turne"])
    assert item["model"] == {"categoria": "ELOGIO", "tags": ["feat_letra"]}
    assert item["correction"]["categoria"] == "DÚVIDA"
    assert item["correction"]["tags"] == ["feat_turne"]
    assert item["correction"]["by"] == "ana"
    assert item["correction"]["at"]
    assert analyst.get("/api/comentarios/a").get_json() == item


def test_correcting_tags_later_keeps_the_earlier_category_correction(analyst, admin, seed):
    seed([{"id": "a", "categoria": "ELOGIO", "tags": []}])
    analyst.patch("/api/comentarios/a", json={"categoria": "SPAM"})
    item = admin.patch(
        "/api/comentarios/a", json={"tags_funcionalidades": ["sec_golpe"]}
    ).get_json()
    assert item["categoria"] == "SPAM"
    assert item["tags_funcionalidades"] == ["sec_golpe"]
    assert item["correction"]["by"] == "root"


def test_clearing_tags_is_a_correction_to_no_tags(analyst, seed):
    seed([{"id": "a", "tags": ["feat_letra"]}])
    item = analyst.patch("/api/comentarios/a", json={"tags_funcionalidades": []}).get_json()
    assert item["tags_funcionalidades"] == []
    assert item["model"]["tags"] == ["feat_letra"]


def test_unknown_id_is_404(analyst, clean_db):
    response = analyst.patch("/api/comentarios/nope", json={"categoria": "SPAM"})
    assert response.status_code == 404
    assert_conforms(response, "PATCH /api/comentarios/{id}")
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"{}", "application/json", 400, "needs categoria"),
        (b'{"categoria": "RUIM"}', "application/json", 400, "valid values"),
        (b'{"categoria": "SPAM", "texto": "x"}', "application/json", 400, "unknown field"),
        (b'{"tags_funcionalidades": ["Bad Tag"]}', "application/json", 400, "is not a tag"),
        (b'{"tags_funcionalidades": "feat_letra"}', "application/json", 400, "array of tags"),
        (b'{"categoria": ', "application/json", 400, "not valid JSON"),
        (b'{"categoria": "SPAM"}', "text/plain", 415, "not accepted"),
        (b"[" * (16 * 1024 + 1), "application/json", 413, "larger than 16384 bytes"),
    ],
)
def test_bad_correction_is_refused_and_changes_nothing(
    analyst, seed, clean_db, body, content_type, status, message
):
    seed([{"id": "a"}])
    before = table_snapshot(clean_db)
    response = analyst.patch("/api/comentarios/a", data=body, content_type=content_type)
    assert response.status_code == status
    assert_conforms(response, "PATCH /api/comentarios/{id}")
    assert message in response.get_json()["error"]["message"]
    assert table_snapshot(clean_db) == before


def test_malformed_id_is_400(analyst, clean_db):
    response = analyst.patch("/api/comentarios/a%20b", json={"categoria": "SPAM"})
    assert response.status_code == 400
    assert_conforms(response, "PATCH /api/comentarios/{id}")
