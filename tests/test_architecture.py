"""Who may import whom: the core never reaches into an adapter, adapters use each other's public API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("checklists", "scoring", "vendors", "storage", "reports", "sheets", "services", "ui")
PURE = {"streamlit", "reportlab", "sqlalchemy", "plotly", "openpyxl", "docx"}
FORBIDDEN = {
    "checklists": {"scoring", "vendors", "storage", "reports", "sheets", "services", "ui"} | PURE,
    "scoring": {"vendors", "storage", "reports", "sheets", "services", "ui"} | PURE,
    # vendor selection is core too: the vendor model, catalogues and evaluation; sheets, the vendor page and
    # the report's vendor section are its adapters
    "vendors": {"storage", "reports", "sheets", "services", "ui"} | PURE,
    "storage": {"reports", "sheets", "services", "ui", "streamlit", "reportlab", "plotly"},
    "reports": {"storage", "sheets", "services", "ui", "streamlit", "sqlalchemy", "plotly"},
    "sheets": {"storage", "reports", "services", "ui", "streamlit", "reportlab", "sqlalchemy"},
    # the application's use cases: storage, the core, sheets and reports, never a page or a widget
    "services": {"ui", "streamlit", "plotly"},
    "ui": set(),
}


def imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, node.lineno))
    return out


FILES = [(pkg, p) for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize("pkg,path", FILES, ids=[str(p.relative_to(ROOT)) for _, p in FILES])
def test_dependencies_point_one_way(pkg, path):
    bad = [(m, line) for m, line in imports(path) if m.split(".")[0] in FORBIDDEN[pkg]]
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", [p for _, p in FILES] + [ROOT / "cli.py", ROOT / "app.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_other_packages_are_used_through_their_public_api(path):
    own = path.relative_to(ROOT).parts[0]
    deep = [(m, line) for m, line in imports(path)
            if m.split(".")[0] in PACKAGES and m.split(".")[0] != own and m.count(".") > 0
            and not m.startswith("ui.")]
    assert deep == [], f"{path.relative_to(ROOT)} reaches into {deep}"


@pytest.mark.parametrize("pkg", ["checklists", "scoring", "vendors", "storage", "reports", "sheets", "services"])
def test_every_package_states_its_public_api(pkg):
    module = __import__(pkg)
    assert module.__all__, pkg
    for name in module.__all__:
        assert hasattr(module, name), f"{pkg}.{name}"


def test_no_use_case_is_left_in_the_pages():
    """The Streamlit-free logic the pages used to hold (room consolidation, import/export, re-assessment
    chains, vendor edits) lives in services; ui has no module of services of its own."""
    assert not (ROOT / "ui" / "services.py").exists() and not (ROOT / "ui" / "vendor_services.py").exists()
    for path in sorted((ROOT / "ui").rglob("*.py")):
        bad = [(m, line) for m, line in imports(path) if m in ("ui.services", "ui.vendor_services")]
        assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


def _reads_surroundings(path: Path) -> list[tuple[str, int]]:
    """Places that read an environment variable or a Streamlit secret: os.environ, os.getenv, st.secrets."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                (node.value.id, node.attr) in {("os", "environ"), ("os", "getenv"), ("st", "secrets")}:
            out.append((f"{node.value.id}.{node.attr}", node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv") for a in node.names):
            out.append(("from os import environ/getenv", node.lineno))
    return out


@pytest.mark.parametrize("path", [p for _, p in FILES] + [ROOT / "cli.py", ROOT / "app.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_settings_are_read_in_one_module(path):
    assert _reads_surroundings(path) == [], f"{path.relative_to(ROOT)}: ask settings.py instead"


def test_the_settings_module_reads_them():
    # must happen: the one module does read them (a check that finds nothing anywhere proves nothing)
    found = {what for what, _line in _reads_surroundings(ROOT / "settings.py")}
    assert found == {"os.environ", "st.secrets"}
    # standard library only (streamlit for the secret, imported lazily): every package may ask it
    assert [m for m, _line in imports(ROOT / "settings.py") if m.split(".")[0] in PACKAGES] == []
