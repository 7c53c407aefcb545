"""Every page, in both languages, with the demo loaded (so tables and charts have data): no English left
in the Chinese UI, no Chinese in the English UI (user data aside), and no "None" anywhere.

Everything the app sends to the browser is read: each element's strings (labels, options,
placeholders, help texts, captions, metric values), every table's headers and cells, and every
chart's trace names, axis titles, tick and hover texts. Streamlit's own texts that the app can set
(a multiselect's placeholder) are in the same messages; those only the browser draws are out of reach
of AppTest (see tests/test_e2e_screens.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from support import new_app, ok

from ui.common import PAGES
from ui.demo import DEMO_FILE, VENDOR_FILE

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# words that are the same in a Chinese sentence: product names, acronyms and units
ZH_KEEP = {"CRM", "KPI", "KPIs", "ERP", "ROI", "AHP", "TCO", "PDF", "CSV", "XLSX", "Excel", "Word", "Markdown",
           "YAML", "JSON", "SQL", "SQLite", "PostgreSQL", "IT", "ID", "URL", "API", "SaaS", "B2B", "B2C",
           "SLA", "GDPR", "PIPL", "SFA", "MQL", "LTV", "CAC", "AI", "OK", "Monte", "Carlo", "vs",
           "Logo", "logo", "App", "app", "PC", "BI", "NPS", "CSAT", "CEO", "CFO", "CTO", "CIO", "HR", "Q1",
           "Q2", "Q3", "Q4", "FAQ", "UI", "Krippendorff", "h", "min", "km", "TB", "GB", "MB", "KB", "USD", "EUR", "CNY", "RMB"}
# field names that carry no visible text (ids, keys, links, raw data decoded separately)
SKIP_FIELDS = {"id", "form_id", "key", "url", "page_script_hash", "query_string", "spec", "data", "arrow_data",
               "styler", "icon", "type", "theme", "format", "step", "value_type", "default", "raw_value",
               "page", "fragment_id", "css", "selection_mode", "column_order", "uuid", "column_config",
               "language", "body_code", "layout"}


def user_data() -> list[str]:
    """Every string of the demo's files (names, organisation, notes, the vendor sheet's vendors,
    evaluators and notes): user data in both UIs."""
    out: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                out.append(str(k))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for f in (DEMO_FILE, VENDOR_FILE):
        walk(yaml.safe_load(f.read_text(encoding="utf-8")))
    return sorted({s for s in out if len(s) > 1}, key=len, reverse=True)


def column_strings(config: str) -> Iterator[tuple[str, str]]:
    """A table's column configuration: the header labels, help texts and a select column's options."""
    try:
        columns = json.loads(config)
    except ValueError:
        return
    for c in columns.values() if isinstance(columns, dict) else []:
        if not isinstance(c, dict):
            continue
        for k in ("label", "help"):
            if isinstance(c.get(k), str):
                yield f"column.{k}", c[k]
        for o in (c.get("type_config") or {}).get("options") or []:
            yield "column.option", str(o)


def proto_strings(msg, path: str = "") -> Iterator[tuple[str, str]]:
    for field, value in msg.ListFields():
        if field.name == "columns" and isinstance(value, str):
            yield from column_strings(value)
            continue
        if field.name in SKIP_FIELDS:
            continue
        where = f"{path}.{field.name}"
        repeated = not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") and hasattr(value, "__len__")
        values = value if repeated else [value]
        for v in values:
            if isinstance(v, str):
                yield where, v
            elif hasattr(v, "ListFields"):
                yield from proto_strings(v, where)


def chart_strings(spec: str) -> Iterator[tuple[str, str]]:
    fig = json.loads(spec)

    shown = {"name", "text", "theta", "x", "y", "ticktext", "hovertext", "hovertemplate", "labels", "customdata"}

    def walk(x: object, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(x, dict):
            for k, v in x.items():
                yield from walk(v, f"{where}.{k}")
        elif isinstance(x, list):
            for v in x:
                yield from walk(v, where)
        elif isinstance(x, str) and where.split(".")[-1] in shown:
            yield where, x

    yield from walk({"data": fig.get("data", []), "layout": fig.get("layout", {})}, "chart")


def shown_columns(frame, proto) -> list:
    """The columns a person sees: not those the column configuration hides or leaves out of its order."""
    try:
        config = json.loads(getattr(proto, "columns", "") or "{}")
    except ValueError:
        config = {}
    hidden = {k for k, c in config.items() if isinstance(c, dict) and c.get("hidden")}
    order = list(getattr(proto, "column_order", []) or [])
    return [c for c in frame.columns if str(c) not in hidden and (not order or str(c) in order)]


def table_strings(frame, proto=None) -> Iterator[tuple[str, str]]:
    columns = shown_columns(frame, proto)
    empty = getattr(proto, "placeholder", "") or "None"  # what the table shows in an empty cell
    try:
        config = json.loads(getattr(proto, "columns", "") or "{}")
    except ValueError:
        config = {}
    for c in columns:
        label = (config.get(str(c)) or {}).get("label") if isinstance(config.get(str(c)), dict) else None
        yield "table.header", label or str(c)  # the configured label is what the header shows
    for c in columns:
        for v in frame[c].tolist():
            if isinstance(v, bool):
                continue  # a checkbox
            if v is None or (isinstance(v, float) and v != v):
                yield f"table.cell[{c}]", empty  # "None" unless the table sets a placeholder
            elif isinstance(v, (list, tuple)):
                for x in v:
                    yield "table.cell", str(x)
            else:
                yield "table.cell", str(v)


def page_strings(at: AppTest) -> Iterator[tuple[str, str]]:
    def walk(node) -> Iterator[tuple[str, str]]:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None and hasattr(proto, "ListFields"):
            if kind == "plotly_chart":
                yield from chart_strings(proto.spec)
            elif kind in ("arrow_data_frame", "dataframe", "arrow_table", "table", "data_editor"):
                yield from table_strings(node.value, proto)
                yield from proto_strings(proto, kind)
            elif kind != "code":  # links and ids to copy, not prose
                yield from proto_strings(proto, kind)
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at._tree)


HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][:;,?!(]|[:;,?!]\s*[\u4e00-\u9fff]")  # “身份: 王敏”
ENDONYMS = ("中文", "English")  # the language switch names each language in itself
ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9]{0,4}[A-Z0-9]s?$")  # CRM, KPI, BANT, PaaS: the same in a Chinese sentence
GLOSS = re.compile(r"（[A-Za-z][A-Za-z .'’/-]*）")  # “线索（Lead）”: the English term glossed in a Chinese text


def problems(at: AppTest, lang: str, data: list[str], content: tuple[str, ...] = ()) -> list[str]:
    found = []
    for where, text in page_strings(at):
        rest = text
        for s in data:  # whole words only: a short name never cuts a word of the page in two
            if s in rest:
                rest = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(s)}(?![A-Za-z0-9_])", " ", rest)
        if text in ENDONYMS:
            continue
        # a template's own word (the scale level "None") is content, not a missing value
        if re.search(r"\bNone\b", rest) and not any(re.fullmatch(rf"\d+ (· )?{re.escape(c)}", rest.strip())
                                                      for c in content):
            found.append(f"{where}: None in {text!r}")
        if lang == "en" and CJK.search(rest):
            found.append(f"{where}: Chinese in {text!r}")
        if lang == "zh":
            # markdown syntax, badges and colour names are not words a person reads
            prose = re.sub(r"<style>.*?</style>", " ", rest, flags=re.S)  # a page's CSS, never shown
            prose = re.sub(r":[a-z]+(-badge|-background)?\[", "[", prose)
            prose = re.sub(r"https?://\S+|\{[^}]*\}|\$[^$]*\$|<[^>]+>", " ", prose)
            prose = GLOSS.sub(" ", prose)
            prose = re.sub(r"`[^`]*`", " ", prose)  # a command or a setting's name, typed as shown
            prose = re.sub(r"\b[0-9a-f]{8,}\b", " ", prose)  # a fingerprint
            if HALF_WIDTH.search(prose):
                found.append(f"{where}: ASCII punctuation in a Chinese label {text[:160]!r}")
            words = [w for w in WORD.findall(prose) if w not in ZH_KEEP and not ACRONYM.match(w)]
            if words:
                found.append(f"{where}: English {words[:5]} in {text[:160]!r}")
    return found


def templates_loaded() -> list[list]:
    """Each shipped template's scale labels (content words such as the level "None")."""
    from checklists import load_all

    return [[lab for it in t.items() for lab in t.scale_labels(it)] for t in load_all()[0].values()]


def demo_app(lang: str) -> AppTest:
    at = ok(new_app(lang=lang).run())
    ok(at.button(key="demo_button").click().run())
    assert at.query_params["a"], "the demo opened no assessment"
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language_and_never_says_none(app_env, lang):
    data = user_data()
    content = tuple(sorted({lv.get("en") for t in templates_loaded() for lv in t}))
    at = demo_app(lang)
    report: dict[str, list[str]] = {}
    for key, path in PAGES.items():
        at.switch_page(path).run()
        if at.exception:  # a page that fails says so, and the scan goes on to the next
            report[key] = [f"the page failed: {e.value}" for e in at.exception]
            continue
        if key != "home":  # the page drew something of the demo
            assert len(list(page_strings(at))) > 10, key
        found = problems(at, lang, data, content)
        if found:
            report[key] = sorted(set(found))
    assert not report, json.dumps(report, ensure_ascii=False, indent=1)


def test_the_scan_finds_what_it_must():
    """The detector itself: must flag each kind of leftover, must NOT flag user data or shared words."""
    from streamlit.proto.Markdown_pb2 import Markdown

    class Fake:
        def __init__(self, *texts: str):
            self._tree = type("N", (), {"children": {i: type("E", (), {"proto": Markdown(body=t), "type": "markdown",
                                                                      "children": {}})() for i, t in
                                                     enumerate(texts)}})()

    data = ["示例制造有限公司 Example Manufacturing Co."]
    assert problems(Fake("当前身份：王敏", "CRM 与 ERP 的 KPI", "示例制造有限公司 Example Manufacturing Co.",
                         "“线索（Lead）”阶段", "中文", "English"), "zh", data) == []
    assert problems(Fake("当前身份: 王敏"), "zh", data) != []
    found = problems(Fake("选择 Choose options", "截止日期 None"), "zh", data)
    assert any("Choose options" in f for f in found) and any("None in" in f for f in found)
    assert problems(Fake("Answering as: Wang Min", "示例制造有限公司 Example Manufacturing Co."), "en", data) == []
    found = problems(Fake("Answering as：王敏", "Due None"), "en", data)
    assert any("Chinese in" in f for f in found) and any("None in" in f for f in found)
