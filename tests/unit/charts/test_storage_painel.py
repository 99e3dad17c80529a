"""The in-memory object store and the dashboard's file server."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.charts.painel import CONTENT_SECURITY_POLICY, serve_asset
from shared.errors import NotFound
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
