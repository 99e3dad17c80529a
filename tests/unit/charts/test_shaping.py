"""Shaping the SQL answer: the stored payload, the chart-library series, staleness."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.charts.queries import Windows
from shared.charts.snapshots import (
    build_payload,
    chart_series,
    in_reading_order,
    is_stale,
    snapshot_object_name,
)
from shared.classifier import CATEGORIES


def reports() -> dict[str, Any]:
    zero = dict.fromkeys(CATEGORIES, 0)
    return {
        "distribuicao_categorias": {**dict.fromkeys(CATEGORIES, 0.0), "ELOGIO": 75.0, "SPAM": 25.0},
        "evolucao_temporal": [
            {"data": "2026-11-29", **zero, "ELOGIO": 3},
            {"data": "2026-11-30", **zero, "SPAM": 1},
        ],
        "top_tags_48h": [
            {"tag": "feat_letra", "frequencia": 2},
            {"tag": "fix_volume", "frequencia": 1},
        ],
        "confianca_media_por_categoria": {**dict.fromkeys(CATEGORIES), "ELOGIO": 0.9, "SPAM": 0.5},
        "comentarios_por_hora": [
            {"hora": "2026-11-30T07:00:00-03:00", "quantidade": 0},
            {"hora": "2026-11-30T08:00:00-03:00", "quantidade": 1},
        ],
    }


def test_series_carry_the_same_numbers_as_labels_and_datasets() -> None:
    series = chart_series(reports())

    assert series["distribuicao_categorias"]["labels"] == list(CATEGORIES)
    assert series["distribuicao_categorias"]["datasets"][0]["data"] == [75.0, 0.0, 0.0, 0.0, 25.0]
    daily = series["evolucao_temporal"]
    assert daily["labels"] == ["2026-11-29", "2026-11-30"]
    assert [d["label"] for d in daily["datasets"]] == list(CATEGORIES)
    assert daily["datasets"][0]["data"] == [3, 0]
    assert daily["datasets"][4]["data"] == [0, 1]
    assert series["top_tags_48h"]["labels"] == ["feat_letra", "fix_volume"]
    assert series["top_tags_48h"]["datasets"][0]["data"] == [2, 1]
    assert series["confianca_media_por_categoria"]["datasets"][0]["data"] == [
        0.9,
        None,
        None,
        None,
        0.5,
    ]
    assert series["comentarios_por_hora"]["datasets"][0]["data"] == [0, 1]


def test_payload_keeps_the_earlier_shape_and_names_its_windows() -> None:
    as_of = datetime(2026, 11, 30, 11, 32, tzinfo=UTC)
    payload = build_payload(reports(), Windows.ending_at(as_of, ZoneInfo("America/Sao_Paulo")))

    assert payload["relatorios"] == reports()
    assert payload["reload"] is False
    assert payload["gerado_em"] == "2026-11-30T11:32:00Z"
    assert payload["fuso_horario"] == "America/Sao_Paulo"
    assert payload["periodo"] == {
        "inicio": "2026-11-24T03:00:00Z",
        "fim": "2026-11-30T11:32:00Z",
        "tags_desde": "2026-11-28T11:32:00Z",
    }


def test_stale_only_after_the_threshold() -> None:
    as_of = datetime(2026, 11, 30, 11, 32, tzinfo=UTC)
    assert not is_stale(as_of, as_of + timedelta(seconds=150), 150)
    assert is_stale(as_of, as_of + timedelta(seconds=151), 150)


def test_snapshot_objects_are_named_by_their_utc_tick() -> None:
    moment = datetime(2026, 11, 30, 8, 32, tzinfo=UTC) + timedelta(hours=3)
    assert snapshot_object_name(moment) == "2026-11-30T11:32:00Z.json"


def test_reading_order_is_restored_after_jsonb_sorted_the_keys() -> None:
    # Given a payload as jsonb returns it: keys of each object sorted by length, then bytes
    as_of = datetime(2026, 11, 30, 11, 32, tzinfo=UTC)
    built = build_payload(reports(), Windows.ending_at(as_of, ZoneInfo("America/Sao_Paulo")))

    def jsonb_like(value: Any) -> Any:
        if isinstance(value, dict):
            keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
            return {k: jsonb_like(value[k]) for k in keys}
        if isinstance(value, list):
            return [jsonb_like(v) for v in value]
        return value

    stored = jsonb_like(built)
    assert next(iter(stored["relatorios"]["distribuicao_categorias"])) == "SPAM"

    # When it is put back in reading order
    ordered = in_reading_order(stored)

    # Then it equals what was built, key order included
    assert ordered == built
    assert json.dumps(ordered) == json.dumps(built)
