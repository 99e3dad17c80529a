"""The in-memory object store, tick decoding and the dashboard's file server."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.charts.painel import CONTENT_SECURITY_POLICY, serve_asset
from shared.errors import NotFound, PoisonMessage
from shared.schedule import Tick, encode_tick, parse_tick
from shared.storage import InMemoryObjectStore, StorageUnavailable

# --- storage fake -------------------------------------------------------------------------------


def test_fake_store_round_trips_json_and_reports_missing_objects() -> None:
    store = InMemoryObjectStore()
    store.put_json("charts/latest.json", {"gerado_em": "x", "n": [1, 2], "cat": "CRÍTICA"})

    assert store.get_json("charts/latest.json") == {"gerado_em": "x", "n": [1, 2], "cat": "CRÍTICA"}
    assert store.objects["charts/latest.json"][1] == "application/json"
    assert store.get_json("charts/none.json") is None


def test_fake_store_outage_raises_storage_unavailable() -> None:
    store = InMemoryObjectStore()
    store.fail = True
    with pytest.raises(StorageUnavailable):
        store.put_json("k", {})
    with pytest.raises(StorageUnavailable):
        store.get_bytes("k")


# --- ticks --------------------------------------------------------------------------------------


def test_tick_round_trips_through_its_message() -> None:
    tick = Tick("charts-refresh", datetime(2026, 11, 30, 11, 32, tzinfo=UTC), {"extra": 1})
    data, attributes = encode_tick(tick)

    assert attributes == {"job": "charts-refresh", "scheduled_time": "2026-11-30T11:32:00Z"}
    assert json.loads(data)["scheduled_time"] == "2026-11-30T11:32:00Z"
    assert parse_tick(data, attributes, None) == tick


def test_tick_without_scheduled_time_uses_publish_minute() -> None:
    published = datetime(2026, 11, 30, 11, 32, 41, 123000, tzinfo=UTC)
    tick = parse_tick(b'{"job": "charts-refresh"}', {}, published)
    assert tick.scheduled_time == datetime(2026, 11, 30, 11, 32, tzinfo=UTC)


def test_tick_time_with_offset_is_normalised_to_utc() -> None:
    tick = parse_tick(b'{"job": "j", "scheduled_time": "2026-11-30T08:32:00-03:00"}', {}, None)
    assert tick.scheduled_time == datetime(2026, 11, 30, 11, 32, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\xffnot json",
        b"[1, 2]",
        b'{"scheduled_time": "2026-11-30T11:32:00Z"}',
        b'{"job": "j", "scheduled_time": "yesterday"}',
        b'{"job": "j", "scheduled_time": "2026-11-30T11:32:00"}',
        b'{"job": "j"}',
    ],
)
def test_unreadable_ticks_are_poison(data: bytes) -> None:
    with pytest.raises(PoisonMessage):
        parse_tick(data, {}, None)


# --- dashboard files ----------------------------------------------------------------------------


@pytest.fixture
def painel(tmp_path: Path) -> Path:
    root = tmp_path / "painel"
    (root / "vendor").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Painel</title>", encoding="utf-8")
    (root / "app.js").write_text("console.log(1)", encoding="utf-8")
    (root / "vendor" / "chart.umd.js").write_text("/* lib */", encoding="utf-8")
    (root / ".env").write_text("SECRET=1", encoding="utf-8")
    (root / "notes.bak").write_text("x", encoding="utf-8")
    (tmp_path / "outside.js").write_text("no", encoding="utf-8")
    (root / "link.js").symlink_to(tmp_path / "outside.js")
    return root


def test_the_page_is_served_for_the_empty_path(painel: Path) -> None:
    assert serve_asset("", painel) == (
        b"<!doctype html><title>Painel</title>",
        "text/html; charset=utf-8",
    )
    assert serve_asset("/", painel)[1] == "text/html; charset=utf-8"


def test_files_and_nested_files_get_their_content_type(painel: Path) -> None:
    assert serve_asset("app.js", painel) == (b"console.log(1)", "text/javascript; charset=utf-8")
    assert serve_asset("vendor/chart.umd.js", painel)[0] == b"/* lib */"


@pytest.mark.parametrize(
    "path",
    [
        "../outside.js",
        "vendor/../../outside.js",
        ".env",
        "vendor/.hidden.js",
        "notes.bak",
        "missing.js",
        "vendor",
        "link.js",
        "app.js\x00.png",
        "vendor\\chart.umd.js",
    ],
)
def test_nothing_outside_the_servable_files_is_served(painel: Path, path: str) -> None:
    with pytest.raises(NotFound):
        serve_asset(path, painel)


def test_policy_allows_no_inline_script_and_only_same_origin() -> None:
    directives = dict(
        ([*part.split(" ", 1), ""])[:2] for part in CONTENT_SECURITY_POLICY.split("; ")
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["connect-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
