"""The dashboard's static files keep to the CSP and the escaping rule (the browser tests drive it)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

PAINEL = Path(__file__).resolve().parents[2] / "functions" / "charts" / "painel"
OWN_SCRIPTS = sorted(PAINEL.glob("*.js"))
CONTROL_TAGS = {"input", "select", "textarea"}
# Every form of the page: login, the question box, the comment and review filters, the correction
# dialog. Listed so the label rule is checked on them and a page without them fails.
FORM_CONTROLS = {
    "login-usuario",
    "login-senha",
    "pergunta",
    "f-q",
    "f-categoria",
    "f-tag",
    "f-desde",
    "f-ate",
    "f-cmin",
    "f-cmax",
    "f-revisao",
    "f-ordem",
    "f-limite",
    "r-q",
    "r-categoria",
    "r-limite",
    "correcao-categoria",
    "correcao-tags",
}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))


@pytest.fixture(scope="module")
def page() -> _Elements:
    parser = _Elements()
    parser.feed((PAINEL / "index.html").read_text(encoding="utf-8"))
    return parser


def test_page_has_no_inline_script_or_style(page: _Elements) -> None:
    assert any(tag == "script" for tag, _ in page.elements), "the page loads no script"
    for tag, attributes in page.elements:
        assert tag != "style", "a <style> element needs style-src 'unsafe-inline'"
        assert "style" not in attributes, f"<{tag}> has an inline style attribute"
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, f"<{tag}> has inline event handlers {handlers}"
        if tag == "script":
            assert attributes.get("src"), "every script is a file (script-src 'self')"


def test_page_loads_nothing_from_another_origin(page: _Elements) -> None:
    for tag, attributes in page.elements:
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            assert not re.match(r"^(https?:)?//", value), f"<{tag} {name}={value}> is remote"


def test_every_control_has_a_label(page: _Elements) -> None:
    # Given the page's visible form controls, every form's among them
    controls = [
        (tag, attributes)
        for tag, attributes in page.elements
        if tag in CONTROL_TAGS and attributes.get("type") != "hidden"
    ]
    missing = FORM_CONTROLS - {attributes.get("id") for _, attributes in controls}
    assert not missing, f"the page lacks the form controls {sorted(missing)}"
    # When their labels are looked up
    labelled = {attributes.get("for") for tag, attributes in page.elements if tag == "label"}
    # Then each has one, by `for` or by aria-label
    for tag, attributes in controls:
        assert attributes.get("id") in labelled or attributes.get("aria-label"), (
            f"<{tag} name={attributes.get('name')}> has no label"
        )


def _code_of(script: Path) -> str:
    """The script without its comments (which may name what the code avoids)."""
    source = re.sub(r"/\*.*?\*/", "", script.read_text(encoding="utf-8"), flags=re.DOTALL)
    return "\n".join(line for line in source.splitlines() if not line.strip().startswith("//"))


@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda path: path.name)
def test_scripts_never_turn_data_into_markup(script: Path) -> None:
    source = _code_of(script)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, f"{script.name} uses {sink}"
    assert "new Function" not in source
    assert not re.search(r"setAttribute\(\s*[\"'](style|on\w+)[\"']", source)


@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda path: path.name)
def test_scripts_import_files_that_exist_and_ids_the_page_has(
    script: Path, page: _Elements
) -> None:
    source = script.read_text(encoding="utf-8")
    for module in re.findall(r"from\s+\"(\./[^\"]+)\"", source):
        assert (PAINEL / module).is_file(), f"{script.name} imports missing {module}"
    for element_id in re.findall(r"byId\(\s*[\"']([\w-]+)[\"']\s*\)", source):
        assert element_id in page.ids, f"{script.name} looks for #{element_id}, not in the page"


def test_chart_library_is_vendored_with_its_licence() -> None:
    vendor = PAINEL / "vendor"
    bundle = (vendor / "chart.umd.min.js").read_text(encoding="utf-8")
    assert bundle.startswith("/*!\n * Chart.js v4.6.1")
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    assert "4.6.1" in readme
    assert "MIT" in readme
    assert "MIT License" in (vendor / "chart.js.LICENSE.md").read_text(encoding="utf-8")
    assert "MIT License" in (vendor / "kurkle-color.LICENSE.md").read_text(encoding="utf-8")
